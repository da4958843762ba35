package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/auth"
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

	Auth      string `name:"auth" env:"AIMSGRAPH_AUTH" default:"token" enum:"token,none" help:"token: every /graphql request needs a bearer token (API token or JWT); none: no authentication, only on a loopback address (local use)."`
	TokenFile string `name:"token-file" env:"AIMSGRAPH_TOKEN_FILE" type:"path" help:"YAML file of API token hashes with their roles (SECURITY.md); re-read on SIGHUP and by the reloadTokens mutation."`
	Tokens    string `name:"tokens" env:"AIMSGRAPH_TOKENS" help:"API token hashes as name:role[+role]:sha256, separated by commas (from 'aimsgraph token new')."`

	JWTIssuer     string        `name:"jwt-issuer" env:"AIMSGRAPH_JWT_ISSUER" help:"Issuer (iss) of accepted JWTs: the OIDC provider's issuer URL. Turns JWT validation on."`
	JWTAudience   []string      `name:"jwt-audience" env:"AIMSGRAPH_JWT_AUDIENCE" help:"Accepted audiences (aud), comma-separated."`
	JWKSURL       string        `name:"jwks-url" env:"AIMSGRAPH_JWKS_URL" help:"The provider's JWKS URL (https), refreshed hourly and on an unknown key id."`
	JWKSFile      string        `name:"jwks-file" env:"AIMSGRAPH_JWKS_FILE" type:"path" help:"A JWKS file instead of a URL (offline or pinned keys)."`
	JWTSkew       time.Duration `name:"jwt-skew" env:"AIMSGRAPH_JWT_SKEW" default:"60s" help:"Clock skew allowed on exp, nbf and iat."`
	JWTRolesClaim string        `name:"jwt-roles-claim" env:"AIMSGRAPH_JWT_ROLES_CLAIM" default:"roles" help:"Claim with the caller's roles; a dotted path for nested claims (realm_access.roles)."`
	JWTRolePrefix string        `name:"jwt-role-prefix" env:"AIMSGRAPH_JWT_ROLE_PREFIX" help:"Only claim values with this prefix count, without it (aimsgraph: makes aimsgraph:editor the editor role)."`

	RateLimit      float64       `name:"rate-limit" env:"AIMSGRAPH_RATE_LIMIT" default:"20" help:"Requests per second per caller (token or JWT subject); 0 turns the limit off."`
	RateBurst      int           `name:"rate-burst" env:"AIMSGRAPH_RATE_BURST" default:"40" help:"Requests a caller may send at once before the rate applies."`
	RequestTimeout time.Duration `name:"request-timeout" env:"AIMSGRAPH_REQUEST_TIMEOUT" default:"30s" help:"Time one GraphQL request may take; its Neo4j transactions are rolled back when it is up."`
	Introspection  bool          `name:"introspection" env:"AIMSGRAPH_INTROSPECTION" default:"true" negatable:"" help:"Allow schema introspection (--no-introspection in production)."`
	GraphiQL       bool          `name:"graphiql" env:"AIMSGRAPH_GRAPHIQL" default:"true" negatable:"" help:"Serve the GraphiQL page on / (--no-graphiql in production)."`
	CORSOrigins    []string      `name:"cors-origins" env:"AIMSGRAPH_CORS_ORIGINS" help:"Browser origins allowed to call /graphql (https://dash.example.com), comma-separated; none by default."`
}

// authenticator builds the token set and JWT verifier the flags configure; nil with --auth=none.
func (c *ServeCmd) authenticator(ctx context.Context) (auth.Authenticator, *auth.TokenSet, error) {
	jwtOn := c.JWTIssuer != "" || c.JWKSURL != "" || c.JWKSFile != ""
	tokensOn := c.TokenFile != "" || c.Tokens != ""
	if c.Auth == "none" {
		if jwtOn || tokensOn {
			return nil, nil, fmt.Errorf("--auth=none and tokens or JWT validation are both configured; choose one")
		}
		return nil, nil, nil
	}
	var chain auth.Chain
	if tokensOn {
		set, err := auth.LoadTokens(c.TokenFile, c.Tokens)
		if err != nil {
			return nil, nil, err
		}
		chain.Tokens = set
	}
	if jwtOn {
		v, err := auth.NewJWTVerifier(ctx, auth.JWTConfig{
			Issuer: c.JWTIssuer, Audience: c.JWTAudience, JWKSURL: c.JWKSURL, JWKSFile: c.JWKSFile,
			Skew: c.JWTSkew, RolesClaim: c.JWTRolesClaim, RolePrefix: c.JWTRolePrefix,
		})
		if err != nil {
			return nil, nil, err
		}
		chain.JWT = v
	}
	if chain.Tokens == nil && chain.JWT == nil {
		return nil, nil, fmt.Errorf("--auth=token, but no API tokens and no JWT validation are configured: create a token with " +
			"'aimsgraph token new --name me --role admin' and set AIMSGRAPH_TOKENS to its entry, or serve with --auth=none on a loopback address")
	}
	return chain, chain.Tokens, nil
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
	e := audit.Entry{Actor: "aimsgraph:serve", ActorKind: "service", Channel: "serve", Operation: "loadContent",
		Variables: map[string]any{"content": c.Content}, Touched: sourceNames(batches)}
	var sums []loaders.Summary
	err = audit.New(store, log).Run(ctx, e, commandOutcome, func(ctx context.Context) error {
		sums, err = loaders.Write(ctx, store, loaders.Options{}, batches...)
		return err
	})
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

// reloadOnHangup re-reads the token file and AIMSGRAPH_TOKENS on SIGHUP.
func reloadOnHangup(ctx context.Context, tokens *auth.TokenSet, log zerolog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := tokens.Reload(); err != nil {
				log.Error().Err(err).Msg("tokens not reloaded; the previous ones stay in force")
			} else {
				log.Info().Int("tokens", tokens.Len()).Msg("tokens reloaded")
			}
		}
	}
}

// Run serves until SIGINT or SIGTERM.
func (c *ServeCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	metrics := server.NewMetrics()
	authn, tokens, err := c.authenticator(ctx)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if tokens != nil {
		go reloadOnHangup(ctx, tokens, log)
	}
	opts, err := g.Neo4j.options(metrics.ObserveStatement)
	if err != nil {
		return err
	}
	store, err := graph.Open(opts)
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
		Auth:    authn, Tokens: tokens, RatePerSecond: c.RateLimit, RateBurst: c.RateBurst, RequestTimeout: c.RequestTimeout,
		DisableIntrospection: !c.Introspection, DisableGraphiQL: !c.GraphiQL, CORSOrigins: c.CORSOrigins,
	})
	if err := srv.Run(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
