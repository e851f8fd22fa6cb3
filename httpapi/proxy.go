package httpapi

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/cybertrade/cybertrade/internal/limits"
)

// forwardedFor makes the client behind trusted proxies (a load balancer) the rate-limit key:
// when the peer is one of trusted, the client is the rightmost address of X-Forwarded-For that
// is not itself trusted (ports dropped, IPv4-mapped addresses unmapped, IPv6 keyed by its
// /64, as clientKey does for peers). A malformed hop stops the walk: the client is then the
// last well-formed hop, the proxy itself when the rightmost hop is malformed. Without trusted proxies, or from any other peer, the header is
// ignored (a client could write anything in it).
func forwardedFor(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := limits.RequestFrom(r.Context())
		if peer, ok := parseHop(r.RemoteAddr); ok && req != nil && isTrusted(peer) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, ok := parseHop(hops[i]) // a hop may carry a port, as some load balancers write it
				if !ok {
					break // a malformed hop: keep the last good one
				}
				req.SetClient(clientKey(a))
				if !isTrusted(a) {
					break
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
