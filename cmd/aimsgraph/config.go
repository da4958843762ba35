package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/graph"
)

// CLI is the command line: global flags, then one subcommand. Every flag falls back to an env
// variable, so that the same binary is configured by flags locally and by env in containers.
type CLI struct {
	Globals

	Serve   ServeCmd   `cmd:"" help:"Migrate the schema, load the bundled content and serve GraphQL."`
	Migrate MigrateCmd `cmd:"" help:"Apply the schema migrations to Neo4j and exit."`

	Load        LoadCmd        `cmd:"" help:"Load source files into the graph, all or nothing."`
	Sources     SourcesCmd     `cmd:"" help:"List the loaded sources with their latest run."`
	Unload      UnloadCmd      `cmd:"" help:"Remove what sources wrote (nodes other sources also hold stay)."`
	Impact      ImpactCmd      `cmd:"" help:"Report what changed between two versions of a catalog or baseline, and what must be re-reviewed."`
	Review      ReviewCmd      `cmd:"" help:"Settle a suspect link of an impact report: confirm, reject or retarget it."`
	Token       TokenCmd       `cmd:"" help:"Create API tokens and hash them for the token file or AIMSGRAPH_TOKENS."`
	Audit       AuditCmd       `cmd:"" help:"List the audit trail or verify its hash chain."`
	Healthcheck HealthcheckCmd `cmd:"" help:"Exit 0 when the service at --addr is ready (for container health checks)."`
}

// Globals are the flags every subcommand takes.
type Globals struct {
	Neo4j     Neo4jFlags `embed:"" prefix:"neo4j-"`
	LogLevel  string     `name:"log-level" env:"AIMSGRAPH_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Log level (${enum})."`
	LogFormat string     `name:"log-format" env:"AIMSGRAPH_LOG_FORMAT" default:"json" enum:"json,console" help:"Log format: json for machines, console for people."`
	Actor     string     `name:"actor" env:"AIMSGRAPH_ACTOR" help:"Who runs a command that changes the graph, for the audit trail (default cli:USER)."`
}

// Neo4jFlags say which Neo4j to use.
type Neo4jFlags struct {
	URI          string        `name:"uri" env:"NEO4J_URI" default:"bolt://127.0.0.1:7687" help:"Neo4j URI: bolt:// for one server, neo4j:// for a cluster or Aura; +s for TLS."`
	Username     string        `name:"username" env:"NEO4J_USERNAME" help:"Neo4j user; empty for a server without authentication."`
	Password     string        `name:"password" env:"NEO4J_PASSWORD" help:"Neo4j password (prefer the env variable or --neo4j-password-file: flags show in process lists)."`
	PasswordFile string        `name:"password-file" env:"NEO4J_PASSWORD_FILE" type:"path" help:"File holding the Neo4j password (a container secret); trailing white space is ignored."`
	Database     string        `name:"database" env:"NEO4J_DATABASE" default:"neo4j" help:"Neo4j database name."`
	TxTimeout    time.Duration `name:"tx-timeout" env:"AIMSGRAPH_TX_TIMEOUT" default:"30s" help:"Timeout of every Neo4j transaction."`
}

var uriSchemes = map[string]bool{
	"bolt": true, "bolt+s": true, "bolt+ssc": true,
	"neo4j": true, "neo4j+s": true, "neo4j+ssc": true,
}

// Validate is called by kong after parsing.
func (f Neo4jFlags) Validate() error {
	u, err := url.Parse(f.URI)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--neo4j-uri / NEO4J_URI %q is not a URI like bolt://host:7687", f.URI)
	}
	if !uriSchemes[u.Scheme] {
		return fmt.Errorf("--neo4j-uri / NEO4J_URI: scheme %q is not one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc", u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("--neo4j-uri / NEO4J_URI must not carry credentials; use NEO4J_USERNAME and NEO4J_PASSWORD")
	}
	if f.TxTimeout <= 0 {
		return fmt.Errorf("--neo4j-tx-timeout must be positive, got %s", f.TxTimeout)
	}
	if f.Password != "" && f.PasswordFile != "" {
		return fmt.Errorf("give the Neo4j password once: NEO4J_PASSWORD or NEO4J_PASSWORD_FILE, not both")
	}
	return nil
}

// options are the store options; the password comes from the flag, the env or the file, and is
// never logged (errors name the file, not its content).
func (f Neo4jFlags) options(observe func(string, time.Duration, error)) (graph.Options, error) {
	password := f.Password
	if f.PasswordFile != "" {
		b, err := os.ReadFile(f.PasswordFile)
		if err != nil {
			return graph.Options{}, fmt.Errorf("neo4j password file: %w", err)
		}
		password = strings.TrimRight(string(b), " \t\r\n")
	}
	return graph.Options{
		URI: f.URI, Username: f.Username, Password: password, Database: f.Database,
		TxTimeout: f.TxTimeout, Observe: observe,
	}, nil
}

func (g Globals) logger() zerolog.Logger {
	return newLogger(os.Stderr, g.LogLevel, g.LogFormat)
}

func newLogger(w io.Writer, level, format string) zerolog.Logger {
	if format == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}
