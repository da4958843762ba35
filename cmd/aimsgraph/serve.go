package main

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/content"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/server"
)

// ServeCmd runs the HTTP service.
type ServeCmd struct {
	Addr            string `name:"addr" env:"AIMSGRAPH_ADDR" default:"127.0.0.1:8080" help:"Address to listen on."`
	ComplexityLimit int    `name:"complexity-limit" env:"AIMSGRAPH_COMPLEXITY_LIMIT" default:"10000" help:"Maximum cost of one GraphQL operation: a list counts its page size times its items."`
	DepthLimit      int    `name:"depth-limit" env:"AIMSGRAPH_DEPTH_LIMIT" default:"12" help:"Maximum nesting of one GraphQL operation."`
	MaxBodyBytes    int64  `name:"max-body-bytes" env:"AIMSGRAPH_MAX_BODY_BYTES" default:"1048576" help:"Largest GraphQL request body; larger ones get 413."`
	Content         string `name:"content" env:"AIMSGRAPH_CONTENT" default:"all" enum:"all,pack,none" help:"Bundled content to load at start: all (AI modules, mappings, AI Act references, demo organisation), pack (without the demo organisation), none."`
}

// loadContent writes the bundled content pack in one transaction; a reload of an unchanged pack
// changes nothing.
func (c *ServeCmd) loadContent(ctx context.Context, store *graph.Store, log zerolog.Logger) error {
	if c.Content == "none" {
		return nil
	}
	batches, err := content.Batches(c.Content == "all")
	if err != nil {
		return err
	}
	sums, err := loaders.Write(ctx, store, loaders.Options{}, batches...)
	if err != nil {
		return err
	}
	for _, s := range sums {
		log.Info().Str("source", s.Source).Int("nodes", s.Nodes).Int("relationships", s.Relationships).
			Int("nodes_created", s.NodesCreated).Int("nodes_updated", s.NodesUpdated).Int("nodes_removed", s.NodesRemoved).
			Dur("duration_ms", s.Duration).Msg("bundled content loaded")
	}
	return nil
}

// Run serves until SIGINT or SIGTERM.
func (c *ServeCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	metrics := server.NewMetrics()
	store, err := graph.Open(g.Neo4j.options(metrics.ObserveStatement))
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	migrator, err := graph.NewMigrator(store)
	if err != nil {
		return err
	}
	log.Info().Str("neo4j_uri", g.Neo4j.URI).Str("database", g.Neo4j.Database).Msg("starting aimsgraph")
	srv := server.New(server.Config{
		Addr: c.Addr, Store: store, Migrator: migrator, Metrics: metrics, Log: log,
		ComplexityLimit: c.ComplexityLimit, DepthLimit: c.DepthLimit, MaxBodyBytes: c.MaxBodyBytes,
		Prepare: func(ctx context.Context) error { return c.loadContent(ctx, store, log) },
	})
	if err := srv.Run(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
