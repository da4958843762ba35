// Package audit keeps aimsgraph's append-only audit trail. Every change to the graph (a GraphQL
// mutation, a load or unload, a review, a migration) writes one record: who, when, the operation,
// its variables with secrets redacted, the ids it named or created, and the outcome. A change and
// its record commit in the same transaction; a refused or failed change gets its own record.
// Records are chained by hash, so that an altered or removed record shows when the chain is
// verified, and each is also written to the log.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

var (
	stmtNext   = cypher.MustGet("audit_next")
	stmtAppend = cypher.MustGet("audit_append")
	stmtPage   = cypher.MustGet("audit_page")
	stmtChain  = cypher.MustGet("audit_chain")
	stmtHead   = cypher.MustGet("audit_head")
)

// OutcomeOK is the outcome of a change that committed; other outcomes are error codes
// (FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, TIMEOUT, ...).
const OutcomeOK = "OK"

// TimeFormat is the format of a record's time: fixed width, so that text order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// Entry is what the caller of a change knows about it.
type Entry struct {
	Actor     string   // the principal: token:NAME, jwt:ISSUER#SUBJECT, local, cli:USER
	ActorKind string   // token, jwt, none, cli, service
	Roles     []string // the actor's roles
	Channel   string   // graphql, cli, serve
	Operation string   // the mutation or command: recordAssessment, load, unload, ...
	RequestID string
	Variables map[string]any // redacted when recorded
	Touched   []string       // ids named or created
}

// Record is one stored audit record.
type Record struct {
	ID        string   `json:"id"`
	Seq       int64    `json:"seq"`
	At        string   `json:"at"`
	Actor     string   `json:"actor"`
	ActorKind string   `json:"actorKind"`
	Roles     []string `json:"roles"`
	Channel   string   `json:"channel"`
	Operation string   `json:"operation"`
	RequestID string   `json:"requestId"`
	Variables string   `json:"variables"` // JSON, redacted
	Touched   []string `json:"touched"`
	Outcome   string   `json:"outcome"`
	Error     string   `json:"error"`
	Prev      string   `json:"prev"` // the hash of the record before
	Hash      string   `json:"hash"` // sha256 of this record's content and Prev
}

// Trail writes and reads the audit trail of one graph.
type Trail struct {
	store *graph.Store
	log   zerolog.Logger
	now   func() time.Time
}

// New returns the trail of store; records are also logged to log (or the request's logger).
func New(store *graph.Store, log zerolog.Logger) *Trail {
	return &Trail{store: store, log: log, now: time.Now}
}

type pendingKey struct{}

// Pending is a change in progress: its write transactions append its record before they commit.
type Pending struct {
	trail *Trail
	entry Entry

	mu        sync.Mutex
	touched   []string
	last      Record
	committed bool
}

// Begin starts auditing a change: write transactions run with the returned context append the
// entry's record (outcome OK) and commit it with the change. Call Finish when the change is over.
func (t *Trail) Begin(ctx context.Context, e Entry) (context.Context, *Pending) {
	p := &Pending{trail: t, entry: e, touched: slices.Clone(e.Touched)}
	ctx = context.WithValue(ctx, pendingKey{}, p)
	return graph.WithTxHook(ctx, p), p
}

// Touch adds ids to the record of the change in progress in ctx, if any.
func Touch(ctx context.Context, ids ...string) {
	if p, _ := ctx.Value(pendingKey{}).(*Pending); p != nil {
		p.mu.Lock()
		for _, id := range ids {
			if id != "" && !slices.Contains(p.touched, id) {
				p.touched = append(p.touched, id)
			}
		}
		p.mu.Unlock()
	}
}

// BeforeCommit implements graph.TxHook. The record goes with the change's first committed
// transaction; later transactions of the same change add none.
func (p *Pending) BeforeCommit(ctx context.Context, tx graph.Tx) error {
	p.mu.Lock()
	done := p.committed
	p.mu.Unlock()
	if done {
		return nil
	}
	rec := p.record(OutcomeOK, "")
	if err := p.trail.append(ctx, tx, &rec); err != nil {
		return err
	}
	p.mu.Lock()
	p.last = rec
	p.mu.Unlock()
	return nil
}

// Committed implements graph.TxHook.
func (p *Pending) Committed(ctx context.Context) {
	p.mu.Lock()
	if p.committed {
		p.mu.Unlock()
		return
	}
	p.committed = true
	rec := p.last
	p.mu.Unlock()
	p.trail.logRecord(ctx, rec)
}

