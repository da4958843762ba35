package oscal

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// Relationships are the set-theory relationships of NIST IR 8477 and OSCAL 1.2.
var Relationships = []string{"equal-to", "equivalent-to", "subset-of", "superset-of", "intersects-with", "no-relationship"}

var threatProp = regexp.MustCompile(`^G\s*0\.(\d+)\b`)

// MappingBatch turns a mapping-collection into MAPS_TO relationships (one per source and target
// of each map). Endpoints that are not in the graph when it is written are reported by id and
// skipped. BSI's elementary-threat props on a map become MITIGATES links from the source item to
// the threat (the Kompendium 2023 publishes its cross-reference tables only in this form).
func MappingBatch(mc *MappingCollection, file string, files []string, sha string) (*loaders.Batch, error) {
	name := Slug(mc.Metadata.Title)
	if v := Slug(mc.Metadata.Version); v != "" {
		name += "@" + v
	}
	b := &loaders.Batch{
		Source:      loaders.Source{Name: "oscal-mapping:" + name, Loader: "oscal-mapping", Version: mc.Metadata.Version, Files: files, SHA256: sha},
		SkipMissing: true,
	}
	addressed := map[[2]string]bool{} // sub-requirements of one requirement share threats
	for i, m := range mc.Mappings {
		path := fmt.Sprintf("mapping-collection.mappings[%d]", i)
		from, ok := KeyForHref(m.SourceResource.Href, m.SourceResource.Props)
		if !ok {
			from = KeyFor(Metadata{Title: strings.TrimSuffix(m.SourceResource.Href, ".json")}, "")
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: %s.source-resource: %s is not a catalog aimsgraph knows; its items are taken as %s/<id>", file, path, m.SourceResource.Href, from.ID))
		}
		to, ok := KeyForHref(m.TargetResource.Href, m.TargetResource.Props)
		if !ok {
			to = KeyFor(Metadata{Title: strings.TrimSuffix(m.TargetResource.Href, ".json")}, "")
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: %s.target-resource: %s is not a catalog aimsgraph knows; its items are taken as %s/<id>", file, path, m.TargetResource.Href, to.ID))
		}
		for j, mp := range m.Maps {
			mpath := fmt.Sprintf("%s.maps[%d]", path, j)
			if !validRelationship(mp.Relationship) {
				return nil, fmt.Errorf("%s: %s.relationship: %q is not one of %s", file, mpath, mp.Relationship, strings.Join(Relationships, ", "))
			}
			if len(mp.Sources) == 0 || len(mp.Targets) == 0 {
				return nil, fmt.Errorf("%s: %s: a map needs at least one source and one target", file, mpath)
			}
			status := first(mp.Status, m.Status, mc.Provenance.Status)
			for si, src := range mp.Sources {
				if src.IDRef == "" {
					return nil, fmt.Errorf("%s: %s.sources[%d].id-ref: missing", file, mpath, si)
				}
				sid, part := from.Split(src.IDRef)
				for ti, tgt := range mp.Targets {
					if tgt.IDRef == "" {
						return nil, fmt.Errorf("%s: %s.targets[%d].id-ref: missing", file, mpath, ti)
					}
					tid, tpart := to.Split(tgt.IDRef)
					props := map[string]any{
						"relationship": mp.Relationship, "status": status,
						"method": first(m.Method, mc.Provenance.Method), "matchingRationale": first(mp.MatchingRationale, m.MatchingRationale, mc.Provenance.MatchingRationale),
						"mapping": mc.Metadata.Title, "mappingVersion": mc.Metadata.Version, "mapUuid": mp.UUID,
						"sourceRef": src.IDRef, "targetRef": tgt.IDRef, "targets": len(mp.Targets),
					}
					if mp.Remarks != "" {
						props["rationale"] = mp.Remarks
					}
					if part != "" {
						props["sourcePart"] = part
					}
					if tpart != "" {
						props["targetPart"] = tpart
					}
					b.Rels = append(b.Rels, loaders.Rel{Kind: graph.MapsTo, From: sid, To: tid, Key: fmt.Sprintf("%s/%d/%d", mp.UUID, si, ti), Props: props})
				}
				if from.ID == "bsi-gs-2023" {
					for _, p := range mp.Props {
						if p.Name == "elementare_gefaehrdung" {
							if m := threatProp.FindStringSubmatch(p.Value); m != nil {
								link := [2]string{sid, "bsi-gs-2023/G0." + m[1]}
								if !addressed[link] {
									addressed[link] = true
									b.Rels = append(b.Rels, loaders.Rel{Kind: graph.Mitigates, From: sid, To: link[1]})
								}
							}
						}
					}
				}
			}
		}
	}
	return b, nil
}

func validRelationship(r string) bool {
	for _, x := range Relationships {
		if r == x {
			return true
		}
	}
	return false
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
