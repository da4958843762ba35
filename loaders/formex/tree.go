package formex

import "github.com/aimsgraph/aimsgraph/loaders/xmltree"

type elem = xmltree.Elem

// formexText: footnotes (NOTE) are not part of a provision; paragraphs, items and points start
// a word, numbers end one.
var formexText = xmltree.TextRules{
	Skip:        map[string]bool{"NOTE": true},
	SpaceBefore: map[string]bool{"P": true, "ITEM": true, "ALINEA": true, "NP": true},
	SpaceAfter:  map[string]bool{"NO.P": true, "NO.PARAG": true},
}

func text(e *elem) string { return e.Text(formexText) }

var parseTree = xmltree.Parse
