package graph

import (
	"io/fs"
	"log/slog"

	"github.com/cybertrade/cybertrade/store"
)

// This file will not be regenerated automatically.
//
// It serves as dependency injection for your app, add any dependencies you require here.

// Resolver is the root of the resolvers: it holds the store and the logger, built in server.go.
type Resolver struct {
	Store  *store.Store
	Logger *slog.Logger
	// Releases holds the published releases (data.Releases); nil means none.
	Releases fs.FS
}
