package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TokenPrefix starts every token, so that a leaked one is recognisable (a
// secret scanner can look for it) and a token is told from other strings.
const TokenPrefix = "gk_"

// Store keeps tokens, sessions and the audit log in PostgreSQL.
type Store struct {
	pool    *pgxpool.Pool
	timeout time.Duration
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, timeout: 10 * time.Second}
}

// Token is a stored API token, without its secret.
type Token struct {
	ID             int64
	Name           string
	Role           Role
	Municipalities []string
	Hint           string // "gk_AbC123…": the secret's first characters
	CreatedAt      time.Time
	ExpiresAt      *time.Time // nil: never
	RevokedAt      *time.Time
}

// Status says whether the token works now: "active", "expired" or "revoked".
func (t Token) Status(now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// NewToken is what a token is created with.
type NewToken struct {
	Name           string
	Role           Role
	Municipalities []string   // required for Municipality, none for Coordinator
	ExpiresAt      *time.Time // nil: never
	// By is who creates it: the audit entry is written with the token, in
	// its transaction. Leave it empty only in tests.
	By Entry
}

var codeRE = regexp.MustCompile(`^[0-9]{4}$`)

// ErrNoToken says no token has the id asked for.
var ErrNoToken = errors.New("auth: no such token")

// CreateToken stores a new token and returns its secret, which is shown once
// and never stored: only its digest is.
func (s *Store) CreateToken(ctx context.Context, nt NewToken) (string, Token, error) {
	nt.Name = strings.TrimSpace(nt.Name)
	if nt.Name == "" {
		return "", Token{}, errors.New("auth: a token needs a name (who holds it)")
	}
	if !nt.Role.Valid() {
		return "", Token{}, fmt.Errorf("auth: role %q: want coordinator or municipality", nt.Role)
	}
	codes := slices.Clone(nt.Municipalities)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	if codes == nil {
		codes = []string{} // NOT NULL: a coordinator's list is empty
	}
	switch {
	case nt.Role == Municipality && len(codes) == 0:
		return "", Token{}, errors.New("auth: a municipality token needs its municipality codes, e.g. 0880")
	case nt.Role == Coordinator && len(codes) > 0:
		return "", Token{}, errors.New("auth: a coordinator token sees every municipality: give no municipality codes")
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if len(codes) > 0 {
		for _, c := range codes {
			if !codeRE.MatchString(c) {
				return "", Token{}, fmt.Errorf("auth: municipality code %q: want four digits, e.g. 0880", c)
			}
		}
		var unknown []string
		err := s.pool.QueryRow(ctx, `SELECT coalesce(array_agg(c ORDER BY c), '{}') FROM unnest($1::text[]) c
			WHERE NOT EXISTS (SELECT 1 FROM municipalities m WHERE m.code = c)`, codes).Scan(&unknown)
		if err != nil {
			return "", Token{}, fmt.Errorf("check municipality codes: %w", err)
		}
		if len(unknown) > 0 {
			return "", Token{}, fmt.Errorf("auth: no municipality has the code %s", strings.Join(unknown, ", "))
		}
	}
	secret, err := newSecret()
	if err != nil {
		return "", Token{}, err
	}
	t := Token{Name: nt.Name, Role: nt.Role, Municipalities: codes, Hint: secret[:len(TokenPrefix)+6] + "…", ExpiresAt: nt.ExpiresAt}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (name, role, municipalities, hash, hint, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
			t.Name, string(t.Role), codes, digest(secret), t.Hint, t.ExpiresAt).Scan(&t.ID, &t.CreatedAt)
		if err != nil || nt.By.Actor == "" {
			return err
		}
		e := nt.By
		e.Action, e.Detail = ActionTokenCreate, fmt.Sprintf("token %d %q, %s %s", t.ID, t.Name, t.Role, strings.Join(codes, ","))
		return Record(ctx, tx, e)
	})
	if err != nil {
		return "", Token{}, fmt.Errorf("store token: %w", err)
	}
	return secret, t, nil
}

// newSecret returns "gk_" and 32 random bytes in unpadded base64url.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: random: %w", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// digest is the stored form of a secret (token or session id).
func digest(secret string) []byte {
	d := sha256.Sum256([]byte(secret))
	return d[:]
}

const tokenColumns = `id, name, role, municipalities, hint, created_at, expires_at, revoked_at`

func scanToken(row pgx.Row) (Token, error) {
	var t Token
	var role string
	err := row.Scan(&t.ID, &t.Name, &role, &t.Municipalities, &t.Hint, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
	t.Role = Role(role)
	return t, err
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	rows, err := s.pool.Query(ctx, "SELECT "+tokenColumns+" FROM api_tokens ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Revoke ends a token and every session signed in with it, at once.
// Revoking a revoked token keeps its first revocation time. Nothing is
// audited: RevokeBy is for people.
func (s *Store) Revoke(ctx context.Context, id int64) (Token, error) {
	return s.RevokeBy(ctx, id, Entry{})
}

// RevokeBy is Revoke with the audit entry of who revokes it, written in the
// revocation's transaction.
func (s *Store) RevokeBy(ctx context.Context, id int64, who Entry) (Token, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var t Token
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRow(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
			WHERE id = $1 RETURNING `+tokenColumns, id))
		if err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, "DELETE FROM sessions WHERE token_id = $1", id); err != nil || who.Actor == "" {
			return err
		}
		who.Action, who.Detail = ActionTokenRevoke, fmt.Sprintf("token %d %q", t.ID, t.Name)
		return Record(ctx, tx, who)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, ErrNoToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("revoke token %d: %w", id, err)
	}
	return t, nil
}

// Authenticate returns the principal of a token secret, or
// ErrUnauthenticated when it is unknown, expired or revoked (which of these
// is not told: a caller learns nothing about other tokens).
func (s *Store) Authenticate(ctx context.Context, secret string) (*Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return nil, ErrUnauthenticated
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	t, err := scanToken(s.pool.QueryRow(ctx, "SELECT "+tokenColumns+` FROM api_tokens
		WHERE hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`, digest(secret)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("check token: %w", err)
	}
	return principalOf(t), nil
}

func principalOf(t Token) *Principal {
	return &Principal{TokenID: t.ID, Name: t.Name, Role: t.Role, Municipalities: t.Municipalities}
}
