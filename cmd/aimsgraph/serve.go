package main

import (
	"context"
	"fmt"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/server"
)

// ServeCmd runs the HTTP service.
type ServeCmd struct {
	Addr            string `name:"addr" env:"AIMSGRAPH_ADDR" default:"127.0.0.1:8080" help:"Address to listen on."`
	ComplexityLimit int    `name:"complexity-limit" env:"AIMSGRAPH_COMPLEXITY_LIMIT" default:"1000" help:"Maximum cost of one GraphQL operation."`
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
		ComplexityLimit: c.ComplexityLimit,
	})
	if err := srv.Run(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
