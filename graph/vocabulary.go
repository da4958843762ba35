// Package graph declares aimsgraph's typed graph vocabulary (node kinds, relationship kinds and
// their key properties) once, and holds the Neo4j store that reads and writes it.
//
// Everything that names a label or a relationship type elsewhere (migrations, loaders, queries,
// the allowlist for user-supplied kinds) is checked against this vocabulary.
package graph

import (
	"fmt"
	"slices"
)

// NodeKind is a node label of the typed graph.
type NodeKind string

// The node kinds. Every node also carries the EntityLabel so that a global id lookup starts
// from one unique index.
const (
	Regulation     NodeKind = "Regulation"
	Provision      NodeKind = "Provision"
	Standard       NodeKind = "Standard"
	Module         NodeKind = "Module"
	Control        NodeKind = "Control"
	Threat         NodeKind = "Threat"
	Mitigation     NodeKind = "Mitigation"
	Risk           NodeKind = "Risk"
	Asset          NodeKind = "Asset"
	AISystem       NodeKind = "AISystem"
	Implementation NodeKind = "Implementation"
	Evidence       NodeKind = "Evidence"
	Assessment     NodeKind = "Assessment"
	ImportRun      NodeKind = "ImportRun"
)

// EntityLabel is the label every domain node carries besides its kind, with a unique id.
const EntityLabel = "Entity"

// System labels: nodes that are not part of the domain graph. They carry no EntityLabel, so the
// id lookup, search and loaders never reach them, and node counts of the domain graph leave them out.
const (
	AuditRecordLabel     = "AuditRecord"     // one append-only audit record
	AuditLogLabel        = "AuditLog"        // the head of the audit chain: sequence and last hash
	SchemaLockLabel      = "SchemaLock"      // held while migrations run
	SchemaMigrationLabel = "SchemaMigration" // the ledger of applied migrations
)

// SystemLabels lists the system labels.
func SystemLabels() []string {
	return []string{AuditRecordLabel, AuditLogLabel, SchemaLockLabel, SchemaMigrationLabel}
}

// RelKind is a relationship type of the typed graph.
type RelKind string

// The relationship kinds.
const (
	PartOf     RelKind = "PART_OF"
	RefersTo   RelKind = "REFERS_TO"
	MapsTo     RelKind = "MAPS_TO"
	Satisfies  RelKind = "SATISFIES"
	AppliesTo  RelKind = "APPLIES_TO"
	DependsOn  RelKind = "DEPENDS_ON"
	Implements RelKind = "IMPLEMENTS"
	On         RelKind = "ON"
	Supports   RelKind = "SUPPORTS"
	Threatens  RelKind = "THREATENS"
	Mitigates  RelKind = "MITIGATES"
	Realises   RelKind = "REALISES"
	Assesses   RelKind = "ASSESSES"
	Supersedes RelKind = "SUPERSEDES"
	Selects    RelKind = "SELECTS"
	ImportedBy RelKind = "IMPORTED_BY"
)

// NodeSpec describes one node kind: what it is, the properties that are looked up (each gets an
// index) and the properties that full-text search covers.
type NodeSpec struct {
	Kind     NodeKind
	Doc      string
	Lookup   []string
	FullText []string
}

// RelSpec describes one relationship kind, the kinds it may join, its properties and the
// properties looked up on it (each gets a relationship index).
type RelSpec struct {
	Kind   RelKind
	Doc    string
	From   []NodeKind
	To     []NodeKind
	Props  []string
	Lookup []string
}

// Properties every domain node carries: a stable id, and provenance for scoped reloads.
const (
	PropID      = "id"
	PropSource  = "source"  // the source that wrote the item in full (a stub-only node: the first that named it)
	PropSources = "sources" // every source that holds the node, in full or as a stub
	PropStub    = "stub"    // true while only stubs (references by id and short title) hold the node
	PropRun     = "run"     // on relationships: the import run that last wrote it
	PropTitle   = "title"
	PropText    = "text"
	PropVersion = "version"
)

