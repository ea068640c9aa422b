package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of the client: the connection's, unless the
// connection comes from a trusted proxy (Deps.TrustedProxies); then it is
// the right-most address of X-Forwarded-For that is not a trusted proxy
// itself: the one the outermost trusted proxy saw. A client cannot choose
// its address: whatever it writes into the header stands left of what the
// proxies append. From anyone else the header is ignored. The address is
// only ever hashed (measure.Keys), never stored or logged.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	peer := peerAddr(r)
	if !s.trusted(peer) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return peer // a header the proxy did not write: the proxy is the client we know
			}
			if a = a.Unmap(); !s.trusted(a) {
				return a
			}
		}
	}
	return peer
}

// peerAddr is the address of the connection.
func peerAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// trusted reports whether a is one of the configured proxies.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// overTLS reports whether the client's connection is encrypted: this
// server's own TLS, or a trusted proxy's that says so (X-Forwarded-Proto).
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || s.trusted(peerAddr(r)) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// hstsMaxAge is a year: browsers that once reached gigakoll over TLS never
// try plain HTTP again (the residents' position and wss: need TLS anyway).
const hstsMaxAge = "max-age=31536000"

// strictTransport sets Strict-Transport-Security on every answer given
// over TLS; over plain HTTP it means nothing and is left out.
func (s *Server) strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.overTLS(r) {
			w.Header().Set("Strict-Transport-Security", hstsMaxAge)
		}
		next.ServeHTTP(w, r)
	})
}
