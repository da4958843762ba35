// Package cypher holds every Cypher statement and schema migration of aimsgraph as files, embedded
// into the binary. Go code refers to statements by name; it never builds Cypher from input.
package cypher

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed queries/*.cypher migrations/*.cypher
var files embed.FS

// Statement is one named Cypher statement. Name is the file name without extension; it labels
// metrics and logs.
type Statement struct {
	Name string
	Text string
}

// Get returns the statement in queries/NAME.cypher.
func Get(name string) (Statement, error) {
	b, err := files.ReadFile(path.Join("queries", name+".cypher"))
	if err != nil {
		return Statement{}, fmt.Errorf("cypher statement %q: %w", name, err)
	}
	text := strings.TrimSpace(stripComments(string(b)))
	text = strings.TrimSuffix(text, ";")
	if text == "" {
		return Statement{}, fmt.Errorf("cypher statement %q: file is empty", name)
	}
	return Statement{Name: name, Text: text}, nil
}

// MustGet is Get for statements named in code: a missing embedded file is a programming error,
// caught by the package tests that load every statement.
func MustGet(name string) Statement {
	s, err := Get(name)
	if err != nil {
		panic(err)
	}
	return s
}

// Names lists every statement in queries/, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, "queries")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".cypher"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Migration is one versioned schema migration: the statements of migrations/NNNN_name.cypher.
type Migration struct {
	Version    int
	Name       string
	Statements []string
	// Checksum identifies the file's content, so that an edited, already applied migration is noticed.
	Checksum string
}

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) { return ParseMigrations(files, "migrations") }

// ParseMigrations reads NNNN_name.cypher files from dir of fsys. Statements end with a semicolon
// at the end of a line; // comments are dropped.
func ParseMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".cypher")
		if !ok || e.IsDir() {
			continue
		}
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.cypher", e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migration %s: version %d already used by %s", e.Name(), v, prev)
		}
		seen[v] = e.Name()
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		stmts := splitStatements(stripComments(string(b)))
		if len(stmts) == 0 {
			return nil, fmt.Errorf("migration %s: no statements", e.Name())
		}
		out = append(out, Migration{Version: v, Name: name, Statements: stmts, Checksum: checksum(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func splitStatements(s string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if st := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"); st != "" {
				out = append(out, st)
			}
			cur.Reset()
		}
	}
	if st := strings.TrimSpace(cur.String()); st != "" {
		out = append(out, st)
	}
	return out
}
