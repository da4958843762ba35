package resolvers

import (
	"fmt"

	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

// props is a node's property map as returned by `properties(n)`.
type props map[string]any

func propsOf(v any) props {
	m, _ := v.(map[string]any)
	return m
}

func (p props) str(key string) string {
	if v, ok := p[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

func (p props) opt(key string) *string {
	if s := p.str(key); s != "" {
		return &s
	}
	return nil
}

func regulationOf(p props) *model.Regulation {
	return &model.Regulation{
		ID: p.str("id"), Title: p.str("title"), ShortTitle: p.opt("shortTitle"),
		Celex: p.opt("celex"), Version: p.opt("version"), Source: p.opt("source"),
	}
}

func standardOf(p props) *model.Standard {
	return &model.Standard{
		ID: p.str("id"), Title: p.str("title"), Family: p.opt("family"),
		Version: p.opt("version"), Publisher: p.opt("publisher"), Source: p.opt("source"),
	}
}

func nodeOf(kind string, p props) model.Node {
	switch kind {
	case "Regulation":
		return regulationOf(p)
	case "Standard":
		return standardOf(p)
	case "Provision":
		return provisionOf(p)
	case "Control":
		return controlOf(p)
	case "AISystem":
		return aiSystemOf(p)
	case "Asset":
		return assetOf(p)
	case "Implementation":
		return implementationOf(p)
	}
	// Threat and Risk carry lists that threat(id) and risksTo load in the same statement; here
	// they would be empty, so they come as GraphNode.
	return &model.GraphNode{ID: p.str("id"), Kind: kind, Title: p.opt("title")}
}

func (p props) int(key string) *int {
	if v, ok := p[key].(int64); ok {
		n := int(v)
		return &n
	}
	return nil
}
