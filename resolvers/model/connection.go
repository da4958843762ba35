// Package model holds the Go types behind the GraphQL schema: those gqlgen generates and the
// connection types written by hand so that totalCount is resolved only when selected.
package model

// RegulationConnection is a page of regulations. TotalCount is resolved separately.
type RegulationConnection struct {
	Edges    []*RegulationEdge
	PageInfo *PageInfo
}

// StandardConnection is a page of standards. TotalCount is resolved separately.
type StandardConnection struct {
	Edges    []*StandardEdge
	PageInfo *PageInfo
}

// AISystemConnection is a page of AI systems; Filter keeps the arguments for totalCount.
type AISystemConnection struct {
	Edges    []*AISystemEdge
	PageInfo *PageInfo
	Filter   map[string]any
}

// ControlConnection is a page of controls; Filter keeps the arguments for totalCount.
type ControlConnection struct {
	Edges    []*ControlEdge
	PageInfo *PageInfo
	Filter   map[string]any
}

// ProvisionConnection is a page of provisions; Filter keeps the arguments for totalCount.
type ProvisionConnection struct {
	Edges    []*ProvisionEdge
	PageInfo *PageInfo
	Filter   map[string]any
}

// ChangeImpact is the answer of changeImpact; the implementations to re-review and their targets
// are kept for the systems field, which is resolved only when selected.
type ChangeImpact struct {
	From      string
	To        string
	Counts    *ChangeCounts
	Added     []*VersionItem
	Withdrawn []*Withdrawal
	Removed   []*Removal
	Changed   []*ItemChange
	Suspects  []*SuspectLink
	Reviews   []*ReReview

	StaleImplementations []string
	Targets              []string
}
