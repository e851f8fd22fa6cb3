package synth_test

import (
	"reflect"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/synth"
)

// TestGenerateIsValid: the generated data passes the same validation as the curated files,
// at several sizes.
func TestGenerateIsValid(t *testing.T) {
	for _, n := range []int{1, 2, 37, 400} {
		if ps := dataset.Validate(synth.Generate(n, uint64(n))); len(ps) > 0 {
			t.Fatalf("n=%d: %v", n, ps)
		}
	}
}

// TestGenerateIsDeterministic: the same n and seed give the same dataset, streamed in any
// chunk size; another seed gives another.
func TestGenerateIsDeterministic(t *testing.T) {
	a, b := synth.Generate(50, 7), synth.Generate(50, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	for _, chunk := range []int{1, 7, 50, 500} {
		var got *dataset.Dataset
		chunks := 0
		err := synth.Stream(50, 7, chunk, func(ds *dataset.Dataset) error {
			chunks++
			if got == nil {
				got = ds
				return nil
			}
			if len(ds.Countries) > 0 || len(ds.Companies) > 0 {
				t.Errorf("chunk %d repeats countries or companies", chunks)
			}
			got.Cases = append(got.Cases, ds.Cases...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := (50 + chunk - 1) / chunk; chunks != want {
			t.Errorf("chunk %d: %d chunks, want %d", chunk, chunks, want)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("streaming in chunks of %d gives another dataset than Generate", chunk)
		}
	}
	if reflect.DeepEqual(synth.Generate(50, 8).Cases, a.Cases) {
		t.Fatal("another seed gives the same cases")
	}
}

// TestGenerateShapes: the sizes the benchmarks rely on (n/2 companies, 5n moves, 2n reply
// links, every ISO country) and the variety of the real data (several products and sources,
// every date precision, a few dominant acting countries, uncertain codings).
func TestGenerateShapes(t *testing.T) {
	const n = 2000
	ds := synth.Generate(n, 1)
	iso, err := synth.Countries()
	if err != nil {
		t.Fatal(err)
	}
	if len(iso) < 249 || len(ds.Countries) != len(iso) {
		t.Fatalf("%d countries, the list has %d", len(ds.Countries), len(iso))
	}
	codes := map[string]bool{}
	for _, c := range ds.Countries {
		codes[c.Code] = true
	}
	for _, c := range []string{"US", "CN", "RU", "DE", "ZW", "AQ", "EU"} {
		if !codes[c] {
			t.Errorf("country %s missing", c)
		}
	}
	if len(ds.Companies) != n/2 {
		t.Errorf("%d companies, want %d", len(ds.Companies), n/2)
	}
	products := 0
	for _, c := range ds.Companies {
		products += len(c.Products)
	}
	var moves, responses, links, sources, defy int
	precision := map[string]int{}
	acting := map[string]int{}
	confidence := map[string]int{}
	for _, c := range ds.Cases {
		sources += len(c.Bibliography)
		for _, m := range c.Moves {
			moves++
			links += len(m.InReplyTo)
			if m.Type == dataset.TypeResponse {
				responses++
				if m.Option == string(model.CompanyOptionDefy) {
					defy++
				}
			} else {
				acting[m.Country]++
			}
			d := len(m.Date)
			precision[map[int]string{4: "YEAR", 7: "MONTH", 10: "DAY"}[d]]++
			confidence[m.Confidence]++
		}
	}
	if moves != 5*n || responses != 2*n || links != 2*n {
		t.Errorf("moves %d responses %d links %d; want %d, %d, %d", moves, responses, links, 5*n, 2*n, 2*n)
	}
	if defy < n/2 {
		t.Errorf("%d DEFY responses, want at least %d", defy, n/2)
	}
	if p := float64(products) / float64(len(ds.Companies)); p < 2 || p > 3 {
		t.Errorf("%.2f products per company, want 2–3 on average", p)
	}
	if s := float64(sources) / n; s < 2 || s > 3 {
		t.Errorf("%.2f sources per case, want 2–3 on average", s)
	}
	for _, p := range []string{"YEAR", "MONTH", "DAY"} {
		if precision[p] < moves/20 {
			t.Errorf("only %d moves dated at %s precision", precision[p], p)
		}
	}
	if len(acting) < 100 {
		t.Errorf("only %d acting countries", len(acting))
	}
	for c, k := range acting {
		if c != "US" && k >= acting["US"] {
			t.Errorf("%s acts %d times, more than the US (%d)", c, k, acting["US"])
		}
	}
	if confidence[string(model.ConfidenceLow)] == 0 || confidence[string(model.ConfidenceMedium)] == 0 {
		t.Errorf("no uncertain codings: %v", confidence)
	}
}
