package resolvers

import "testing"

func TestComposeTable(t *testing.T) {
	tests := []struct{ r1, r2, want string }{
		{relEqual, relSubset, relSubset},
		{relSubset, relEqual, relSubset},
		{relEqual, relEquivalent, relEquivalent},
		{relEquivalent, relSuperset, relSuperset},
		{relSubset, relSubset, relSubset},
		{relSuperset, relSuperset, relSuperset},
		{relSubset, relSuperset, relIntersects},
		{relSuperset, relSubset, relIntersects},
		{relIntersects, relEqual, relIntersects},
		{relSubset, relIntersects, relIntersects},
	}
	for _, tt := range tests {
		if got, ok := compose(tt.r1, tt.r2); !ok || got != tt.want {
			t.Errorf("compose(%s, %s) = %s, %v; want %s", tt.r1, tt.r2, got, ok, tt.want)
		}
	}
	if _, ok := compose(relNone, relSubset); ok {
		t.Error("no-relationship composed")
	}
}

func TestComposeChainReadsDirection(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	// a subset-of b, c subset-of b (walked backwards: b superset-of c), c SATISFIES p.
	links := []link{
		{from: "a", to: "b", relationship: relSubset, strength: f(0.9)},
		{from: "c", to: "b", relationship: relSubset, strength: f(0.5)},
		{from: "c", to: "p", relationship: relSubset, strength: f(0.8)},
	}
	rel, s, ok := composeChain("a", links)
	if !ok || rel != relIntersects || s == nil || *s != 0.5 {
		t.Errorf("got %s %v %v; want intersects-with (a subset turn), weakest 0.5", rel, s, ok)
	}
	rel, s, ok = composeChain("c", links[2:])
	if !ok || rel != relSubset || *s != 0.8 {
		t.Errorf("direct: %s %v %v", rel, s, ok)
	}
	if _, _, ok := composeChain("a", []link{{from: "a", to: "p", relationship: relNone}}); ok {
		t.Error("a chain through no-relationship holds")
	}
	if _, s, _ := composeChain("a", []link{{from: "a", to: "p", relationship: relSubset}}); s != nil {
		t.Error("a strength from a link without one")
	}
}
