package impact

import "testing"

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"the quick brown fox", "the quick brown fox", "the quick brown fox"},
		{"the quick brown fox", "the slow brown fox", "the [-quick-] {+slow+} brown fox"},
		{"a b c", "a c", "a [-b-] c"},
		{"a c", "a b c d", "a {+b+} c {+d+}"},
		{"", "new", "{+new+}"},
	}
	for _, tt := range tests {
		if got := WordDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("WordDiff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCompareItems(t *testing.T) {
	base := Item{Title: "Account Management", Text: "The organization:\n  a. Identifies [Assignment: x] accounts", Level: "", Params: []string{"p1"}}
	tests := []struct {
		name   string
		change func(*Item)
		want   []string
	}{
		{"white space and filled parameters do not count", func(i *Item) { i.Text = "The   organization: a. Identifies [Assignment: other] accounts" }, nil},
		{"renamed", func(i *Item) { i.Title = "Account Mgmt" }, []string{"title"}},
		{"text", func(i *Item) { i.Text = "The organization: a. Defines accounts" }, []string{"text"}},
		{"level and params", func(i *Item) { i.Level = "H"; i.Params = nil }, []string{"level", "params"}},
	}
	for _, tt := range tests {
		n := base
		tt.change(&n)
		c, changed := compareItems(base, n)
		if changed != (tt.want != nil) || len(c.Fields) != len(tt.want) {
			t.Errorf("%s: fields %v, want %v", tt.name, c.Fields, tt.want)
			continue
		}
		for i := range tt.want {
			if c.Fields[i] != tt.want[i] {
				t.Errorf("%s: fields %v, want %v", tt.name, c.Fields, tt.want)
			}
		}
	}
}
