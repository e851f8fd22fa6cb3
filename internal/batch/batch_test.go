package batch

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadyLoaderWaitsForLateSiblings: a loader whose readiness check says two callers will
// come fetches once, even when the second comes well after the old 100 ms idle window (as on
// a busy server), so statement counts do not grow with load.
func TestReadyLoaderWaitsForLateSiblings(t *testing.T) {
	var fetches atomic.Int32
	var got []int
	l := New(0, func(_ context.Context, keys []int) (map[int]string, error) {
		fetches.Add(1)
		got = append(got, keys...)
		out := map[int]string{}
		for _, k := range keys {
			out[k] = "v"
		}
		return out, nil
	})
	l.SetReady(func(waiting int) bool { return waiting == 2 })
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := l.Load(ctx, 1); err != nil {
			t.Error(err)
		}
	}()
	time.Sleep(3 * DefaultIdle)
	if _, err := l.Load(ctx, 2); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 || len(got) != 2 {
		t.Fatalf("%d fetches of %v; want one fetch of both keys", n, got)
	}
}

// TestLoaderWithoutReadyUsesIdleWindow: without a readiness check a batch is fetched after
// the idle window, so a lone caller is not stuck.
func TestLoaderWithoutReadyUsesIdleWindow(t *testing.T) {
	l := New(20*time.Millisecond, func(_ context.Context, keys []int) (map[int]int, error) {
		return map[int]int{keys[0]: keys[0] * 2}, nil
	})
	start := time.Now()
	v, err := l.Load(context.Background(), 21)
	if err != nil || v != 42 {
		t.Fatalf("got %d, %v", v, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("a lone load took %s", d)
	}
}
