package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"evalsite": func() {
			// A script sets this to see the progress of builds that are quick.
			if d, err := time.ParseDuration(os.Getenv("EVALSITE_TEST_PROGRESS_AFTER")); err == nil {
				progressAfter = d
			}
			os.Exit(exitStatus(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
		},
		// The whole program, signal handling included.
		"evalsite-main": main,
	})
}

// TestScripts runs the command-line scripts in testdata/script: exit
// statuses, messages, and the files each command writes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
