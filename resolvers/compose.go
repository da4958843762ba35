package resolvers

import "github.com/aimsgraph/aimsgraph/resolvers/model"

// The set-theory relationships as stored on MAPS_TO and SATISFIES (OSCAL 1.2 names).
const (
	relEqual      = "equal-to"
	relEquivalent = "equivalent-to"
	relSubset     = "subset-of"
	relSuperset   = "superset-of"
	relIntersects = "intersects-with"
	relNone       = "no-relationship"
)

// compose gives the relationship of a to c from a r1 b and b r2 c; ok is false when the chain
// says nothing (a no-relationship link or an unknown value).
//
//	r1 \ r2      equal       equivalent  subset      superset    intersects
//	equal        equal       equivalent  subset      superset    intersects
//	equivalent   equivalent  equivalent  subset      superset    intersects
//	subset       subset      subset      subset      intersects  intersects
//	superset     superset    superset    intersects  superset    intersects
//	intersects   intersects  intersects  intersects  intersects  intersects
func compose(r1, r2 string) (string, bool) {
	known := func(r string) bool {
		switch r {
		case relEqual, relEquivalent, relSubset, relSuperset, relIntersects:
			return true
		}
		return false
	}
	if !known(r1) || !known(r2) {
		return "", false
	}
	switch {
	case r1 == relEqual:
		return r2, true
	case r2 == relEqual:
		return r1, true
	case r1 == relEquivalent:
		return r2, true
	case r2 == relEquivalent:
		return r1, true
	case r1 == r2:
		return r1, true // subset∘subset, superset∘superset, intersects∘intersects
	}
	return relIntersects, true
}

// invert is the relationship read against the mapping's direction.
func invert(r string) string {
	switch r {
	case relSubset:
		return relSuperset
	case relSuperset:
		return relSubset
	}
	return r
}

// link is one relationship of a chain as the statements return it.
type link struct {
	from, to     string
	relationship string
	strength     *float64
	structural   bool // a PART_OF step: it narrows the relationship but has no strength
}

func linkOf(v any) link {
	m, _ := v.(map[string]any)
	l := link{}
	l.from, _ = m["from"].(string)
	l.to, _ = m["to"].(string)
	l.relationship, _ = m["relationship"].(string)
	if f, ok := m["strength"].(float64); ok {
		l.strength = &f
	}
	return l
}

// composeChain walks links from start: each link is read in the direction of the walk (inverted
// when the walk goes against it). A missing relationship on the final SATISFIES counts as
// subset-of, the loaders' default. It returns the composed relationship, the weakest strength
// (nil when a link has none) and whether the chain holds at all.
func composeChain(start string, links []link) (string, *float64, bool) {
	rel, at := relEqual, start
	var weakest *float64
	allStrengths := true
	for _, l := range links {
		r := l.relationship
		if r == "" {
			r = relSubset
		}
		if r == relNone {
			return "", nil, false
		}
		if l.from == at {
			at = l.to
		} else {
			r, at = invert(r), l.from
		}
		var ok bool
		if rel, ok = compose(rel, r); !ok {
			return "", nil, false
		}
		switch {
		case l.structural:
		case l.strength == nil:
			allStrengths = false
		case weakest == nil || *l.strength < *weakest:
			s := *l.strength
			weakest = &s
		}
	}
	if !allStrengths {
		weakest = nil
	}
	return rel, weakest, true
}

// rank orders relationships from strongest (0) to weakest.
func rank(r string) int {
	switch r {
	case relEqual:
		return 0
	case relEquivalent:
		return 1
	case relSubset:
		return 2
	case relSuperset:
		return 3
	}
	return 4
}

var relationshipNames = map[string]model.Relationship{
	relEqual: model.RelationshipEqualTo, relEquivalent: model.RelationshipEquivalentTo, relSubset: model.RelationshipSubsetOf,
	relSuperset: model.RelationshipSupersetOf, relIntersects: model.RelationshipIntersectsWith,
}

func relationshipOf(m model.Relationship) string {
	for k, v := range relationshipNames {
		if v == m {
			return k
		}
	}
	return relIntersects
}
