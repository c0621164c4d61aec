// Command evalsite turns the spreadsheet exports of a programme evaluation
// into a published static website. Run with no arguments in a site folder,
// it builds the site into public/.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// A soft limit keeps a 10,000-agreement build under 2 GB: about 730 MB
	// of it is live at the peak, the rest garbage awaiting collection.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
	// serve removes its preview folder when stopped by either signal.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
