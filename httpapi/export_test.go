package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store/load"
)

// get fetches a path of the server and returns the response and its body.
func (e *env) get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// export gets path, which must answer 200 with the content type want.
func (e *env) export(t *testing.T, path, want string) (*http.Response, []byte) {
	t.Helper()
	resp, body := e.get(t, path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != want {
		t.Fatalf("GET %s: %d %s, want 200 %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), want)
	}
	return resp, body
}

// prunedFixture is the research fixture loaded, then the us-china-norms case pruned, so the
// exports must leave out a deleted case, move and source.
func prunedFixture(t *testing.T, e testdb.Engine) *env {
	t.Helper()
	env := newEnv(t, e, researchFixture(t))
	ds := researchFixture(t)
	ds.Cases = ds.Cases[:4]
	st, err := env.st.LoadWith(context.Background(), ds, load.Options{Prune: true})
	if err != nil || st.Deleted != 3 {
		t.Fatalf("prune: %v %v", st, err)
	}
	return env
}

// readCSV parses an export strictly (RFC 4180, every row as wide as the header) into maps.
func readCSV(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	if !utf8.Valid(body) || bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatal("not UTF-8 without a BOM")
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Fatal("RFC 4180 lines end with CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExportCSV: one CSV per entity, one row per live record, ids equal to the API's global
// ids, multi-valued fields joined with ";", quoting and UTF-8 intact.
func TestExportCSV(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := prunedFixture(t, e)
		var api struct {
			Countries, Companies, Products, Cases, Sources, Actions, Responses idList
			Dataset                                                            struct{ Counts struct{ Links int } }
		}
		env.ok(t, `{
			countries(first: 100) { totalCount nodes { id } } companies(first: 100) { totalCount nodes { id } }
			products(first: 100) { totalCount nodes { id } } cases(first: 100) { totalCount nodes { id } }
			sources(first: 100) { totalCount nodes { id } } actions(first: 100) { totalCount nodes { id } }
			responses(first: 100) { totalCount nodes { id } } dataset { counts { links } }
		}`, nil, &api)
		rows := map[string][]map[string]string{}
		for _, tc := range []struct {
			file string
			list idList
		}{
			{"countries.csv", api.Countries}, {"companies.csv", api.Companies}, {"products.csv", api.Products},
			{"cases.csv", api.Cases}, {"sources.csv", api.Sources}, {"actions.csv", api.Actions}, {"responses.csv", api.Responses},
			{"links.csv", idList{}},
		} {
			resp, body := env.get(t, "/export/"+tc.file)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
				t.Fatalf("%s: %d %s", tc.file, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			rows[tc.file] = readCSV(t, body)
			if tc.file == "links.csv" {
				continue
			}
			var ids []string
			for _, r := range rows[tc.file] {
				ids = append(ids, r["id"])
			}
			if got := sorted(ids...); !slices.Equal(got, tc.list.ids()) || len(ids) != tc.list.TotalCount {
				t.Errorf("%s ids:\n got %v\nwant %v", tc.file, got, tc.list.ids())
			}
		}
		if n := len(rows["links.csv"]); n != api.Dataset.Counts.Links || n != 10 {
			t.Errorf("links.csv has %d rows, the API counts %d links", n, api.Dataset.Counts.Links)
		}
		if len(rows["cases.csv"]) != 4 || len(rows["actions.csv"]) != 8 {
			t.Errorf("the pruned case is still exported: %d cases, %d actions", len(rows["cases.csv"]), len(rows["actions.csv"]))
		}
		find := func(file, slug string) map[string]string {
			for _, r := range rows[file] {
				if r["slug"] == slug {
					return r
				}
			}
			t.Fatalf("%s has no %s", file, slug)
			return nil
		}
		a := find("actions.csv", "ru-court")
		for k, want := range map[string]string{"option": "IMPORT_BARRIER", "country": "RU", "country_id": globalid.Encode("Country", "RU"),
			"concerns": "DATA_SOVEREIGNTY;PRIVACY", "target_companies": "linkedin", "target_company_ids": globalid.Encode("Company", "linkedin"),
			"date": "2016-11-10", "date_precision": "DAY", "case": "linkedin-in-russia", "source_ids": globalid.Encode("Source", "wire-linkedin"),
			"confidence": "HIGH", "in_reply_to": ""} {
			if a[k] != want {
				t.Errorf("actions.csv ru-court %s = %q, want %q", k, a[k], want)
			}
		}
		r := find("responses.csv", "kaspersky-sues")
		if want := strings.Join(sorted(actionID("us-dhs-ban"), actionID("us-ndaa-ban")), ";"); r["in_reply_to"] != want || r["company"] != "kaspersky-lab" {
			t.Errorf("responses.csv kaspersky-sues: %v", r)
		}
		if got := find("responses.csv", "kaspersky-transparency")["summary"]; got != "A \"transparency initiative\", in Zürich and elsewhere,\ninvited outside review." {
			t.Errorf("quoting or UTF-8 lost: %q", got)
		}
		if k := find("actions.csv", "ru-keeps-block"); k["confidence"] != "MEDIUM" || k["instrument"] != "REGULATORY_ORDER" || k["actor"] != "Roskomnadzor" {
			t.Errorf("ru-keeps-block: %v", k)
		}
		if c := find("companies.csv", "kaspersky-lab"); c["aliases"] != "Kaspersky;AO Kaspersky Lab" || c["home_country"] != "RU" {
			t.Errorf("companies.csv kaspersky-lab: %v", c)
		}
		for _, l := range rows["links.csv"] {
			typ, _, err := globalid.Decode(l["reply_id"])
			if err != nil || typ != l["reply_type"] {
				t.Errorf("links.csv row %v", l)
			}
		}

		resp, _ := env.get(t, "/export/nothing.csv")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown export: %d", resp.StatusCode)
		}
		_, index := env.get(t, "/export/")
		if !strings.Contains(string(index), "/export/graph.graphml") {
			t.Errorf("the export index does not list graph.graphml: %s", index)
		}
	})
}

// readBack reads an exported dataset.json as `load -file` does, failing the test when it does
// not read.
func readBack(t *testing.T, body []byte) *dataset.Dataset {
	t.Helper()
	ds, err := dataset.ReadJSON(bytes.NewReader(body), "dataset.json")
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	return ds
}

// TestExportJSONRoundTrip: /export/dataset.json is the loader's format; loading it into an
// empty database and exporting again gives the same bytes, and nothing the files hold is lost.
func TestExportJSONRoundTrip(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		first := prunedFixture(t, e)
		resp, body1 := first.export(t, "/export/dataset.json", "application/json")
		if again, _ := first.get(t, "/export/dataset.json", "If-None-Match", resp.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match with the ETag: %d", again.StatusCode)
		}
		ds := readBack(t, body1)
		second := newEnv(t, e, nil)
		if _, err := second.st.Load(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		_, body2 := second.get(t, "/export/dataset.json")
		if !bytes.Equal(body1, body2) {
			t.Fatalf("export → load → export differs:\n%s\n----\n%s", body1, body2)
		}

		// Nothing of the files is lost: compare with the fixture itself.
		want := researchFixture(t)
		want.Cases = want.Cases[:4]
		if ds.Meta != want.Meta || len(ds.Countries) != len(want.Countries) || len(ds.Companies) != len(want.Companies) || len(ds.Cases) != 4 {
			t.Fatalf("meta or sizes differ: %+v", ds.Meta)
		}
		moves := ds.MovesBySlug()
		for _, c := range want.Cases {
			for _, w := range c.Moves {
				g := moves[w.Slug]
				slices.Sort(w.Concerns)
				slices.Sort(w.InReplyTo)
				w.Line = 0
				if w.Confidence == "HIGH" {
					w.Confidence = ""
				}
				gj, _ := json.Marshal(g)
				wj, _ := json.Marshal(w)
				if !bytes.Equal(gj, wj) {
					t.Errorf("move %s:\n got %s\nwant %s", w.Slug, gj, wj)
				}
			}
		}
	})
}

// graphML is what the test reads of a GraphML file.
type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string    `xml:"id,attr"`
			Data []gmlData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string    `xml:"id,attr"`
			Source string    `xml:"source,attr"`
			Target string    `xml:"target,attr"`
			Data   []gmlData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func gmlValue(ds []gmlData, key string) string {
	for _, d := range ds {
		if d.Key == key {
			return d.Value
		}
	}
	return ""
}

// TestExportGraphML: the graph parses as GraphML with every key declared and typed, every data
// element using a key declared for its element, every edge between declared nodes, and the
// expected nodes and typed edges. When python3 is on the machine its xml parser reads it too.
func TestExportGraphML(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := prunedFixture(t, e)
		_, body := env.export(t, "/export/graph.graphml", "application/graphml+xml")
		var g graphML
		if err := xml.Unmarshal(body, &g); err != nil {
			t.Fatal(err)
		}
		keyFor := map[string]string{}
		keyType := map[string]string{}
		for _, k := range g.Keys {
			if _, dup := keyFor[k.ID]; dup || k.Name == "" || !slices.Contains([]string{"string", "boolean", "int", "double"}, k.Type) {
				t.Errorf("key %+v", k)
			}
			keyFor[k.ID], keyType[k.ID] = k.For, k.Type
		}
		checkData := func(scope, id string, ds []gmlData) {
			for _, d := range ds {
				if keyFor[d.Key] != scope {
					t.Errorf("%s %s uses key %q, declared for %q", scope, id, d.Key, keyFor[d.Key])
				}
				switch keyType[d.Key] {
				case "boolean":
					if d.Value != "true" && d.Value != "false" {
						t.Errorf("%s %s: %s=%q is not a boolean", scope, id, d.Key, d.Value)
					}
				case "int":
					if _, err := strconv.Atoi(d.Value); err != nil {
						t.Errorf("%s %s: %s=%q is not an int", scope, id, d.Key, d.Value)
					}
				case "double":
					if _, err := strconv.ParseFloat(d.Value, 64); err != nil {
						t.Errorf("%s %s: %s=%q is not a double", scope, id, d.Key, d.Value)
					}
				}
			}
		}
		if g.Graph.EdgeDefault != "directed" {
			t.Errorf("edgedefault %q", g.Graph.EdgeDefault)
		}
		nodes := map[string]string{}
		for _, n := range g.Graph.Nodes {
			if _, dup := nodes[n.ID]; dup {
				t.Errorf("duplicate node %s", n.ID)
			}
			nodes[n.ID] = gmlValue(n.Data, "n_type")
			typ, _, err := globalid.Decode(n.ID)
			if err != nil || typ != nodes[n.ID] {
				t.Errorf("node %s has type %q", n.ID, nodes[n.ID])
			}
			checkData("node", n.ID, n.Data)
		}
		edges := map[string]int{}
		edgeIDs := map[string]bool{}
		moves := map[string]bool{}
		weight := map[string]float64{} // per move: the weights of its edges add up to 1
		for _, ed := range g.Graph.Edges {
			if edgeIDs[ed.ID] {
				t.Errorf("duplicate edge id %s", ed.ID)
			}
			edgeIDs[ed.ID] = true
			if nodes[ed.Source] == "" || nodes[ed.Target] == "" {
				t.Errorf("edge %s runs between undeclared nodes %s -> %s", ed.ID, ed.Source, ed.Target)
			}
			checkData("edge", ed.ID, ed.Data)
			typ := gmlValue(ed.Data, "e_type")
			edges[typ]++
			if typ == "ACTION" && nodes[ed.Source] != "Country" || typ == "RESPONSE" && (nodes[ed.Source] != "Company" || nodes[ed.Target] != "Country") {
				t.Errorf("%s edge %s: %s -> %s", typ, ed.ID, nodes[ed.Source], nodes[ed.Target])
			}
			m := gmlValue(ed.Data, "e_move_id")
			moves[m] = true
			w, _ := strconv.ParseFloat(gmlValue(ed.Data, "e_weight"), 64)
			weight[m] += w
		}
		// Only the 3 countries that take part in a move (RU, US, CN; the fixture's other
		// countries and the pruned case's counterpart do not), the 4 companies, no products
		// (they are edge attributes); each of the 8 actions targets one company and each of
		// the 6 responses answers one country: one edge per move.
		count := map[string]int{}
		for _, typ := range nodes {
			count[typ]++
		}
		if count["Country"] != 3 || count["Company"] != 4 || len(count) != 2 {
			t.Errorf("nodes: %v", count)
		}
		if edges["ACTION"] != 8 || edges["RESPONSE"] != 6 || len(edges) != 2 || len(moves) != 14 {
			t.Errorf("edges: %v, %d moves", edges, len(moves))
		}
		for m, w := range weight {
			if w < 0.999 || w > 1.001 {
				t.Errorf("the weights of move %s's edges add up to %g, want 1", m, w)
			}
		}
		if moves[actionID("us-china-agreement")] {
			t.Error("a deleted move is in the graph")
		}

		if _, err := exec.LookPath("python3"); err != nil {
			t.Log("python3 not found: skipping the check with its xml parser")
			return
		}
		path := filepath.Join(t.TempDir(), "graph.graphml")
		_ = os.WriteFile(path, body, 0o644)
		out, err := exec.Command("python3", "-c", `
import sys, xml.etree.ElementTree as ET
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
root = ET.parse(sys.argv[1]).getroot()
keys = {k.get("id"): k.get("for") for k in root.findall("g:key", ns)}
graph = root.find("g:graph", ns)
nodes = {n.get("id") for n in graph.findall("g:node", ns)}
bad = [d.get("key") for el in graph for d in el.findall("g:data", ns) if keys.get(d.get("key")) != el.tag.split("}")[1]]
edges = graph.findall("g:edge", ns)
dangling = [e.get("id") for e in edges if e.get("source") not in nodes or e.get("target") not in nodes]
print(len(nodes), len(edges), len(bad), len(dangling))
`, path).CombinedOutput()
		if err != nil {
			t.Fatalf("python3: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != "7 14 0 0" {
			t.Errorf("python3's xml parser read nodes, edges, bad data, dangling edges = %s; want 7 14 0 0", got)
		}

		// networkx, when installed (Debian's python3-networkx), as a graph user reads it: the
		// edge weights add up to the number of moves, and no country is isolated.
		if exec.Command("python3", "-c", "import networkx").Run() != nil {
			t.Log("networkx not installed: skipping the check with networkx")
			return
		}
		out, err = exec.Command("python3", "-c", `
import sys, networkx as nx
G = nx.read_graphml(sys.argv[1])
moves = {d["move_id"] for _, _, d in G.edges(data=True)}
weight = sum(d["weight"] for _, _, d in G.edges(data=True))
isolated = [n for n in nx.isolates(G) if G.nodes[n]["type"] == "Country"]
print(G.number_of_nodes(), len(moves), round(weight, 6), len(isolated))
`, path).CombinedOutput()
		if err != nil {
			t.Fatalf("networkx: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != "7 14 14.0 0" {
			t.Errorf("networkx read nodes, moves, total weight, isolated countries = %s; want 7 14 14.0 0", got)
		}
	})
}

// TestExportKeepsTheBundledDataset: the JSON export of the shipped dataset holds every record
// of the files with every field (a source's note, a move's instrument and coding note), so the database can
// be rebuilt from it; only where a source is listed (which case's bibliography) may differ.
func TestExportKeepsTheBundledDataset(t *testing.T) {
	files := bundledData(t)
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		resp, body := env.get(t, "/export/dataset.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /export/dataset.json: %d", resp.StatusCode)
		}
		got := readBack(t, body)
		canon := func(ds *dataset.Dataset) map[string]string {
			out := map[string]string{"meta": fmt.Sprint(ds.Meta)}
			put := func(key string, v any) {
				b, _ := json.Marshal(v)
				out[key] = string(b)
			}
			for _, c := range ds.Countries {
				c.Line = 0
				put("country:"+c.Code, c)
			}
			for _, c := range ds.Companies {
				c.Line, c.File = 0, ""
				c.Products = slices.Clone(c.Products)
				slices.SortFunc(c.Products, func(a, b dataset.Product) int { return strings.Compare(a.Slug, b.Slug) })
				put("company:"+c.Slug, c)
			}
			for _, c := range ds.Cases {
				for _, s := range c.Bibliography {
					s.Line = 0
					put("source:"+s.Key, s)
				}
				for _, m := range c.Moves {
					m.Line = 0
					slices.Sort(m.Concerns)
					slices.Sort(m.InReplyTo)
					slices.Sort(m.Sources)
					slices.Sort(m.Companies)
					slices.Sort(m.Products)
					slices.Sort(m.Counterparts)
					if m.Confidence == "HIGH" {
						m.Confidence = ""
					}
					put("move:"+c.Slug+"/"+m.Slug, m)
				}
				sort.Strings(c.Sources)
				put("case:"+c.Slug, []any{c.Title, c.Summary, c.Sources})
			}
			return out
		}
		want, have := canon(files), canon(got)
		if len(want) != len(have) {
			t.Errorf("%d records in the files, %d in the export", len(want), len(have))
		}
		for k, w := range want {
			if have[k] != w {
				t.Errorf("%s:\nfiles  %s\nexport %s", k, w, have[k])
			}
		}
	})
}
