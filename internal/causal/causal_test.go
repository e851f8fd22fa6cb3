package causal

import "testing"

func TestKeysPutRepliesAfterWhatTheyAnswer(t *testing.T) {
	start := map[string]string{
		"action-day":   "2023-06-01", // dated to the day
		"reply-year":   "2023-01-01", // "2023": its first day is before the action's
		"reply-reply":  "2023-01-01", // "2023" again, answering the reply
		"later-action": "2024-03-01",
		"unlinked":     "2023-01-01",
	}
	answers := map[string][]string{
		"reply-year":   {"action-day"},
		"reply-reply":  {"reply-year"},
		"later-action": {"reply-reply", "missing-move"},
	}
	k := Keys(start, answers, nil)
	want := map[string]string{
		"action-day":   "2023-06-01.0000",
		"reply-year":   "2023-06-01.0001",
		"reply-reply":  "2023-06-01.0002",
		"later-action": "2024-03-01.0000",
		"unlinked":     "2023-01-01.0000",
	}
	for m, w := range want {
		if k[m] != w {
			t.Errorf("%s: key %q, want %q", m, k[m], w)
		}
	}
	for reply, targets := range answers {
		for _, target := range targets {
			if _, ok := start[target]; ok && k[reply] <= k[target] {
				t.Errorf("%s (%s) does not sort after %s (%s)", reply, k[reply], target, k[target])
			}
		}
	}
}

func TestKeysSurviveACycle(t *testing.T) {
	k := Keys(map[int]string{1: "2020-01-01", 2: "2020-01-01"}, map[int][]int{1: {2}, 2: {1}}, nil)
	if k[1] != "2020-01-01.0000" || k[2] != "2020-01-01.0001" {
		t.Errorf("keys of a cycle: %v (want the lower key first)", k)
	}
}

func TestKeysBuildOnFixedKeys(t *testing.T) {
	k := Keys(map[string]string{"reply": "2023-01-01"}, map[string][]string{"reply": {"target"}},
		map[string]string{"target": "2023-06-01.0002"})
	if k["reply"] != "2023-06-01.0003" || len(k) != 1 {
		t.Errorf("keys: %v", k)
	}
}

func TestKeysOrderACycleByKeyWhereverItIsEntered(t *testing.T) {
	// 1 and 2 answer each other on one day; 3 answers 1 and 4 answers 3, a year later.
	k := Keys(map[int]string{1: "2020-01-01", 2: "2020-01-01", 3: "2020-01-01", 4: "2021-01-01"},
		map[int][]int{1: {2}, 2: {1}, 3: {1}, 4: {3}}, nil)
	if !(k[1] < k[2] && k[1] < k[3] && k[3] < k[4]) {
		t.Errorf("keys: %v (want 1 < 2, 1 < 3 < 4)", k)
	}
}
