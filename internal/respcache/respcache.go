// Package respcache keeps whole GraphQL responses: the bytes of a successful answer to an
// anonymous query, keyed by what determines them (the schema, the normalized query text, the
// operation name, the variables) and by the data version they were computed at, so that a write
// moves every later request to new keys and nothing needs deleting. Memory is an LRU bounded by
// entries and bytes for one process; internal/shared puts Redis behind the same interface for
// several.
package respcache

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// Entry is one cached answer.
type Entry struct {
	Body []byte // the response body as sent
	Cost int    // the operation's cost (its extensions.cost), checked on a hit
	ETag string // the body's ETag, for GET
}

// Size is what an entry counts against a byte bound.
func (e *Entry) Size() int64 { return int64(len(e.Body)+len(e.ETag)) + 64 }

// Store keeps entries by key. Get misses on any failure; Set may drop what it cannot keep.
type Store interface {
	Get(ctx context.Context, key string) (*Entry, bool)
	Set(ctx context.Context, key string, e *Entry)
}

// Key is the cache key of an operation: the data version in clear (so keys of one version
// share a prefix) and a SHA-256 of the schema digest, the normalized query, the operation
// name and the variables (as JSON, keys sorted).
func Key(schema string, version int64, query, operation string, variables map[string]any) (string, error) {
	vars, err := json.Marshal(variables)
	if err != nil {
		return "", err
	}
	norm, err := Normalize(query)
	if err != nil {
		return "", err
	}
	return keyOf(schema, version, norm, operation, vars), nil
}

// Normalized memoises Normalize by the query's text, so that a repeated query is not lexed
// again on every request.
type Normalized struct{ lru *lru.LRU[string] }

// NewNormalized returns a memo of the size most recently used queries.
func NewNormalized(size int) *Normalized { return &Normalized{lru: lru.New[string](size)} }

// Key is the package's Key, with the query's normal form taken from the memo.
func (n *Normalized) Key(schema string, version int64, query, operation string, variables map[string]any) (string, error) {
	vars, err := json.Marshal(variables)
	if err != nil {
		return "", err
	}
	norm, ok := n.lru.Get(context.Background(), query)
	if !ok {
		if norm, err = Normalize(query); err != nil {
			return "", err
		}
		n.lru.Add(context.Background(), query, norm)
	}
	return keyOf(schema, version, norm, operation, vars), nil
}

func keyOf(schema string, version int64, norm, operation string, vars []byte) string {
	h := sha256.New()
	for _, part := range []string{schema, norm, operation, string(vars)} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write([]byte(part))
	}
	return "v" + strconv.FormatInt(version, 10) + ":" + hex.EncodeToString(h.Sum(nil))
}

// Normalize rewrites a query as its tokens separated by single spaces, comments dropped, so
// that queries differing only in layout share a key. Strings are quoted, so a string value can
// never read as a name.
func Normalize(query string) (string, error) {
	lx := lexer.New(&ast.Source{Input: query})
	var b strings.Builder
	b.Grow(len(query))
	for {
		tok, err := lx.ReadToken()
		if err != nil {
			return "", err
		}
		switch tok.Kind {
		case lexer.EOF:
			return b.String(), nil
		case lexer.Comment:
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch tok.Kind {
		case lexer.String, lexer.BlockString:
			b.WriteString(strconv.Quote(tok.Value))
		default:
			b.WriteString(tok.Value)
		}
	}
}

// Memory is a Store in process memory: least recently used entries go first when there are
// more than MaxEntries or they hold more than MaxBytes. It is safe for concurrent use.
// Not hashicorp/golang-lru: that bounds the count of entries only; this bounds their bytes
// too and drops every entry of an older data version at once.
type Memory struct {
	mu         sync.Mutex
	maxEntries int
	maxBytes   int64
	bytes      int64
	order      *list.List // front: most recently used
	items      map[string]*list.Element
	version    int64 // the highest data version seen in a key: older ones are dropped
}

type item struct {
	key     string
	version int64
	e       *Entry
}

// NewMemory returns an empty cache bounded by entries and bytes (both must be > 0).
func NewMemory(maxEntries int, maxBytes int64) *Memory {
	return &Memory{maxEntries: maxEntries, maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) (*Entry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.items[key]
	if !ok {
		return nil, false
	}
	m.order.MoveToFront(el)
	return el.Value.(*item).e, true
}

// Set implements Store. An entry larger than an eighth of the byte bound is not kept (it would
// evict too much). An entry of a newer data version drops every entry of older ones (no
// request will ask for them again); one of an older version than seen is not kept.
func (m *Memory) Set(_ context.Context, key string, e *Entry) {
	if e.Size() > m.maxBytes/8 {
		return
	}
	v := keyVersion(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case v < m.version:
		return
	case v > m.version:
		m.version = v
		for el := m.order.Back(); el != nil; {
			prev := el.Prev()
			if el.Value.(*item).version < v {
				m.remove(el)
			}
			el = prev
		}
	}
	if el, ok := m.items[key]; ok {
		m.remove(el)
	}
	m.items[key] = m.order.PushFront(&item{key: key, version: v, e: e})
	m.bytes += e.Size()
	for m.order.Len() > m.maxEntries || m.bytes > m.maxBytes {
		m.remove(m.order.Back())
	}
}

func (m *Memory) remove(el *list.Element) {
	it := el.Value.(*item)
	m.order.Remove(el)
	delete(m.items, it.key)
	m.bytes -= it.e.Size()
}

// Len and Bytes report what the cache holds.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

// Bytes is the size of what the cache holds, as Entry.Size counts it.
func (m *Memory) Bytes() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bytes
}

// keyVersion reads the version Key put in front of a key (-1 when there is none).
func keyVersion(key string) int64 {
	rest, ok := strings.CutPrefix(key, "v")
	if !ok {
		return -1
	}
	n, _, _ := strings.Cut(rest, ":")
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return -1
	}
	return v
}

// Tiered looks in a process's Memory first, then in a shared Store (Redis), and keeps what it
// finds there in Memory too; Set writes both.
type Tiered struct {
	Near *Memory
	Far  Store
}

// Get implements Store.
func (t Tiered) Get(ctx context.Context, key string) (*Entry, bool) {
	if e, ok := t.Near.Get(ctx, key); ok {
		return e, true
	}
	e, ok := t.Far.Get(ctx, key)
	if ok {
		t.Near.Set(ctx, key, e)
	}
	return e, ok
}

// Set implements Store.
func (t Tiered) Set(ctx context.Context, key string, e *Entry) {
	t.Near.Set(ctx, key, e)
	t.Far.Set(ctx, key, e)
}
