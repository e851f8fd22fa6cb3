package render

import (
	"bytes"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cybertrade/cybertrade/model"
)

// The scalar writers write what gqlgen's marshallers write, for the strings that need escapes
// too (the synthetic data has none).
func TestScalarsAsGqlgenWritesThem(t *testing.T) {
	marshal := func(m graphql.Marshaler) string {
		var b bytes.Buffer
		m.MarshalGQL(&b)
		return b.String()
	}
	for _, s := range []string{"", "plain", `quo"te`, `back\slash`, "tab\tcr\rnl\n", "\x00\x01\x1f", "é ü 中文 \u2028", "bad \xff utf-8", "</script>&"} {
		w := &writer{}
		w.str(s)
		if got, want := string(w.buf), marshal(model.MarshalText(s)); got != want {
			t.Errorf("str(%q) = %s, gqlgen %s", s, got, want)
		}
	}
	for _, tm := range []time.Time{time.Date(2024, 2, 29, 13, 4, 5, 120000000, time.UTC), time.Date(1999, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600+1800))} {
		w := &writer{}
		if !w.stamp(tm) || string(w.buf) != marshal(model.MarshalTime(tm)) {
			t.Errorf("stamp(%v) = %s, gqlgen %s", tm, w.buf, marshal(model.MarshalTime(tm)))
		}
	}
	if w := (&writer{}); w.stamp(time.Time{}) {
		t.Error("the zero time (null to gqlgen, a non-null field) did not give up")
	}
	for _, e := range []graphql.Marshaler{model.CountryOptionImportBarrier, model.ConfidenceHigh, model.MoveKindResponse} {
		w := &writer{}
		w.enum(marshalString(e))
		if got, want := string(w.buf), marshal(e); got != want {
			t.Errorf("enum %s, gqlgen %s", got, want)
		}
	}
}

func marshalString(m graphql.Marshaler) string {
	switch v := m.(type) {
	case model.CountryOption:
		return string(v)
	case model.Confidence:
		return string(v)
	case model.MoveKind:
		return string(v)
	}
	return ""
}
