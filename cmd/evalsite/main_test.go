package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"evalsite": func() {
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
