// Package native loads aimsgraph's own format: a YAML file (described by the JSON Schema in
// schema.json) that holds catalogs, references to items other sources hold, mappings, and the
// organisation's inventory; and CSV files for the flat inventory kinds, which is what people
// keep in spreadsheets. The bundled content pack is written in this format.
package native

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/aimsgraph/aimsgraph/loaders"
)

// Schema is the JSON Schema of the YAML format, for editors and for the loader's own checks.
//
//go:embed schema.json
var Schema []byte

var compiled = func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		panic(err)
	}
	return c.MustCompile("schema.json")
}()

// Detect tells whether the first bytes of a file are an aimsgraph YAML file: the format key
// comes first (after comments).
func Detect(head []byte) bool {
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || bytes.Equal(line, []byte("---")) {
			continue
		}
		return bytes.HasPrefix(line, []byte("aimsgraph:"))
	}
	return false
}

// File is the YAML document.
type File struct {
	Aimsgraph       int              `yaml:"aimsgraph"`
	Source          string           `yaml:"source"`
	Version         string           `yaml:"version"`
	Description     string           `yaml:"description"`
	Catalog         `yaml:",inline"` //nolint:govet // inline the catalog lists
	References      Catalog          `yaml:"references"`
	Mappings        []Mapping        `yaml:"mappings"`
	AISystems       []AISystem       `yaml:"aiSystems"`
	Assets          []Asset          `yaml:"assets"`
	Applies         []Applies        `yaml:"applies"`
	Implementations []Implementation `yaml:"implementations"`
	Evidence        []Evidence       `yaml:"evidence"`
	Risks           []Risk           `yaml:"risks"`
}

// Catalog holds catalog items, in full or (under references) as stubs.
type Catalog struct {
	Regulations []Regulation `yaml:"regulations"`
	Provisions  []Provision  `yaml:"provisions"`
	Standards   []Standard   `yaml:"standards"`
	Modules     []Module     `yaml:"modules"`
	Controls    []Control    `yaml:"controls"`
	Threats     []Threat     `yaml:"threats"`
}

type Regulation struct {
	ID         string `yaml:"id"`
	Title      string `yaml:"title"`
	ShortTitle string `yaml:"shortTitle"`
	Celex      string `yaml:"celex"`
	Text       string `yaml:"text"`
}

type Provision struct {
	ID         string `yaml:"id"`
	Ref        string `yaml:"ref"`
	Title      string `yaml:"title"`
	Text       string `yaml:"text"`
	Level      string `yaml:"level"`
	Regulation string `yaml:"regulation"`
	Parent     string `yaml:"parent"`
}

type Standard struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Family  string `yaml:"family"`
	Version string `yaml:"version"`
	Kind    string `yaml:"kind"`
	Text    string `yaml:"text"`
}

type Module struct {
	ID       string `yaml:"id"`
	Title    string `yaml:"title"`
	Code     string `yaml:"code"`
	Text     string `yaml:"text"`
	Standard string `yaml:"standard"`
	Parent   string `yaml:"parent"`
}

type Control struct {
	ID        string      `yaml:"id"`
	Title     string      `yaml:"title"`
	Code      string      `yaml:"code"`
	Text      string      `yaml:"text"`
	Level     string      `yaml:"level"`
	Standard  string      `yaml:"standard"`
	Module    string      `yaml:"module"`
	Parent    string      `yaml:"parent"`
	Satisfies []Satisfies `yaml:"satisfies"`
	Mitigates []string    `yaml:"mitigates"`
}

type Satisfies struct {
	Provision    string   `yaml:"provision"`
	Relationship string   `yaml:"relationship"`
	Strength     *float64 `yaml:"strength"`
	Rationale    string   `yaml:"rationale"`
	Aspect       string   `yaml:"aspect"`
}

type Threat struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Code    string `yaml:"code"`
	Text    string `yaml:"text"`
	Catalog string `yaml:"catalog"`
}

type Mapping struct {
	From         string   `yaml:"from"`
	To           string   `yaml:"to"`
	Relationship string   `yaml:"relationship"`
	Strength     *float64 `yaml:"strength"`
	Rationale    string   `yaml:"rationale"`
	Status       string   `yaml:"status"`
}

type AISystem struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	RiskClass   string   `yaml:"riskClass"`
	Role        string   `yaml:"role"`
	Owner       string   `yaml:"owner"`
	DependsOn   []string `yaml:"dependsOn"`
}

type Asset struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Type        string   `yaml:"type"`
	Owner       string   `yaml:"owner"`
	DependsOn   []string `yaml:"dependsOn"`
}

type Applies struct {
	Module  string   `yaml:"module"`
	Control string   `yaml:"control"`
	Targets []string `yaml:"targets"`
}

type Implementation struct {
	ID         string `yaml:"id"`
	Control    string `yaml:"control"`
	Target     string `yaml:"target"`
	Status     string `yaml:"status"`
	Owner      string `yaml:"owner"`
	LastTested string `yaml:"lastTested"`
	Notes      string `yaml:"notes"`
}

