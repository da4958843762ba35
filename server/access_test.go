package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/schema"
	"github.com/aimsgraph/aimsgraph/server"
)

var roles = []string{"viewer", "auditor", "editor", "admin"}

// roleTokens configures one API token per role, named after it: the token of role r is "agt_test-r".
func roleTokens(t *testing.T) *auth.TokenSet {
	t.Helper()
	var entries []string
	for _, r := range roles {
		entries = append(entries, r+":"+r+":"+auth.HashToken("agt_test-"+r))
	}
	set, err := auth.LoadTokens("", strings.Join(entries, ","))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// serveWithRoleTokens starts a server that authenticates the role tokens, adjusted by configure,
// and waits until it is ready.
func serveWithRoleTokens(t *testing.T, configure func(*server.Config)) (base string, logs *bytes.Buffer) {
	t.Helper()
	graphtest.Store(t) // skips or fails like every integration test when Neo4j is not there
	tokens := roleTokens(t)
	base, logs = startServerWith(t, graphtest.Options(), func(c *server.Config) {
		c.Auth, c.Tokens = auth.Chain{Tokens: tokens}, tokens
		if configure != nil {
			configure(c)
		}
	})
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	return base, logs
}

type httpResult struct {
	status int
	header http.Header
	body   gqlResponse
	raw    string
}

// call posts a GraphQL request with a bearer token (none when token is empty).
func call(t *testing.T, base, token, query string, vars map[string]any) httpResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	res := httpResult{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &res.body)
	return res
}

func (r httpResult) code() string {
	if len(r.body.Errors) == 0 {
		return ""
	}
	c, _ := r.body.Errors[0].Extensions["code"].(string)
	return c
}

