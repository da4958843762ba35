package cypher

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestEveryStatementLoads(t *testing.T) {
	for _, name := range Names() {
		st, err := Get(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.HasPrefix(st.Text, "//") || strings.HasSuffix(st.Text, ";") {
			t.Errorf("%s: comments and the trailing semicolon should be stripped: %q", name, st.Text)
		}
	}
	if _, err := Get("no_such_statement"); err == nil {
		t.Error("Get of a missing statement succeeded")
	}
}

func TestParseMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_b.cypher": {Data: []byte("// two\nCREATE INDEX b IF NOT EXISTS\n  FOR (n:X) ON (n.b);\nCREATE INDEX c IF NOT EXISTS FOR (n:X) ON (n.c);\n")},
		"m/0001_a.cypher": {Data: []byte("CREATE CONSTRAINT a IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE;")},
		"m/README.md":     {Data: []byte("ignored")},
	}
	ms, err := ParseMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 1 || ms[1].Version != 2 || ms[1].Name != "b" {
		t.Fatalf("migrations = %+v", ms)
	}
	if len(ms[1].Statements) != 2 || ms[1].Statements[0] != "CREATE INDEX b IF NOT EXISTS\n  FOR (n:X) ON (n.b)" {
		t.Errorf("statements of 0002 = %q", ms[1].Statements)
	}
	if ms[0].Checksum == ms[1].Checksum || len(ms[0].Checksum) != 64 {
		t.Errorf("checksums %q %q", ms[0].Checksum, ms[1].Checksum)
	}
}

func TestParseMigrationsRejects(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"must be NNNN_name": {"m/first.cypher": {Data: []byte("RETURN 1;")}},
		"already used":      {"m/0001_a.cypher": {Data: []byte("RETURN 1;")}, "m/001_b.cypher": {Data: []byte("RETURN 2;")}},
		"no statements":     {"m/0001_a.cypher": {Data: []byte("// nothing\n")}},
		"read migrations: ": {},
	}
	for want, fsys := range tests {
		if _, err := ParseMigrations(fsys, "m"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to contain %q", err, want)
		}
	}
}

func TestShippedMigrationsParse(t *testing.T) {
	ms, err := Migrations()
	if err != nil || len(ms) == 0 {
		t.Fatalf("Migrations() = %d, %v", len(ms), err)
	}
}
