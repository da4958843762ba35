package native

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aimsgraph/aimsgraph/loaders"
)

// csvKinds are the flat inventory kinds a CSV file can hold, told apart by a column only they
// have. Columns are the YAML field names; list columns hold ids separated by ';'.
var csvKinds = []struct {
	kind, marker string
	lists, ints  []string
}{
	{"aiSystems", "riskClass", []string{"dependsOn"}, nil},
	{"implementations", "status", nil, nil},
	{"evidence", "uri", nil, nil},
	{"risks", "likelihood", []string{"targets", "mitigatedBy"}, []string{"likelihood", "impact"}},
	{"assets", "type", []string{"dependsOn"}, nil},
	{"applies", "targets", []string{"targets"}, nil},
}

// DetectCSV tells whether a file is a CSV of an inventory kind: its name ends in .csv and its
// header holds an id column and the marker column of a kind.
func DetectCSV(name string, head []byte) bool {
	if !strings.EqualFold(filepath.Ext(name), ".csv") {
		return false
	}
	line, _, _ := strings.Cut(string(head), "\n")
	cols := strings.Split(strings.TrimSpace(line), ",")
	_, ok := csvKind(cols)
	return ok && (slices.Contains(cols, "id") || slices.Contains(cols, "targets"))
}

func csvKind(cols []string) (int, bool) {
	for i, k := range csvKinds {
		if slices.Contains(cols, k.marker) {
			return i, true
		}
	}
	return 0, false
}

// csvLocator names the row (as its line in the file) and the column of a path.
type csvLocator struct {
	lines []int // the line each record starts on
}

func (l csvLocator) At(path string) string {
	// path is like "assets[3].type"
	open := strings.IndexByte(path, '[')
	end := strings.IndexByte(path, ']')
	if open < 0 || end < open {
		return "line 1"
	}
	i, err := strconv.Atoi(path[open+1 : end])
	if err != nil || i >= len(l.lines) {
		return "line 1"
	}
	col := strings.TrimPrefix(path[end+1:], ".")
	if j := strings.IndexAny(col, ".["); j >= 0 {
		col = col[:j]
	}
	if col == "" {
		return fmt.Sprintf("line %d", l.lines[i])
	}
	return fmt.Sprintf("line %d, column %s", l.lines[i], col)
}

// LoadCSV reads one CSV file of an inventory kind. source names the source; by default it is
// "inventory:" and the file's name without extension.
func LoadCSV(path, source string) (*loaders.Batch, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if source == "" {
		source = "inventory:" + strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	f, loc, err := ParseCSV(fh, source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sha, err := loaders.HashFiles([]string{path})
	if err != nil {
		return nil, err
	}
	b, err := f.Batch(loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Source.Files, b.Source.SHA256 = []string{path}, sha
	return b, nil
}

// ParseCSV turns CSV rows into a document of one kind and checks it against the schema.
func ParseCSV(r io.Reader, source string) (*File, Locator, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("line 1: empty file; want a header row")
		}
		return nil, nil, fmt.Errorf("line 1: %w", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	ki, ok := csvKind(header)
	if !ok {
		return nil, nil, fmt.Errorf("line 1: header %v names no inventory kind (want a column riskClass, status, uri, likelihood, type or targets)", header)
	}
	k := csvKinds[ki]
	var rows []any
	loc := csvLocator{}
	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err // csv.ParseError names the line and column
		}
		line, _ = cr.FieldPos(0)
		row := map[string]any{}
		for i, v := range rec {
			v = strings.TrimSpace(v)
			if v == "" || i >= len(header) {
				continue
			}
			col := header[i]
			switch {
			case slices.Contains(k.lists, col):
				var ids []any
				for _, id := range strings.Split(v, ";") {
					if id = strings.TrimSpace(id); id != "" {
						ids = append(ids, id)
					}
				}
				row[col] = ids
			case slices.Contains(k.ints, col):
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, nil, fmt.Errorf("line %d, column %s: %q is not a whole number", line, col, v)
				}
				row[col] = n
			default:
				row[col] = v
			}
		}
		rows = append(rows, row)
		loc.lines = append(loc.lines, line)
	}
	doc := map[string]any{"aimsgraph": 1, "source": source, k.kind: rows}
	if err := validate(doc, loc); err != nil {
		return nil, nil, err
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	var f File
	if err := loaders.UnmarshalYAML(js, &f); err != nil {
		return nil, nil, err
	}
	return &f, loc, nil
}
