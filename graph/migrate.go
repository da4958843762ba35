package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aimsgraph/aimsgraph/cypher"
)

// SchemaLedger names the ledger of aimsgraph's own schema migrations in the graph.
const SchemaLedger = "schema"

var (
	stmtLockAcquire  = cypher.MustGet("migration_lock_acquire")
	stmtLockRelease  = cypher.MustGet("migration_lock_release")
	stmtApplied      = cypher.MustGet("migration_applied")
	stmtRecord       = cypher.MustGet("migration_record")
	stmtAwaitIndexes = cypher.MustGet("migration_await_indexes")
	bootstrap        = []cypher.Statement{
		cypher.MustGet("migration_bootstrap_lock"),
		cypher.MustGet("migration_bootstrap_ledger"),
		cypher.MustGet("migration_bootstrap_ledger_index"),
	}
)

// MigrationResult says what Migrate did.
type MigrationResult struct {
	Applied []int // versions applied by this call
	Current int   // highest version recorded after the call
}

// Migrator applies versioned migrations and records them in a ledger in the graph. Several
// migrators may run at once (two service replicas starting together): a lease lock in the graph
// lets one apply while the others wait, and every statement is idempotent besides.
type Migrator struct {
	Store      *Store
	Ledger     string
	Migrations []cypher.Migration
	// LockWait bounds how long to wait for another migrator's lock (default 2 minutes).
	LockWait time.Duration
}

// NewMigrator returns the migrator for aimsgraph's embedded schema migrations.
func NewMigrator(s *Store) (*Migrator, error) {
	ms, err := cypher.Migrations()
	if err != nil {
		return nil, err
	}
	return &Migrator{Store: s, Ledger: SchemaLedger, Migrations: ms}, nil
}

// Migrate applies every migration not yet in the ledger, in version order, then waits until the
// indexes are online.
func (m *Migrator) Migrate(ctx context.Context) (MigrationResult, error) {
	var res MigrationResult
	for _, st := range bootstrap {
		if err := m.schema(ctx, st.Name, st.Text); err != nil {
			return res, fmt.Errorf("migrate: bootstrap %s: %w", st.Name, err)
		}
	}
	owner := randomOwner()
	if err := m.lock(ctx, owner); err != nil {
		return res, err
	}
	defer m.unlock(context.WithoutCancel(ctx), owner)

	applied, err := m.applied(ctx)
	if err != nil {
		return res, err
	}
	for _, mig := range m.Migrations {
		if sum, ok := applied[mig.Version]; ok {
			if sum != mig.Checksum {
				return res, fmt.Errorf("migrate: migration %04d_%s was changed after it was applied; add a new migration instead", mig.Version, mig.Name)
			}
			continue
		}
		for i, text := range mig.Statements {
			name := fmt.Sprintf("migration_%04d_%d", mig.Version, i+1)
			if err := m.schema(ctx, name, text); err != nil {
				return res, fmt.Errorf("migrate: %04d_%s statement %d: %w", mig.Version, mig.Name, i+1, err)
			}
		}
		err := m.Store.Write(ctx, func(ctx context.Context, tx Tx) error {
			_, err := tx.Run(ctx, stmtRecord, map[string]any{
				"id": fmt.Sprintf("%s/%04d", m.Ledger, mig.Version), "ledger": m.Ledger,
				"version": mig.Version, "name": mig.Name, "checksum": mig.Checksum,
				"statements": len(mig.Statements),
			})
			return err
		})
		if err != nil {
			return res, fmt.Errorf("migrate: record %04d_%s: %w", mig.Version, mig.Name, err)
		}
		res.Applied = append(res.Applied, mig.Version)
	}
	err = m.Store.Read(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.Run(ctx, stmtAwaitIndexes, map[string]any{"seconds": 300})
		return err
	})
	if err != nil {
		return res, fmt.Errorf("migrate: wait for indexes: %w", err)
	}
	res.Current, err = m.Current(ctx)
	return res, err
}

// Pending lists the versions of known migrations that the ledger does not record yet.
func (m *Migrator) Pending(ctx context.Context) ([]int, error) {
	applied, err := m.applied(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, mig := range m.Migrations {
		if _, ok := applied[mig.Version]; !ok {
			out = append(out, mig.Version)
		}
	}
	return out, nil
}

// Current returns the highest applied version, 0 when none.
func (m *Migrator) Current(ctx context.Context) (int, error) {
	applied, err := m.applied(ctx)
	if err != nil {
		return 0, err
	}
	cur := 0
	for v := range applied {
		cur = max(cur, v)
	}
	return cur, nil
}

func (m *Migrator) applied(ctx context.Context) (map[int]string, error) {
	out := map[int]string{}
	err := m.Store.Read(ctx, func(ctx context.Context, tx Tx) error {
		clear(out) // the driver may retry the function
		rows, err := tx.Run(ctx, stmtApplied, map[string]any{"ledger": m.Ledger})
		for _, r := range rows {
			v, _ := r["version"].(int64)
			sum, _ := r["checksum"].(string)
			out[int(v)] = sum
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: read ledger %q: %w", m.Ledger, err)
	}
	return out, nil
}

// schema runs one idempotent schema statement. When a concurrent migrator created the same rule a
// moment earlier, Neo4j may report it as already existing; that is success.
func (m *Migrator) schema(ctx context.Context, name, text string) error {
	err := m.Store.Schema(ctx, name, text)
	var neoErr *neo4j.Neo4jError
	if errors.As(err, &neoErr) && (strings.Contains(neoErr.Code, "AlreadyExists") || strings.Contains(neoErr.Code, "EquivalentSchemaRule")) {
		return nil
	}
	return err
}

func (m *Migrator) lock(ctx context.Context, owner string) error {
	wait := m.LockWait
	if wait <= 0 {
		wait = 2 * time.Minute
	}
	deadline := time.Now().Add(wait)
	for {
		var got bool
		err := m.Store.Write(ctx, func(ctx context.Context, tx Tx) error {
			rows, err := tx.Run(ctx, stmtLockAcquire, map[string]any{"ledger": m.Ledger, "owner": owner, "leaseSeconds": 300})
			got = len(rows) == 1 && rows[0]["owner"] == owner
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: take lock %q: %w", m.Ledger, err)
		}
		if got {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("migrate: lock %q held by another migrator for more than %s", m.Ledger, wait)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrate: wait for lock %q: %w", m.Ledger, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (m *Migrator) unlock(ctx context.Context, owner string) {
	// A failed release is harmless: the lease expires.
	_ = m.Store.Write(ctx, func(ctx context.Context, tx Tx) error {
		_, err := tx.Run(ctx, stmtLockRelease, map[string]any{"ledger": m.Ledger, "owner": owner})
		return err
	})
}

func randomOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
