package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/store"
)

// releaseCmd publishes the dataset version in the data files: it loads the files into a
// throw-away SQLite database, exports dataset.json, the CSV files and datapackage.json from
// it, and writes them to OUT/{version}/ beside a release.json (version, date, files). A
// release never changes: when OUT/{version} exists it refuses, whatever the files hold now.
// The binary embeds data/releases, so the server built after a release serves it at
// /export/releases/{version}/.
func releaseCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("release", flag.ContinueOnError)
	dir := fl.String("dir", "data", "the data folder to release (dataset.yaml gives the version)")
	out := fl.String("out", filepath.Join("data", "releases"), "the folder that holds one folder per release")
	date := fl.String("date", "", "the release date, YYYY-MM-DD (default: the version's heading in CHANGELOG.md, else today in UTC)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	ds, err := dataset.Read(os.DirFS(*dir))
	if err != nil {
		return err
	}
	version := ds.Meta.Version
	if !export.ValidVersion(version) {
		return fmt.Errorf("dataset.yaml's version %q is not MAJOR.MINOR.PATCH", version)
	}
	final := filepath.Join(*out, version)
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("release %s exists in %s and never changes: bump version in %s/dataset.yaml (and CHANGELOG.md) to release again", version, final, *dir)
	}
	if *date == "" {
		*date = changelogDate(*dir, version)
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil {
		return fmt.Errorf("-date %q: want YYYY-MM-DD", *date)
	}

	tmp, err := os.MkdirTemp("", "cybertrade-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(ctx, filepath.Join(tmp, "release.db"), store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if _, err := st.Load(ctx, ds); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(*out, ".staging-"+version+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // gone after the rename
	rel := export.Release{Version: version, Date: *date}
	for _, format := range []string{export.FormatJSON, export.FormatCSV} {
		paths, err := export.WriteDir(ctx, st, format, staging)
		if err != nil {
			return err
		}
		for _, p := range paths {
			rel.Files = append(rel.Files, filepath.Base(p))
		}
	}
	slices.Sort(rel.Files)
	raw, _ := json.MarshalIndent(rel, "", "  ")
	if err := os.WriteFile(filepath.Join(staging, export.ReleaseManifest), append(raw, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Rename(staging, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("release %s appeared in %s meanwhile; it was left as it is", version, final)
		}
		return err
	}
	fmt.Fprintf(stdout, "released %s (%s) in %s: %d files; commit the folder and rebuild to serve it at /export/releases/%s/\n",
		version, *date, final, len(rel.Files), version)
	return nil
}

// changelogDate is the date of the version's heading in CHANGELOG.md ("## 1.0.0 — 2026-11-25"),
// or today in UTC.
func changelogDate(dir, version string) string {
	raw, _ := os.ReadFile(filepath.Join(dir, "CHANGELOG.md"))
	re := regexp.MustCompile(`(?m)^##\s+` + regexp.QuoteMeta(version) + `\b.*?([0-9]{4}-[0-9]{2}-[0-9]{2})`)
	if m := re.FindSubmatch(raw); m != nil {
		return string(m[1])
	}
	return time.Now().UTC().Format(time.DateOnly)
}