// accessFixture is a small organisation every mutation can act on: a control c of catalog v1
// withdrawn in v2, mapped from x1 and x2, implemented on asset A with evidence E, and a module M.
func accessFixture(t *testing.T, s *graph.Store, p string) map[string]string {
	t.Helper()
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	ids := map[string]string{"v1": p + "cat@v1", "v2": p + "cat@v2", "c": p + "cat@v1/c", "A": p + "A", "I": p + "I", "E": p + "E", "M": p + "M"}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{
			{Kind: graph.Standard, ID: ids["v1"], Props: map[string]any{"title": "v1"}},
			{Kind: graph.Standard, ID: ids["v2"], Props: map[string]any{"title": "v2"}},
			{Kind: graph.Control, ID: ids["c"], Props: map[string]any{"standard": ids["v1"], "title": "C", "text": "t"}},
			{Kind: graph.Control, ID: ids["v2"] + "/c", Props: map[string]any{"standard": ids["v2"], "title": "C", "status": "withdrawn"}},
			{Kind: graph.Control, ID: p + "x1", Props: map[string]any{"standard": p + "o", "title": "X1"}},
			{Kind: graph.Control, ID: p + "x2", Props: map[string]any{"standard": p + "o", "title": "X2"}},
			{Kind: graph.Module, ID: ids["M"], Props: map[string]any{"standard": p + "o", "title": "M"}},
			{Kind: graph.Asset, ID: ids["A"], Props: map[string]any{"type": "model"}},
			{Kind: graph.Implementation, ID: ids["I"], Props: map[string]any{"status": "implemented"}},
			{Kind: graph.Evidence, ID: ids["E"], Props: map[string]any{"uri": "https://e", "collectedAt": "2026-01-01", "validUntil": "2099-01-01"}},
		},
		Rels: []loaders.Rel{
			{Kind: graph.MapsTo, From: p + "x1", To: ids["c"], Props: map[string]any{"relationship": "equal-to"}},
			{Kind: graph.MapsTo, From: p + "x2", To: ids["c"], Props: map[string]any{"relationship": "equal-to"}},
			{Kind: graph.PartOf, From: p + "x1", To: ids["M"]},
			{Kind: graph.Implements, From: ids["I"], To: ids["c"]}, {Kind: graph.On, From: ids["I"], To: ids["A"]},
			{Kind: graph.Supports, From: ids["E"], To: ids["I"]},
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	return ids
}

// lastAudit returns the newest audit record of an actor.
func lastAudit(t *testing.T, s *graph.Store, actor string) audit.Record {
	t.Helper()
	recs, _, err := audit.New(s, zerolog.Nop()).Page(context.Background(), audit.Filter{Actor: actor}, 1, 0)
	if err != nil || len(recs) == 0 {
		t.Fatalf("no audit record of %s: %v", actor, err)
	}
	return recs[0]
}

// TestEveryRoleAgainstEveryMutation calls each mutation with each role's token. A role that may
// not call it gets FORBIDDEN, the graph is unchanged and one audit record says FORBIDDEN; a role
// that may gets its answer and one audit record says OK. The expected roles are written out here,
// not derived from the code under test.
func TestEveryRoleAgainstEveryMutation(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	ids := accessFixture(t, s, p)
	base, _ := serveWithRoleTokens(t, nil)

	// Suspect links for reviewSuspect: recordChange flags x1 -> c and x2 -> c.
	links := map[string]string{}
	suspects := func() {
		res := call(t, base, "agt_test-admin", `query($f: ID!, $t: ID!) { changeImpact(from: $f, to: $t) { suspects { link from } } }`,
			map[string]any{"f": ids["v1"], "t": ids["v2"]})
		ci, _ := res.body.Data["changeImpact"].(map[string]any)
		list, _ := ci["suspects"].([]any)
		for _, x := range list {
			m := x.(map[string]any)
			links[strings.TrimPrefix(m["from"].(string), p)] = m["link"].(string)
		}
		if len(links) != 2 {
			t.Fatalf("suspects %s; want the two mappings to c", res.raw)
		}
	}
	suspects()

	cases := []struct {
		field   string
		allowed []string
		query   string
		vars    func(role string) map[string]any
	}{
		{"recordAssessment", []string{"auditor", "editor", "admin"},
			`mutation($c: ID!, $a: ID!) { recordAssessment(input: {control: $c, target: $a, result: PASSED, assessedAt: "2026-11-30", assessor: "A. Uditor"}) { id } }`,
			func(string) map[string]any { return map[string]any{"c": ids["c"], "a": ids["A"]} }},
		{"addEvidence", []string{"auditor", "editor", "admin"},
			`mutation($i: ID!) { addEvidence(input: {implementation: $i, uri: "https://evidence.example/report.pdf", collectedAt: "2026-11-30"}) { id } }`,
			func(string) map[string]any { return map[string]any{"i": ids["I"]} }},
		{"expireEvidence", []string{"editor", "admin"},
			`mutation($e: ID!) { expireEvidence(id: $e, at: "2026-12-31") { id } }`,
			func(string) map[string]any { return map[string]any{"e": ids["E"]} }},
		{"setImplementationStatus", []string{"editor", "admin"},
			`mutation($i: ID!) { setImplementationStatus(id: $i, status: PARTIAL, notes: "re-tested") { id } }`,
			func(string) map[string]any { return map[string]any{"i": ids["I"]} }},
		{"applyModule", []string{"editor", "admin"},
			`mutation($m: ID!, $a: ID!) { applyModule(module: $m, target: $a) }`,
			func(string) map[string]any { return map[string]any{"m": ids["M"], "a": ids["A"]} }},
		{"recordChange", []string{"editor", "admin"},
			`mutation($f: ID!, $t: ID!) { recordChange(from: $f, to: $t) }`,
			func(string) map[string]any { return map[string]any{"f": ids["v1"], "t": ids["v2"]} }},
		{"reviewSuspect", []string{"editor", "admin"},
			`mutation($l: ID!) { reviewSuspect(link: $l, decision: CONFIRM, reviewer: "R. Eviewer") { review } }`,
			func(role string) map[string]any {
				// Each allowed role settles a link of its own; refused roles try the editor's.
				if role == "admin" {
					return map[string]any{"l": links["x2"]}
				}
				return map[string]any{"l": links["x1"]}
			}},
		{"reloadTokens", []string{"admin"}, `mutation { reloadTokens }`, func(string) map[string]any { return nil }},
		{"applyMigrations", []string{"admin"}, `mutation { applyMigrations { schemaVersion } }`, func(string) map[string]any { return nil }},
	}

	// Every mutation of the schema has a case.
	sch, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: schema.SDL})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	for _, f := range sch.Mutation.Fields {
		if !slices.ContainsFunc(cases, func(c struct {
			field   string
			allowed []string
			query   string
			vars    func(string) map[string]any
		}) bool {
			return c.field == f.Name
		}) {
			t.Errorf("mutation %s has no access case", f.Name)
		}
	}

	for _, tc := range cases {
		for _, role := range roles {
			t.Run(tc.field+"/"+role, func(t *testing.T) {
				before := allCounts(t, s)
				res := call(t, base, "agt_test-"+role, tc.query, tc.vars(role))
				after := allCounts(t, s)
				rec := lastAudit(t, s, "token:"+role)
				if after[2] != before[2]+1 || rec.Operation != tc.field {
					t.Errorf("audit records %d -> %d, newest of token:%s is %s; want one new record of %s", before[2], after[2], role, rec.Operation, tc.field)
				}
				if !slices.Contains(tc.allowed, role) {
					if res.status != http.StatusOK || res.code() != "FORBIDDEN" || !strings.Contains(res.body.Errors[0].Message, "may not call "+tc.field) {
						t.Fatalf("status %d, body %s; want FORBIDDEN", res.status, res.raw)
					}
					if after[0] != before[0] || after[1] != before[1] {
						t.Errorf("a refused call changed the graph: %v -> %v", before, after)
					}
					if rec.Outcome != "FORBIDDEN" || rec.Actor != "token:"+role || !strings.Contains(rec.Error, "needs") {
						t.Errorf("audit record %+v; want outcome FORBIDDEN", rec)
					}
					return
				}
				if len(res.body.Errors) > 0 || res.body.Data[tc.field] == nil {
					t.Fatalf("%s may call %s, got %s", role, tc.field, res.raw)
				}
				if rec.Outcome != audit.OutcomeOK || strings.Join(rec.Roles, ",") != role || rec.Channel != "graphql" || rec.RequestID == "" {
					t.Errorf("audit record %+v; want outcome OK for %s", rec, role)
				}
				for _, v := range tc.vars(role) {
					if !slices.Contains(rec.Touched, v.(string)) {
						t.Errorf("audit record touches %v; want %v among them", rec.Touched, v)
					}
				}
				// What a mutation creates is touched too.
				obj, _ := res.body.Data[tc.field].(map[string]any)
				if id, ok := obj["id"].(string); ok && tc.field != "setImplementationStatus" && tc.field != "expireEvidence" && !slices.Contains(rec.Touched, id) {
					t.Errorf("audit record touches %v; want the created %s among them", rec.Touched, id)
				}
			})
		}
	}
}

