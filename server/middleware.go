package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/audit"
)

type ctxKey struct{}

// requestInfo collects what the request's single log event reports.
type requestInfo struct {
	mu          sync.Mutex
	operation   string
	outcome     string
	actor       string
	authFailure string
}

func (i *requestInfo) setActor(id string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.actor = id
}

func (i *requestInfo) setAuthFailure(reason string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.authFailure = reason
}

func (i *requestInfo) setOperation(name, outcome string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.operation, i.outcome = name, outcome
}

func requestInfoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(ctxKey{}).(*requestInfo)
	return i
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// observe gives each request an id (a well-formed X-Request-Id from the caller is kept), a logger
// carrying it, one log event and its metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		log := s.cfg.Log.With().Str("request_id", id).Logger()
		info := &requestInfo{}
		ctx := context.WithValue(log.WithContext(r.Context()), ctxKey{}, info)
		ctx = audit.WithRequestID(ctx, id)
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))

		route := routeOf(r.URL.Path)
		d := time.Since(start)
		s.cfg.Metrics.observeHTTP(route, rec.code, d)
		level := zerolog.InfoLevel
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = zerolog.DebugLevel // probes would drown the log
		}
		if rec.code >= 500 {
			level = zerolog.WarnLevel
		}
		ev := log.WithLevel(level).Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", rec.code).Int64("bytes", rec.bytes).Dur("duration_ms", d)
		info.mu.Lock()
		if info.operation != "" || info.outcome != "" {
			ev = ev.Str("operation", info.operation).Str("outcome", info.outcome)
		}
		if info.actor != "" {
			ev = ev.Str("actor", info.actor)
		}
		if info.authFailure != "" {
			ev = ev.Str("auth_failure", info.authFailure)
		}
		info.mu.Unlock()
		ev.Msg("request")
	})
}

func routeOf(path string) string {
	switch path {
	case "/graphql", "/healthz", "/readyz", "/metrics", "/":
		return path
	}
	return "other"
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type statusRecorder struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// limitBody refuses request bodies larger than max with 413 before the GraphQL handler reads
// them: a client cannot make the server buffer an arbitrary amount.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, fmt.Sprintf("request body larger than %d bytes", max), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}
