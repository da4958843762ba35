package main

import (
	"context"
	"fmt"

	"github.com/aimsgraph/aimsgraph/graph"
)

// MigrateCmd applies the schema migrations.
type MigrateCmd struct {
	Status bool `name:"status" help:"Only list the migrations not applied yet."`
}

// Run migrates, or reports what is pending.
func (c *MigrateCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	store, err := graph.Open(g.Neo4j.options(nil))
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	if err := store.Ping(ctx); err != nil {
		return fmt.Errorf("migrate: %s: %w", g.Neo4j.URI, err)
	}
	m, err := graph.NewMigrator(store)
	if err != nil {
		return err
	}
	if c.Status {
		pending, err := m.Pending(ctx)
		if err != nil {
			return err
		}
		cur, err := m.Current(ctx)
		if err != nil {
			return err
		}
		log.Info().Int("schema_version", cur).Ints("pending", pending).Msg("migration status")
		return nil
	}
	res, err := m.Migrate(ctx)
	if err != nil {
		return err
	}
	log.Info().Ints("applied", res.Applied).Int("schema_version", res.Current).Msg("schema migrated")
	return nil
}
