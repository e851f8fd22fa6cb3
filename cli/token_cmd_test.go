package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestTokenCommands: `token create` prints a working token once; `token list` shows names,
// roles and revocations but never a token; `token revoke` ends a token at once; bad names,
// roles and duplicates are refused.
func TestTokenCommands(t *testing.T) {
	forCLI(t, func(t *testing.T, c *cli) {
		out := c.ok("token", "create", "--name", "alice", "--role", "editor")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		token := lines[len(lines)-1]
		if !regexp.MustCompile(`^ct_[A-Za-z0-9_-]{43}$`).MatchString(token) || !strings.Contains(out, "shown only now") {
			t.Fatalf("token create printed:\n%s", out)
		}
		c.ok("token", "create", "-name", "root", "-role", "admin")

		st := c.store()
		id, err := st.Authenticate(context.Background(), token)
		if err != nil || id.Name != "alice" || id.Role != "editor" {
			t.Fatalf("the printed token does not authenticate: %v %+v", err, id)
		}

		list := c.ok("token", "list")
		if strings.Contains(list, token) || strings.Contains(list, token[3:20]) {
			t.Fatalf("token list shows the token:\n%s", list)
		}
		if !regexp.MustCompile(`(?m)^alice +editor +\d{4}-\d\d-\d\d [\d:]+Z +-$`).MatchString(list) ||
			!regexp.MustCompile(`(?m)^root +admin `).MatchString(list) {
			t.Fatalf("token list:\n%s", list)
		}

		c.ok("token", "revoke", "alice")
		if _, err := st.Authenticate(context.Background(), token); err == nil {
			t.Fatal("a revoked token still authenticates")
		}
		if list := c.ok("token", "list"); !regexp.MustCompile(`(?m)^alice +editor +\S+ \S+ +\d{4}-\d\d-\d\d [\d:]+Z$`).MatchString(list) {
			t.Fatalf("token list after revoking:\n%s", list)
		}

		for _, bad := range [][]string{
			{"token", "revoke", "alice"},                                   // already revoked
			{"token", "revoke", "nobody"},                                  // no such token
			{"token", "create", "--name", "alice", "--role", "editor"},     // names are not reused
			{"token", "create", "--name", "bob", "--role", "owner"},        // no such role
			{"token", "create", "--name", "loader", "--role", "admin"},     // the loader's name
			{"token", "create", "--name", "bob smith", "--role", "editor"}, // not a name
			{"token", "create", "--role", "editor"},                        // no name
			{"token", "rotate", "alice"},                                   // no such command
		} {
			if out, err := c.run(bad...); err == nil {
				t.Errorf("cybertrade %v succeeded: %s", bad, out)
			}
		}
	})
}
