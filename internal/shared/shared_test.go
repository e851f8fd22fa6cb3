package shared

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// hangingProxy forwards TCP to upstream until hang is set; then it stops forwarding (the
// connections stay open, as with a SIGSTOPped Redis).
type hangingProxy struct {
	ln   net.Listener
	hang atomic.Bool
}

func newHangingProxy(t *testing.T, upstream string) *hangingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &hangingProxy{ln: ln}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				_ = c.Close()
				continue
			}
			go p.pipe(c, u)
			go p.pipe(u, c)
		}
	}()
	return p
}

func (p *hangingProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for p.hang.Load() {
			time.Sleep(5 * time.Millisecond)
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = src.Close()
			}
			return
		}
	}
}

// TestHungRedisCostsOneTimeout (F17): with Redis hung, a call gives up after CallTimeout and
// opens the breaker, so the next calls fail at once instead of each waiting; once the
// cooldown is over and Redis answers, calls go through again.
func TestHungRedisCostsOneTimeout(t *testing.T) {
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err != nil {
		t.Skipf("no Redis at %s (%v): set TEST_REDIS_ADDR", addr, err)
	} else {
		_ = c.Close()
	}
	p := newHangingProxy(t, addr)
	ctx := context.Background()
	r, err := Open(ctx, "redis://"+p.ln.Addr().String()+"/0", "test-breaker-"+time.Now().Format("150405.000000")+":")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	clock := time.Now()
	r.breaker.now = func() time.Time { return clock }
	rates := r.Rates()
	now := time.Now()
	if u, err := rates.Take(ctx, "client", 1, 10, time.Minute, now); err != nil || !u.Allowed {
		t.Fatalf("a healthy Redis: %+v %v", u, err)
	}
	p.hang.Store(true)
	start := time.Now()
	_, err = rates.Take(ctx, "client", 1, 10, time.Minute, now)
	if took := time.Since(start); err == nil || took > CallTimeout+40*time.Millisecond {
		t.Fatalf("a call to a hung Redis took %s (err %v); want a failure within %s", took, err, CallTimeout)
	}
	start = time.Now()
	for range 20 {
		if _, err := rates.Take(ctx, "client", 1, 10, time.Minute, now); !errors.Is(err, ErrBreakerOpen) {
			t.Fatalf("with the breaker open: %v", err)
		}
		if _, ok := r.APQ(time.Minute, 1).Get(ctx, "nohash"); ok {
			t.Fatal("an APQ hit from a hung Redis")
		}
	}
	if took := time.Since(start); took > 20*time.Millisecond {
		t.Fatalf("40 calls with the breaker open took %s", took)
	}
	p.hang.Store(false)
	clock = clock.Add(BreakerCooldown)
	if u, err := rates.Take(ctx, "client", 1, 10, time.Minute, time.Now()); err != nil || !u.Allowed {
		t.Fatalf("after the cooldown, with Redis back: %+v %v", u, err)
	}
}
