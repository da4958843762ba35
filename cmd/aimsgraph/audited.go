package main

import (
	"context"
	"os/user"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/resolvers"
)

// actor names who runs a command in the audit trail: --actor, or the operating system user.
func (g *Globals) actor() string {
	if g.Actor != "" {
		return g.Actor
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}

// audited runs change with the command's audit record attached to its transaction; a failed
// change gets a record of its own.
func (g *Globals) audited(ctx context.Context, store *graph.Store, op string, vars map[string]any, touched []string, change func(context.Context) error) error {
	e := audit.Entry{Actor: g.actor(), ActorKind: "cli", Channel: "cli", Operation: op, Variables: vars, Touched: touched}
	return audit.New(store, g.logger()).Run(ctx, e, commandOutcome, change)
}

// commandOutcome is the API's error code of a failed command; a failed load is not an internal
// error of the service.
func commandOutcome(err error) string {
	if code := resolvers.ErrorCode(err); code != resolvers.CodeInternal {
		return code
	}
	return "ERROR"
}

// sourceNames are the sources a load writes, for its audit record.
func sourceNames(batches []*loaders.Batch) []string {
	names := make([]string, len(batches))
	for i, b := range batches {
		names[i] = b.Source.Name
	}
	return names
}
