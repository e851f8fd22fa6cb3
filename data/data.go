// Package data embeds the curated dataset's files (see docs/data-format.md) in the binary.
package data

import (
	"embed"
	"io/fs"
)

// FS holds dataset.yaml, countries.yaml, companies.yaml, cases/*.yaml and
// excluded/*.yaml, with the changelog and the licence.
//
//go:embed *.yaml *.md cases excluded
var FS embed.FS

// releases holds data/releases: one folder per published version, written once by
// `cybertrade release` and never changed.
//
//go:embed releases
var releases embed.FS

// Releases is data/releases as a file system whose root holds one folder per version.
func Releases() fs.FS {
	sub, err := fs.Sub(releases, "releases")
	if err != nil {
		panic(err) // "releases" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}
