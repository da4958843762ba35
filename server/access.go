package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/rs/cors"
	"golang.org/x/time/rate"

	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/resolvers"
)

// Error codes sent by the HTTP layer in front of GraphQL.
const (
	codeRateLimited     = "RATE_LIMITED"
	codeUnauthenticated = resolvers.CodeUnauthenticated
)

// localPrincipal is the caller when authentication is off (loopback only): everything is allowed,
// and the audit trail names it "local".
var localPrincipal = &auth.Principal{ID: "local", Kind: "none", Roles: []auth.Role{auth.Admin}}

// writeGraphQLError answers with a GraphQL-shaped error body, so that clients read every refusal
// the same way.
func writeGraphQLError(w http.ResponseWriter, status int, code, msg string, ext map[string]any) {
	if ext == nil {
		ext = map[string]any{}
	}
	ext["code"] = code
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
}

// authenticate puts the caller's principal into the request context, or answers 401. The token
// is never logged; the reason for a refusal is.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := localPrincipal
		if s.cfg.Auth != nil {
			token, err := auth.BearerToken(r.Header.Get("Authorization"))
			if err == nil {
				p, err = s.cfg.Auth.Authenticate(r.Context(), token)
			}
			if err != nil {
				msg := err.Error()
				var inv *auth.InvalidError
				challenge := `Bearer realm="aimsgraph"`
				if errors.As(err, &inv) {
					// RFC 6750: the description may not contain quotes or backslashes.
					desc := strings.NewReplacer(`"`, "'", `\`, "/").Replace(inv.Reason)
					challenge += `, error="invalid_token", error_description="` + desc + `"`
				} else {
					msg = "authentication required: send Authorization: Bearer TOKEN"
				}
				if info := requestInfoFrom(r.Context()); info != nil {
					info.setAuthFailure(msg)
				}
				s.cfg.Metrics.authFailures.Inc()
				w.Header().Set("WWW-Authenticate", challenge)
				writeGraphQLError(w, http.StatusUnauthorized, codeUnauthenticated, msg, nil)
				return
			}
		}
		if info := requestInfoFrom(r.Context()); info != nil {
			info.setActor(p.ID)
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// rateLimiter keeps one token bucket per principal. Buckets of callers not seen for ten minutes
// are dropped, so memory stays bounded by the number of active callers.
type rateLimiter struct {
	rate    rate.Limit
	burst   int
	buckets *expirable.LRU[string, *rate.Limiter]
}

func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	if burst <= 0 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	return &rateLimiter{rate: rate.Limit(perSecond), burst: burst, buckets: expirable.NewLRU[string, *rate.Limiter](100_000, nil, 10*time.Minute)}
}

// allow takes one request from p's bucket; when it is empty it says how long to wait.
func (l *rateLimiter) allow(p *auth.Principal, now time.Time) (bool, time.Duration) {
	lim, ok := l.buckets.Get(p.ID)
	if !ok {
		r, b := l.rate, l.burst
		if p.RatePerSecond > 0 {
			r = rate.Limit(p.RatePerSecond)
			b = max(1, int(math.Ceil(p.RatePerSecond)))
		}
		if p.Burst > 0 {
			b = p.Burst
		}
		lim = rate.NewLimiter(r, b)
		l.buckets.Add(p.ID, lim)
	}
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Second
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// rateLimit answers 429 with Retry-After when the caller's bucket is empty.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.cfg.RatePerSecond <= 0 {
		return next
	}
	lim := newRateLimiter(s.cfg.RatePerSecond, s.cfg.RateBurst)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if ok, wait := lim.allow(p, time.Now()); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.cfg.Metrics.rateLimited.Inc()
			writeGraphQLError(w, http.StatusTooManyRequests, codeRateLimited,
				fmt.Sprintf("rate limit of %s exceeded; retry after %d s", p.ID, secs), map[string]any{"retryAfterSeconds": secs})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// deadline bounds each GraphQL request: its Neo4j transactions run under the request's context,
// so the driver rolls them back when the time is up and the caller gets TIMEOUT.
func (s *Server) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(&timeoutWriter{ResponseWriter: w, ctx: ctx, limit: s.cfg.RequestTimeout}, r.WithContext(ctx))
	})
}

// timeoutWriter replaces the bare "null" gqlgen writes when the deadline passed before execution
// began with a TIMEOUT error, so that callers read every timeout the same way.
type timeoutWriter struct {
	http.ResponseWriter
	ctx     context.Context
	limit   time.Duration
	written bool
}

func (w *timeoutWriter) Write(b []byte) (int, error) {
	first := !w.written
	w.written = true
	if first && w.ctx.Err() != nil && string(bytes.TrimSpace(b)) == "null" {
		msg := fmt.Sprintf(`{"errors":[{"message":"the request took longer than %s and was cancelled","extensions":{"code":%q}}]}`, w.limit, resolvers.CodeTimeout)
		if _, err := w.ResponseWriter.Write([]byte(msg)); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *timeoutWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// withCORS allows the configured browser origins to call /graphql with a bearer token. Without
// origins no CORS headers are sent, so browsers keep other sites' pages out.
func (s *Server) withCORS(next http.Handler) http.Handler {
	if len(s.cfg.CORSOrigins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: s.cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id", "Retry-After"},
		MaxAge:         600,
	}).Handler(next)
}

// isLoopback reports whether a listener's address accepts only local connections.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP != nil && tcp.IP.IsLoopback()
}
