package dataset_test

import (
	"io/fs"

	"go.yaml.in/yaml/v3"
)

func yamlRead(fsys fs.FS, v any) error {
	raw, err := fs.ReadFile(fsys, "cases/c.yaml")
	if err != nil {
		return err
	}
	return yaml.Unmarshal(raw, v)
}