// TestRolesOnQueries checks a sample of queries per role, and callers without a valid token.
func TestRolesOnQueries(t *testing.T) {
	base, logs := serveWithRoleTokens(t, nil)
	queries := []struct {
		name, query string
		allowed     []string
	}{
		{"regulations", `{ regulations(first: 1) { totalCount } }`, roles},
		{"search", `{ search(text: "robustness", first: 1) { score } }`, roles},
		{"introspection", `{ __schema { queryType { name } } }`, roles},
		{"auditTrail", `{ auditTrail(first: 1) { edges { node { operation } } } }`, []string{"auditor", "admin"}},
		{"apiTokens", `{ apiTokens { name roles } }`, []string{"admin"}},
	}
	for _, q := range queries {
		for _, role := range roles {
			res := call(t, base, "agt_test-"+role, q.query, nil)
			allowed := slices.Contains(q.allowed, role)
			if allowed && (res.status != 200 || len(res.body.Errors) > 0) {
				t.Errorf("%s as %s: %s", q.name, role, res.raw)
			}
			if !allowed && res.code() != "FORBIDDEN" {
				t.Errorf("%s as %s: %s; want FORBIDDEN", q.name, role, res.raw)
			}
		}
	}
	// whoami tells each role what it may do.
	for role, want := range map[string]string{"viewer": "READ", "auditor": "READ RECORD_RESULTS READ_AUDIT", "admin": "READ RECORD_RESULTS EDIT READ_AUDIT ADMINISTER"} {
		res := call(t, base, "agt_test-"+role, `{ whoami { id kind permissions } }`, nil)
		w, _ := res.body.Data["whoami"].(map[string]any)
		if fmt.Sprint(w["id"], " ", w["kind"], " ", w["permissions"]) != "token:"+role+" token ["+want+"]" {
			t.Errorf("whoami as %s: %s", role, res.raw)
		}
	}
	// apiTokens lists names and hashes, never tokens.
	res := call(t, base, "agt_test-admin", `{ apiTokens { name roles sha256 } }`, nil)
	if strings.Contains(res.raw, "agt_test") || !strings.Contains(res.raw, auth.HashToken("agt_test-viewer")) {
		t.Errorf("apiTokens: %s", res.raw)
	}

	for _, tc := range []struct{ name, header, wantMsg, wantChallenge string }{
		{"no token", "", "authentication required", `Bearer realm="aimsgraph"`},
		{"unknown token", "Bearer agt_test-nobody", "unknown or revoked", `error="invalid_token"`},
		{"basic auth", "Basic dXNlcjpwYXNz", "must be \"Bearer TOKEN\"", `error="invalid_token"`},
		{"garbage", "Bearer not-a-token", "neither an aimsgraph API token nor a JWT", `error="invalid_token"`},
		{"JWT without JWT validation", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "JWT validation is not configured", `error="invalid_token"`},
	} {
		body, _ := json.Marshal(map[string]any{"query": `mutation { applyMigrations { schemaVersion } }`})
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(strings.ReplaceAll(string(raw), `\"`, `"`), tc.wantMsg) || !strings.Contains(string(raw), "UNAUTHENTICATED") ||
			!strings.Contains(resp.Header.Get("WWW-Authenticate"), tc.wantChallenge) {
			t.Errorf("%s: %d %s (WWW-Authenticate %q)", tc.name, resp.StatusCode, raw, resp.Header.Get("WWW-Authenticate"))
		}
	}
	if strings.Contains(logs.String(), "agt_test-nobody") || strings.Contains(logs.String(), "dXNlcjpwYXNz") {
		t.Error("a presented credential reached the log")
	}
	if !strings.Contains(logs.String(), `"auth_failure":"invalid bearer token: unknown or revoked API token"`) {
		t.Error("the log does not say why a token was refused")
	}
}

