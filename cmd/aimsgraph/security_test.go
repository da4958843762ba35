package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/auth"
)

// clearSecurityEnv keeps the developer's environment out of the flag tests.
func clearSecurityEnv(t *testing.T) {
	for _, k := range []string{"AIMSGRAPH_AUTH", "AIMSGRAPH_TOKENS", "AIMSGRAPH_TOKEN_FILE", "AIMSGRAPH_JWT_ISSUER", "AIMSGRAPH_JWKS_URL", "AIMSGRAPH_JWKS_FILE",
		"AIMSGRAPH_JWT_AUDIENCE", "NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// TestTokenNewConfiguresWhatItPrints: the entry printed next to a new token authenticates it.
func TestTokenNewConfiguresWhatItPrints(t *testing.T) {
	var out bytes.Buffer
	if err := (&TokenNewCmd{Name: "ci-loader", Roles: []string{"editor", "auditor"}}).write(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	token := regexp.MustCompile(`(?m)^agt_[A-Za-z0-9_-]{43}$`).FindString(text)
	entry := regexp.MustCompile(`(?m)^ci-loader:editor\+auditor:[0-9a-f]{64}$`).FindString(text)
	if token == "" || entry == "" || !strings.Contains(text, "roles: [editor, auditor]") {
		t.Fatalf("output:\n%s", text)
	}
	set, err := auth.LoadTokens("", entry)
	if err != nil {
		t.Fatal(err)
	}
	p, err := set.Authenticate(context.Background(), token)
	if err != nil || p.ID != "token:ci-loader" || !p.Can(auth.Edit) || !p.Can(auth.ReadAudit) {
		t.Errorf("the printed entry authenticates %+v, %v", p, err)
	}
	if err := (&TokenNewCmd{Name: "bad name", Roles: []string{"viewer"}}).write(&out); err == nil {
		t.Error("a bad name was accepted")
	}
}

func TestServeAuthConfiguration(t *testing.T) {
	clearSecurityEnv(t)
	hash := auth.HashToken("agt_x")
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string // error text, or "" for a valid configuration
	}{
		{name: "token auth without tokens", args: []string{"serve"}, want: "no API tokens and no JWT validation are configured"},
		{name: "none with tokens", args: []string{"serve", "--auth=none"}, env: map[string]string{"AIMSGRAPH_TOKENS": "a:viewer:" + hash}, want: "choose one"},
		{name: "tokens from env", args: []string{"serve"}, env: map[string]string{"AIMSGRAPH_TOKENS": "a:viewer:" + hash}},
		{name: "token instead of hash", args: []string{"serve"}, env: map[string]string{"AIMSGRAPH_TOKENS": "a:viewer:agt_x"}, want: "sha256 must be 64 hex digits"},
		{name: "JWT without audience", args: []string{"serve", "--jwt-issuer=https://idp", "--jwks-url=https://idp/certs"}, want: "needs an audience"},
		{name: "JWKS over plain http", args: []string{"serve", "--jwt-issuer=https://idp", "--jwt-audience=a", "--jwks-url=http://idp.example.com/certs"}, want: "must be https"},
		{name: "none", args: []string{"serve", "--auth=none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cli, err := parse(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			authn, _, err := cli.Serve.authenticator(context.Background())
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if (authn == nil) != (cli.Serve.Auth == "none") {
					t.Errorf("authenticator %v with --auth=%s", authn, cli.Serve.Auth)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "agt_x") && tc.name != "token instead of hash" {
				t.Errorf("the error repeats a token: %v", err)
			}
		})
	}
}

func TestNeo4jPasswordFromFile(t *testing.T) {
	clearSecurityEnv(t)
	file := filepath.Join(t.TempDir(), "neo4j-password")
	if err := os.WriteFile(file, []byte("from-a-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NEO4J_PASSWORD_FILE", file)
	cli, err := parse(t, "--neo4j-username=neo4j", "serve")
	if err != nil {
		t.Fatal(err)
	}
	o, err := cli.Neo4j.options(nil)
	if err != nil || o.Password != "from-a-secret" || o.Username != "neo4j" {
		t.Fatalf("options %+v, %v", o, err)
	}
	if _, err := parse(t, "--neo4j-password=x", "serve"); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("password and file both given: %v", err)
	}
	cli.Neo4j.PasswordFile = filepath.Join(t.TempDir(), "missing")
	if _, err := cli.Neo4j.options(nil); err == nil || !strings.Contains(err.Error(), "neo4j password file") {
		t.Errorf("missing file: %v", err)
	}
}
