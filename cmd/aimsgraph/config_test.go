package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

func parse(t *testing.T, args ...string) (*CLI, error) {
	t.Helper()
	var cli CLI
	p, err := kong.New(&cli, kong.Name("aimsgraph"), kong.Exit(func(int) { t.Fatal("kong tried to exit") }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Parse(args)
	return &cli, err
}

func TestConfigDefaults(t *testing.T) {
	for _, k := range []string{"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "AIMSGRAPH_ADDR", "AIMSGRAPH_LOG_LEVEL", "AIMSGRAPH_LOG_FORMAT", "AIMSGRAPH_TX_TIMEOUT"} {
		t.Setenv(k, "") // restores the variable after the test
		os.Unsetenv(k)
	}
	cli, err := parse(t, "serve")
	if err != nil {
		t.Fatal(err)
	}
	n := cli.Neo4j
	if n.URI != "bolt://127.0.0.1:7687" || n.Database != "neo4j" || n.Username != "" || n.TxTimeout != 30*time.Second {
		t.Errorf("neo4j defaults = %+v", n)
	}
	if cli.Serve.Addr != "127.0.0.1:8080" || cli.LogLevel != "info" || cli.LogFormat != "json" {
		t.Errorf("defaults: addr %q, log %q/%q", cli.Serve.Addr, cli.LogLevel, cli.LogFormat)
	}
}

func TestConfigFromEnvAndFlags(t *testing.T) {
	t.Setenv("NEO4J_URI", "neo4j+s://abc123.databases.neo4j.io")
	t.Setenv("NEO4J_USERNAME", "svc")
	t.Setenv("NEO4J_PASSWORD", "s3cret")
	t.Setenv("NEO4J_DATABASE", "aims")
	t.Setenv("AIMSGRAPH_ADDR", "0.0.0.0:9090")
	t.Setenv("AIMSGRAPH_LOG_LEVEL", "debug")
	cli, err := parse(t, "serve")
	if err != nil {
		t.Fatal(err)
	}
	if cli.Neo4j.URI != "neo4j+s://abc123.databases.neo4j.io" || cli.Neo4j.Username != "svc" ||
		cli.Neo4j.Password != "s3cret" || cli.Neo4j.Database != "aims" {
		t.Errorf("from env: %+v", cli.Neo4j)
	}
	if cli.Serve.Addr != "0.0.0.0:9090" || cli.LogLevel != "debug" {
		t.Errorf("from env: addr %q level %q", cli.Serve.Addr, cli.LogLevel)
	}
	// A flag wins over the env variable.
	cli, err = parse(t, "--neo4j-database=other", "serve", "--addr=127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if cli.Neo4j.Database != "other" || cli.Serve.Addr != "127.0.0.1:1" {
		t.Errorf("flags over env: db %q addr %q", cli.Neo4j.Database, cli.Serve.Addr)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--neo4j-uri=http://localhost:7474", "serve"}, `scheme "http"`},
		{[]string{"--neo4j-uri=localhost", "serve"}, "not a URI"},
		{[]string{"--neo4j-uri=bolt://neo4j:pw@localhost:7687", "serve"}, "must not carry credentials"},
		{[]string{"--neo4j-tx-timeout=0s", "serve"}, "must be positive"},
		{[]string{"--log-level=loud", "serve"}, "log-level"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parse(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestAcceptsEveryNeo4jScheme(t *testing.T) {
	for _, uri := range []string{"bolt://h:7687", "bolt+s://h:7687", "bolt+ssc://h", "neo4j://h:7687", "neo4j+s://h.databases.neo4j.io", "neo4j+ssc://h"} {
		if _, err := parse(t, "--neo4j-uri="+uri, "serve"); err != nil {
			t.Errorf("%s: %v", uri, err)
		}
	}
}
