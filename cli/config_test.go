package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInvalidSettingStopsTheServer builds the binary and starts it with one malformed setting
// at a time: it must exit at once with status 1, before opening the database, and say which
// variable is wrong and what it accepts.
func TestInvalidSettingStopsTheServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir, bin := buildBinary(t)
	for _, tc := range []struct{ setting, want string }{
		{"LOG_LEVEL=verbose", `LOG_LEVEL="verbose": want debug, info, warn or error`},
		{"DB_RETRY_INTERVAL=abc", `DB_RETRY_INTERVAL="abc": want a duration > 0 such as 1s`},
		{"LIMIT_DEPTH=-3", `LIMIT_DEPTH="-3": want a whole number >= 0`},
		{"MAX_CONNECTIONS=x", `MAX_CONNECTIONS="x": want a whole number >= 0`},
	} {
		db := filepath.Join(dir, "db-"+strings.Split(tc.setting, "=")[0])
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, bin, "serve")
		cmd.Env = append(os.Environ(), "SQLITE_PATH="+db, "DATABASE_URL=", "ADDR=127.0.0.1:0", tc.setting)
		out, err := cmd.CombinedOutput()
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%s: exit %v, want status 1\n%s", tc.setting, err, out)
			continue
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: output %q does not say %q", tc.setting, out, tc.want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("%s: the database was opened before the setting was checked", tc.setting)
		}
	}
}
