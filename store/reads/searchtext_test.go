package reads

import (
	"testing"

	"github.com/cybertrade/cybertrade/internal/apperr"
)

// TestParseSearchText: the web-search syntax is read once and written for each engine.
func TestParseSearchText(t *testing.T) {
	for _, tc := range []struct{ in, web, fts string }{
		{"LinkedIn", "linkedin", `("linkedin")`},
		{"LinkedIn in Russia", "linkedin russia", `("linkedin" "russia")`},
		{`"LinkedIn in Russia" block`, `"linkedin in russia" block`, `("linkedin in russia" "block")`},
		{"kaspersky OR huawei -ban", "kaspersky or huawei -ban", `("kaspersky") OR ("huawei" NOT "ban")`},
		{"LinkedIn's data", "linkedin data", `("linkedin" "data")`},
		{"e-mail Huawei", `"e mail" huawei`, `("e mail" "huawei")`},
		{`"unterminated phrase`, `"unterminated phrase"`, `("unterminated phrase")`},
		{"Überwachung", "überwachung", `("überwachung")`},
	} {
		st, err := parseSearchText(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if st.websearch() != tc.web || st.fts5() != tc.fts {
			t.Errorf("%q: websearch %q fts5 %q; want %q and %q", tc.in, st.websearch(), st.fts5(), tc.web, tc.fts)
		}
	}
	for _, bad := range []string{"", "   ", "the of and", "-huawei", "zte or -huawei", string(make([]byte, 201))} {
		if _, err := parseSearchText(bad); apperr.Code(err) != apperr.Invalid {
			t.Errorf("%q: want INVALID_ARGUMENT, got %v", bad, err)
		}
	}
}
