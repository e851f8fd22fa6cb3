//go:build unix

package connlimit

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func serve(t *testing.T, max int, h http.Handler) (*Listener, string) {
	t.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := New(tcp, max)
	srv := &http.Server{Handler: h, ConnState: l.Track, IdleTimeout: time.Minute, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l, tcp.Addr().String()
}

// keepAlive opens a connection, makes one request on it and leaves it open and idle.
func keepAlive(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return c
}

// TestIdleConnectionsDoNotLockOutNewClients (F8): 1,100 idle keep-alive connections against
// a cap of 1,000, and a new client is still served at once; the open connections never pass
// the cap.
func TestIdleConnectionsDoNotLockOutNewClients(t *testing.T) {
	// 1,100 client sockets and up to 1,000 server ones: raise the soft open-file limit to the
	// hard one if need be.
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur < 2300 {
		rl.Cur = min(rl.Max, 2300)
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
		if _ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); rl.Cur < 2300 {
			t.Skipf("the open-file limit is %d; the test needs 2,300 descriptors", rl.Cur)
		}
	}
	l, addr := serve(t, 1000, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	var held []net.Conn
	defer func() {
		for _, c := range held {
			_ = c.Close()
		}
	}()
	for range 1100 {
		held = append(held, keepAlive(t, addr))
	}
	if open, _, evicted := l.Stats(); open > 1000 || evicted < 100 {
		t.Fatalf("%d open, %d evicted: want at most 1,000 open", open, evicted)
	}
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a new client behind 1,100 idle connections: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || time.Since(start) > time.Second {
		t.Fatalf("status %d after %s", resp.StatusCode, time.Since(start))
	}
}

// TestBusyConnectionsAreNotEvicted: at the cap with every connection serving a request, a new
// connection is refused rather than cutting a request short.
func TestBusyConnectionsAreNotEvicted(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	l, addr := serve(t, 3, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
		_, _ = w.Write([]byte("done"))
	}))
	results := make(chan error, 3)
	for range 3 {
		go func() {
			resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get("http://" + addr + "/")
			if err == nil {
				_ = resp.Body.Close()
			}
			results <- err
		}()
	}
	for range 3 {
		<-entered
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("a fourth connection at a cap of 3 busy ones was kept: %d %v", n, err)
	}
	_ = c.Close()
	close(release)
	for range 3 {
		if err := <-results; err != nil {
			t.Fatalf("a busy request was cut: %v", err)
		}
	}
	if _, refused, evicted := l.Stats(); refused != 1 || evicted != 0 {
		t.Fatalf("refused %d, evicted %d", refused, evicted)
	}
}
