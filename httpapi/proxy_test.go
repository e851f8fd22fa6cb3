package httpapi_test

import (
	"net/http"
	"net/netip"
	"strconv"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestClientsBehindTrustedProxies: behind a trusted load balancer each client (from
// X-Forwarded-For) has its own budget; from an untrusted peer the header is ignored, so a
// client cannot pick a fresh budget by writing it.
func TestClientsBehindTrustedProxies(t *testing.T) {
	trusted, err := config.ParsePrefixes("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	q := `{ countries(first: 5) { nodes { code } } }`
	remainingAs := func(e *env, xff string) int {
		t.Helper()
		r := e.postBody(t, jsonBody(map[string]any{"query": q}), map[string]string{"X-Forwarded-For": xff})
		expect(t, r, http.StatusOK, "")
		n, err := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	lim := withLimits(func(l *limits.Config) { l.RatePerMinute = 1000 })
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		behind := newEnvOpts(t, e, httpapi.Options{Limits: lim, TrustedProxies: trusted})
		a1 := remainingAs(behind, "203.0.113.7, 10.1.2.3")
		b1 := remainingAs(behind, "198.51.100.9")
		a2 := remainingAs(behind, "203.0.113.7")
		if a1 != b1 || a2 >= a1 {
			t.Fatalf("behind a trusted proxy: client A %d then %d, client B %d; want one budget per client", a1, a2, b1)
		}
		direct := newEnvOpts(t, e, httpapi.Options{Limits: lim})
		x := remainingAs(direct, "203.0.113.7")
		y := remainingAs(direct, "198.51.100.9")
		if y >= x {
			t.Fatalf("without trusted proxies X-Forwarded-For picked a fresh budget: %d then %d", x, y)
		}
	})
	if _, err := config.ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Fatal("a malformed prefix was accepted")
	}
	if p, _ := config.ParsePrefixes("::1"); len(p) != 1 || !p[0].Contains(netip.MustParseAddr("::1")) {
		t.Fatal("a single IPv6 address")
	}
}

// TestForwardedClientKeys (F16): the rate-limit key is the client's address however the
// proxy writes it (with a port, IPv4-mapped, in brackets), and an IPv6 client is keyed by its
// /64, so a client holding a /64 has one budget, not one per address.
func TestForwardedClientKeys(t *testing.T) {
	trusted, err := config.ParsePrefixes("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	q := jsonBody(map[string]any{"query": `{ countries(first: 5) { nodes { code } } }`}) // cost 11
	lim := withLimits(func(l *limits.Config) { l.RatePerMinute = 1000 })
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Limits: lim, TrustedProxies: trusted})
		used := func(xff string) int {
			t.Helper()
			r := env.postBody(t, q, map[string]string{"X-Forwarded-For": xff})
			expect(t, r, http.StatusOK, "")
			n, err := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
			if err != nil {
				t.Fatal(err)
			}
			return 1000 - n
		}
		for _, group := range [][]string{
			{"203.0.113.50:1234", "203.0.113.50", " 203.0.113.50:80 "},
			{"::ffff:203.0.113.51", "203.0.113.51", "::FFFF:203.0.113.51", "0:0:0:0:0:ffff:cb00:7133", "[::ffff:203.0.113.51]:9"},
			{"2001:db8:1:2::1", "2001:db8:1:2::ffff", "[2001:db8:1:2:aaaa::5]:443", "2001:DB8:1:2::7"},
		} {
			for i, xff := range group {
				if got := used(xff); got != 11*(i+1) {
					t.Fatalf("%q: %d used, want %d (one budget for %q)", xff, got, 11*(i+1), group)
				}
			}
		}
		if got := used("2001:db8:1:3::1"); got != 11 {
			t.Fatalf("another /64 shares a budget: %d used", got)
		}
		// Two clients behind one proxy that writes ports keep budgets of their own.
		if got := used("198.51.100.1:5000"); got != 11 {
			t.Fatalf("a second client with a port: %d used", got)
		}
	})
}
