package main

import (
	"bufio"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// TestComposeFile checks what can be checked without a Docker engine: Neo4j 5.26 Community,
// setting names Neo4j 5 knows (4.x names are silently ignored by the image), ports, health checks,
// the named volume, and that aimsgraph's environment names flags the binary reads.
func TestComposeFile(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	neo, ok := c.Services["neo4j"]
	if !ok {
		t.Fatal("no neo4j service")
	}
	if neo.Image != "neo4j:5.26-community" {
		t.Errorf("neo4j image %q, want neo4j:5.26-community", neo.Image)
	}
	known := readLines(t, "testdata/neo4j5-settings.txt")
	for key := range neo.Environment {
		switch key {
		case "NEO4J_AUTH", "NEO4J_PLUGINS", "NEO4J_ACCEPT_LICENSE_AGREEMENT":
			continue
		}
		setting, ok := composeSetting(key)
		if !ok {
			t.Errorf("neo4j env %s is not a NEO4J_ setting", key)
			continue
		}
		if !slices.Contains(known, setting) {
			t.Errorf("neo4j env %s sets %q, not a Neo4j 5 setting name", key, setting)
		}
	}
	if !strings.Contains(neo.Environment["NEO4J_AUTH"], "${NEO4J_PASSWORD") {
		t.Errorf("NEO4J_AUTH %q does not take the password from NEO4J_PASSWORD", neo.Environment["NEO4J_AUTH"])
	}
	if !hasPort(neo.Ports, "7687") || !hasPort(neo.Ports, "7474") {
		t.Errorf("neo4j ports %v, want 7687 (Bolt) and 7474 (HTTP)", neo.Ports)
	}
	if neo.Healthcheck == nil || len(neo.Healthcheck.Test) == 0 {
		t.Error("neo4j has no health check")
	}
	if len(neo.Volumes) == 0 {
		t.Fatal("neo4j has no data volume")
	}
	vol, mount, _ := strings.Cut(neo.Volumes[0], ":")
	if _, ok := c.Volumes[vol]; !ok || mount != "/data" {
		t.Errorf("neo4j volume %q: want a named volume declared at the top level, mounted on /data", neo.Volumes[0])
	}

	app, ok := c.Services["aimsgraph"]
	if !ok {
		t.Fatal("no aimsgraph service")
	}
	if app.Build == nil {
		t.Error("aimsgraph is not built from the repo's Dockerfile")
	}
	if _, err := os.Stat("../../Dockerfile"); err != nil {
		t.Errorf("Dockerfile: %v", err)
	}
	if app.DependsOn["neo4j"].Condition != "service_healthy" {
		t.Errorf("aimsgraph depends_on neo4j condition %q, want service_healthy", app.DependsOn["neo4j"].Condition)
	}
	env := app.Environment
	u, err := url.Parse(env["NEO4J_URI"])
	if err != nil || u.Hostname() != "neo4j" || u.Port() != "7687" {
		t.Errorf("aimsgraph NEO4J_URI %q, want the neo4j service on 7687", env["NEO4J_URI"])
	}
	if env["NEO4J_PASSWORD"] != "${NEO4J_PASSWORD:?set NEO4J_PASSWORD}" || !strings.HasPrefix(neo.Environment["NEO4J_AUTH"], env["NEO4J_USERNAME"]+"/") {
		t.Errorf("aimsgraph credentials (%q, %q) do not match NEO4J_AUTH %q", env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"], neo.Environment["NEO4J_AUTH"])
	}
	_, port, err := net.SplitHostPort(env["AIMSGRAPH_ADDR"])
	if err != nil || !hasPort(app.Ports, port) {
		t.Errorf("AIMSGRAPH_ADDR %q is not published in %v", env["AIMSGRAPH_ADDR"], app.Ports)
	}
	if env["AIMSGRAPH_AUTH"] != "token" || !strings.Contains(env["AIMSGRAPH_TOKENS"], "${AIMSGRAPH_TOKENS") {
		t.Errorf("aimsgraph listens on %s, so it needs AIMSGRAPH_AUTH token and AIMSGRAPH_TOKENS from the environment; got %q, %q",
			env["AIMSGRAPH_ADDR"], env["AIMSGRAPH_AUTH"], env["AIMSGRAPH_TOKENS"])
	}
	flags := envNames(reflect.TypeOf(CLI{}))
	for key := range env {
		if !slices.Contains(flags, key) {
			t.Errorf("aimsgraph env %s is read by no flag (flags read %v)", key, flags)
		}
	}
	if app.Healthcheck == nil || !slices.Contains(app.Healthcheck.Test, "healthcheck") {
		t.Error("aimsgraph health check does not run `aimsgraph healthcheck`")
	}
}

// composeSetting turns NEO4J_server_memory_heap_max__size into server.memory.heap.max_size.
func composeSetting(env string) (string, bool) {
	rest, ok := strings.CutPrefix(env, "NEO4J_")
	if !ok {
		return "", false
	}
	rest = strings.ReplaceAll(rest, "__", "\x00")
	rest = strings.ReplaceAll(rest, "_", ".")
	return strings.ReplaceAll(rest, "\x00", "_"), true
}

func hasPort(ports []string, port string) bool {
	for _, p := range ports {
		parts := strings.Split(p, ":")
		if parts[len(parts)-1] == port {
			return true
		}
	}
	return false
}

// envNames lists the env tags of every flag of the CLI, subcommands included.
func envNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if env := f.Tag.Get("env"); env != "" {
			out = append(out, env)
		}
		if f.Type.Kind() == reflect.Struct {
			out = append(out, envNames(f.Type)...)
		}
	}
	return out
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func TestComposeSettingNames(t *testing.T) {
	for env, want := range map[string]string{
		"NEO4J_server_memory_heap_max__size":    "server.memory.heap.max_size",
		"NEO4J_db_memory_transaction_total_max": "db.memory.transaction.total.max",
		"NEO4J_server_default__listen__address": "server.default_listen_address",
	} {
		if got, _ := composeSetting(env); got != want {
			t.Errorf("%s -> %q, want %q", env, got, want)
		}
	}
}
