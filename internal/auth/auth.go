// Package auth is who may write: API tokens (made, hashed and parsed here, kept by the store),
// the roles they carry, and the identity of an authenticated request in its context.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"

	"github.com/cybertrade/cybertrade/internal/ctxkey"
)

// Role is what a token may do. Reads need no token at all.
type Role string

// Roles, as stored (api_tokens.role).
const (
	// Editor may create, update and delete records, link moves and revert changes.
	Editor Role = "editor"
	// Admin may do all an editor may, and restore deleted records.
	Admin Role = "admin"
)

// ParseRole reads a role name ("editor" or "admin").
func ParseRole(s string) (Role, bool) {
	switch r := Role(strings.ToLower(s)); r {
	case Editor, Admin:
		return r, true
	}
	return "", false
}

// Allows reports whether a token of role r may do what needs role need.
func (r Role) Allows(need Role) bool { return r == Admin || r == need }

// Identity is an authenticated client: the token's name (the actor in the history) and role.
type Identity struct {
	Name string
	Role Role
}

// With returns ctx carrying id.
func With(ctx context.Context, id *Identity) context.Context { return ctxkey.With(ctx, id) }

// From returns the identity of the request, or nil for an anonymous one.
func From(ctx context.Context) *Identity { return ctxkey.From[*Identity](ctx) }

// Token format: "ct_" and 32 random bytes in unpadded base64url (43 characters).
const prefix = "ct_"

var tokenForm = regexp.MustCompile(`^ct_[A-Za-z0-9_-]{43}$`)

// ErrMalformed is the error of an Authorization header that is not a bearer token of ours.
var ErrMalformed = errors.New(`the Authorization header must be "Bearer ct_…" with a token made by "cybertrade token create"`)

// NewToken returns a fresh random token and its hash (what the store keeps).
func NewToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, Hash(token), nil
}

// Hash is the hex SHA-256 of a token: tokens are random, so a fast hash is enough.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseBearer reads the token of an Authorization header ("Bearer <token>", the scheme in any
// case). It returns ErrMalformed for any other header.
func ParseBearer(header string) (string, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrMalformed
	}
	token = strings.TrimSpace(token)
	if !tokenForm.MatchString(token) {
		return "", ErrMalformed
	}
	return token, nil
}

// ValidName reports whether a token name is usable: 1 to 64 letters, digits, '.', '_', '@'
// or '-', starting with a letter or digit, and not "loader" in any case (the actor of file
// loads: a token named `Loader` would pass for it in the history).
func ValidName(name string) bool {
	return !strings.EqualFold(name, Loader) && regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`).MatchString(name)
}

// Loader is the actor the history records for changes made by `cybertrade load`.
const Loader = "loader"