// TestRateLimitPerCaller: a caller past its burst gets 429 with Retry-After; another is served.
func TestRateLimitPerCaller(t *testing.T) {
	base, _ := serveWithRoleTokens(t, func(c *server.Config) {
		c.RatePerSecond, c.RateBurst = 0.1, 3 // one request per 10 s after a burst of 3
	})
	var statuses []int
	for range 5 {
		statuses = append(statuses, call(t, base, "agt_test-viewer", `{ whoami { id } }`, nil).status)
	}
	if fmt.Sprint(statuses) != "[200 200 200 429 429]" {
		t.Fatalf("statuses %v; want the burst of 3 served, then 429", statuses)
	}
	res := call(t, base, "agt_test-viewer", `{ whoami { id } }`, nil)
	if ra := res.header.Get("Retry-After"); ra == "" || ra == "0" || res.code() != "RATE_LIMITED" || !strings.Contains(res.raw, "token:viewer") {
		t.Errorf("429 with Retry-After %q: %s", ra, res.raw)
	}
	if st := call(t, base, "agt_test-editor", `{ whoami { id } }`, nil).status; st != 200 {
		t.Errorf("another caller got %d while the first was limited", st)
	}
}

// TestRequestTimeoutCancelsTheChange: another transaction holds a lock on the implementation, so
// the mutation waits inside Neo4j until the request's time is up. The caller gets TIMEOUT, the
// mutation's transaction is rolled back (the status stays) and the attempt is audited.
func TestRequestTimeoutCancelsTheChange(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	ids := accessFixture(t, s, p)
	base, _ := serveWithRoleTokens(t, func(c *server.Config) {
		c.RequestTimeout = 500 * time.Millisecond
	})

	locked, release, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		held <- s.Write(context.Background(), func(ctx context.Context, tx graph.Tx) error {
			if _, err := tx.Run(ctx, stmt("testdata/lock.cypher"), map[string]any{"id": ids["I"]}); err != nil {
				close(locked)
				return err
			}
			close(locked)
			<-release
			return errRollback
		})
	}()
	<-locked
	before := allCounts(t, s)
	res := call(t, base, "agt_test-editor", `mutation($i: ID!) { setImplementationStatus(id: $i, status: FAILED) { id } }`, map[string]any{"i": ids["I"]})
	close(release)
	if err := <-held; err != errRollback {
		t.Fatalf("the locking transaction: %v", err)
	}
	if res.code() != "TIMEOUT" {
		t.Fatalf("%s; want TIMEOUT", res.raw)
	}
	after := allCounts(t, s)
	if after[0] != before[0] || after[1] != before[1] || after[2] != before[2]+1 {
		t.Errorf("counts %v -> %v; want the graph unchanged and one audit record", before, after)
	}
	if rows := graphtest.Exec(t, s, "testdata/status.cypher", map[string]any{"id": ids["I"]}); rows[0]["status"] != "implemented" {
		t.Errorf("status %v after the timed-out mutation; want implemented", rows[0]["status"])
	}
	if rec := lastAudit(t, s, "token:editor"); rec.Outcome != "TIMEOUT" || rec.Operation != "setImplementationStatus" {
		t.Errorf("audit record %+v; want TIMEOUT of setImplementationStatus", rec)
	}

	// A deadline that passes before execution begins also answers TIMEOUT, not a bare null.
	base2, _ := serveWithRoleTokens(t, func(c *server.Config) {
		c.RequestTimeout = time.Nanosecond
	})
	if res := call(t, base2, "agt_test-viewer", `{ whoami { id } }`, nil); res.code() != "TIMEOUT" {
		t.Errorf("%s; want TIMEOUT", res.raw)
	}
}

