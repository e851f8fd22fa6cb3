package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/store"
)

const tokenUsage = `usage: cybertrade token create --name NAME --role editor|admin
       cybertrade token list
       cybertrade token revoke NAME`

// tokenCmd manages the API tokens that may write: create prints a new token once (only its
// hash is kept), list shows names, roles and dates (never tokens), revoke ends one at once.
func tokenCmd(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(tokenUsage)
	}
	switch args[0] {
	case "create":
		fl := flag.NewFlagSet("token create", flag.ContinueOnError)
		name := fl.String("name", "", "the token's name: who acts, as the history records it (letters, digits, . _ @ -)")
		role := fl.String("role", "", "editor (create, update, delete, revert) or admin (also restore)")
		if err := fl.Parse(args[1:]); err != nil {
			return err
		}
		r, ok := auth.ParseRole(*role)
		if *name == "" || !ok || fl.NArg() > 0 {
			return errors.New(tokenUsage)
		}
		return withMigrated(ctx, cfg, func(st *store.Store) error {
			token, err := st.CreateToken(ctx, *name, r)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "created %s token %q; it is shown only now (only its hash is kept). Send it as Authorization: Bearer <token>\n%s\n", r, *name, token)
			return err
		})
	case "list":
		return withMigrated(ctx, cfg, func(st *store.Store) error {
			tokens, err := st.ListTokens(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tREVOKED")
			for _, t := range tokens {
				revoked := "-"
				if t.RevokedAt != nil {
					revoked = t.RevokedAt.Format("2006-01-02 15:04:05Z")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.CreatedAt.Format("2006-01-02 15:04:05Z"), revoked)
			}
			return tw.Flush()
		})
	case "revoke":
		if len(args) != 2 {
			return errors.New(tokenUsage)
		}
		return withMigrated(ctx, cfg, func(st *store.Store) error {
			if err := st.RevokeToken(ctx, args[1]); err != nil {
				return err
			}
			_, err := fmt.Fprintf(stdout, "revoked token %q\n", args[1])
			return err
		})
	}
	return fmt.Errorf("unknown token command %q\n%s", args[0], tokenUsage)
}
