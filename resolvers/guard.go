package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/auth"
)

// Error codes of access control.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

var errUnauthenticated = &UserError{Code: CodeUnauthenticated, Msg: "authentication required: send Authorization: Bearer TOKEN"}

// Guard returns the field middleware that is the one place where access is decided: every root
// field is checked against the permission its @requires directive names (Query fields without
// one need READ; Mutation fields without one are refused), before its resolver runs. Every
// mutation, allowed or not, is audited: a change and its record commit together, a refusal or
// failure gets a record of its own.
func Guard(schema *ast.Schema, r *Resolver) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || (fc.Object != "Query" && fc.Object != "Mutation") || fc.Field.Field == nil {
			return next(ctx)
		}
		p := auth.FromContext(ctx)
		err := authorize(p, fc)
		if fc.Object == "Query" {
			if err != nil {
				return nil, err
			}
			return next(ctx)
		}
		if r.Audit == nil {
			if err != nil {
				return nil, err
			}
			return next(ctx)
		}
		entry := audit.Entry{Channel: "graphql", Operation: fc.Field.Name, RequestID: audit.RequestID(ctx), Variables: fc.Args,
			Touched: argumentIDs(schema, fc.Field.Definition, fc.Args)}
		if p != nil {
			entry.Actor, entry.ActorKind, entry.Roles = p.ID, p.Kind, p.RoleNames()
		}
		var res any
		err = r.Audit.Run(ctx, entry, ErrorCode, func(ctx context.Context) error {
			if err != nil {
				return err // refused: recorded, never run
			}
			var nerr error
			res, nerr = next(ctx)
			return nerr
		})
		if err != nil {
			return nil, err
		}
		return res, nil
	}
}

// authorize decides one root field.
func authorize(p *auth.Principal, fc *graphql.FieldContext) error {
	name := fc.Field.Name
	if p == nil {
		return errUnauthenticated
	}
	if strings.HasPrefix(name, "__") { // introspection, switched on or off as a whole by the server
		return nil
	}
	need, ok := requiredPermission(fc.Field.Definition)
	if !ok {
		if fc.Object == "Mutation" {
			return &UserError{Code: CodeForbidden, Msg: fmt.Sprintf("%s declares no permission and is refused", name)}
		}
		need = auth.Read
	}
	if !p.Can(need) {
		roles := strings.Join(p.RoleNames(), ", ")
		if roles == "" {
			roles = "no aimsgraph role"
		}
		return &UserError{Code: CodeForbidden, Msg: fmt.Sprintf("%s (%s) may not call %s: it needs %s", p.ID, roles, name, need)}
	}
	return nil
}

// requiredPermission returns the permission a field's @requires directive names.
func requiredPermission(def *ast.FieldDefinition) (auth.Permission, bool) {
	if def == nil {
		return "", false
	}
	d := def.Directives.ForName("requires")
	if d == nil {
		return "", false
	}
	arg := d.Arguments.ForName("permission")
	if arg == nil || arg.Value == nil {
		return "", false
	}
	return auth.Permission(arg.Value.Raw), true
}

// argumentIDs collects the values of the ID-typed arguments of a field, also inside input
// objects: the ids a mutation names, for its audit record.
func argumentIDs(schema *ast.Schema, def *ast.FieldDefinition, args map[string]any) []string {
	if def == nil || len(args) == 0 {
		return nil
	}
	data, err := json.Marshal(args)
	if err != nil {
		return nil
	}
	var generic map[string]any
	if json.Unmarshal(data, &generic) != nil {
		return nil
	}
	var ids []string
	var walk func(t *ast.Type, v any)
	walk = func(t *ast.Type, v any) {
		if t == nil || v == nil {
			return
		}
		if t.Elem != nil {
			if xs, ok := v.([]any); ok {
				for _, x := range xs {
					walk(t.Elem, x)
				}
			}
			return
		}
		if t.NamedType == "ID" {
			if s, ok := v.(string); ok && s != "" {
				ids = append(ids, s)
			}
			return
		}
		obj, ok := v.(map[string]any)
		if !ok || schema == nil {
			return
		}
		if td := schema.Types[t.NamedType]; td != nil && td.Kind == ast.InputObject {
			for _, f := range td.Fields {
				walk(f.Type, obj[f.Name])
			}
		}
	}
	for _, a := range def.Arguments {
		walk(a.Type, generic[a.Name])
	}
	return ids
}
