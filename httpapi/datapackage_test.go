package httpapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDataPackage: /export/datapackage.json describes every CSV export, and the files follow
// it: each header is the resource's field list in order, every value fits its field's type
// and constraints (required, unique, enum, pattern), primary keys are unique and every
// foreign key points to a row of the referenced file. Namibia's NA is a value, not a missing
// one (the descriptor's missingValues is only ""). CI also validates the descriptor against
// the published Data Package profile (tests/datapackage).
func TestDataPackage(t *testing.T) {
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		resp, body := env.get(t, "/export/datapackage.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d", resp.StatusCode)
		}
		var dp struct {
			Profile, Name, Version, Citation string
			Licenses                         []map[string]string
			Resources                        []struct {
				Name, Path, Profile string
				Schema              struct {
					Fields []struct {
						Name, Type, Description string
						Constraints             struct {
							Required, Unique bool
							Enum             []string
							Pattern          string
						}
					}
					PrimaryKey    string
					MissingValues []string
					ForeignKeys   []struct {
						Fields    string
						Reference struct{ Resource, Fields string }
					}
				}
			}
		}
		if err := json.Unmarshal(body, &dp); err != nil {
			t.Fatal(err)
		}
		if dp.Profile != "tabular-data-package" || dp.Version != bundledData(t).Meta.Version || dp.Citation == "" || len(dp.Licenses) != 1 {
			t.Errorf("package metadata: %s %s %q %v", dp.Profile, dp.Version, dp.Citation, dp.Licenses)
		}
		rows := map[string][]map[string]string{}
		for _, r := range dp.Resources {
			resp, body := env.get(t, "/export/"+r.Path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", r.Path, resp.StatusCode)
			}
			header := strings.SplitN(string(body), "\r\n", 2)[0]
			var names []string
			for _, f := range r.Schema.Fields {
				names = append(names, f.Name)
				if f.Description == "" {
					t.Errorf("%s.%s has no description", r.Name, f.Name)
				}
			}
			if header != strings.Join(names, ",") {
				t.Errorf("%s header\n got %s\nwant %s", r.Path, header, strings.Join(names, ","))
			}
			if !slices.Equal(r.Schema.MissingValues, []string{""}) {
				t.Errorf("%s missingValues %q", r.Name, r.Schema.MissingValues)
			}
			rows[r.Name] = readCSV(t, body)
			for _, f := range r.Schema.Fields {
				seen := map[string]bool{}
				var pattern *regexp.Regexp
				if f.Constraints.Pattern != "" {
					pattern = regexp.MustCompile("^(?:" + f.Constraints.Pattern + ")$")
				}
				empty := 0
				for _, row := range rows[r.Name] {
					v := row[f.Name]
					if v == "" {
						empty++
						if f.Constraints.Required {
							t.Errorf("%s.%s: a required value is missing", r.Name, f.Name)
						}
						continue
					}
					if f.Constraints.Unique && seen[v] {
						t.Errorf("%s.%s: %q is not unique", r.Name, f.Name, v)
					}
					seen[v] = true
					if len(f.Constraints.Enum) > 0 && !slices.Contains(f.Constraints.Enum, v) {
						t.Errorf("%s.%s: %q is not one of %v", r.Name, f.Name, v, f.Constraints.Enum)
					}
					if pattern != nil && !pattern.MatchString(v) {
						t.Errorf("%s.%s: %q does not match %s", r.Name, f.Name, v, f.Constraints.Pattern)
					}
					var err error
					switch f.Type {
					case "date":
						_, err = time.Parse(time.DateOnly, v)
					case "datetime":
						_, err = time.Parse(time.RFC3339Nano, v)
					case "boolean":
						if v != "true" && v != "false" {
							t.Errorf("%s.%s: %q is not a boolean", r.Name, f.Name, v)
						}
					}
					if err != nil {
						t.Errorf("%s.%s: %q is not a %s", r.Name, f.Name, v, f.Type)
					}
				}
				if empty == len(rows[r.Name]) && len(rows[r.Name]) > 0 {
					t.Errorf("%s.%s is empty in every row: the column should go", r.Name, f.Name)
				}
			}
		}
		for _, r := range dp.Resources {
			keys := map[string]bool{}
			for _, row := range rows[r.Name] {
				var k []string
				for _, f := range strings.Split(r.Schema.PrimaryKey, ",") {
					k = append(k, row[f])
				}
				if keys[strings.Join(k, "\x00")] {
					t.Errorf("%s: primary key %v repeats", r.Name, k)
				}
				keys[strings.Join(k, "\x00")] = true
			}
			for _, fk := range r.Schema.ForeignKeys {
				ids := map[string]bool{}
				for _, row := range rows[fk.Reference.Resource] {
					ids[row[fk.Reference.Fields]] = true
				}
				for _, row := range rows[r.Name] {
					if v := row[fk.Fields]; v != "" && !ids[v] {
						t.Errorf("%s.%s = %s is not in %s", r.Name, fk.Fields, v, fk.Reference.Resource)
					}
				}
			}
		}
		na := false
		for _, c := range rows["countries"] {
			na = na || c["code"] == "NA" && c["name"] == "Namibia"
		}
		if !na {
			t.Error("countries.csv has no Namibia with code NA")
		}
	})
}
