package site

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/release"
	"github.com/google/go-cmp/cmp"
)

// The stopped build reads what to do from these variables.
const (
	envStopAt     = "EVALSITE_TEST_STOP_AT"
	envRoot       = "EVALSITE_TEST_ROOT"
	envOut        = "EVALSITE_TEST_OUT"
	envTwoRenames = "EVALSITE_TEST_TWO_RENAMES"
)

// TestStoppedBuild is run by TestKilledBuildLeavesAWholeSite in a process
// of its own: it builds a site and stops at one step of the swap, waiting
// there to be killed.
func TestStoppedBuild(t *testing.T) {
	step := os.Getenv(envStopAt)
	if step == "" {
		t.Skip("runs only inside TestKilledBuildLeavesAWholeSite")
	}
	so := &swapOptions{twoRenames: os.Getenv(envTwoRenames) != "", hook: func(s swapStep) {
		if string(s) != step {
			return
		}
		fmt.Printf("stopped at %s\n", s)
		// Wait for the kill; should the test die first, its end of the
		// pipe closes and this process ends too.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(3)
	}}
	_, err := Build(t.Context(), Options{Root: os.Getenv(envRoot), OutDir: os.Getenv(envOut), Theme: evalsite.Theme(), swap: so})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("finished without reaching %s\n", step)
}

// smallSite writes a site folder titled title with a small example data set.
func smallSite(t *testing.T, dir, title string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("title = %q\nrelativeURLs = true\ndisableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"404\", \"robotstxt\"]\n", title)
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	d := example.Generate(example.Config{Agreements: 8})
	if err := example.Write(filepath.Join(dir, "data"), d, example.CSV); err != nil {
		t.Fatal(err)
	}
}