var errRollback = errors.New("rollback")

func stmt(file string) cypher.Statement {
	text, err := os.ReadFile(file)
	if err != nil {
		panic(err)
	}
	return cypher.Statement{Name: "test_" + file, Text: string(text)}
}

// TestProductionSwitches: introspection and GraphiQL off, CORS for one origin.
func TestProductionSwitches(t *testing.T) {
	base, _ := serveWithRoleTokens(t, func(c *server.Config) {
		c.DisableIntrospection, c.DisableGraphiQL = true, true
		c.CORSOrigins = []string{"https://dash.example.com"}
	})
	if res := call(t, base, "agt_test-admin", `{ __schema { queryType { name } } }`, nil); len(res.body.Errors) == 0 || !strings.Contains(res.raw, "introspection disabled") {
		t.Errorf("introspection: %s", res.raw)
	}
	if code, _ := get(t, base+"/"); code != http.StatusNotFound {
		t.Errorf("GraphiQL answered %d, want 404", code)
	}
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, base+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := preflight("https://dash.example.com"); r.Header.Get("Access-Control-Allow-Origin") != "https://dash.example.com" ||
		!strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("allowed origin: %d %v", r.StatusCode, r.Header)
	}
	if r := preflight("https://evil.example.com"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin was allowed: %v", r.Header)
	}
}

