package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidSettingStopsTheServer starts serve with one malformed setting at a time: it must
// fail at once, before opening the database, saying which variable is wrong and what it
// accepts (main prints that error and exits with status 1).
func TestInvalidSettingStopsTheServer(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ setting, want string }{
		{"LOG_LEVEL=verbose", `LOG_LEVEL="verbose": want debug, info, warn or error`},
		{"DB_RETRY_INTERVAL=abc", `DB_RETRY_INTERVAL="abc": want a duration > 0 such as 1s`},
		{"LIMIT_DEPTH=-3", `LIMIT_DEPTH="-3": want a whole number >= 0`},
		{"MAX_CONNECTIONS=x", `MAX_CONNECTIONS="x": want a whole number >= 0`},
	} {
		key, value, _ := strings.Cut(tc.setting, "=")
		db := filepath.Join(dir, "db-"+key)
		vars := map[string]string{"SQLITE_PATH": db, "ADDR": "127.0.0.1:0", key: value}
		var out bytes.Buffer
		err := Run(context.Background(), []string{"serve"}, envFunc(vars), &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.setting, err, tc.want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("%s: the database was opened before the setting was checked", tc.setting)
		}
	}
}
