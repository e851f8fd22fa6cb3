package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// addrWriter is the stdout of a server under test: it catches the address the server prints.
type addrWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
	sent bool
}

func newAddrWriter() *addrWriter { return &addrWriter{addr: make(chan string, 1)} }

var listenRE = regexp.MustCompile(`listening on http://([0-9.]+:[0-9]+)`)

func (w *addrWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := listenRE.FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.addr <- m[1]
	}
	return len(p), nil
}

func (w *addrWriter) wait(t *testing.T) string {
	t.Helper()
	select {
	case a := <-w.addr:
		return "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not print its address")
		return ""
	}
}

// gqlResult is one GraphQL request's outcome as a client sees it.
type gqlResult struct {
	status int
	codes  []string
	data   json.RawMessage
	err    error // transport error (refused, reset)
	took   time.Duration
}

var defyBody = mustJSON(map[string]any{"query": `query Defy { responses(filter: {options: [DEFY]}, first: 20) { totalCount edges { node { title company { name } country { code } replies { ... on CountryAction { option date title } } } } } }`})

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// postGraphQL sends body to base/graphql and decodes the answer.
func postGraphQL(client *http.Client, base string, body []byte) gqlResult {
	start := time.Now()
	resp, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return gqlResult{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	res := gqlResult{status: resp.StatusCode, took: time.Since(start)}
	if err != nil {
		res.err = err
		return res
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		res.err = fmt.Errorf("not JSON (%d): %.200s", resp.StatusCode, raw)
		return res
	}
	res.data = out.Data
	for _, e := range out.Errors {
		c, _ := e.Extensions["code"].(string)
		res.codes = append(res.codes, c)
	}
	return res
}

// waitStatus polls url until it answers want, or fails after d.
func waitStatus(t *testing.T, url string, want int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			last = resp.StatusCode
			resp.Body.Close()
			if last == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: still %d after %s, want %d", url, last, d, want)
}

// pgServer is a PostgreSQL server the test runs itself, on a temporary folder and port.
type pgServer struct {
	bin, dir string
	port     int
	asUser   bool // run the binaries as the postgres user (the test runs as root)
}

// startablePostgres initialises a PostgreSQL cluster in a temporary folder, or skips the test
// when the server binaries are not installed, or with -short.
func startablePostgres(t *testing.T) *pgServer {
	t.Helper()
	if testing.Short() {
		t.Skip("starts its own PostgreSQL")
	}
	bin := ""
	if p, err := exec.LookPath("initdb"); err == nil {
		bin = filepath.Dir(p)
	} else if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) > 0 {
		bin = filepath.Dir(m[len(m)-1])
	}
	if bin == "" {
		t.Skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
	}
	dir, err := os.MkdirTemp("", "cybertrade-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	pg := &pgServer{bin: bin, dir: dir, port: freePort(t), asUser: os.Geteuid() == 0}
	if pg.asUser {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run initdb as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pg.run(t, "initdb", "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
	t.Cleanup(func() { _ = pg.cmd("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop").Run() })
	return pg
}

func (pg *pgServer) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", pg.port)
}

func (pg *pgServer) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, name)
	if pg.asUser {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (pg *pgServer) run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := pg.cmd(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (pg *pgServer) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pg.port, pg.dir)
	pg.run(t, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-o", opts, "-l", filepath.Join(pg.dir, "log"), "-w", "-t", "30", "start")
}

func (pg *pgServer) stop(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "fast", "-w", "-t", "30", "stop")
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// envFunc turns a map into a getenv.
func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func has(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func joinCodes(codes []string) string { return strings.Join(codes, ",") }

// buildBinary builds the cybertrade binary (package main, at the root) into a temporary folder
// and returns the folder and the binary's path; with -short it skips the test instead.
func buildBinary(t *testing.T) (dir, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "cybertrade")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return dir, bin
}
