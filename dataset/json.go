package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReadJSON parses the whole dataset as one JSON document (see Dataset) and validates it, as
// Read does for the files. Unknown fields are problems. name is the file name problems point at.
func ReadJSON(r io.Reader, name string) (*Dataset, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, Problems{{File: name, Message: fmt.Sprintf("cannot read: %v", err)}}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	ds := &Dataset{}
	if err := dec.Decode(ds); err != nil {
		return nil, Problems{{File: name, Line: jsonErrorLine(raw, err), Message: err.Error()}}
	}
	if dec.More() {
		return nil, Problems{{File: name, Message: "more than one JSON document"}}
	}
	for i := range ds.Companies {
		ds.Companies[i].File = name
	}
	for i := range ds.Cases {
		ds.Cases[i].File = name
	}
	if ps := Validate(ds); len(ps) > 0 {
		return ds, ps
	}
	return ds, nil
}

// ReadFile reads a dataset from one JSON document on disk.
func ReadFile(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadJSON(f, filepath.Base(path))
}

// jsonErrorLine is the line of a decoding error's offset, or 0.
func jsonErrorLine(raw []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	return bytes.Count(raw[:min(int(off), len(raw))], []byte("\n")) + 1
}
