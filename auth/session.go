package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 8 * time.Hour

// SignIn exchanges a token secret for a new session: it returns the session
// id for the cookie (stored only as its digest) and the principal.
// ErrUnauthenticated when the token does not work.
func (s *Store) SignIn(ctx context.Context, secret string, ttl time.Duration) (string, *Principal, time.Time, error) {
	p, err := s.Authenticate(ctx, secret)
	if err != nil {
		return "", nil, time.Time{}, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, time.Time{}, fmt.Errorf("auth: random: %w", err)
	}
	sid := base64.RawURLEncoding.EncodeToString(b)
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var expires time.Time
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Sessions that ran out go first: the table holds live ones only.
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at < now()"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO sessions (hash, token_id, expires_at)
			VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at`,
			digest(sid), p.TokenID, ttl.Seconds()).Scan(&expires)
	})
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("start session: %w", err)
	}
	p.CSRF = csrfToken(sid)
	return sid, p, expires, nil
}

// Session returns the principal of a live session: its token still works
// and the session has not expired. ErrUnauthenticated otherwise.
func (s *Store) Session(ctx context.Context, sid string) (*Principal, error) {
	if sid == "" || len(sid) > 100 {
		return nil, ErrUnauthenticated
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT t.id, t.name, t.role, t.municipalities, t.hint, t.created_at, t.expires_at, t.revoked_at
		FROM sessions se JOIN api_tokens t ON t.id = se.token_id
		WHERE se.hash = $1 AND se.expires_at > now()
		  AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`, digest(sid)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("check session: %w", err)
	}
	p := principalOf(t)
	p.CSRF = csrfToken(sid)
	return p, nil
}

// SignOut ends a session; an unknown one is no error.
func (s *Store) SignOut(ctx context.Context, sid string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if _, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE hash = $1", digest(sid)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// csrfToken is the session's synchronizer token for forms: derived from the
// session id, which only the HttpOnly cookie holds, so a page of another
// site can neither read nor compute it.
func csrfToken(sid string) string {
	d := sha256.Sum256([]byte("gigakoll csrf\x00" + sid))
	return base64.RawURLEncoding.EncodeToString(d[:])
}

// CheckCSRF reports whether a form's token is the session's own. A Bearer
// request (no session) has nothing to check against and fails.
func (p *Principal) CheckCSRF(formToken string) bool {
	if p == nil || p.CSRF == "" || formToken == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(p.CSRF), []byte(formToken)) == 1
}
