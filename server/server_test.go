package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/server"
)

// startServer serves on a free loopback port until the test ends.
func startServer(t *testing.T, o graph.Options) (base string, logs *bytes.Buffer) {
	t.Helper()
	return startServerWith(t, o, nil)
}

// startServerWith is startServer with the configuration adjusted by configure.
func startServerWith(t *testing.T, o graph.Options, configure func(*server.Config)) (base string, logs *bytes.Buffer) {
	t.Helper()
	metrics := server.NewMetrics()
	o.Observe = metrics.ObserveStatement
	store, err := graph.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close(context.Background()) })
	mig, err := graph.NewMigrator(store)
	if err != nil {
		t.Fatal(err)
	}
	logs = &bytes.Buffer{}
	cfg := server.Config{
		Store: store, Migrator: mig, Metrics: metrics, Log: zerolog.New(&syncWriter{w: logs}),
		CheckInterval: 200 * time.Millisecond,
	}
	if configure != nil {
		configure(&cfg)
	}
	srv := server.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), logs
}

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func postQuery(t *testing.T, base, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode GraphQL response (status %d): %v", resp.StatusCode, err)
	}
	return out
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls until cond holds, failing after limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not reached within %s", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

func ready(t *testing.T, base string) bool {
	code, _ := get(t, base+"/readyz")
	return code == http.StatusOK
}

