package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// lineWriter collects what run prints and reports the listen address once it is printed.
type lineWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := listening.FindSubmatch(w.buf.Bytes()); m != nil && w.addr != nil {
		w.addr <- string(m[1])
		w.addr = nil
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// env builds a getenv over a map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// startServer runs `cybertrade serve` in the background and returns its base URL and a stop
// function that cancels it and returns run's error.
func startServer(t *testing.T, vars map[string]string, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{addr: make(chan string, 1)}
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, append([]string{"serve"}, args...), env(vars), out) }()
	select {
	case base := <-out.addr:
		return base, func() error {
			cancel()
			select {
			case err := <-errc:
				return err
			case <-time.After(30 * time.Second):
				t.Fatal("run did not return after cancel")
				return nil
			}
		}
	case err := <-errc:
		cancel()
		t.Fatalf("run ended before listening: %v\n%s", err, out)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("run did not start listening:\n%s", out)
	}
	return "", nil
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

const defyQuery = `{ responses(filter: {options: [DEFY]}, first: 100) { totalCount edges { node {
  slug company { name } country { code name } replies { ... on CountryAction { option date title } } } } } }`

type defyAnswer struct {
	Data struct {
		Responses struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Slug    string
					Company struct{ Name string }
					Country struct{ Code, Name string }
					Replies []struct{ Option, Date, Title string }
				}
			}
		}
	}
	Errors []any
}

func askDefy(t *testing.T, base string) defyAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": defyQuery})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a defyAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || len(a.Errors) > 0 || resp.StatusCode != http.StatusOK {
		t.Fatalf("DEFY question: status %d, err %v, errors %v", resp.StatusCode, err, a.Errors)
	}
	return a
}

// waitReady polls /readyz: the server listens at once and prepares the database (migrations,
// the bundled dataset) in the background.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, _, body := get(t, base+"/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 60 s: %d %s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkServes asserts what a user sees on a freshly started server: GraphiQL, the schema as
// SDL, and the product's question answered from the bundled dataset.
func checkServes(t *testing.T, base string) defyAnswer {
	t.Helper()
	waitReady(t, base)
	code, ctype, body := get(t, base+"/")
	if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(strings.ToLower(body), "graphiql") {
		t.Fatalf("GET /: %d %s, GraphiQL page expected", code, ctype)
	}
	if code, ctype, body := get(t, base+"/explore"); code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "cybertrade explorer") {
		t.Fatalf("GET /explore: %d %s, the data explorer expected", code, ctype)
	}
	code, _, sdl := get(t, base+"/schema.graphql")
	for _, want := range []string{"type Query", "interface Move", "enum CompanyOption", "responses(", `"""`} {
		if code != http.StatusOK || !strings.Contains(sdl, want) {
			t.Fatalf("GET /schema.graphql: %d, no %q in the SDL", code, want)
		}
	}
	a := askDefy(t, base)
	found := false
	for _, e := range a.Data.Responses.Edges {
		if e.Node.Slug == "linkedin-refuses-data-localisation" {
			found = true
			if e.Node.Company.Name != "LinkedIn" || e.Node.Country.Code != "RU" || len(e.Node.Replies) == 0 ||
				e.Node.Replies[0].Option != "IMPORT_BARRIER" || !strings.HasPrefix(e.Node.Replies[0].Date, "2017-03") {
				t.Fatalf("LinkedIn's DEFY answer is wrong: %+v", e.Node)
			}
		}
	}
	if !found || len(a.Data.Responses.Edges) != min(a.Data.Responses.TotalCount, 100) {
		t.Fatalf("the bundled dataset's DEFY answer lacks LinkedIn or is inconsistent: %+v", a.Data.Responses)
	}
	return a
}

// TestServeOnEmbeddedSQLite is `go run .` on a fresh machine: no DATABASE_URL, so the server
// creates and migrates an SQLite file, loads the bundled dataset, and serves. A restart on the
// same file serves the same data without loading it twice.
func TestServeOnEmbeddedSQLite(t *testing.T) {
	path := t.TempDir() + "/cybertrade.db"
	vars := map[string]string{"SQLITE_PATH": path, "ADDR": "127.0.0.1:0", "LOG_LEVEL": "error"}
	base, stop := startServer(t, vars)
	first := checkServes(t, base)
	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}

	// The -addr flag overrides ADDR.
	base, stop = startServer(t, map[string]string{"SQLITE_PATH": path, "ADDR": "127.0.0.1:1", "LOG_LEVEL": "error"}, "-addr", "127.0.0.1:0")
	again := checkServes(t, base)
	if again.Data.Responses.TotalCount != first.Data.Responses.TotalCount {
		t.Fatalf("restart changed the data: %d DEFY responses, then %d", first.Data.Responses.TotalCount, again.Data.Responses.TotalCount)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestServeOnPostgres: the same binary with DATABASE_URL behaves the same on PostgreSQL.
func TestServeOnPostgres(t *testing.T) {
	_, vars := freshDatabase(t, testdb.Postgres(t, "serves from PostgreSQL"))
	vars["ADDR"], vars["LOG_LEVEL"] = "127.0.0.1:0", "error"
	base, stop := startServer(t, vars)
	checkServes(t, base)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestCommands runs the subcommands a maintainer uses: validate, migrate, load (twice: the
// second load changes nothing) and rejects unknown commands with the usage.
func TestCommands(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			_, vars := freshDatabase(t, e)
			vars["LOG_LEVEL"] = "error"
			ctx := context.Background()
			do := func(args ...string) string {
				t.Helper()
				var out bytes.Buffer
				if err := Run(ctx, args, env(vars), &out); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out.String())
				}
				return out.String()
			}
			if out := do("validate"); !strings.Contains(out, "is valid") {
				t.Fatalf("validate: %s", out)
			}
			if out := do("migrate", "status"); !strings.Contains(out, "pending") {
				t.Fatalf("migrate status on an empty database: %s", out)
			}
			if out := do("migrate", "up"); !strings.Contains(out, "applied") {
				t.Fatalf("migrate up: %s", out)
			}
			if out := do("migrate", "status"); strings.Contains(out, "pending") {
				t.Fatalf("migrate status after up: %s", out)
			}
			if out := do("load"); !strings.Contains(out, " created, 0 updated") || strings.HasPrefix(strings.TrimPrefix(out, "loaded dataset: "), "0 created") {
				t.Fatalf("first load: %s", out)
			}
			if out := do("load"); !strings.Contains(out, "0 created, 0 updated") {
				t.Fatalf("second load changed something: %s", out)
			}
			// Exporting the database as files gives back the repository's files byte for byte,
			// so an edit made through the API shows in a diff as exactly that edit.
			dir := t.TempDir()
			do("export", "-format", "files", "-out", dir)
			checkSameFiles(t, dir)
			var out bytes.Buffer
			if err := Run(ctx, []string{"frobnicate"}, env(vars), &out); err == nil || !strings.Contains(err.Error(), "usage") {
				t.Fatalf("unknown command: %v", err)
			}
			if err := Run(ctx, []string{"migrate", "sideways"}, env(vars), &out); err == nil {
				t.Fatal("migrate sideways succeeded")
			}
		})
	}
}

// checkSameFiles compares the data files written into dir with the embedded ones.
func checkSameFiles(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := fs.WalkDir(data.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasPrefix(p, "excluded/") {
			return err
		}
		n++
		want, _ := data.FS.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("export -format files: %s differs from data/%s (%v)", p, p, err)
		}
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("compared %d files: %v", n, err)
	}
}
