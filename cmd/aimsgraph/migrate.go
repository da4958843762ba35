package main

import (
	"context"
	"fmt"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/graph"
)

// MigrateCmd applies the schema migrations.
type MigrateCmd struct {
	Status bool `name:"status" help:"Only list the migrations not applied yet."`
}

// Run migrates, or reports what is pending.
func (c *MigrateCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	opts, err := g.Neo4j.options(nil)
	if err != nil {
		return err
	}
	store, err := graph.Open(opts)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.Ping(ctx); err != nil {
		return fmt.Errorf("migrate: %s: %w", g.Neo4j.URI, err)
	}
	if !c.Status {
		return migrate(ctx, g, store)
	}
	m, err := graph.NewMigrator(store)
	if err != nil {
		return err
	}
	{
		pending, err := m.Pending(ctx)
		if err != nil {
			return err
		}
		cur, err := m.Current(ctx)
		if err != nil {
			return err
		}
		log.Info().Int("schema_version", cur).Ints("pending", pending).Msg("migration status")
	}
	return nil
}

// migrate applies pending migrations; when it applied any, the audit trail records them.
func migrate(ctx context.Context, g *Globals, store *graph.Store) error {
	m, err := graph.NewMigrator(store)
	if err != nil {
		return err
	}
	res, err := m.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(res.Applied) == 0 {
		return nil
	}
	log := g.logger()
	log.Info().Ints("applied", res.Applied).Int("schema_version", res.Current).Msg("schema migrated")
	return audit.New(store, log).Migrated(ctx, audit.Entry{Actor: g.actor(), ActorKind: "cli", Channel: "cli"}, res.Applied, res.Current)
}