type Evidence struct {
	ID             string `yaml:"id"`
	Implementation string `yaml:"implementation"`
	Title          string `yaml:"title"`
	URI            string `yaml:"uri"`
	SHA256         string `yaml:"sha256"`
	CollectedAt    string `yaml:"collectedAt"`
	ValidUntil     string `yaml:"validUntil"`
}

type Risk struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Threat      string   `yaml:"threat"`
	Targets     []string `yaml:"targets"`
	Likelihood  int      `yaml:"likelihood"`
	Impact      int      `yaml:"impact"`
	Treatment   string   `yaml:"treatment"`
	Owner       string   `yaml:"owner"`
	MitigatedBy []string `yaml:"mitigatedBy"`
}

// ReadFile parses and checks one YAML file; errors are "file:line:col: message".
func ReadFile(path string) (*File, Locator, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	f, loc, err := Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s:%w", path, err)
	}
	return f, loc, nil
}

// Locator says where a path of the document (e.g. "controls[3].level") is in its file.
type Locator interface{ At(path string) string }

// yamlLocator finds the line and column of a path in a YAML document, from an index of every
// path in the document built on first use.
type yamlLocator struct {
	file  *ast.File
	index map[string]string
}

// At returns "line:col" of the path, or of its nearest parent found.
func (l *yamlLocator) At(path string) string {
	if l.index == nil {
		l.index = map[string]string{}
		if l.file != nil {
			for _, d := range l.file.Docs {
				if d != nil {
					l.walk(d.Body, "", 0)
				}
			}
		}
	}
	for p := path; ; {
		if pos, ok := l.index[p]; ok {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			if pos, ok := l.index[""]; ok {
				return pos
			}
			return "1:1"
		}
		p = p[:i]
	}
}

// walk records the position of every mapping key and sequence item under path. Depth is bounded:
// the formats nest a few levels, a hostile file may nest thousands.
func (l *yamlLocator) walk(n ast.Node, path string, depth int) {
	if n == nil || depth > 32 {
		return
	}
	if _, seen := l.index[path]; !seen {
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			l.index[path] = fmt.Sprintf("%d:%d", tk.Position.Line, tk.Position.Column)
		}
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			l.walk(mv, path, depth+1)
		}
	case *ast.MappingValueNode:
		if v.Key == nil {
			return
		}
		key := v.Key.String()
		if path != "" {
			key = path + "." + key
		}
		l.walk(v.Value, key, depth+1)
	case *ast.SequenceNode:
		for i, item := range v.Values {
			l.walk(item, fmt.Sprintf("%s[%d]", path, i), depth+1)
		}
	case *ast.TagNode:
		l.walk(v.Value, path, depth+1)
	case *ast.AnchorNode:
		l.walk(v.Value, path, depth+1)
	}
}

// Parse checks a document against the schema and decodes it. An error starts with "line:col: ".
func Parse(data []byte) (*File, Locator, error) {
	astFile, err := parseAST(data)
	if err != nil {
		return nil, nil, err
	}
	loc := &yamlLocator{file: astFile}
	var generic any
	if err := loaders.UnmarshalYAML(data, &generic); err != nil {
		return nil, nil, err
	}
	if err := validate(generic, loc); err != nil {
		return nil, nil, err
	}
	var f File
	if err := loaders.UnmarshalYAML(data, &f, yaml.Strict()); err != nil {
		return nil, nil, err
	}
	return &f, loc, nil
}

// parseAST parses the document for locating errors; like loaders.UnmarshalYAML it turns a panic
// of the YAML library into an error.
func parseAST(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML the parser cannot read (%v)", r)
		}
	}()
	f, err = parser.ParseBytes(data, 0)
	if err != nil {
		return nil, errors.New(strings.TrimSpace(yaml.FormatError(err, false, false)))
	}
	return f, nil
}

// validate checks a decoded document against the schema.
func validate(doc any, loc Locator) error {
	js, err := json.Marshal(jsonable(doc))
	if err != nil {
		return fmt.Errorf("%s: %w", loc.At(""), err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return fmt.Errorf("%s: %w", loc.At(""), err)
	}
	if err := compiled.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return schemaError(ve, loc)
		}
		return fmt.Errorf("%s: %w", loc.At(""), err)
	}
	return nil
}

var printer = message.NewPrinter(language.English)

// schemaError reports the first leaf of a validation error where the editor can jump to it.
func schemaError(ve *jsonschema.ValidationError, loc Locator) error {
	leaf := ve
	for len(leaf.Causes) > 0 {
		leaf = leaf.Causes[0]
	}
	path := pathOf(leaf.InstanceLocation)
	where := path
	if where == "" {
		where = "the top level"
	}
	return fmt.Errorf("%s: at %s: %s", loc.At(path), where, leaf.ErrorKind.LocalizedString(printer))
}

func pathOf(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// jsonable turns YAML's decoded values into what encoding/json takes (maps with string keys).
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonable(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	}
	return v
}
