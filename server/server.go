// Package server assembles aimsgraph's HTTP service: GraphQL and GraphiQL, health and readiness,
// Prometheus metrics, request logging, and the supervision of the Neo4j connection.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/graph"
)

// Config is what a Server needs.
type Config struct {
	Addr     string
	Store    *graph.Store
	Migrator *graph.Migrator
	Metrics  *Metrics
	Log      zerolog.Logger
	// Prepare runs once after the schema is migrated and before readiness turns green (the
	// bundled content load). A failure is retried with the connection.
	Prepare func(ctx context.Context) error
	// ComplexityLimit bounds the cost of one GraphQL operation (default 10000; a list counts its page size times its items).
	ComplexityLimit int
	// DepthLimit bounds how deep one GraphQL operation nests (default 12).
	DepthLimit int
	// MaxBodyBytes bounds a GraphQL request body (default 1 MiB); larger ones get 413.
	MaxBodyBytes int64
	// CheckInterval is how often the Neo4j connection is checked while healthy (default 5s).
	CheckInterval time.Duration

	// Auth authenticates the bearer token of every /graphql request. Nil means no
	// authentication: every caller is "local" with all roles, which Serve allows only on a
	// loopback address.
	Auth auth.Authenticator
	// Tokens are the static API tokens behind Auth, for the admin's apiTokens and reloadTokens.
	Tokens *auth.TokenSet
	// RatePerSecond and RateBurst bound the requests of each caller (token or JWT subject);
	// 0 turns rate limiting off. Tokens may set their own.
	RatePerSecond float64
	RateBurst     int
	// RequestTimeout bounds each GraphQL request, its Neo4j transactions included (default 30s).
	RequestTimeout time.Duration
	// DisableIntrospection and DisableGraphiQL switch off schema introspection and the GraphiQL
	// page (production deployments that do not want to advertise the schema).
	DisableIntrospection bool
	DisableGraphiQL      bool
	// CORSOrigins are the browser origins allowed to call /graphql ("https://dash.example.com");
	// none by default.
	CORSOrigins []string
}

// Server is one aimsgraph HTTP service.
type Server struct {
	cfg   Config
	ready readiness
	audit *audit.Trail
}

// New returns a server; Run starts it.
func New(cfg Config) *Server {
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.DepthLimit <= 0 {
		cfg.DepthLimit = 12
	}
	if cfg.ComplexityLimit <= 0 {
		cfg.ComplexityLimit = 10000
	}
	if cfg.CheckInterval <= 0 {
		cfg.CheckInterval = 5 * time.Second
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	s := &Server{cfg: cfg, audit: audit.New(cfg.Store, cfg.Log)}
	s.ready.set(false, false, "connecting to Neo4j")
	return s
}

// Handler returns the HTTP routes with logging and metrics around them.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	// Outside in: CORS (answers preflights), body limit, authentication, rate limit per caller,
	// deadline, GraphQL (where resolvers.Guard authorises each root field).
	gql := s.withCORS(limitBody(s.cfg.MaxBodyBytes, s.authenticate(s.rateLimit(s.deadline(s.graphQLHandler())))))
	mux.Handle("/graphql", gql)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Metrics.Registry, promhttp.HandlerOpts{}))
	if !s.cfg.DisableGraphiQL {
		mux.Handle("GET /{$}", playground.Handler("aimsgraph", "/graphql"))
	}
	return s.observe(mux)
}

// Run serves until ctx is cancelled, then shuts down gracefully. Neo4j need not be up: the
// connection is retried with backoff in the background and readiness says why it is not ready.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened (tests use port 0).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.cfg.Auth == nil {
		if !isLoopback(ln.Addr()) {
			ln.Close()
			return fmt.Errorf("authentication is off (--auth=none), which is allowed only on a loopback address, not %s; configure tokens or JWT validation (SECURITY.md)", ln.Addr())
		}
		s.cfg.Log.Warn().Str("addr", ln.Addr().String()).Msg("authentication is OFF (--auth=none): every local caller has all roles; never use this beyond your own machine")
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	superviseCtx, stopSupervise := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.superviseNeo4j(superviseCtx) }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.cfg.Log.Info().Str("addr", ln.Addr().String()).Bool("authentication", s.cfg.Auth != nil).Float64("rate_per_second", s.cfg.RatePerSecond).
		Dur("request_timeout", s.cfg.RequestTimeout).Bool("introspection", !s.cfg.DisableIntrospection).Bool("graphiql", !s.cfg.DisableGraphiQL).
		Strs("cors_origins", s.cfg.CORSOrigins).Msg("serving GraphQL on /graphql")

	select {
	case err := <-errc:
		stopSupervise()
		wg.Wait()
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	s.cfg.Log.Info().Msg("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	stopSupervise()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// superviseNeo4j connects, migrates and prepares with exponential backoff until it succeeds, then
// keeps checking the connection so that readiness and the log say when Neo4j goes away.
func (s *Server) superviseNeo4j(ctx context.Context) {
	log := s.cfg.Log
	const minBackoff, maxBackoff = 500 * time.Millisecond, 10 * time.Second
	backoff := minBackoff
	prepared := false
	wasUp := false
	for attempt := 1; ; attempt++ {
		err := s.cfg.Store.Ping(ctx)
		if err == nil && !prepared {
			err = s.prepare(ctx)
			prepared = err == nil
		}
		up := err == nil
		switch {
		case up && !wasUp:
			log.Info().Int("attempt", attempt).Msg("neo4j ready")
		case !up && ctx.Err() == nil:
			log.Warn().Err(err).Int("attempt", attempt).Dur("retry_in", backoff).Msg("neo4j not ready; retrying")
		}
		reason := ""
		if err != nil {
			reason = err.Error()
		}
		s.ready.set(prepared, up, reason)
		s.cfg.Metrics.setNeo4jUp(up && prepared)
		wasUp = up
		wait := s.cfg.CheckInterval
		if !up {
			wait, backoff = backoff, min(backoff*2, maxBackoff)
		} else {
			backoff = minBackoff
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (s *Server) prepare(ctx context.Context) error {
	res, err := s.cfg.Migrator.Migrate(ctx)
	if err != nil {
		return err
	}
	s.cfg.Log.Info().Ints("applied", res.Applied).Int("schema_version", res.Current).Msg("schema migrated")
	if err := s.audit.Migrated(ctx, audit.Entry{Actor: "aimsgraph:serve", ActorKind: "service", Channel: "serve"}, res.Applied, res.Current); err != nil {
		return err
	}
	if s.cfg.Prepare != nil {
		if err := s.cfg.Prepare(ctx); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	return nil
}

// readyz is 200 when the schema is migrated and Neo4j answers now, else 503 with the reason. It
// pings Neo4j itself rather than trusting the supervisor's last check, so that it turns green as
// soon as Neo4j is back.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	prepared, _, reason := s.ready.get()
	ok := prepared
	if prepared {
		if err := s.cfg.Store.Ping(r.Context()); err != nil {
			ok, reason = false, err.Error()
		} else {
			reason = ""
		}
	}
	if !ok {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// readiness is the supervisor's view: whether the schema was migrated and the content prepared
// (once per process), whether Neo4j answered the last check, and why not.
type readiness struct {
	mu       sync.Mutex
	prepared bool
	up       bool
	reason   string
}

func (r *readiness) set(prepared, up bool, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prepared, r.up, r.reason = prepared, up, reason
}

func (r *readiness) get() (prepared, up bool, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.prepared, r.up, r.reason
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
