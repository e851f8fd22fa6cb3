package graph_test

import (
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/graph"
)

// TestEverySchemaElementIsDescribed: the schema is the API's documentation, so every type,
// field, argument, input field and enum value of ours carries a description.
func TestEverySchemaElementIsDescribed(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if strings.TrimSpace(def.Description) == "" && name != "Query" {
			missing = append(missing, "type "+name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				missing = append(missing, name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					missing = append(missing, name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d schema elements have no description:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	if len(schema.Types) < 30 {
		t.Fatalf("only %d types: is the schema loaded?", len(schema.Types))
	}
}
