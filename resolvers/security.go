package resolvers

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

func whoami(ctx context.Context) (*model.Caller, error) {
	p := auth.FromContext(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	c := &model.Caller{ID: p.ID, Kind: p.Kind, Roles: p.RoleNames(), Permissions: []model.Permission{}}
	for _, perm := range auth.Permissions() {
		if p.Can(perm) {
			c.Permissions = append(c.Permissions, model.Permission(perm))
		}
	}
	return c, nil
}

const maxAuditPage = 500

var auditTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,6})?)?)?Z?)?$`)

func (r *Resolver) auditTrail(ctx context.Context, f audit.Filter, first *int, after *string) (*model.AuditRecordConnection, error) {
	if r.Audit == nil {
		return nil, errors.New("the audit trail is not configured")
	}
	n := 50
	if first != nil {
		if *first < 0 || *first > maxAuditPage {
			return nil, badInput("first must be between 0 and %d, got %d", maxAuditPage, *first)
		}
		n = *first
	}
	for _, t := range []struct{ name, v string }{{"since", f.Since}, {"until", f.Until}} {
		if t.v != "" && !auditTime.MatchString(t.v) {
			return nil, badInput("%s %q is not a UTC time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)", t.name, t.v)
		}
	}
	for _, s := range []string{f.Operation, f.Actor, f.Outcome} {
		if len(s) > 300 {
			return nil, badInput("filters must be at most 300 characters")
		}
	}
	var before int64
	if after != nil && *after != "" {
		c, err := decodeCursor(*after)
		if err == nil {
			before, err = strconv.ParseInt(strings.TrimPrefix(c, "seq:"), 10, 64)
		}
		if err != nil || !strings.HasPrefix(c, "seq:") || before <= 0 {
			return nil, badInput("after: %q is not a cursor of this list", *after)
		}
	}
	recs, more, err := r.Audit.Page(ctx, f, n, before)
	if err != nil {
		return nil, err
	}
	out := &model.AuditRecordConnection{Edges: make([]*model.AuditRecordEdge, 0, len(recs)), PageInfo: &model.PageInfo{HasNextPage: more}}
	for _, rec := range recs {
		c := encodeCursor("seq:" + strconv.FormatInt(rec.Seq, 10))
		out.Edges = append(out.Edges, &model.AuditRecordEdge{Cursor: c, Node: &rec})
		out.PageInfo.EndCursor = &c
	}
	return out, nil
}

func (r *Resolver) apiTokens() []*model.APIToken {
	out := []*model.APIToken{}
	if r.Tokens == nil {
		return out
	}
	for _, t := range r.Tokens.List() {
		tok := &model.APIToken{Name: t.Name, Roles: t.Roles, Sha256: t.SHA256}
		if t.RatePerSecond > 0 {
			tok.RatePerSecond = &t.RatePerSecond
		}
		if t.Burst > 0 {
			tok.Burst = &t.Burst
		}
		out = append(out, tok)
	}
	return out
}

func (r *Resolver) reloadTokens() (int, error) {
	if r.Tokens == nil {
		return 0, badInput("no token file or AIMSGRAPH_TOKENS is configured")
	}
	if err := r.Tokens.Reload(); err != nil {
		return 0, badInput("%v (the previous tokens stay in force)", err)
	}
	return r.Tokens.Len(), nil
}

func (r *Resolver) applyMigrations(ctx context.Context) (*model.MigrationResult, error) {
	if r.Migrator == nil {
		return nil, errors.New("migrations are not configured")
	}
	// The migrator's lock and ledger transactions are not the change; its audit record is
	// written when the migration is over, with its outcome.
	res, err := r.Migrator.Migrate(graph.WithoutTxHook(ctx))
	if err != nil {
		return nil, err
	}
	applied := res.Applied
	if applied == nil {
		applied = []int{}
	}
	return &model.MigrationResult{Applied: applied, SchemaVersion: res.Current}, nil
}