func TestGraphQLReadsFromNeo4j(t *testing.T) {
	store := graphtest.Store(t)
	prefix := graphtest.Prefix(t)
	graphtest.Cleanup(t, store, prefix)
	graphtest.Exec(t, store, "testdata/seed.cypher", map[string]any{
		"regulations": []map[string]any{
			{"id": prefix + "-reg", "title": "Artificial Intelligence Act", "celex": "32024R1689", "version": "2024-07-12"},
		},
		"standards": []map[string]any{
			{"id": prefix + "-std-a", "title": "Standard A", "version": "1"},
			{"id": prefix + "-std-b", "title": "Standard B", "version": "2"},
			{"id": prefix + "-std-c", "title": "Standard C", "version": "3"},
		},
	})
	base, _ := startServer(t, graphtest.Options())
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })

	got := postQuery(t, base, `query Lookup($id: ID!, $sid: ID!) {
		regulation(id: $id) { id title celex version }
		node(id: $sid) { id ... on Standard { title version } }
		missing: node(id: "no-such-node") { id }
	}`, map[string]any{"id": prefix + "-reg", "sid": prefix + "-std-b"})
	if len(got.Errors) > 0 {
		t.Fatalf("errors: %+v", got.Errors)
	}
	wantReg := map[string]any{"id": prefix + "-reg", "title": "Artificial Intelligence Act", "celex": "32024R1689", "version": "2024-07-12"}
	if fmt.Sprint(got.Data["regulation"]) != fmt.Sprint(wantReg) {
		t.Errorf("regulation = %v, want %v", got.Data["regulation"], wantReg)
	}
	wantNode := map[string]any{"id": prefix + "-std-b", "title": "Standard B", "version": "2"}
	if fmt.Sprint(got.Data["node"]) != fmt.Sprint(wantNode) {
		t.Errorf("node = %v, want %v", got.Data["node"], wantNode)
	}
	if got.Data["missing"] != nil {
		t.Errorf("missing node = %v, want null", got.Data["missing"])
	}

	// Walk all standards two at a time: ids come in strictly increasing order, every seeded one
	// exactly once, and as many as totalCount says.
	var ids []string
	after := ""
	total := -1
	for page := 0; page < 1000; page++ {
		r := postQuery(t, base, `query Page($after: String) { standards(first: 2, after: $after) {
			totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"after": after})
		if len(r.Errors) > 0 {
			t.Fatalf("page %d: %+v", page, r.Errors)
		}
		conn := r.Data["standards"].(map[string]any)
		total = int(conn["totalCount"].(float64))
		for _, e := range conn["edges"].([]any) {
			ids = append(ids, e.(map[string]any)["node"].(map[string]any)["id"].(string))
		}
		info := conn["pageInfo"].(map[string]any)
		if !info["hasNextPage"].(bool) {
			break
		}
		after = info["endCursor"].(string)
	}
	if len(ids) != total {
		t.Errorf("walked %d standards, totalCount says %d", len(ids), total)
	}
	seen := 0
	for i, id := range ids {
		if i > 0 && ids[i-1] >= id {
			t.Errorf("ids out of order: %q then %q", ids[i-1], id)
		}
		if strings.HasPrefix(id, prefix) {
			seen++
		}
	}
	if seen != 3 {
		t.Errorf("saw %d seeded standards while paging, want 3", seen)
	}
}

func TestGraphQLErrorsHaveCodes(t *testing.T) {
	graphtest.Store(t)
	base, _ := startServer(t, graphtest.Options())
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	tests := []struct {
		name, query, code string
	}{
		{"bad cursor", `{ standards(after: "not-a-cursor") { totalCount } }`, "BAD_USER_INPUT"},
		{"page too large", `{ regulations(first: 1000) { totalCount } }`, "BAD_USER_INPUT"},
		{"unknown field", `{ nope }`, "GRAPHQL_VALIDATION_FAILED"},
		{"syntax", `{ regulations {`, "GRAPHQL_PARSE_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postQuery(t, base, tt.query, nil)
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != tt.code {
				t.Fatalf("errors = %+v, want code %s", r.Errors, tt.code)
			}
		})
	}
}

func TestHealthMetricsAndGraphiQL(t *testing.T) {
	graphtest.Store(t)
	base, _ := startServer(t, graphtest.Options())
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, "graphiql") {
		t.Errorf("/ = %d, want the GraphiQL page", code)
	}
	if code, _ := get(t, base+"/nope"); code != 404 {
		t.Errorf("/nope = %d, want 404", code)
	}
	// GET transport and operation names.
	code, body := get(t, base+"/graphql?query="+url.QueryEscape("query CountStandards { standards { totalCount } }"))
	if code != 200 || !strings.Contains(body, "totalCount") {
		t.Fatalf("GET /graphql = %d %s", code, body)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`aimsgraph_graphql_requests_total{operation="CountStandards",outcome="ok"} 1`,
		`aimsgraph_neo4j_statement_duration_seconds_count{outcome="ok",statement="standards_count"}`,
		`aimsgraph_http_requests_total{code="200",route="/graphql"} 1`,
		`aimsgraph_neo4j_up 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	graphtest.Store(t)
	base, _ := startServer(t, graphtest.Options())
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	query := "{ regulations { totalCount } }"
	sum := sha256.Sum256([]byte(query))
	hash := hex.EncodeToString(sum[:])
	ext := url.QueryEscape(`{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`)
	_, body := get(t, base+"/graphql?extensions="+ext)
	if !strings.Contains(body, "PERSISTED_QUERY_NOT_FOUND") {
		t.Fatalf("first hash-only request: %s, want PERSISTED_QUERY_NOT_FOUND", body)
	}
	_, body = get(t, base+"/graphql?query="+url.QueryEscape(query)+"&extensions="+ext)
	if !strings.Contains(body, `"totalCount"`) {
		t.Fatalf("register request: %s", body)
	}
	_, body = get(t, base+"/graphql?query="+url.QueryEscape("{ standards { totalCount } }")+"&extensions="+ext)
	if !strings.Contains(body, "BAD_REQUEST") || !strings.Contains(body, "hash does not match") {
		t.Fatalf("query with a wrong hash: %s, want BAD_REQUEST naming the hash", body)
	}
	_, body = get(t, base+"/graphql?extensions="+ext)
	if !strings.Contains(body, `"totalCount"`) {
		t.Fatalf("hash-only request after registering: %s", body)
	}
}

// TestNeo4jLostAndBack cuts the connection to Neo4j while serving: readiness turns 503 and
// GraphQL answers DATABASE_UNAVAILABLE; when Neo4j is reachable again both recover without a
// restart.
func TestNeo4jLostAndBack(t *testing.T) {
	graphtest.Store(t)
	o := graphtest.Options()
	u, err := url.Parse(o.URI)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	o.URI = u.Scheme + "://" + p.addr
	base, _ := startServer(t, o)
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	const q = `{ regulations { totalCount } }`
	if r := postQuery(t, base, q, nil); len(r.Errors) > 0 {
		t.Fatalf("before the cut: %+v", r.Errors)
	}

	p.cut()
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "unavailable") {
		t.Errorf("/readyz after the cut = %d %s, want 503 with a reason", code, body)
	}
	start := time.Now()
	r := postQuery(t, base, q, nil)
	t.Logf("DATABASE_UNAVAILABLE after %s", time.Since(start).Round(time.Millisecond))
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "DATABASE_UNAVAILABLE" {
		t.Fatalf("GraphQL after the cut: %+v, want DATABASE_UNAVAILABLE", r.Errors)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz after the cut = %d, want 200 (the process is alive)", code)
	}

	p.restore()
	waitFor(t, "ready again", time.Minute, func() bool { return ready(t, base) })
	if r := postQuery(t, base, q, nil); len(r.Errors) > 0 {
		t.Fatalf("after restore: %+v", r.Errors)
	}
}

// TestStartsWhileNeo4jDown starts the service with Neo4j unreachable: it stays up, says why it is
// not ready, retries, and migrates and turns ready once Neo4j answers.
func TestStartsWhileNeo4jDown(t *testing.T) {
	graphtest.Store(t)
	o := graphtest.Options()
	u, _ := url.Parse(o.URI)
	p := newProxy(t, u.Host)
	p.cut()
	o.URI = u.Scheme + "://" + p.addr
	base, logs := startServer(t, o)
	waitFor(t, "a retry logged", 30*time.Second, func() bool { return strings.Contains(logs.String(), "neo4j not ready; retrying") })
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "neo4j unavailable") {
		t.Errorf("/readyz while down = %d %s", code, body)
	}
	p.restore()
	waitFor(t, "ready after Neo4j came up", time.Minute, func() bool { return ready(t, base) })
	if !strings.Contains(logs.String(), "schema migrated") {
		t.Errorf("log does not say the schema was migrated:\n%s", logs)
	}
}
