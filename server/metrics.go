package server

import (
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the Prometheus series of one service instance, in their own registry.
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	gqlRequests   *prometheus.CounterVec
	gqlDuration   *prometheus.HistogramVec
	stmtDuration  *prometheus.HistogramVec
	neo4jUp       prometheus.Gauge
	rateLimited   prometheus.Counter
	authFailures  prometheus.Counter
	opNames       sync.Map // operation names seen, to bound label cardinality
	opNamesCount  int
	opNamesMu     sync.Mutex
	maxOperations int
}

// NewMetrics registers aimsgraph's series and the Go runtime and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aimsgraph_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "aimsgraph_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		gqlRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aimsgraph_graphql_requests_total", Help: "GraphQL operations by operation name and outcome (ok, error, unavailable).",
		}, []string{"operation", "outcome"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "aimsgraph_graphql_request_duration_seconds", Help: "GraphQL operation latency by operation name.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation"}),
		stmtDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "aimsgraph_neo4j_statement_duration_seconds", Help: "Neo4j statement latency by statement name and outcome.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"statement", "outcome"}),
		neo4jUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aimsgraph_neo4j_up", Help: "1 when the last readiness check reached Neo4j with the schema migrated.",
		}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aimsgraph_rate_limited_total", Help: "GraphQL requests refused with 429 because their caller exceeded the rate limit.",
		}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aimsgraph_auth_failures_total", Help: "GraphQL requests refused with 401: no, unknown, expired or invalid bearer token.",
		}),
		maxOperations: 200,
	}
	reg.MustRegister(m.httpRequests, m.httpDuration, m.gqlRequests, m.gqlDuration, m.stmtDuration, m.neo4jUp, m.rateLimited, m.authFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveStatement records one Neo4j statement; it is the store's Observe hook.
func (m *Metrics) ObserveStatement(name string, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.stmtDuration.WithLabelValues(name, outcome).Observe(d.Seconds())
}

func (m *Metrics) observeGraphQL(operation, outcome string, d time.Duration) {
	operation = m.operationLabel(operation)
	m.gqlRequests.WithLabelValues(operation, outcome).Inc()
	m.gqlDuration.WithLabelValues(operation).Observe(d.Seconds())
}

func (m *Metrics) observeHTTP(route string, code int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, statusLabel(code)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *Metrics) setNeo4jUp(up bool) {
	if up {
		m.neo4jUp.Set(1)
	} else {
		m.neo4jUp.Set(0)
	}
}

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// operationLabel bounds the label's cardinality: clients name operations freely, so only the first
// maxOperations well-formed names get a series of their own.
func (m *Metrics) operationLabel(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	if _, ok := m.opNames.Load(name); ok {
		return name
	}
	m.opNamesMu.Lock()
	defer m.opNamesMu.Unlock()
	if m.opNamesCount >= m.maxOperations {
		return "other"
	}
	if _, loaded := m.opNames.LoadOrStore(name, struct{}{}); !loaded {
		m.opNamesCount++
	}
	return name
}

func statusLabel(code int) string { return strconv.Itoa(code) }
