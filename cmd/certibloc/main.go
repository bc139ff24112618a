// Command certibloc runs a French professional certification built from
// blocs de compétences: the web server, its database migrations, imports
// from France Compétences and API tokens.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "certibloc:", err)
		os.Exit(1)
	}
}
