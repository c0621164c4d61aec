package main

import (
	"context"
	"flag"
	"io"
	"path/filepath"

	"github.com/evalsite/evalsite/internal/deploy"
)

// runDeploy sends the built site to a target of the [deployment] table in
// the site's hugo.toml.
func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evalsite deploy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "site folder holding hugo.toml")
	out := fs.String("out", "", "the built site to deploy (default ROOT/public)")
	target := fs.String("target", "", "name of the deployment target (default: the first in hugo.toml)")
	dryRun := fs.Bool("dry-run", false, "print what would be uploaded and deleted, and change nothing")
	force := fs.Bool("force", false, "upload every file, changed or not")
	maxDeletes := fs.Int("max-deletes", deploy.DefaultMaxDeletes, "refuse a deploy that would delete more objects than this (-1: no limit)")
	if err := parseSimple(fs, args); err != nil {
		return err
	}
	if *maxDeletes < -1 {
		return usageError{"deploy: --max-deletes must be -1 (no limit) or a whole number >= 0"}
	}
	cfg, err := deploy.ReadConfig(filepath.Join(*root, "hugo.toml"))
	if err != nil {
		return err
	}
	limit := *maxDeletes
	if cfg.MaxDeletes != nil && !flagSet(fs, "max-deletes") {
		limit = *cfg.MaxDeletes
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(*root, "public")
	}
	_, err = deploy.Deploy(ctx, deploy.Options{
		Dir:        dir,
		Config:     cfg,
		Target:     *target,
		DryRun:     *dryRun,
		Force:      *force,
		MaxDeletes: limit,
		Out:        stdout,
	})
	return err
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
