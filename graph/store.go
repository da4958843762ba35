package graph

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/aimsgraph/aimsgraph/cypher"
)

// ErrUnavailable marks errors caused by Neo4j being unreachable; the API reports them as
// DATABASE_UNAVAILABLE and readiness turns red.
var ErrUnavailable = errors.New("neo4j unavailable")

// Options configure a Store.
type Options struct {
	URI      string // bolt://, bolt+s://, neo4j://, neo4j+s:// (routing for clusters and Aura)
	Username string // empty: no authentication (local launcher)
	Password string
	Database string
	// TxTimeout bounds every transaction, client side (context) and server side (tx metadata).
	TxTimeout time.Duration
	// MaxRetryTime bounds the driver's retries of a failed transaction (default 1s, so that the
	// API reports an unreachable Neo4j within seconds; loaders may allow more).
	MaxRetryTime time.Duration
	// Observe, when set, is called after every statement with its name, duration and error.
	Observe func(statement string, d time.Duration, err error)
}

// Store is the one Neo4j driver of a process and the database it works on.
type Store struct {
	driver  neo4j.DriverWithContext
	db      string
	timeout time.Duration
	observe func(string, time.Duration, error)
}

// Open creates the driver. It does not connect: Ping does, and every transaction connects lazily,
// so a process can start while Neo4j is still down.
func Open(o Options) (*Store, error) {
	if o.MaxRetryTime <= 0 {
		o.MaxRetryTime = time.Second
	}
	auth := neo4j.NoAuth()
	if o.Username != "" {
		auth = neo4j.BasicAuth(o.Username, o.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(o.URI, auth, func(c *config.Config) {
		// Fail fast when the server is gone, so that API callers get DATABASE_UNAVAILABLE
		// within seconds instead of hanging in retries.
		c.SocketConnectTimeout = 2 * time.Second
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		c.MaxTransactionRetryTime = o.MaxRetryTime
		c.MaxConnectionPoolSize = 50
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", redactURI(o.URI), err)
	}
	if o.TxTimeout <= 0 {
		o.TxTimeout = 30 * time.Second
	}
	if o.Database == "" {
		o.Database = "neo4j"
	}
	observe := o.Observe
	if observe == nil {
		observe = func(string, time.Duration, error) {}
	}
	return &Store{driver: driver, db: o.Database, timeout: o.TxTimeout, observe: observe}, nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Database is the name of the database the store works on.
func (s *Store) Database() string { return s.db }

// Ping checks that Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// Tx runs statements inside one managed transaction.
type Tx struct {
	tx      neo4j.ManagedTransaction
	observe func(string, time.Duration, error)
}

// Record is one result row, keyed by column.
type Record = map[string]any

// Run executes one statement with parameters and collects its rows.
func (t Tx) Run(ctx context.Context, st cypher.Statement, params map[string]any) ([]Record, error) {
	start := time.Now()
	rows, err := t.run(ctx, st, params)
	t.observe(st.Name, time.Since(start), err)
	if err != nil {
		return nil, fmt.Errorf("cypher %s: %w", st.Name, err)
	}
	return rows, nil
}

func (t Tx) run(ctx context.Context, st cypher.Statement, params map[string]any) ([]Record, error) {
	res, err := t.tx.Run(ctx, st.Text, params)
	if err != nil {
		return nil, err
	}
	var rows []Record
	for res.Next(ctx) {
		rows = append(rows, res.Record().AsMap())
	}
	return rows, res.Err()
}

// Read runs fn in a read transaction; the driver retries transient failures, so fn must be
// free of side effects outside the transaction.
func (s *Store) Read(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error {
	return s.execute(ctx, neo4j.AccessModeRead, fn)
}

// Write runs fn in one write transaction: all of fn's statements commit together or not at all.
func (s *Store) Write(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error {
	return s.execute(ctx, neo4j.AccessModeWrite, fn)
}

// Query runs one statement in a read transaction and returns its rows.
func (s *Store) Query(ctx context.Context, st cypher.Statement, params map[string]any) ([]Record, error) {
	return s.one(ctx, s.Read, st, params)
}

// Exec runs one statement in its own write transaction and returns its rows.
func (s *Store) Exec(ctx context.Context, st cypher.Statement, params map[string]any) ([]Record, error) {
	return s.one(ctx, s.Write, st, params)
}

func (s *Store) one(ctx context.Context, run func(context.Context, func(context.Context, Tx) error) error, st cypher.Statement, params map[string]any) ([]Record, error) {
	var rows []Record
	err := run(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		rows, err = tx.Run(ctx, st, params)
		return err
	})
	return rows, err
}

func (s *Store) execute(ctx context.Context, mode neo4j.AccessMode, fn func(context.Context, Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
	defer sess.Close(context.WithoutCancel(ctx))
	hook := txHookFrom(ctx)
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		t := Tx{tx: tx, observe: s.observe}
		if err := fn(ctx, t); err != nil {
			return nil, err
		}
		if hook != nil && mode == neo4j.AccessModeWrite {
			return nil, hook.BeforeCommit(ctx, t)
		}
		return nil, nil
	}
	var err error
	if mode == neo4j.AccessModeRead {
		_, err = sess.ExecuteRead(ctx, work, neo4j.WithTxTimeout(s.timeout))
	} else {
		_, err = sess.ExecuteWrite(ctx, work, neo4j.WithTxTimeout(s.timeout))
		if err == nil && hook != nil {
			hook.Committed(ctx)
		}
	}
	return classify(ctx, err)
}

// TxHook adds to every write transaction run with a context that carries it (WithTxHook): the
// audit trail uses it so that a change and its audit record commit together or not at all.
type TxHook interface {
	// BeforeCommit runs last inside the transaction, after its work succeeded; it may run more
	// than once when the driver retries the transaction.
	BeforeCommit(ctx context.Context, tx Tx) error
	// Committed runs once the transaction has committed.
	Committed(ctx context.Context)
}

type txHookKey struct{}

// WithTxHook returns ctx whose write transactions run h.
func WithTxHook(ctx context.Context, h TxHook) context.Context {
	return context.WithValue(ctx, txHookKey{}, h)
}

// WithoutTxHook returns ctx whose write transactions run no hook.
func WithoutTxHook(ctx context.Context) context.Context {
	return context.WithValue(ctx, txHookKey{}, nil)
}

func txHookFrom(ctx context.Context) TxHook {
	h, _ := ctx.Value(txHookKey{}).(TxHook)
	return h
}

// Schema runs one schema statement (constraint or index) in its own auto-commit transaction, as
// Neo4j requires schema changes to be alone in a transaction.
func (s *Store) Schema(ctx context.Context, name, text string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.WithoutCancel(ctx))
	start := time.Now()
	res, err := sess.Run(ctx, text, nil, neo4j.WithTxTimeout(s.timeout))
	if err == nil {
		_, err = res.Consume(ctx)
	}
	s.observe(name, time.Since(start), err)
	return classify(ctx, err)
}

// IsUnavailable reports whether err means Neo4j could not be reached.
func IsUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }

// classify wraps errors that mean "Neo4j is not reachable" with ErrUnavailable.
func classify(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		// The caller's time ran out (the driver then reports a broken connection): a timeout,
		// not an unavailable database.
		return fmt.Errorf("%w: %w", cerr, err)
	} else if cerr != nil {
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

func unreachable(err error) bool {
	var conn *neo4j.ConnectivityError
	var opErr *net.OpError
	var neoErr *neo4j.Neo4jError
	var limit *neo4j.TransactionExecutionLimit
	switch {
	case errors.As(err, &conn), errors.As(err, &opErr):
		return true
	case errors.As(err, &neoErr):
		return strings.HasPrefix(neoErr.Code, "Neo.TransientError.General.DatabaseUnavailable")
	case errors.As(err, &limit):
		for _, e := range limit.Errors {
			if unreachable(e) {
				return true
			}
		}
	}
	// The pool's own errors are internal types of the driver; their texts are stable.
	msg := err.Error()
	return strings.Contains(msg, "Timeout while waiting for connection") ||
		strings.Contains(msg, "could not find any servers") ||
		strings.Contains(msg, "connection refused")
}

// redactURI drops user info from a URI for messages.
func redactURI(uri string) string {
	if at := strings.LastIndex(uri, "@"); at >= 0 {
		if scheme := strings.Index(uri, "://"); scheme >= 0 && scheme < at {
			return uri[:scheme+3] + "…" + uri[at:]
		}
	}
	return uri
}
