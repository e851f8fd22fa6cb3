package graph

import (
	"fmt"

	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/model"
)

// releases lists the published releases for `dataset { releases }`.
func (r *Resolver) releases() ([]*model.Release, error) {
	rs, err := export.ListReleases(r.Releases)
	if err != nil {
		return nil, fmt.Errorf("list releases: %w", err) // logged, shown as INTERNAL
	}
	out := make([]*model.Release, len(rs))
	for i, x := range rs {
		out[i] = &model.Release{Version: x.Version, Date: x.Date, URL: x.URL(), Files: x.Files}
	}
	return out, nil
}
