// Command aimsgraph loads the EU AI Act, security standards and an organisation's inventory into
// Neo4j and serves traceability and impact questions over GraphQL.
//
//	aimsgraph serve     migrate the schema and serve GraphQL
//	aimsgraph migrate   apply the schema migrations and exit
//	aimsgraph healthcheck  exit 0 when a running service is ready
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "aimsgraph:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("aimsgraph"),
		kong.Description("The EU AI Act, standards and your AI inventory as one graph in Neo4j, queried over GraphQL."),
		kong.UsageOnError(),
		kong.BindTo(ctx, (*context.Context)(nil)),
	)
	if err != nil {
		return err
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		return err
	}
	return kctx.Run(&cli.Globals)
}
