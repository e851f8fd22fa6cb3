package respcache

import (
	"context"
	"strings"
	"testing"
)

func entry(n int) *Entry { return &Entry{Body: []byte(strings.Repeat("x", n))} }

// TestMemoryBounds: the least recently used entries go when there are too many or they hold
// too many bytes; a newer data version drops the older ones; an oversized entry is not kept.
func TestMemoryBounds(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(3, 8000)
	for _, k := range []string{"v1:a", "v1:b", "v1:c"} {
		m.Set(ctx, k, entry(100))
	}
	m.Get(ctx, "v1:a") // a is now the most recently used
	m.Set(ctx, "v1:d", entry(100))
	if _, ok := m.Get(ctx, "v1:b"); ok || m.Len() != 3 {
		t.Fatalf("entries bound: b kept or %d entries", m.Len())
	}
	if _, ok := m.Get(ctx, "v1:a"); !ok {
		t.Fatal("the recently used entry was evicted")
	}
	m.Set(ctx, "v1:big", entry(999)) // 999 bytes and the overhead pass 8000/8
	if _, ok := m.Get(ctx, "v1:big"); ok {
		t.Fatal("an entry over an eighth of the byte bound was kept")
	}
	m2 := NewMemory(100, 8000)
	for _, k := range []string{"v1:a", "v1:b", "v1:c", "v1:d", "v1:e", "v1:f", "v1:g", "v1:h", "v1:i"} {
		m2.Set(ctx, k, entry(900))
	}
	if m2.Bytes() > 8000 || m2.Len() != 8 {
		t.Fatalf("bytes bound: %d bytes in %d entries", m2.Bytes(), m2.Len())
	}
	m2.Set(ctx, "v2:a", entry(10))
	if m2.Len() != 1 {
		t.Fatalf("a newer version leaves %d entries; want only its own", m2.Len())
	}
	m2.Set(ctx, "v1:z", entry(10))
	if _, ok := m2.Get(ctx, "v1:z"); ok {
		t.Fatal("an entry of an older version was kept")
	}
}

// TestKeyNormalizes: layout and comments do not change a key; names, values, operation,
// variables and version do.
func TestKeyNormalizes(t *testing.T) {
	k := func(v int64, q, op string, vars map[string]any) string {
		key, err := Key("s", v, q, op, vars)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	base := k(1, `query Q($a: Int) { x(first: $a) { y } }`, "Q", map[string]any{"a": 1})
	if k(1, "# c\nquery Q($a:Int){x(first:$a){\n y\n}}", "Q", map[string]any{"a": 1}) != base {
		t.Fatal("layout changed the key")
	}
	for name, other := range map[string]string{
		"field":     k(1, `query Q($a: Int) { x(first: $a) { z } }`, "Q", map[string]any{"a": 1}),
		"operation": k(1, `query Q($a: Int) { x(first: $a) { y } }`, "", map[string]any{"a": 1}),
		"variables": k(1, `query Q($a: Int) { x(first: $a) { y } }`, "Q", map[string]any{"a": 2}),
		"version":   k(2, `query Q($a: Int) { x(first: $a) { y } }`, "Q", map[string]any{"a": 1}),
		"string":    k(1, `{ x(s: "y z") }`, "", nil),
	} {
		if other == base {
			t.Errorf("%s did not change the key", name)
		}
	}
	if k(1, `{ x(s: "y z") }`, "", nil) == k(1, `{ x(s: "y  z") }`, "", nil) {
		t.Error("spaces inside a string value were normalized away")
	}
}
