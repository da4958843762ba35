package resolvers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

var (
	stmtRecordAssessment = cypher.MustGet("mutation_record_assessment")
	stmtAddEvidence      = cypher.MustGet("mutation_add_evidence")
	stmtExpireEvidence   = cypher.MustGet("mutation_expire_evidence")
	stmtSetImplStatus    = cypher.MustGet("mutation_set_implementation_status")
	stmtApplyModule      = cypher.MustGet("mutation_apply_module")

	sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@:/()+-]{0,199}$`)
)

func notFound(what, id string) error {
	return &UserError{Code: CodeNotFound, Msg: what + " " + id + " does not exist"}
}

// write runs one statement in one write transaction: a mutation is all or nothing.
func (r *Resolver) write(ctx context.Context, st cypher.Statement, params map[string]any) ([]graph.Record, error) {
	return r.Store.Exec(ctx, st, params)
}

// date checks a YYYY-MM-DD (or, when times are allowed, RFC 3339) value that must not lie ahead.
func date(field, v string, allowTime, notFuture bool) error {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil && allowTime {
		t, err = time.Parse(time.RFC3339, v)
	}
	if err != nil {
		return badInput("%s %q is not a date (YYYY-MM-DD%s)", field, v, map[bool]string{true: " or an RFC 3339 time", false: ""}[allowTime])
	}
	if notFuture && t.After(time.Now().Add(24*time.Hour)) {
		return badInput("%s %s is in the future", field, v)
	}
	return nil
}

func checkID(field, id string) error {
	if !idPattern.MatchString(id) {
		return badInput("%s %q is not an id (letters, digits and ._@:/()+- , at most 200)", field, id)
	}
	return nil
}

func newID(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

func (r *Resolver) recordAssessment(ctx context.Context, in model.RecordAssessmentInput) (*model.Assessment, error) {
	for _, c := range []struct{ f, v string }{{"control", in.Control}, {"target", in.Target}} {
		if err := checkID(c.f, c.v); err != nil {
			return nil, err
		}
	}
	if !in.Result.IsValid() {
		return nil, badInput("result %q is not PASSED or FAILED", in.Result)
	}
	if err := date("assessedAt", in.AssessedAt, true, true); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Assessor) == "" || len(in.Assessor) > 200 {
		return nil, badInput("assessor must be 1 to 200 characters")
	}
	if in.Notes != nil && len(*in.Notes) > 10000 {
		return nil, badInput("notes must be at most 10000 characters")
	}
	id := newID("assessment/")
	audit.Touch(ctx, id)
	rows, err := r.write(ctx, stmtRecordAssessment, map[string]any{
		"control": in.Control, "target": in.Target, "id": id, "result": strings.ToLower(string(in.Result)),
		"assessedAt": in.AssessedAt, "assessor": in.Assessor, "notes": in.Notes, "now": time.Now().UTC().Format(time.RFC3339),
	})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("implementation of "+in.Control+" on", in.Target)
	}
	a := propsOf(rows[0]["assessment"])
	return &model.Assessment{ID: a.str("id"), Result: in.Result, AssessedAt: a.str("assessedAt"), Assessor: a.str("assessor"),
		Notes: a.opt("notes"), Implementation: implementationOf(propsOf(rows[0]["implementation"]))}, nil
}

func (r *Resolver) addEvidence(ctx context.Context, in model.AddEvidenceInput) (*model.Evidence, error) {
	if err := checkID("implementation", in.Implementation); err != nil {
		return nil, err
	}
	id := newID("evidence/")
	if in.ID != nil {
		if err := checkID("id", *in.ID); err != nil {
			return nil, err
		}
		id = *in.ID
	}
	if strings.TrimSpace(in.URI) == "" || len(in.URI) > 2000 {
		return nil, badInput("uri must be 1 to 2000 characters")
	}
	if in.Sha256 != nil && !sha256Hex.MatchString(*in.Sha256) {
		return nil, badInput("sha256 must be 64 lower-case hex characters")
	}
	if err := date("collectedAt", in.CollectedAt, false, true); err != nil {
		return nil, err
	}
	props := map[string]any{"uri": in.URI, "collectedAt": in.CollectedAt}
	if in.ValidUntil != nil {
		if err := date("validUntil", *in.ValidUntil, false, false); err != nil {
			return nil, err
		}
		if *in.ValidUntil < in.CollectedAt {
			return nil, badInput("validUntil %s is before collectedAt %s", *in.ValidUntil, in.CollectedAt)
		}
		props["validUntil"] = *in.ValidUntil
	}
	if in.Title != nil {
		props["title"] = *in.Title
	}
	if in.Sha256 != nil {
		props["sha256"] = *in.Sha256
	}
	if existing, err := r.read(ctx, stmtNodeByID, map[string]any{"id": id}); err != nil {
		return nil, err
	} else if len(existing) > 0 {
		return nil, badInput("id %s is taken", id)
	}
	audit.Touch(ctx, id)
	rows, err := r.write(ctx, stmtAddEvidence, map[string]any{"implementation": in.Implementation, "id": id, "props": props, "now": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("implementation", in.Implementation)
	}
	return evidenceOf(propsOf(rows[0]["props"]), r.today()), nil
}

func (r *Resolver) expireEvidence(ctx context.Context, id string, at *string) (*model.Evidence, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	when := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	if at != nil {
		if err := date("at", *at, false, false); err != nil {
			return nil, err
		}
		when = *at
	}
	rows, err := r.write(ctx, stmtExpireEvidence, map[string]any{"id": id, "at": when})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("evidence", id)
	}
	return evidenceOf(propsOf(rows[0]["props"]), r.today()), nil
}

var statusNames = map[model.ImplementationStatus]string{
	model.ImplementationStatusImplemented: "implemented", model.ImplementationStatusPartial: "partial",
	model.ImplementationStatusPlanned: "planned", model.ImplementationStatusNotApplicable: "not-applicable",
	model.ImplementationStatusFailed: "failed",
}

func (r *Resolver) setImplementationStatus(ctx context.Context, id string, status model.ImplementationStatus, notes *string) (*model.Implementation, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	s, ok := statusNames[status]
	if !ok {
		return nil, badInput("status %q is not an implementation status", status)
	}
	rows, err := r.write(ctx, stmtSetImplStatus, map[string]any{"id": id, "status": s, "notes": notes})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("implementation", id)
	}
	return implementationOf(propsOf(rows[0]["props"])), nil
}

func (r *Resolver) applyModule(ctx context.Context, module, target string) (bool, error) {
	for _, c := range []struct{ f, v string }{{"module", module}, {"target", target}} {
		if err := checkID(c.f, c.v); err != nil {
			return false, err
		}
	}
	rows, err := r.write(ctx, stmtApplyModule, map[string]any{"module": module, "target": target})
	if err != nil {
		return false, err
	}
	if n, _ := rows[0]["n"].(int64); len(rows) == 0 || n == 0 {
		return false, notFound("module or control "+module+" or asset or AI system", target)
	}
	return true, nil
}