// entityLookup are the properties indexed on the EntityLabel for every node.
var entityLookup = []string{PropSource}

var nodeSpecs = []NodeSpec{
	{Kind: Regulation, Doc: "A law in one version, e.g. Regulation (EU) 2024/1689.", Lookup: []string{"celex"}, FullText: []string{PropTitle, PropText}},
	{Kind: Provision, Doc: "An article, paragraph, subparagraph, point or annex of a regulation, with a level.", Lookup: []string{"regulation", "level", "ref"}, FullText: []string{PropTitle, PropText}},
	{Kind: Standard, Doc: "A standard or catalog in one version, e.g. NIST SP 800-53 rev5.", Lookup: []string{"family", PropVersion}, FullText: []string{PropTitle, PropText}},
	{Kind: Module, Doc: "A group of controls: a Grundschutz module, an OSCAL group, an AI module.", Lookup: []string{"standard", "code"}, FullText: []string{PropTitle, PropText}},
	{Kind: Control, Doc: "A requirement or control of a standard, with a level.", Lookup: []string{"standard", "code", "level"}, FullText: []string{PropTitle, PropText}},
	{Kind: Threat, Doc: "A threat: an elementary threat or an ATLAS tactic or technique.", Lookup: []string{"code"}, FullText: []string{PropTitle, PropText}},
	{Kind: Mitigation, Doc: "A mitigation of a threat catalog, e.g. an ATLAS mitigation.", Lookup: []string{"code"}, FullText: []string{PropTitle, PropText}},
	{Kind: Risk, Doc: "A risk of the organisation: threat, likelihood, impact, treatment.", Lookup: []string{"owner"}},
	{Kind: Asset, Doc: "An asset of the organisation: data, model, platform, application, infrastructure, process, organisation.", Lookup: []string{"type", "owner"}},
	{Kind: AISystem, Doc: "An AI system with its AI Act risk class and role.", Lookup: []string{"riskClass", "role", "owner"}},
	{Kind: Implementation, Doc: "A control implemented on a target, with status and owner.", Lookup: []string{"status", "owner"}},
	{Kind: Evidence, Doc: "Proof for an implementation: uri, sha256, collected at, valid until.", Lookup: []string{"validUntil"}},
	{Kind: Assessment, Doc: "The result of testing a control on a target.", Lookup: []string{"result", "assessedAt"}},
	{Kind: ImportRun, Doc: "One load of one source: provenance for what it wrote.", Lookup: []string{"sourceName", "startedAt"}},
}

// owned is the lookup every loaded relationship carries: stale removal finds a source's
// relationships through it.
var owned = []string{PropSource}

