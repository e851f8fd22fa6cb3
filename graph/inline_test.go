package graph

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestMoveRelationsResolveInline reads the generated executor: the relations of a move are
// marshalled inline (a model method without a context), never dispatched to a goroutine of
// their own with ResolveConcurrently. Giving one of the model methods a context, or a
// resolver, would make gqlgen run it concurrently again.
func TestMoveRelationsResolveInline(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	for typ, fields := range map[string][]string{
		"CompanyResponse": {"company", "country", "case", "replies", "inReplyTo", "sources", "products"},
		"CountryAction": {"country", "case", "replies", "inReplyTo", "sources", "products", "targetCompanies",
			"targetProducts", "counterparts", "concerns"},
	} {
		body := regexp.MustCompile(`(?s)func \(ec \*executionContext\) _` + typ + `\(ctx.*?\n}\n`).Find(src)
		if body == nil {
			t.Fatalf("no marshaller for %s in generated.go", typ)
		}
		for _, f := range fields {
			i := strings.Index(string(body), `case "`+f+`":`)
			if i < 0 {
				t.Fatalf("%s.%s not in its marshaller", typ, f)
			}
			next := string(body[i:])
			if j := strings.Index(next[1:], "case \""); j > 0 {
				next = next[:j+1]
			}
			if strings.Contains(next, "ResolveConcurrently") || !strings.Contains(next, "out.Values[i] = ec._"+typ+"_"+f+"(ctx, field, obj)") {
				t.Errorf("%s.%s is not resolved inline:\n%s", typ, f, next)
			}
		}
	}
}
