package resolvers

import "github.com/aimsgraph/aimsgraph/resolvers/model"

// NewConfig is the executable schema's configuration: the resolvers, and complexity functions
// that count a list field as its page size times its items' cost, so that the complexity limit
// bounds the work a request can ask for, not just the number of fields it names.
func NewConfig(r *Resolver) Config {
	c := Config{Resolvers: r}
	page := func(first *int, def int) int {
		if first != nil && *first > 0 {
			return *first
		}
		return def
	}
	c.Complexity.Query.Regulations = func(child int, first *int, _ *string) int { return 1 + child*page(first, defaultPageSize) }
	c.Complexity.Query.Standards = func(child int, first *int, _ *string) int { return 1 + child*page(first, defaultPageSize) }
	c.Complexity.Query.AiSystems = func(child int, _, _ *string, first *int, _ *string) int {
		return 1 + child*page(first, defaultPageSize)
	}
	c.Complexity.Query.Controls = func(child int, _ string, _ *string, first *int, _ *string) int {
		return 1 + child*page(first, defaultPageSize)
	}
	c.Complexity.Query.Provisions = func(child int, _ string, _ *string, first *int, _ *string) int {
		return 1 + child*page(first, defaultPageSize)
	}
	c.Complexity.Query.Search = func(child int, _ string, first *int) int { return 1 + child*page(first, 20) }
	c.Complexity.Provision.SatisfiedBy = func(child int, _ []string, _ *model.Relationship, _ *bool, _ *int, first *int) int {
		return 1 + child*page(first, 50)
	}
	return c
}
