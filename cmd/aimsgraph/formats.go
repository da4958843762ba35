package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/atlas"
	"github.com/aimsgraph/aimsgraph/loaders/ciso"
	"github.com/aimsgraph/aimsgraph/loaders/formex"
	"github.com/aimsgraph/aimsgraph/loaders/kompendium"
	"github.com/aimsgraph/aimsgraph/loaders/native"
	"github.com/aimsgraph/aimsgraph/loaders/oscal"
)

// format is one source format the load command knows: how to recognise a file of it from its
// first bytes and name, and how to turn its files into batches.
type format struct {
	name   string
	doc    string
	detect func(name string, head []byte) bool
	load   func(files []string, opts formatOptions) ([]*loaders.Batch, error)
}

// formatOptions are the load flags a format may use.
type formatOptions struct {
	ID string // overrides the catalog, framework or profile id
}

// formats in detection order: the first whose detect says yes takes the file.
var formats = []format{
	{name: "formex", doc: "EU legislation in Formex 4 XML (a folder holds the act and its annexes)",
		detect: func(_ string, head []byte) bool { return formex.Detect(head) },
		load: func(files []string, _ formatOptions) ([]*loaders.Batch, error) {
			b, err := formex.Load(files)
			if err != nil {
				return nil, err
			}
			return []*loaders.Batch{b}, nil
		}},
	{name: "oscal", doc: "OSCAL JSON: catalogs, profiles (with their catalogs), mapping-collections",
		detect: func(_ string, head []byte) bool { return oscal.Detect(head) },
		load:   func(files []string, o formatOptions) ([]*loaders.Batch, error) { return oscal.Load(files, o.ID) }},
	{name: "kompendium", doc: "BSI IT-Grundschutz-Kompendium, DocBook 5 XML",
		detect: func(_ string, head []byte) bool { return kompendium.Detect(head) },
		load: func(files []string, o formatOptions) ([]*loaders.Batch, error) {
			edition := ""
			if o.ID != "" {
				var ok bool
				if edition, ok = strings.CutPrefix(o.ID, "bsi-gs-"); !ok {
					return nil, fmt.Errorf("--id for the Kompendium is bsi-gs-<edition>, e.g. bsi-gs-2023; got %q", o.ID)
				}
			}
			return each(files, func(f string) (*loaders.Batch, error) { return kompendium.Load(f, edition) })
		}},
	{name: "ciso", doc: "CISO Assistant library YAML: frameworks, requirement mapping sets, threat catalogs",
		detect: func(_ string, head []byte) bool { return ciso.Detect(head) },
		load: func(files []string, o formatOptions) ([]*loaders.Batch, error) {
			return each(files, func(f string) (*loaders.Batch, error) { return ciso.Load(f, o.ID) })
		}},
	{name: "atlas", doc: "MITRE ATLAS, the compiled ATLAS.yaml",
		detect: func(_ string, head []byte) bool { return atlas.Detect(head) },
		load: func(files []string, _ formatOptions) ([]*loaders.Batch, error) {
			return each(files, atlas.Load)
		}},
	{name: "aimsgraph", doc: "aimsgraph's own YAML: catalogs, references, mappings, the organisation's inventory",
		detect: func(_ string, head []byte) bool { return native.Detect(head) },
		load: func(files []string, _ formatOptions) ([]*loaders.Batch, error) {
			return each(files, native.Load)
		}},
	{name: "csv", doc: "inventory CSV: AI systems, assets, implementations, evidence, risks, applies",
		detect: native.DetectCSV,
		load: func(files []string, o formatOptions) ([]*loaders.Batch, error) {
			if o.ID != "" && len(files) > 1 {
				return nil, fmt.Errorf("--id names the source of one CSV file; %d were given", len(files))
			}
			return each(files, func(f string) (*loaders.Batch, error) { return native.LoadCSV(f, o.ID) })
		}},
}

// each loads every file as its own source.
func each(files []string, load func(string) (*loaders.Batch, error)) ([]*loaders.Batch, error) {
	var out []*loaders.Batch
	for _, f := range files {
		b, err := load(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func formatNames() []string {
	names := []string{"auto"}
	for _, f := range formats {
		names = append(names, f.name)
	}
	return names
}

func formatByName(name string) (format, error) {
	for _, f := range formats {
		if f.name == name {
			return f, nil
		}
	}
	return format{}, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(formatNames(), ", "))
}

// groupByFormat detects the format of each file (or takes the one given) and groups the files,
// keeping the order of formats.
func groupByFormat(files []string, given string) ([]format, map[string][]string, error) {
	groups := map[string][]string{}
	var order []format
	add := func(f format, file string) {
		if _, ok := groups[f.name]; !ok {
			order = append(order, f)
		}
		groups[f.name] = append(groups[f.name], file)
	}
	if given != "auto" {
		f, err := formatByName(given)
		if err != nil {
			return nil, nil, err
		}
		for _, file := range files {
			add(f, file)
		}
		return order, groups, nil
	}
	for _, file := range files {
		head, err := readHead(file, 4096)
		if err != nil {
			return nil, nil, err
		}
		i := slices.IndexFunc(formats, func(f format) bool { return f.detect(filepath.Base(file), head) })
		if i < 0 {
			return nil, nil, fmt.Errorf("%s: cannot tell the format from its first bytes; pass --format (one of %s)", file, strings.Join(formatNames()[1:], ", "))
		}
		add(formats[i], file)
	}
	return order, groups, nil
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, _ := f.Read(b)
	return b[:m], nil
}
