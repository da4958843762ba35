package main

import (
	"context"
	"os/user"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/graph"
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
	trail := audit.New(store, g.logger())
	ctx, p := trail.Begin(ctx, audit.Entry{Actor: g.actor(), ActorKind: "cli", Channel: "cli", Operation: op, Variables: vars, Touched: touched})
	err := change(ctx)
	outcome := audit.OutcomeOK
	if err != nil {
		// The API's codes; a failed load is not an internal error of the service.
		if outcome = resolvers.ErrorCode(err); outcome == resolvers.CodeInternal {
			outcome = "ERROR"
		}
	}
	if aerr := p.Finish(ctx, outcome, err); aerr != nil && err == nil {
		return aerr
	}
	return err
}