// Finish ends the change. A change that committed has its record already; otherwise one is
// written now in a transaction of its own, with outcome (an error code, or OK for a change that
// had nothing to write) and the error's message.
func (p *Pending) Finish(ctx context.Context, outcome string, cause error) error {
	p.mu.Lock()
	committed := p.committed
	p.mu.Unlock()
	if committed {
		return nil
	}
	msg := ""
	if cause != nil {
		msg = cause.Error()
	}
	rec := p.record(outcome, msg)
	return p.trail.write(ctx, &rec)
}

// Run runs change audited: Begin, the change, Finish with the outcome code(err) gives for its
// error (OK without one). An error of the record itself is returned only when the change
// succeeded, so that no change passes unrecorded and no change's own error is hidden.
func (t *Trail) Run(ctx context.Context, e Entry, code func(error) string, change func(context.Context) error) error {
	ctx, p := t.Begin(ctx, e)
	err := change(ctx)
	outcome := OutcomeOK
	if err != nil {
		outcome = code(err)
	}
	if aerr := p.Finish(ctx, outcome, err); aerr != nil && err == nil {
		return aerr
	}
	return err
}

// Migrated records that migrations were applied (nothing when none were); e names the actor.
func (t *Trail) Migrated(ctx context.Context, e Entry, applied []int, version int) error {
	if len(applied) == 0 {
		return nil
	}
	e.Operation = "migrate"
	e.Variables = map[string]any{"applied": applied, "schemaVersion": version}
	return t.Append(ctx, e, OutcomeOK, nil)
}

// Append writes a record of a change that ran outside Begin (a migration, a refusal).
func (t *Trail) Append(ctx context.Context, e Entry, outcome string, cause error) error {
	p := &Pending{trail: t, entry: e, touched: e.Touched}
	return p.Finish(ctx, outcome, cause)
}

// write stores rec in its own transaction: the change's context may be cancelled or carry the
// change's hook, so the record gets a fresh deadline and no hook.
func (t *Trail) write(ctx context.Context, rec *Record) error {
	ctx, cancel := context.WithTimeout(graph.WithoutTxHook(context.WithoutCancel(ctx)), 10*time.Second)
	defer cancel()
	err := t.store.Write(ctx, func(ctx context.Context, tx graph.Tx) error { return t.append(ctx, tx, rec) })
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Str("operation", rec.Operation).Str("actor", rec.Actor).Msg("audit record not written")
		return fmt.Errorf("audit record of %s: %w", rec.Operation, err)
	}
	t.logRecord(ctx, *rec)
	return nil
}

func (p *Pending) record(outcome, msg string) Record {
	p.mu.Lock()
	touched := slices.Clone(p.touched)
	p.mu.Unlock()
	if touched == nil {
		touched = []string{}
	}
	roles := slices.Clone(p.entry.Roles)
	if roles == nil {
		roles = []string{}
	}
	return Record{
		ID: newID(), At: p.trail.now().UTC().Format(TimeFormat), Actor: p.entry.Actor, ActorKind: p.entry.ActorKind,
		Roles: roles, Channel: p.entry.Channel, Operation: p.entry.Operation, RequestID: p.entry.RequestID,
		Variables: Redact(p.entry.Variables), Touched: touched, Outcome: outcome, Error: truncate(msg, 2000),
	}
}

// append numbers rec, chains it to the head and stores it, inside tx.
func (t *Trail) append(ctx context.Context, tx graph.Tx, rec *Record) error {
	rows, err := tx.Run(ctx, stmtNext, nil)
	if err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	if len(rows) != 1 {
		return errors.New("audit chain: no head")
	}
	rec.Seq, _ = rows[0]["seq"].(int64)
	rec.Prev, _ = rows[0]["prev"].(string)
	rec.Hash = rec.digest()
	if _, err := tx.Run(ctx, stmtAppend, map[string]any{"id": rec.ID, "props": rec.props()}); err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	return nil
}

