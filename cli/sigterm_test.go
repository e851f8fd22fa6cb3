package cli

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMUnderLoad builds the binary, serves the bundled data, and sends SIGTERM while
// clients keep it busy and one request is half sent: that request still gets its full answer,
// new connections are refused, no client sees a 5xx or a truncated answer, and the process
// exits with status 0.
func TestSIGTERMUnderLoad(t *testing.T) {
	dir, bin := buildBinary(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "SQLITE_PATH="+filepath.Join(dir, "db.sqlite"), "ADDR=127.0.0.1:0",
		"LOG_LEVEL=warn", "LIMIT_RATE_PER_MINUTE=0", "DATABASE_URL=")
	out := newAddrWriter()
	cmd.Stdout = out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	base := out.wait(t)
	waitStatus(t, base+"/readyz", 200, 30*time.Second)
	addr := strings.TrimPrefix(base, "http://")

	// Load: clients with keep-alive connections, until the server is gone.
	var (
		ok, refused atomic.Int64
		mu          sync.Mutex
		bad         []string
		wg          sync.WaitGroup
		stop        atomic.Bool
	)
	for range 8 {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for !stop.Load() {
				r := postGraphQL(client, base, defyBody)
				switch {
				case r.err == nil && r.status == 200 && len(r.codes) == 0 && len(r.data) > 2:
					ok.Add(1)
				case r.err != nil && r.status == 0 && isConnError(r.err): // no answer at all; a cut answer is bad
					refused.Add(1)
					time.Sleep(5 * time.Millisecond)
				default:
					mu.Lock()
					bad = append(bad, fmt.Sprintf("status %d codes %v err %v", r.status, r.codes, r.err))
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)

	// A request in flight: headers and half the body sent before SIGTERM, the rest after.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	half := len(defyBody) / 2
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", addr, len(defyBody), defyBody[:half])
	time.Sleep(100 * time.Millisecond)
	okBefore := ok.Load()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)

	// New connections are refused while the in-flight request is still open.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("a new connection was accepted after SIGTERM")
	}
	if _, err := conn.Write(defyBody[half:]); err != nil {
		t.Fatalf("finish the in-flight request: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	var body strings.Builder
	_, err = bufio.NewReader(resp.Body).WriteTo(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.Contains(body.String(), `"totalCount"`) {
		t.Fatalf("the in-flight request: %d %v %.300s", resp.StatusCode, err, body.String())
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not exit after SIGTERM")
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("answered %d (%d before SIGTERM), refused %d", ok.Load(), okBefore, refused.Load())
	if okBefore == 0 || refused.Load() == 0 {
		t.Fatalf("the load must be answered before SIGTERM and refused after: %d ok, %d refused", okBefore, refused.Load())
	}
	for _, b := range bad {
		t.Error("bad answer around shutdown:", b)
	}
}

// isConnError tells a refused or closed connection (what a client of a stopped server sees)
// from a bad answer.
func isConnError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "connection reset") ||
		strings.Contains(err.Error(), "server closed idle connection")
}
