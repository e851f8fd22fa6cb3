package model

// ChainEntry is one move of a causal chain; Via is resolved through a batched loader.
type ChainEntry struct {
	Depth int
	Move  Move
	ViaID *int64
}
