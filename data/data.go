// Package data embeds the curated dataset's files (see docs/data-format.md) in the binary.
package data

import "embed"

// FS holds dataset.yaml, countries.yaml, companies.yaml, cases/*.yaml and
// excluded/*.yaml, with the changelog and the licence.
//
//go:embed *.yaml *.md cases excluded
var FS embed.FS
