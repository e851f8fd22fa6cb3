package httpapi_test

import (
	"net/http"
	"net/netip"
	"strconv"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestClientsBehindTrustedProxies: behind a trusted load balancer each client (from
// X-Forwarded-For) has its own budget; from an untrusted peer the header is ignored, so a
// client cannot pick a fresh budget by writing it.
func TestClientsBehindTrustedProxies(t *testing.T) {
	trusted, err := httpapi.ParseTrustedProxies("127.0.0.1, 10.0.0.0/8")
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
	if _, err := httpapi.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a malformed prefix was accepted")
	}
	if p, _ := httpapi.ParseTrustedProxies("::1"); len(p) != 1 || !p[0].Contains(netip.MustParseAddr("::1")) {
		t.Fatal("a single IPv6 address")
	}
}