// TestNoAuthOnlyOnLoopback: without authentication the server refuses a non-loopback listener.
func TestNoAuthOnlyOnLoopback(t *testing.T) {
	store := graphtest.Store(t)
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Store: store, Log: zerolog.Nop()})
	err = srv.Serve(context.Background(), ln)
	if err == nil || !strings.Contains(err.Error(), "only on a loopback address") {
		t.Fatalf("Serve = %v; want a refusal", err)
	}
}

// TestAuditTrailQuery: an auditor pages through the editor's changes, newest first, with their
// variables (a pasted token redacted), and bad filters are refused.
func TestAuditTrailQuery(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	ids := accessFixture(t, s, p)
	base, _ := serveWithRoleTokens(t, nil)
	for _, status := range []string{"PARTIAL", "FAILED", "IMPLEMENTED"} {
		res := call(t, base, "agt_test-editor", `mutation($i: ID!, $s: ImplementationStatus!, $n: String) { setImplementationStatus(id: $i, status: $s, notes: $n) { id } }`,
			map[string]any{"i": ids["I"], "s": status, "n": "re-tested"})
		if len(res.body.Errors) > 0 {
			t.Fatal(res.raw)
		}
	}
	// A token pasted into a field is redacted in the record.
	res := call(t, base, "agt_test-editor", `mutation($i: ID!, $n: String) { setImplementationStatus(id: $i, status: PARTIAL, notes: $n) { id } }`,
		map[string]any{"i": ids["I"], "n": "agt_0123456789abcdef"})
	if len(res.body.Errors) > 0 {
		t.Fatal(res.raw)
	}
	const q = `query($a: String, $f: Int) { auditTrail(actor: "token:editor", operation: "setImplementationStatus", since: "2026-01-01", first: $f, after: $a) {
		edges { cursor node { seq variables touched outcome } } pageInfo { hasNextPage endCursor } } }`
	type page struct {
		AuditTrail struct {
			Edges []struct {
				Node struct {
					Seq       int
					Variables string
					Touched   []string
					Outcome   string
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	get := func(after string) page {
		var vars map[string]any
		if after != "" {
			vars = map[string]any{"a": after, "f": 2}
		} else {
			vars = map[string]any{"f": 2}
		}
		r := call(t, base, "agt_test-auditor", q, vars)
		var out page
		data, _ := json.Marshal(r.body.Data)
		if err := json.Unmarshal(data, &out); err != nil || len(r.body.Errors) > 0 {
			t.Fatalf("%s", r.raw)
		}
		return out
	}
	first := get("")
	second := get(first.AuditTrail.PageInfo.EndCursor)
	e1, e2 := first.AuditTrail.Edges, second.AuditTrail.Edges
	if len(e1) != 2 || !first.AuditTrail.PageInfo.HasNextPage || len(e2) != 2 || e1[0].Node.Seq <= e1[1].Node.Seq || e2[0].Node.Seq >= e1[1].Node.Seq {
		t.Fatalf("pages %+v then %+v; want newest first, two by two", first, second)
	}
	newest := e1[0].Node
	if !strings.Contains(newest.Variables, `"notes":"[REDACTED]"`) || newest.Outcome != "OK" || !slices.Contains(newest.Touched, ids["I"]) {
		t.Errorf("newest record %+v; want the bare token redacted", newest)
	}
	if !strings.Contains(e1[1].Node.Variables, `"status":"IMPLEMENTED"`) {
		t.Errorf("second newest %+v", e1[1].Node)
	}
	for _, bad := range []struct{ query, want string }{
		{`{ auditTrail(since: "yesterday") { edges { cursor } } }`, "is not a UTC time"},
		{`{ auditTrail(after: "bm9wZQ") { edges { cursor } } }`, "is not a cursor"},
		{`{ auditTrail(first: 501) { edges { cursor } } }`, "between 0 and 500"},
	} {
		if r := call(t, base, "agt_test-admin", bad.query, nil); r.code() != "BAD_USER_INPUT" || !strings.Contains(r.raw, bad.want) {
			t.Errorf("%s: %s", bad.query, r.raw)
		}
	}
}
