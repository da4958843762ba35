package oscal

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aimsgraph/aimsgraph/loaders"
)

// Detect tells whether the first bytes of a file look like OSCAL JSON: an object whose first key
// (after an optional "$schema") is one of the OSCAL models.
func Detect(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for range 2 {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		switch t {
		case "catalog", "profile", "mapping-collection":
			return true
		case "$schema":
			if _, err := dec.Token(); err != nil {
				return false
			}
		default:
			return false
		}
	}
	return false
}

// Load reads OSCAL files: each catalog becomes a source, each profile a source resolved against
// the catalogs in the same call, each mapping-collection a source. Catalogs come first so that
// profiles and mappings find their controls in the same transaction. id, when set, overrides
// the key of the one catalog or profile given.
func Load(paths []string, id string) ([]*loaders.Batch, error) {
	type read struct {
		path string
		doc  *Document
		sha  string
	}
	var docs []read
	models := 0
	for _, p := range paths {
		doc, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		sha, err := loaders.HashFiles([]string{p})
		if err != nil {
			return nil, err
		}
		docs = append(docs, read{p, doc, sha})
		if doc.Catalog != nil || doc.Profile != nil {
			models++
		}
	}
	if id != "" && models != 1 {
		return nil, fmt.Errorf("--id names one catalog or profile; %d were given", models)
	}
	var catalogs []LoadedCatalog
	var out []*loaders.Batch
	for _, d := range docs {
		if d.doc.Catalog == nil {
			continue
		}
		key := KeyFor(d.doc.Catalog.Metadata, id)
		b, err := CatalogBatch(d.doc.Catalog, key, []string{d.path}, d.sha)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.path, err)
		}
		catalogs = append(catalogs, LoadedCatalog{File: d.path, Key: key, Catalog: d.doc.Catalog})
		out = append(out, b)
	}
	for _, d := range docs {
		switch {
		case d.doc.Profile != nil:
			b, err := ProfileBatch(d.doc.Profile, d.path, catalogs, id, []string{d.path}, d.sha)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		case d.doc.MappingCollection != nil:
			b, err := MappingBatch(d.doc.MappingCollection, d.path, []string{d.path}, d.sha)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
	return out, nil
}
