// Package oscal loads OSCAL JSON: catalogs (groups, controls, parts, props, params, links),
// profiles resolved against the catalogs given with them, and OSCAL 1.2 mapping-collections.
//
// Ids are namespaced by the catalog's key and version (see Keys): `nist-800-53@rev5/ac-2.1`,
// `bsi-gspp-kernel/ASST.1.1`, `iso-27001@2022/A.5.1`.
package oscal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Document is the top of an OSCAL JSON file: exactly one of its models is set.
type Document struct {
	Catalog           *Catalog           `json:"catalog"`
	Profile           *Profile           `json:"profile"`
	MappingCollection *MappingCollection `json:"mapping-collection"`
}

// Metadata is the part of OSCAL metadata the loaders use.
type Metadata struct {
	Title        string `json:"title"`
	Version      string `json:"version"`
	OSCALVersion string `json:"oscal-version"`
	LastModified string `json:"last-modified"`
	Published    string `json:"published"`
	Props        []Prop `json:"props"`
}

// Catalog is an OSCAL catalog.
type Catalog struct {
	UUID       string     `json:"uuid"`
	Metadata   Metadata   `json:"metadata"`
	Groups     []Group    `json:"groups"`
	Controls   []Control  `json:"controls"`
	Params     []Param    `json:"params"`
	BackMatter BackMatter `json:"back-matter"`
}

// Group is a group of controls, possibly nested.
type Group struct {
	ID       string    `json:"id"`
	Class    string    `json:"class"`
	Title    string    `json:"title"`
	Props    []Prop    `json:"props"`
	Parts    []Part    `json:"parts"`
	Groups   []Group   `json:"groups"`
	Controls []Control `json:"controls"`
}

// Control is a control or control enhancement.
type Control struct {
	ID       string    `json:"id"`
	Class    string    `json:"class"`
	Title    string    `json:"title"`
	Params   []Param   `json:"params"`
	Props    []Prop    `json:"props"`
	Links    []Link    `json:"links"`
	Parts    []Part    `json:"parts"`
	Controls []Control `json:"controls"`
}

// Part is a statement, guidance or item, possibly nested.
type Part struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title"`
	Props []Prop `json:"props"`
	Prose string `json:"prose"`
	Parts []Part `json:"parts"`
}

// Prop is a name/value property.
type Prop struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	NS    string `json:"ns"`
	Class string `json:"class"`
}

// Param is a control parameter.
type Param struct {
	ID     string   `json:"id"`
	Label  string   `json:"label"`
	Values []string `json:"values"`
	Select *struct {
		HowMany string   `json:"how-many"`
		Choice  []string `json:"choice"`
	} `json:"select"`
}

// Link is a link from a control: reference, related, moved-to, incorporated-into, ...
type Link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
	Text string `json:"text"`
}

// BackMatter holds the resources that imports and links point at.
type BackMatter struct {
	Resources []Resource `json:"resources"`
}

// Resource is one back-matter resource.
type Resource struct {
	UUID   string `json:"uuid"`
	Title  string `json:"title"`
	RLinks []struct {
		Href string `json:"href"`
	} `json:"rlinks"`
}

// Profile is an OSCAL profile.
type Profile struct {
	UUID       string     `json:"uuid"`
	Metadata   Metadata   `json:"metadata"`
	Imports    []Import   `json:"imports"`
	BackMatter BackMatter `json:"back-matter"`
}

// Import selects controls from one catalog or profile.
type Import struct {
	Href            string      `json:"href"`
	IncludeAll      *struct{}   `json:"include-all"`
	IncludeControls []Selection `json:"include-controls"`
	ExcludeControls []Selection `json:"exclude-controls"`
}

// Selection names controls by id, with or without their child controls.
type Selection struct {
	WithIDs          []string `json:"with-ids"`
	WithChildControl string   `json:"with-child-controls"`
}

// MappingCollection is an OSCAL 1.2 mapping-collection.
type MappingCollection struct {
	UUID       string     `json:"uuid"`
	Metadata   Metadata   `json:"metadata"`
	Provenance Provenance `json:"provenance"`
	Mappings   []Mapping  `json:"mappings"`
}

// Provenance says how a mapping was made.
type Provenance struct {
	Method            string `json:"method"`
	MatchingRationale string `json:"matching-rationale"`
	Status            string `json:"status"`
	Description       string `json:"mapping-description"`
}

// Mapping maps items of one source resource to items of one target resource.
type Mapping struct {
	UUID              string      `json:"uuid"`
	Method            string      `json:"method"`
	MatchingRationale string      `json:"matching-rationale"`
	Status            string      `json:"status"`
	SourceResource    MapResource `json:"source-resource"`
	TargetResource    MapResource `json:"target-resource"`
	Maps              []Map       `json:"maps"`
}

// MapResource names the catalog a side of a mapping refers to.
type MapResource struct {
	Type  string `json:"type"`
	Href  string `json:"href"`
	Props []Prop `json:"props"`
}

// Map is one map: sources related to targets.
type Map struct {
	UUID              string    `json:"uuid"`
	Relationship      string    `json:"relationship"`
	MatchingRationale string    `json:"matching-rationale"`
	Status            string    `json:"status"`
	Remarks           string    `json:"remarks"`
	Props             []Prop    `json:"props"`
	Sources           []MapItem `json:"sources"`
	Targets           []MapItem `json:"targets"`
}

// MapItem is one side of a map.
type MapItem struct {
	Type  string `json:"type"`
	IDRef string `json:"id-ref"`
	Props []Prop `json:"props"`
}

// ReadFile decodes an OSCAL JSON file; errors carry the file, line and column.
func ReadFile(path string) (*Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return doc, nil
}

// Parse decodes OSCAL JSON; an error starts with "line:col: ".
func Parse(b []byte) (*Document, error) {
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		return nil, locate(b, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%d:%d: data after the OSCAL document", lineCol(b, dec.InputOffset())[0], lineCol(b, dec.InputOffset())[1])
	}
	n := 0
	for _, set := range []bool{doc.Catalog != nil, doc.Profile != nil, doc.MappingCollection != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("1:1: not an OSCAL catalog, profile or mapping-collection (want exactly one of those top-level keys)")
	}
	return &doc, nil
}

func locate(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		lc := lineCol(b, syn.Offset)
		return fmt.Errorf("%d:%d: %v", lc[0], lc[1], syn)
	case errors.As(err, &typ):
		lc := lineCol(b, typ.Offset)
		return fmt.Errorf("%d:%d: at %s: %s where %s is expected", lc[0], lc[1], typ.Field, typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("1:1: empty or truncated file")
	}
	return fmt.Errorf("1:1: %w", err)
}

func lineCol(b []byte, off int64) [2]int {
	off = min(max(off, 0), int64(len(b)))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(b[:off], '\n')
	return [2]int{line, col}
}
