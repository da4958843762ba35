// Package schema holds aimsgraph's GraphQL SDL (schema.graphqls, the source gqlgen generates
// from) and renders its reference documentation.
package schema

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// SDL is the schema source.
//
//go:embed schema.graphqls
var SDL string

// Markdown renders a reference of every type the SDL declares: queries and mutations first, then
// the types in name order, each field with its arguments, type and description.
func Markdown() (string, error) {
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: SDL})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# GraphQL schema reference\n\nGenerated from `schema/schema.graphqls` (`UPDATE_DOCS=1 go test ./schema/`); do not edit.\n")
	var names []string
	for name, def := range s.Types {
		if def.BuiltIn || name == "Query" || name == "Mutation" {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range append([]string{"Query", "Mutation"}, names...) {
		def := s.Types[name]
		if def == nil {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n", name)
		kind := strings.ToLower(string(def.Kind))
		if len(def.Interfaces) > 0 {
			kind += ", implements " + strings.Join(def.Interfaces, ", ")
		}
		fmt.Fprintf(&b, "*%s*\n\n", kind)
		if def.Description != "" {
			b.WriteString(oneParagraph(def.Description) + "\n\n")
		}
		switch def.Kind {
		case ast.Enum:
			for _, v := range def.EnumValues {
				fmt.Fprintf(&b, "- `%s`%s\n", v.Name, describe(v.Description))
			}
		default:
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				fmt.Fprintf(&b, "- `%s%s: %s`%s\n", f.Name, arguments(f.Arguments), f.Type.String(), describe(f.Description))
			}
		}
	}
	return b.String(), nil
}

func arguments(args ast.ArgumentDefinitionList) string {
	if len(args) == 0 {
		return ""
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.Name + ": " + a.Type.String()
		if a.DefaultValue != nil {
			parts[i] += " = " + a.DefaultValue.String()
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func describe(d string) string {
	if d == "" {
		return ""
	}
	return " — " + oneParagraph(d)
}

func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }
