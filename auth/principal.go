// Package auth is gigakoll's access control (spec/product.md, "Access"): API
// tokens for the coordinator and the municipalities, sign-in sessions for
// the pages, the principal of each request, and the audit log of every
// import and every download of address-level data.
//
// Tokens are "gk_" and 32 random bytes in base64url. They are stored as
// SHA-256 digests: a secret with 256 bits of entropy cannot be guessed from
// its digest, so it needs no slow password hash (bcrypt or argon2 guard
// low-entropy passwords against guessing, which is not the risk here), and a
// fast digest lets every API request be checked by one index lookup.
package auth

import (
	"context"
	"errors"
	"slices"
)

// Role is what a token may do (spec/product.md, "Access").
type Role string

// The roles. The public has none: it needs no token.
const (
	// Coordinator: everything, imports, all municipalities.
	Coordinator Role = "coordinator"
	// Municipality: address-level coverage and gap reports of its own
	// municipalities only, besides what the public sees.
	Municipality Role = "municipality"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == Coordinator || r == Municipality }

// ErrUnauthenticated says a request lacks valid credentials: no token where
// one is needed, or an unknown, expired or revoked one (HTTP 401).
var ErrUnauthenticated = errors.New("auth: a valid token or sign-in is needed")

// ErrForbidden says the caller is known but may not do this (HTTP 403).
var ErrForbidden = errors.New("auth: not allowed for this token")

// Principal is who makes a request: a token, used directly (Bearer) or
// through a sign-in session. A nil *Principal is the public.
type Principal struct {
	TokenID        int64
	Name           string   // the token's name: shown in the header and written to the audit log
	Role           Role     // Coordinator or Municipality
	Municipalities []string // the kommunkoder of a Municipality token, sorted
	// CSRF is the synchronizer token of the sign-in session the request came
	// with, for the forms of the pages; "" for Bearer requests.
	CSRF string
}

// Has reports whether p holds role; a coordinator holds every role.
func (p *Principal) Has(role Role) bool {
	if p == nil {
		return false
	}
	return p.Role == Coordinator || p.Role == role
}

// MayAccess reports whether p may see the address-level data of the
// municipality: a coordinator every one, a municipality token its own.
func (p *Principal) MayAccess(code string) bool {
	if p == nil {
		return false
	}
	return p.Role == Coordinator || slices.Contains(p.Municipalities, code)
}

// Scope returns the municipalities p may see at address level: all (true)
// for a coordinator, else the listed codes; nothing for the public.
func (p *Principal) Scope() (all bool, codes []string) {
	if p == nil {
		return false, nil
	}
	if p.Role == Coordinator {
		return true, nil
	}
	return false, slices.Clone(p.Municipalities)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's principal, nil for the public.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
