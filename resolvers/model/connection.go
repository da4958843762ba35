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
