// Package content embeds aimsgraph's bundled content pack: the four AI modules, the mappings from
// ISMS and AIMS controls to the AI Act, the AI Act provisions they refer to, and a demo
// organisation. The files are in aimsgraph's own YAML format (loaders/native); `aimsgraph serve`
// loads them at start, and `aimsgraph load content/pack` loads them like any other source.
package content

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"

	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/native"
)

//go:embed pack/*.yaml
var pack embed.FS

// Files lists the pack's files, in load order.
func Files() []string {
	names, _ := fs.Glob(pack, "pack/*.yaml") // the pattern is valid: no error
	return names
}

// Batches parses the pack: one source per file. includeDemo false leaves the demo organisation
// out (a production instance loads its own inventory).
func Batches(includeDemo bool) ([]*loaders.Batch, error) {
	var out []*loaders.Batch
	for _, name := range Files() {
		if !includeDemo && path.Base(name) == DemoFile {
			continue
		}
		data, err := pack.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, loc, err := native.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("content %s:%w", name, err)
		}
		b, err := f.Batch(loc)
		if err != nil {
			return nil, fmt.Errorf("content %s:%w", name, err)
		}
		sum := sha256.Sum256(data)
		b.Source.Files, b.Source.SHA256 = []string{"embedded:" + name}, hex.EncodeToString(sum[:])
		out = append(out, b)
	}
	return out, nil
}

// DemoFile is the demo organisation's file name.
const DemoFile = "demo-org.yaml"
