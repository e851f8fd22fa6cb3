package textcheck

import "testing"

func TestProblem(t *testing.T) {
	for _, s := range []string{"", "plain", "tab\there", "lines\r\nand\nmore", "émoji 🙂", "中文", "\u00a0nbsp", "\ufeffbom", "\ufffd"} {
		if p := Problem(s); p != "" || !Valid(s) {
			t.Errorf("%q refused: %s", s, p)
		}
	}
	for _, s := range []string{"nul\x00", "bell\a", "esc\x1b[31m", "del\x7f", "c1\u0085", "a\ufffeb", "a\uffffc", "\ufdd0", "\U0001fffe", "\U0010ffff"} {
		if Problem(s) == "" || Valid(s) {
			t.Errorf("%q accepted", s)
		}
	}
}
