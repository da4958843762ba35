package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/aimsgraph/aimsgraph/audit"
)

// AuditCmd reads the audit trail.
type AuditCmd struct {
	List   AuditListCmd   `cmd:"" help:"List audit records, newest first."`
	Verify AuditVerifyCmd `cmd:"" help:"Check the hash chain of the whole audit trail: exit 1 naming the first missing or altered record."`
}

// AuditListCmd lists records.
type AuditListCmd struct {
	Operation string `name:"operation" help:"Only this operation (recordAssessment, load, ...)."`
	Actor     string `name:"actor-is" help:"Only this actor (token:NAME, jwt:ISSUER#SUBJECT, cli:USER, ...)."`
	Outcome   string `name:"outcome" help:"Only this outcome (OK, FORBIDDEN, BAD_USER_INPUT, ...)."`
	Since     string `name:"since" help:"From this UTC time on (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)."`
	Until     string `name:"until" help:"Before this UTC time."`
	First     int    `name:"first" default:"50" help:"How many."`
}

// Run prints a table.
func (c *AuditListCmd) Run(ctx context.Context, g *Globals) error {
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	recs, more, err := audit.New(store, g.logger()).Page(ctx, audit.Filter{Operation: c.Operation, Actor: c.Actor, Outcome: c.Outcome, Since: c.Since, Until: c.Until}, c.First, 0)
	if err != nil {
		return fmt.Errorf("audit list: %w", err)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tCHANNEL\tOPERATION\tOUTCOME\tTOUCHED")
	for _, r := range recs {
		touched := strings.Join(r.Touched, ",")
		if len(touched) > 80 {
			touched = touched[:77] + "..."
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.At, r.Actor, r.Channel, r.Operation, r.Outcome, touched)
	}
	if more {
		fmt.Fprintf(tw, "...\t(more: raise --first or narrow the filters)\n")
	}
	return tw.Flush()
}

// AuditVerifyCmd checks the chain.
type AuditVerifyCmd struct{}

// Run verifies and reports.
func (c *AuditVerifyCmd) Run(ctx context.Context, g *Globals) error {
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	n, err := audit.New(store, g.logger()).Verify(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w (%d records verified before it)", err, n)
	}
	fmt.Printf("audit trail intact: %d records, every hash matches and none is missing\n", n)
	return nil
}
