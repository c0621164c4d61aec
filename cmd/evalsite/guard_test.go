package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/google/go-cmp/cmp"
)

// smallSite writes a site folder into dir: a configuration, a chapter and a
// small example data set in workbooks.
func smallSite(t *testing.T, dir string) {
	t.Helper()
	for name, text := range map[string]string{
		"hugo.toml":          "title = \"A test evaluation\"\nrelativeURLs = true\n",
		"content/_index.md":  "---\ntitle: A test evaluation\n---\n\nHello.\n",
		"public/index.html":  "a site from an older evalsite, with no mark",
		"notes/minutes.docx": "a user's own document",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := example.Write(filepath.Join(dir, "data"), example.Generate(example.Config{Agreements: 8}), example.XLSX); err != nil {
		t.Fatal(err)
	}
}

// files records every file and folder under dir with its contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			got[rel] = "folder"
			return nil
		}
		b, err := os.ReadFile(p)
		got[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRefusalsChangeNothingAndExitTwo(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "site")
	smallSite(t, root)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	t.Chdir(root)
	for _, tc := range []struct {
		args []string
		want string // in the one line on stderr
	}{
		{[]string{"build", "--out", "data"}, "is the data folder data"},
		{[]string{"build", "--out", "content"}, "is the content folder content"},
		{[]string{"build", "--out", "."}, "is the site folder ."},
		{[]string{"build", "--out", "data/.."}, "is the site folder ."},
		{[]string{"build", "--out", ".."}, "holds the site folder ."},
		{[]string{"build", "--data", "data", "--out", "data/.."}, "is the site folder ."},
		{[]string{"build", "--root", "..", "--data", "data", "--content", "content", "--out", "."}, "holds the data folder data"},
		{[]string{"build", "--out", "notes"}, "holds files that evalsite did not write"},
		{[]string{"build"}, "if it is a site from an older evalsite, remove it yourself"},
		{[]string{"template", "--out", "data"}, "already exists and would be replaced"},
		{[]string{"example", "--out", "data"}, "add --force to replace it"},
		{[]string{"serve", "--port", fmt.Sprint(busyPort)}, fmt.Sprintf("port %d is in use: try --port ", busyPort)},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			before := files(t, base)
			var stdout, stderr bytes.Buffer
			code := exitStatus(run(context.Background(), tc.args, &stdout, &stderr), &stderr)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "evalsite: ") || !strings.Contains(lines[0], tc.want) {
				t.Errorf("stderr = %q, want one line starting \"evalsite: \" that says %q", stderr.String(), tc.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
			if diff := cmp.Diff(before, files(t, base)); diff != "" {
				t.Errorf("a refused command changed files (-before +after):\n%s", diff)
			}
		})
	}
}

// TestServeRemovesPreviewOnSIGTERM runs the whole program as a process of
// its own and stops it as a service manager would.
func TestServeRemovesPreviewOnSIGTERM(t *testing.T) {
	root := t.TempDir()
	smallSite(t, root)
	if err := os.RemoveAll(filepath.Join(root, "public")); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cmd := exec.Command("evalsite-main", "serve", "--root", root, "--port", "0")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan bool)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "evalsite: serving ") {
				serving <- true
			}
		}
		close(serving)
	}()
	select {
	case ok := <-serving:
		if !ok {
			cmd.Wait()
			t.Fatalf("serve ended before serving; stderr:\n%s", stderr.String())
		}
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("serve did not start")
	}
	previews, _ := filepath.Glob(filepath.Join(tmp, "evalsite-preview-*"))
	if len(previews) != 1 {
		t.Fatalf("preview folders while serving: %v, want one", previews)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve stopped by SIGTERM: %v, want exit status 0; stderr:\n%s", err, stderr.String())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("serve left %v in the temporary folder after SIGTERM", entries)
	}
}
