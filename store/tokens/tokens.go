// Package tokens keeps the API tokens of curators: created once, stored only as a hash,
// listed, revoked, and looked up for each authenticated request.
package tokens

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/store/core"
)

// Tokens keeps the API tokens in the primary database.
type Tokens struct{ db *core.DB }

// New keeps the tokens of db.
func New(db *core.DB) *Tokens { return &Tokens{db: db} }

// Info describes an API token; the token itself is never kept, only its hash.
type Info struct {
	Name      string
	Role      auth.Role
	CreatedAt time.Time
	RevokedAt *time.Time
}

// CreateToken makes a token for name with role and returns it: the only time it is seen.
func (s *Tokens) CreateToken(ctx context.Context, name string, role auth.Role) (string, error) {
	if !auth.ValidName(name) {
		return "", apperr.InvalidField("name", "%q is not a usable token name: 1 to 64 letters, digits, '.', '_', '@' or '-', not %q", name, auth.Loader)
	}
	if _, ok := auth.ParseRole(string(role)); !ok {
		return "", apperr.InvalidField("role", "%q is not a role: editor or admin", role)
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	err = s.db.Primary(ctx).Exec("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
		name, string(role), hash, s.db.Now()).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return "", apperr.Errorf(apperr.Conflict, "a token named %q exists already (names are not reused, even after revocation)", name)
	}
	if err != nil {
		return "", core.Translate(err, "token")
	}
	return token, nil
}

// ListTokens lists every token, revoked ones included, by name.
func (s *Tokens) ListTokens(ctx context.Context) ([]Info, error) {
	var rows []struct {
		Name      string
		Role      string
		CreatedAt core.Time
		RevokedAt core.Time
	}
	if err := s.db.Primary(ctx).Raw("SELECT name, role, created_at, revoked_at FROM api_tokens ORDER BY name").Scan(&rows).Error; err != nil {
		return nil, core.Translate(err, "tokens")
	}
	out := make([]Info, len(rows))
	for i, r := range rows {
		out[i] = Info{Name: r.Name, Role: auth.Role(r.Role), CreatedAt: r.CreatedAt.Time}
		if !r.RevokedAt.IsZero() {
			t := r.RevokedAt.Time
			out[i].RevokedAt = &t
		}
	}
	return out, nil
}

// RevokeToken revokes the token named name, at once: the next request with it is refused.
func (s *Tokens) RevokeToken(ctx context.Context, name string) error {
	res := s.db.Primary(ctx).Exec("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", s.db.Now(), name)
	if res.Error != nil {
		return core.Translate(res.Error, "token")
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.db.Primary(ctx).Raw("SELECT COUNT(*) FROM api_tokens WHERE name = ?", name).Scan(&n).Error; err != nil {
			return core.Translate(err, "token")
		}
		if n == 0 {
			return apperr.Errorf(apperr.NotFound, "no token named %q", name)
		}
		return apperr.Errorf(apperr.Conflict, "the token %q is revoked already", name)
	}
	return nil
}

// Authenticate looks a bearer token up, in one indexed statement: the identity of a live
// token, or an UNAUTHENTICATED error for an unknown or revoked one.
func (s *Tokens) Authenticate(ctx context.Context, token string) (*auth.Identity, error) {
	var rows []struct {
		Name string
		Role string
	}
	if err := s.db.Primary(ctx).Raw("SELECT name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", auth.Hash(token)).
		Scan(&rows).Error; err != nil {
		return nil, core.Translate(err, "token")
	}
	if len(rows) == 0 {
		return nil, apperr.Errorf(apperr.Unauthenticated, "the bearer token is not valid: it is unknown or revoked")
	}
	return &auth.Identity{Name: rows[0].Name, Role: auth.Role(rows[0].Role)}, nil
}
