package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/export"
)

// TestExportMemory (issue 12, F1 and F5): the built binary serves every export of a database
// of EXPORT_MEMORY_CASES synthetic cases (default 20,000) to eight concurrent clients, each
// downloading every export (half of them gzipped), with the server's peak RSS (VmHWM) under
// 300 MB. It takes minutes (the synth alone about 90 s on SQLite on the CI machine), so it runs
// only when EXPORT_MEMORY_TEST is set, as its own step of .ci/run. It runs on SQLite (a file of
// its own), where the exports are kept beside the database file.
func TestExportMemory(t *testing.T) {
	if os.Getenv("EXPORT_MEMORY_TEST") == "" {
		t.Skip("set EXPORT_MEMORY_TEST=1 to run (minutes: builds the binary and synthesises 20,000 cases); .ci/run does")
	}
	cases := 20000
	if n, err := strconv.Atoi(os.Getenv("EXPORT_MEMORY_CASES")); err == nil && n > 0 {
		cases = n
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "cybertrade")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + tmp, "LOG_LEVEL=warn", "LIMIT_RATE_PER_MINUTE=0",
		"EXPORT_DIR=" + filepath.Join(tmp, "exports"), "TMPDIR=" + tmp}
	env = append(env, "SQLITE_PATH="+filepath.Join(tmp, "synth.db"))
	start := time.Now()
	synth := exec.Command(bin, "synth", "--cases", strconv.Itoa(cases), "--seed", "1")
	synth.Env = env
	if out, err := synth.CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	t.Logf("synth --cases %d: %s", cases, time.Since(start).Round(time.Second))

	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	srv := exec.Command(bin)
	srv.Env = append(env, "ADDR="+addr)
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _, _ = srv.Process.Wait() })
	base := "http://" + addr
	waitStatus(t, base+"/readyz", 200, 2*time.Minute)

	var names []string
	for _, format := range []string{export.FormatCSV, export.FormatJSON, export.FormatGraphML} {
		for _, f := range export.Files[format] {
			names = append(names, f.Name)
		}
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Minute}
	var (
		wg       sync.WaitGroup
		sent     atomic.Int64
		mu       sync.Mutex
		failures []string
	)
	start = time.Now()
	for i := range 8 {
		wg.Go(func() {
			for j := range names {
				name := names[(i+j)%len(names)] // every client starts on another file
				req, _ := http.NewRequest(http.MethodGet, base+"/export/"+name, nil)
				if i%2 == 1 {
					req.Header.Set("Accept-Encoding", "gzip")
				}
				resp, err := client.Do(req)
				if err != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("client %d %s: %v", i, name, err))
					mu.Unlock()
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				sent.Add(n)
				if resp.StatusCode != 200 || err != nil || (resp.ContentLength >= 0 && n != resp.ContentLength) || n == 0 {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("client %d %s: %d, %d of %d bytes, %v", i, name, resp.StatusCode, n, resp.ContentLength, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	for _, f := range failures {
		t.Error(f)
	}
	hwm := vmHWM(t, srv.Process.Pid)
	t.Logf("8 clients × %d exports of %d cases: %.0f MB sent in %s; server peak RSS %d MB", len(names), cases,
		float64(sent.Load())/1e6, took.Round(time.Second), hwm>>20)
	if hwm >= 300<<20 {
		t.Errorf("the server's peak RSS was %d MB, want under 300 MB", hwm>>20)
	}
}

// vmHWM is a process's peak resident set size in bytes, from /proc.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
