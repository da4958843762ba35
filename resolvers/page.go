package resolvers

import (
	"encoding/base64"
	"strings"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
	cursorPrefix    = "id:"
)

// page is a validated keyset page request: ids after After, at most First of them.
type page struct {
	First int
	After string
}

func newPage(first *int, after *string) (page, error) {
	p := page{First: defaultPageSize}
	if first != nil {
		if *first < 0 || *first > maxPageSize {
			return p, badInput("first must be between 0 and %d, got %d", maxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil && *after != "" {
		id, err := decodeCursor(*after)
		if err != nil {
			return p, err
		}
		p.After = id
	}
	return p, nil
}

// params are the Cypher parameters of a page statement; one extra row tells if more follow.
func (p page) params() map[string]any {
	return map[string]any{"after": p.After, "limit": p.First + 1}
}

func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return "", badInput("after: %q is not a cursor of this list", c)
	}
	return strings.TrimPrefix(string(b), cursorPrefix), nil
}
