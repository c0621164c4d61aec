// Command evalsite turns the spreadsheet exports of a programme evaluation
// into a published static website. Run with no arguments in a site folder,
// it builds the site into public/.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
