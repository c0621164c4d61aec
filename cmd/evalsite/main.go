// Command evalsite turns the spreadsheet exports of a programme evaluation
// into a published static website. Run with no arguments in a site folder,
// it builds the site into public/.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// Exit statuses.
const (
	exitOK      = 0
	exitBadData = 1
	exitUsage   = 2
)

func main() {
	// A soft limit keeps a 10,000-agreement build near 1 GB: most of what
	// is held at the peak is live, and without the limit garbage awaiting
	// collection doubles it. Lower limits only make the collector work
	// harder (docs/performance.md); GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(900 << 20)
	}
	// serve removes its preview folder when stopped by either signal.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitStatus(err, os.Stderr))
}

// exitStatus prints err on stderr, unless the command has already said why
// it failed, and returns the exit status it stands for: 0 for success or a
// request for help, 2 for a mistake in the command line, 1 for anything else
// (bad data, a failed build or upload).
func exitStatus(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if errors.As(err, new(reportedError)) {
		return exitBadData
	}
	var ue usageError
	if errors.As(err, &ue) {
		printError(stderr, ue)
		return exitUsage
	}
	printError(stderr, err)
	return exitBadData
}