// sums returns the SHA-256 of every file under dir by relative path, or nil
// when dir does not exist.
func sums(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h := sha256.Sum256(b)
		got[filepath.ToSlash(rel)] = hex.EncodeToString(h[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func copyFolder(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKilledBuildLeavesAWholeSite kills a real build with SIGKILL at each
// step of its swap and checks that the output folder holds a whole site,
// the previous one until the new one is in place; and that the next build,
// even one that fails, leaves nothing of the killed one behind but never
// touches a folder that is not its own.
func TestKilledBuildLeavesAWholeSite(t *testing.T) {
	base := t.TempDir()
	oldRoot, newRoot := filepath.Join(base, "old"), filepath.Join(base, "new")
	smallSite(t, oldRoot, "The previous release")
	smallSite(t, newRoot, "The new release")
	oldSite, newSite := filepath.Join(base, "old-site"), filepath.Join(base, "new-site")
	for _, b := range []struct{ root, out string }{{oldRoot, oldSite}, {newRoot, newSite}} {
		if _, err := Build(t.Context(), Options{Root: b.root, OutDir: b.out, Theme: evalsite.Theme()}); err != nil {
			t.Fatal(err)
		}
	}
	previous, next := sums(t, oldSite), sums(t, newSite)
	if cmp.Equal(previous, next) {
		t.Fatal("the two releases build the same site: the test could not tell them apart")
	}

	for _, tc := range []struct {
		step       swapStep
		twoRenames bool
		// The build never stops there: it finishes, with the new site.
		neverReached bool
		want         map[string]string // at the output once the process is dead
		afterNext    map[string]string // at the output after the next build
	}{
		{step: stepBuilt, want: previous, afterNext: previous},
		{step: stepMarked, want: previous, afterNext: previous},
		{step: stepSwapped, want: next, afterNext: next},
		{step: stepDone, want: next, afterNext: next},
		// An exchange leaves no moment with the previous site aside.
		{step: stepMovedAside, neverReached: true, want: next, afterNext: next},
		// Where folders cannot be exchanged, the one instant without a site
		// is between the two renames: the next build puts the previous
		// site back.
		{step: stepMarked, twoRenames: true, want: previous, afterNext: previous},
		{step: stepMovedAside, twoRenames: true, want: nil, afterNext: previous},
		{step: stepSwapped, twoRenames: true, want: next, afterNext: next},
	} {
		name := string(tc.step)
		if tc.twoRenames {
			name += " with two renames"
		}
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "www")
			out := filepath.Join(dir, "public")
			copyFolder(t, oldSite, out)
			// A folder named like a build's, but the user's.
			foreign := filepath.Join(dir, ".public.new-notes")
			copyFolder(t, filepath.Join(oldRoot, "data"), foreign)
			foreignSums := sums(t, foreign)

			cmd := exec.Command(os.Args[0], "-test.run=^TestStoppedBuild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envStopAt+"="+string(tc.step), envRoot+"="+newRoot, envOut+"="+out)
			if tc.twoRenames {
				cmd.Env = append(cmd.Env, envTwoRenames+"=1")
			}
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string)
			go func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			var seen []string
		wait:
			for {
				select {
				case line, ok := <-lines:
					if !ok && tc.neverReached {
						if err := cmd.Wait(); err != nil {
							t.Fatalf("the build failed: %v", err)
						}
						if diff := cmp.Diff(tc.want, sums(t, out)); diff != "" {
							t.Errorf("output after the build (-want +got):\n%s", diff)
						}
						return
					}
					if !ok {
						cmd.Wait()
						t.Fatalf("the build ended without stopping at %s; it said:\n%s", tc.step, strings.Join(seen, "\n"))
					}
					seen = append(seen, line)
					if line == "stopped at "+string(tc.step) {
						break wait
					}
				case <-time.After(5 * time.Minute):
					cmd.Process.Kill()
					t.Fatalf("the build did not reach %s", tc.step)
				}
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			if cmd.ProcessState.Success() || cmd.ProcessState.ExitCode() == 3 {
				t.Fatalf("the build was not killed: %v", cmd.ProcessState)
			}

			if diff := cmp.Diff(tc.want, sums(t, out)); diff != "" {
				t.Errorf("output after the build was killed at %s (-want +got):\n%s", tc.step, diff)
			}

			// The next build fails (its data folder is empty), yet it
			// clears what the killed one left.
			empty := filepath.Join(t.TempDir(), "no-data")
			if err := os.Mkdir(empty, 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := Build(t.Context(), Options{Root: newRoot, DataDir: empty, OutDir: out, Theme: evalsite.Theme()}); err == nil {
				t.Fatal("a build over an empty data folder succeeded")
			}
			if diff := cmp.Diff(tc.afterNext, sums(t, out)); diff != "" {
				t.Errorf("output after the next build (-want +got):\n%s", diff)
			}
			if _, err := release.Read(out); err != nil {
				t.Errorf("the site at the output has no mark: %v", err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			slices.Sort(names)
			if diff := cmp.Diff([]string{".public.new-notes", "public"}, names); diff != "" {
				t.Errorf("beside the output after the next build (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(foreignSums, sums(t, foreign)); diff != "" {
				t.Errorf("the next build changed a folder that was not its own (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCleanLeftoversKeepsARunningBuildsFolder checks that a build never
// removes the folder another build is still writing, which holds the same
// building file as a killed build's.
func TestCleanLeftoversKeepsARunningBuildsFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	running, err := newBuildFolder(out)
	if err != nil {
		t.Fatal(err)
	}
	defer running.discard()
	if err := cleanLeftovers(out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(running.dir, buildingName)); err != nil {
		t.Fatalf("cleanLeftovers removed the folder of a running build: %v", err)
	}
	// Once that build is gone, its folder is a leftover.
	running.unlock()
	running.unlock = nil
	if err := cleanLeftovers(out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(running.dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cleanLeftovers left the folder of a build that ended: %v", err)
	}
}

// TestBuildLooksAgainBeforeTheSwap puts a file of the user's into the
// output folder while the build runs: the swap must not take it away.
func TestBuildLooksAgainBeforeTheSwap(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "site")
	smallSite(t, root, "A release")
	out := filepath.Join(base, "www")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(out, "notes.txt")
	so := &swapOptions{hook: func(s swapStep) {
		if s == stepBuilt {
			if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
				t.Error(err)
			}
		}
	}}
	_, err := Build(t.Context(), Options{Root: root, OutDir: out, Theme: evalsite.Theme(), swap: so})
	var oe *OutDirError
	if !errors.As(err, &oe) {
		t.Fatalf("Build = %v, want an *OutDirError", err)
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "mine" {
		t.Errorf("the user's file after the build: %q, %v", b, err)
	}
	entries, _ := os.ReadDir(base)
	if len(entries) != 2 {
		t.Errorf("beside the output: %v, want only site and www", entries)
	}
}