// digest is the record's hash: sha256 over its content (everything but the hash) and the previous hash.
func (r Record) digest() string {
	c := r
	c.Hash = ""
	data, _ := json.Marshal(c)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func (r Record) props() map[string]any {
	return map[string]any{
		"seq": r.Seq, "at": r.At, "actor": r.Actor, "actorKind": r.ActorKind, "roles": r.Roles, "channel": r.Channel,
		"operation": r.Operation, "requestId": r.RequestID, "variables": r.Variables, "touched": r.Touched,
		"outcome": r.Outcome, "error": r.Error, "prev": r.Prev, "hash": r.Hash,
	}
}

func recordOf(v any) Record {
	m, _ := v.(map[string]any)
	str := func(k string) string { s, _ := m[k].(string); return s }
	list := func(k string) []string {
		out := []string{}
		xs, _ := m[k].([]any)
		for _, x := range xs {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	seq, _ := m["seq"].(int64)
	return Record{
		ID: str("id"), Seq: seq, At: str("at"), Actor: str("actor"), ActorKind: str("actorKind"), Roles: list("roles"),
		Channel: str("channel"), Operation: str("operation"), RequestID: str("requestId"), Variables: str("variables"),
		Touched: list("touched"), Outcome: str("outcome"), Error: str("error"), Prev: str("prev"), Hash: str("hash"),
	}
}

func (t *Trail) logRecord(ctx context.Context, r Record) {
	log := zerolog.Ctx(ctx)
	if log.GetLevel() == zerolog.Disabled {
		log = &t.log
	}
	ev := log.Info()
	if r.Outcome != OutcomeOK {
		ev = log.Warn()
	}
	ev.Str("audit_id", r.ID).Int64("seq", r.Seq).Str("actor", r.Actor).Strs("roles", r.Roles).Str("channel", r.Channel).
		Str("operation", r.Operation).Str("variables", r.Variables).Strs("touched", r.Touched).Str("outcome", r.Outcome).
		Str("error", r.Error).Msg("audit")
}

// Filter narrows a page of the trail; empty fields do not filter. Since and Until are times in
// TimeFormat or any prefix of it (a date).
type Filter struct {
	Operation, Actor, Outcome, Since, Until string
}

// Page returns up to first records older than seq before (0: from the newest), newest first,
// and whether there are more.
func (t *Trail) Page(ctx context.Context, f Filter, first int, before int64) ([]Record, bool, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	opt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	rows, err := t.store.Query(ctx, stmtPage, map[string]any{
		"before": before, "limit": first + 1, "operation": opt(f.Operation), "actor": opt(f.Actor),
		"outcome": opt(f.Outcome), "since": opt(f.Since), "until": opt(f.Until),
	})
	if err != nil {
		return nil, false, err
	}
	more := len(rows) > first
	if more {
		rows = rows[:first]
	}
	out := make([]Record, len(rows))
	for i, row := range rows {
		out[i] = recordOf(row["props"])
	}
	return out, more, nil
}

// Verify walks the whole chain and returns the number of records; an error names the first
// record that is missing, altered or out of place.
func (t *Trail) Verify(ctx context.Context) (int, error) {
	head, err := t.store.Query(ctx, stmtHead, nil)
	if err != nil {
		return 0, err
	}
	if len(head) == 0 {
		return 0, nil // nothing recorded yet
	}
	headSeq, _ := head[0]["seq"].(int64)
	headHash, _ := head[0]["head"].(string)
	var seq int64
	prev := ""
	const pageSize = 1000
	for {
		rows, err := t.store.Query(ctx, stmtChain, map[string]any{"after": seq, "limit": pageSize})
		if err != nil {
			return int(seq), err
		}
		for _, row := range rows {
			r := recordOf(row["props"])
			switch {
			case r.Seq != seq+1:
				return int(seq), fmt.Errorf("audit record %d is missing (next is %d, %s)", seq+1, r.Seq, r.ID)
			case r.Prev != prev:
				return int(seq), fmt.Errorf("audit record %d (%s) does not follow record %d: the chain was altered", r.Seq, r.ID, seq)
			case r.digest() != r.Hash:
				return int(seq), fmt.Errorf("audit record %d (%s) was altered: its hash does not match its content", r.Seq, r.ID)
			}
			seq, prev = r.Seq, r.Hash
		}
		if len(rows) < pageSize {
			break
		}
	}
	if seq != headSeq || prev != headHash {
		return int(seq), fmt.Errorf("audit chain ends at record %d but its head says %d: records at the end were removed", seq, headSeq)
	}
	return int(seq), nil
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the HTTP request, recorded with its changes.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id in ctx, empty when there is none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