var relSpecs = []RelSpec{
	{Kind: PartOf, Doc: "Hierarchy: provision in regulation, control in module, module in standard, technique in tactic.", From: []NodeKind{Provision, Module, Control, Threat, Mitigation}, To: []NodeKind{Regulation, Provision, Standard, Module, Control, Threat}, Lookup: owned},
	{Kind: RefersTo, Doc: "A legal cross-reference in a provision's text.", From: []NodeKind{Provision}, To: []NodeKind{Provision, Regulation}, Props: []string{"text"}, Lookup: owned},
	{Kind: MapsTo, Doc: "A mapping between items of two catalogs, with its set-theory relationship.", From: []NodeKind{Control, Provision}, To: []NodeKind{Control, Provision}, Props: []string{"relationship", "strength", "rationale", "status", "mapping"}, Lookup: []string{PropSource, "status"}},
	{Kind: Satisfies, Doc: "A control satisfies (part of) a provision.", From: []NodeKind{Control, Module}, To: []NodeKind{Provision}, Props: []string{"relationship", "strength", "rationale", "status"}, Lookup: []string{PropSource, "status"}},
	{Kind: AppliesTo, Doc: "A module or control is modelled onto a target.", From: []NodeKind{Module, Control}, To: []NodeKind{Asset, AISystem}, Lookup: owned},
	{Kind: DependsOn, Doc: "A dependency between assets and AI systems.", From: []NodeKind{Asset, AISystem}, To: []NodeKind{Asset, AISystem}, Lookup: owned},
	{Kind: Implements, Doc: "An implementation implements a control.", From: []NodeKind{Implementation}, To: []NodeKind{Control}, Lookup: owned},
	{Kind: On, Doc: "An implementation is on a target.", From: []NodeKind{Implementation}, To: []NodeKind{Asset, AISystem}, Lookup: owned},
	{Kind: Supports, Doc: "Evidence supports an implementation or an assessment.", From: []NodeKind{Evidence}, To: []NodeKind{Implementation, Assessment}, Lookup: owned},
	{Kind: Threatens, Doc: "A risk or threat threatens a target.", From: []NodeKind{Risk, Threat}, To: []NodeKind{Asset, AISystem}, Lookup: owned},
	{Kind: Mitigates, Doc: "A mitigation or control mitigates a threat or risk; a requirement addresses an elementary threat.", From: []NodeKind{Mitigation, Control}, To: []NodeKind{Threat, Risk}, Props: []string{"use"}, Lookup: owned},
	{Kind: Realises, Doc: "A risk realises a threat.", From: []NodeKind{Risk}, To: []NodeKind{Threat}, Lookup: owned},
	{Kind: Assesses, Doc: "An assessment assesses an implementation.", From: []NodeKind{Assessment}, To: []NodeKind{Implementation}, Lookup: owned},
	{Kind: Supersedes, Doc: "A newer version supersedes an older one.", From: []NodeKind{Regulation, Standard, Provision, Control}, To: []NodeKind{Regulation, Standard, Provision, Control}, Lookup: owned},
	{Kind: Selects, Doc: "A profile or baseline selects a control of a catalog.", From: []NodeKind{Standard}, To: []NodeKind{Control}, Lookup: owned},
	{Kind: ImportedBy, Doc: "Ownership: a node is held by the import run that last wrote it for its source.", From: []NodeKind{Regulation, Provision, Standard, Module, Control, Threat, Mitigation, Risk, Asset, AISystem, Implementation, Evidence, Assessment}, To: []NodeKind{ImportRun}},
}

// NodeKinds returns the node kinds with their specs, in declaration order.
func NodeKinds() []NodeSpec {
	out := slices.Clone(nodeSpecs)
	for i := range out {
		out[i].Lookup = slices.Clone(out[i].Lookup)
		out[i].FullText = slices.Clone(out[i].FullText)
	}
	return out
}

// RelKinds returns the relationship kinds with their specs, in declaration order.
func RelKinds() []RelSpec {
	out := slices.Clone(relSpecs)
	for i := range out {
		out[i].From = slices.Clone(out[i].From)
		out[i].To = slices.Clone(out[i].To)
		out[i].Props = slices.Clone(out[i].Props)
		out[i].Lookup = slices.Clone(out[i].Lookup)
	}
	return out
}

// EntityLookup returns the properties indexed on every node through the EntityLabel.
func EntityLookup() []string { return slices.Clone(entityLookup) }

// ParseNodeKind checks a user-supplied label against the allowlist.
func ParseNodeKind(s string) (NodeKind, error) {
	for _, n := range nodeSpecs {
		if string(n.Kind) == s {
			return n.Kind, nil
		}
	}
	return "", fmt.Errorf("unknown node kind %q", s)
}

// ParseRelKind checks a user-supplied relationship type against the allowlist.
func ParseRelKind(s string) (RelKind, error) {
	for _, r := range relSpecs {
		if string(r.Kind) == s {
			return r.Kind, nil
		}
	}
	return "", fmt.Errorf("unknown relationship kind %q", s)
}
