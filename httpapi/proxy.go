package httpapi

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/cybertrade/cybertrade/internal/limits"
)

// forwardedFor makes the client behind trusted proxies (a load balancer) the rate-limit key:
// when the peer is one of trusted, the client is the rightmost address of X-Forwarded-For that
// is not itself trusted. Without trusted proxies, or from any other peer, the header is
// ignored (a client could write anything in it).
func forwardedFor(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := limits.RequestFrom(r.Context())
		if req != nil && isTrusted(clientIP(r)) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				h := strings.TrimSpace(hops[i])
				if _, err := netip.ParseAddr(h); err != nil {
					break // a malformed hop: keep the last good one
				}
				req.Client = h
				if !isTrusted(h) {
					break
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ParseTrustedProxies reads a comma-separated list of addresses or CIDR prefixes
// (TRUSTED_PROXIES).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
