package oscal

import (
	"path/filepath"
	"regexp"
	"strings"
)

// Key names a catalog in the graph: its id namespace, how its control ids are written there,
// and the family and version of the Standard node.
type Key struct {
	ID       string // the Standard node's id and the prefix of its items, e.g. nist-800-53@rev5
	Family   string // e.g. nist-800-53
	Version  string // e.g. rev5
	Title    string // a short title, e.g. NIST SP 800-53 Rev. 5
	IDPrefix string // prepended to a control id, e.g. "A." for ISO 27001 Annex A
	// SubPart, when set, matches the suffix that names a part of an item in mappings (the
	// Kompendium's "-UA.2" sub-requirements): the map is attached to the item, the part kept.
	SubPart *regexp.Regexp
}

// Split returns the graph id of an item named in a mapping, and the sub-part it names if any.
func (k Key) Split(ref string) (id, part string) {
	if k.SubPart != nil {
		if loc := k.SubPart.FindStringIndex(ref); loc != nil {
			return k.ItemID(ref[:loc[0]]), ref[loc[0]+1:]
		}
	}
	return k.ItemID(ref), ""
}

// ItemID is the graph id of a catalog item.
func (k Key) ItemID(controlID string) string { return k.ID + "/" + k.IDPrefix + controlID }

// known are the catalogs aimsgraph recognises by title or file name, so that catalogs, profiles,
// mappings and the content pack agree on ids. Anything else gets a key from its title and version.
var known = []struct {
	title *regexp.Regexp // matched against the catalog's metadata title
	file  []string       // file-name tokens (see tokens) that name the catalog in hrefs
	key   Key
}{
	{regexp.MustCompile(`800-53 Revision 4`), []string{"sp", "800", "53", "rev4", "catalog"},
		Key{ID: "nist-800-53@rev4", Family: "nist-800-53", Version: "rev4", Title: "NIST SP 800-53 Rev. 4"}},
	{regexp.MustCompile(`800-53 Revision 5`), []string{"sp", "800", "53", "rev5", "catalog"},
		Key{ID: "nist-800-53@rev5", Family: "nist-800-53", Version: "rev5", Title: "NIST SP 800-53 Rev. 5"}},
	{regexp.MustCompile(`^BSI Stand der Technik Kernel`), []string{"bsi", "stand", "der", "technik", "kernel", "catalog"},
		Key{ID: "bsi-gspp-kernel", Family: "bsi-gspp", Version: "", Title: "BSI Grundschutz++ Kernel"}},
	{regexp.MustCompile(`^BSI Methodik Grundschutz\+\+`), []string{"bsi", "methodik", "grundschutz", "catalog"},
		Key{ID: "bsi-gspp-methodik", Family: "bsi-gspp", Version: "", Title: "BSI Grundschutz++ Methodik"}},
	{regexp.MustCompile(`^BSI Anforderungen zum Risikomanagement`), []string{"bsi", "anforderungen", "zum", "risikomanagement", "catalog"},
		Key{ID: "bsi-gspp-risk", Family: "bsi-gspp", Version: "", Title: "BSI Grundschutz++ Risikomanagement"}},
	{regexp.MustCompile(`^ISO/IEC 27001:2022 Annex A`), []string{"iso27001", "annexa", "catalog"},
		Key{ID: "iso-27001@2022", Family: "iso-27001", Version: "2022", Title: "ISO/IEC 27001:2022", IDPrefix: "A."}},
	// The IT-Grundschutz-Kompendium 2023 as named by the BSI's mapping to Grundschutz++; its items
	// are the Kompendium loader's requirements.
	{regexp.MustCompile(`^IT-Grundschutz-Kompendium`), []string{"itgs", "source", "catalog"},
		Key{ID: "bsi-gs-2023", Family: "bsi-gs", Version: "2023", Title: "BSI IT-Grundschutz-Kompendium 2023", SubPart: regexp.MustCompile(`-UA\.\d+$`)}},
}

// profileKeys name well-known profiles (baselines).
var profileKeys = []struct {
	title *regexp.Regexp
	id    string
}{
	{regexp.MustCompile(`800-53 Revision 4 (LOW|MODERATE|HIGH) IMPACT BASELINE`), "nist-800-53@rev4/baseline-%s"},
	{regexp.MustCompile(`800-53 Revision 5[.0-9]* (LOW|MODERATE|HIGH|PRIVACY) (IMPACT )?BASELINE`), "nist-800-53@rev5/baseline-%s"},
	{regexp.MustCompile(`^Anwenderkatalog Grundschutz\+\+`), "bsi-gspp"},
}

// KeyFor returns the key of a catalog from its metadata; override, when set, is the id to use.
func KeyFor(md Metadata, override string) Key {
	if override != "" {
		fam, ver, _ := strings.Cut(override, "@")
		return Key{ID: override, Family: fam, Version: ver, Title: md.Title}
	}
	for _, k := range known {
		if k.title.MatchString(md.Title) {
			key := k.key
			if key.Version == "" {
				key.Version = md.Version
			}
			return key
		}
	}
	slug := Slug(md.Title)
	ver := Slug(md.Version)
	id := slug
	if ver != "" {
		id += "@" + ver
	}
	return Key{ID: id, Family: slug, Version: md.Version, Title: md.Title}
}

// KeyForHref returns the key of a catalog named by a file name in an href, and whether it is known.
func KeyForHref(href string, props []Prop) (Key, bool) {
	for _, p := range props {
		if p.Name == "catalog_title" {
			for _, k := range known {
				if k.title.MatchString(p.Value) {
					return k.key, true
				}
			}
		}
	}
	have := tokens(href)
	best, bestN := Key{}, 0
	for _, k := range known {
		if subset(k.file, have) && len(k.file) > bestN {
			best, bestN = k.key, len(k.file)
		}
	}
	return best, bestN > 0
}

// tokens splits a file name into lower-case words: "NIST_SP-800-53_rev4_catalog-min.json" gives
// nist sp 800 53 rev4 catalog (min and the extension dropped).
func tokens(href string) []string {
	base := strings.ToLower(filepath.Base(href))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var out []string
	for _, t := range regexp.MustCompile(`[a-z0-9]+`).FindAllString(base, -1) {
		if t != "min" {
			out = append(out, t)
		}
	}
	return out
}

func subset(want, have []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

var nonSlug = regexp.MustCompile(`[^a-z0-9.]+`)

// Slug makes a readable id part from a title: lower case, words joined by '-'.
func Slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-.")
}
