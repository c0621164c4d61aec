package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gocloud.dev/blob"

	"github.com/evalsite/evalsite/internal/release"
)

// exampleRoot copies the example evaluation (hugo.toml, data, content) into
// a new folder, with deployTOML appended to its hugo.toml.
func exampleRoot(t *testing.T, deployTOML string) string {
	t.Helper()
	root := t.TempDir()
	repo := filepath.Join("..", "..")
	for _, name := range []string{"data", "content"} {
		if err := os.CopyFS(filepath.Join(root, name), os.DirFS(filepath.Join(repo, name))); err != nil {
			t.Fatal(err)
		}
	}
	conf, err := os.ReadFile(filepath.Join(repo, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	conf = append(conf, "\n"+deployTOML...)
	if err := os.WriteFile(filepath.Join(root, "hugo.toml"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// buildExample builds the site of root into root/public.
func buildExample(t *testing.T, root string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := exitStatus(run(t.Context(), []string{"build", "--root", root}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("evalsite build exited %d:\n%s", code, stderr.String())
	}
	public := filepath.Join(root, "public")
	// The build writes the release mark once the out-folder guard is in;
	// until then the test marks the site as a build would.
	if _, err := release.Read(public); errors.Is(err, release.ErrNoMark) {
		if err := release.Write(public, release.Mark{Title: "example", Version: "1.0.0", ReleaseDate: "2001-07-16", Illustrative: true}); err != nil {
			t.Fatal(err)
		}
	}
	return public
}

// siteFiles hashes every file of a built site but its mark.
func siteFiles(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == release.MarkName {
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func runDeployCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = exitStatus(run(t.Context(), append([]string{"deploy"}, args...), &o, &e), &e)
	return code, o.String(), e.String()
}

// uploadLine is a line of the plan for one upload.
var uploadLine = regexp.MustCompile(`(?m)^  upload (\S+) \(`)

func uploaded(stdout string) []string {
	var keys []string
	for _, m := range uploadLine.FindAllStringSubmatch(stdout, -1) {
		keys = append(keys, m[1])
	}
	slices.Sort(keys)
	return keys
}

func TestDeployExampleToFolderIsByteIdentical(t *testing.T) {
	bucket := filepath.Join(t.TempDir(), "bucket")
	// The example's hugo.toml has targets of its own: name this one.
	const target = "test-folder"
	root := exampleRoot(t, fmt.Sprintf("[[deployment.targets]]\nname = %q\nurl = \"file://%s?create_dir=1&metadata=skip\"\n", target, bucket))
	public := buildExample(t, root)

	code, stdout, stderr := runDeployCmd(t, "--root", root, "--target", target, "--dry-run")
	if code != 0 {
		t.Fatalf("deploy --dry-run exited %d: %s", code, stderr)
	}
	n := len(siteFiles(t, public))
	if want := fmt.Sprintf("evalsite: plan: %d to upload (", n); !strings.Contains(stdout, want) {
		t.Errorf("dry run printed no %q:\n%s", want, stdout)
	}
	if len(uploaded(stdout)) != n {
		t.Errorf("dry run lists %d uploads, want %d", len(uploaded(stdout)), n)
	}

	if code, _, stderr := runDeployCmd(t, "--root", root, "--target", target); code != 0 {
		t.Fatalf("deploy exited %d: %s", code, stderr)
	}
	want := siteFiles(t, public)
	if diff := cmp.Diff(want, siteFiles(t, bucket)); diff != "" {
		t.Errorf("the deployed folder differs from public/ (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(bucket, release.MarkName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the release mark was deployed (%v)", err)
	}
}

// weedBinary finds the SeaweedFS server built for the tests: $EVALSITE_WEED,
// else the binary .ci/run builds. Without it the test is skipped, except in
// CI, where it must run.
func weedBinary(t *testing.T) string {
	bin := os.Getenv("EVALSITE_WEED")
	if bin == "" {
		cache, err := os.UserCacheDir()
		if err == nil {
			bin = filepath.Join(cache, "evalsite-ci", "weed")
		}
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no SeaweedFS binary at %q (set EVALSITE_WEED; .ci/run builds it): %v", bin, err)
		}
		t.Skipf("no SeaweedFS binary at %q (set EVALSITE_WEED, or see .ci/run to build it)", bin)
	}
	return bin
}

// freePorts returns n ports free on 127.0.0.1 for a moment.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// weedServer is a SeaweedFS server serving S3 on 127.0.0.1.
type weedServer struct {
	cmd     *exec.Cmd
	done    chan error
	log     string
	s3      int
	stopped sync.Once
}

// startWeed starts SeaweedFS with every port on 127.0.0.1 and no
// telemetry, with one bucket, and waits until its S3 endpoint lists it.
func startWeed(t *testing.T, bin, bucket string) *weedServer {
	t.Helper()
	dir := t.TempDir()
	p := freePorts(t, 10)
	// Logs, sockets and configuration in the test's folder, not in /tmp
	// or /etc.
	args := []string{"-logdir=" + dir, "-config_dir=" + dir, "mini",
		"-dir=" + filepath.Join(dir, "data"), "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-bucket=" + bucket,
		"-filer.localSocket=" + filepath.Join(dir, "filer.sock"), "-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-master.telemetry=false", "-webdav=false", "-admin.ui=false",
		"-s3.port.iceberg=0", "-s3.port.lance=0", "-admin.port.legacy=0",
		fmt.Sprintf("-s3.port=%d", p[0]), fmt.Sprintf("-s3.port.grpc=%d", p[1]),
		fmt.Sprintf("-master.port=%d", p[2]), fmt.Sprintf("-master.port.grpc=%d", p[3]),
		fmt.Sprintf("-volume.port=%d", p[4]), fmt.Sprintf("-volume.port.grpc=%d", p[5]),
		fmt.Sprintf("-filer.port=%d", p[6]), fmt.Sprintf("-filer.port.grpc=%d", p[7]),
		fmt.Sprintf("-admin.port=%d", p[8]), fmt.Sprintf("-admin.port.grpc=%d", p[9]),
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "weed.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// The server takes its admin credentials from the same variables as
	// the client; HOME keeps it from reading any configuration of ours.
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &weedServer{cmd: cmd, done: make(chan error, 1), log: logPath, s3: p[0]}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(w.stop)

	// Wait, a bounded number of times, until the bucket can be listed.
	ctx := t.Context()
	for i := 0; ; i++ {
		b, err := blob.OpenBucket(ctx, w.url(bucket))
		if err == nil {
			_, err = b.List(nil).Next(ctx)
			b.Close()
			if err == io.EOF {
				return w
			}
		}
		select {
		case werr := <-w.done:
			t.Fatalf("SeaweedFS stopped before serving S3 (%v); its log:\n%s", werr, w.tail())
		case <-time.After(250 * time.Millisecond):
		}
		if i == 240 {
			t.Fatalf("SeaweedFS served no S3 on 127.0.0.1:%d after 240 tries (%v); its log:\n%s", w.s3, err, w.tail())
		}
	}
}

func (w *weedServer) url(bucket string) string {
	return fmt.Sprintf("s3://%s?endpoint=http://127.0.0.1:%d&use_path_style=true&region=us-east-1", bucket, w.s3)
}

func (w *weedServer) tail() string {
	b, _ := os.ReadFile(w.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// stop ends the server: politely, then, after a bounded wait, for good.
func (w *weedServer) stop() {
	w.stopped.Do(func() {
		w.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-w.done:
		case <-time.After(20 * time.Second):
			w.cmd.Process.Kill()
			<-w.done
		}
	})
}

// objectsOf reads every object of a bucket: its bytes and headers.
type object struct {
	sum          [32]byte // of the content, decompressed if stored gzipped
	contentType  string
	cacheControl string
	encoding     string
	modTime      time.Time
}

func objectsOf(t *testing.T, ctx context.Context, url string) map[string]object {
	t.Helper()
	b, err := blob.OpenBucket(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	objs := map[string]object{}
	it := b.List(nil)
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			return objs
		}
		if err != nil {
			t.Fatal(err)
		}
		a, err := b.Attributes(ctx, o.Key)
		if err != nil {
			t.Fatal(err)
		}
		body, err := b.ReadAll(ctx, o.Key)
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentEncoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", o.Key, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", o.Key, err)
			}
		}
		objs[o.Key] = object{sha256.Sum256(body), a.ContentType, a.CacheControl, a.ContentEncoding, a.ModTime}
	}
}

// wantHeaders are the headers each kind of file of the example must be
// served with.
func wantHeaders(t *testing.T, key string) (contentType, cacheControl string) {
	short, long := "public, max-age=300, must-revalidate", "public, max-age=31536000, immutable"
	types := map[string]string{
		".html": "text/html; charset=utf-8",
		".css":  "text/css; charset=utf-8",
		".svg":  "image/svg+xml",
		".csv":  "text/csv; charset=utf-8",
		".json": "application/json",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		".qdc":  "application/xml",
		".qdpx": "application/zip",
		".zip":  "application/zip",
		".js":   "text/javascript; charset=utf-8",
		".txt":  "text/plain; charset=utf-8", // ILLUSTRATIVE.txt beside the CSVs of synthetic data
	}
	ct, ok := types[path.Ext(key)]
	if path.Base(key) == "SHA256SUMS" {
		ct, ok = "text/plain; charset=utf-8", true
	}
	if !ok {
		t.Errorf("%s: the test knows no content type for this kind of file", key)
	}
	// A name with a 64-digit hex digest is Hugo's fingerprint.
	if regexp.MustCompile(`\.[0-9a-f]{64}\.`).MatchString(path.Base(key)) {
		return ct, long
	}
	return ct, short
}

// TestDeployExampleToSeaweedFS deploys the example to a real S3 server on
// 127.0.0.1, checks every object against the site, edits a chapter and sees
// only the changed files sent, then sees clear errors for wrong credentials
// and a stopped server.
func TestDeployExampleToSeaweedFS(t *testing.T) {
	bin := weedBinary(t)
	dir := t.TempDir()
	// Credentials only from the environment, as a user's would be; no
	// shared files, no instance metadata (which is not on loopback).
	t.Setenv("AWS_ACCESS_KEY_ID", "evalsitetest")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "evalsite-test-secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")

	w := startWeed(t, bin, "site")
	url := w.url("site")
	const target = "seaweedfs"
	// The charts go gzipped, to see the store keep their encoding.
	root := exampleRoot(t, fmt.Sprintf("[[deployment.targets]]\nname = %q\nurl = %q\n"+
		"[[deployment.matchers]]\npattern = \"^charts/.+[.]svg$\"\ngzip = true\n", target, url))
	public := buildExample(t, root)
	ctx := t.Context()

	code, stdout, stderr := runDeployCmd(t, "--root", root, "--target", target, "--dry-run")
	if code != 0 {
		t.Fatalf("deploy --dry-run exited %d: %s", code, stderr)
	}
	if objs := objectsOf(t, ctx, url); len(objs) != 0 {
		t.Fatalf("a dry run wrote %d objects", len(objs))
	}

	code, stdout, stderr = runDeployCmd(t, "--root", root, "--target", target)
	if code != 0 {
		t.Fatalf("deploy exited %d: %s\n%s", code, stderr, stdout)
	}
	t.Logf("first deploy: %s", lastLine(stdout))
	local := siteFiles(t, public)
	objs := objectsOf(t, ctx, url)
	if len(objs) != len(local) {
		t.Errorf("the store has %d objects, the site %d files", len(objs), len(local))
	}
	for key, sum := range local {
		o, ok := objs[key]
		if !ok {
			t.Errorf("%s is not in the store", key)
			continue
		}
		if o.sum != sum {
			t.Errorf("%s: the store's bytes differ from the site's", key)
		}
		ct, cc := wantHeaders(t, key)
		enc := ""
		if strings.HasPrefix(key, "charts/") && strings.HasSuffix(key, ".svg") {
			enc = "gzip"
		}
		if o.contentType != ct || o.cacheControl != cc || o.encoding != enc {
			t.Errorf("%s served as %q, %q, encoding %q; want %q, %q, %q", key, o.contentType, o.cacheControl, o.encoding, ct, cc, enc)
		}
	}

	code, stdout, stderr = runDeployCmd(t, "--root", root, "--target", target)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("evalsite: plan: 0 to upload (0 bytes), 0 to delete, %d unchanged\n", len(local))) {
		t.Errorf("redeploy of the same site: exit %d, %s\n%s", code, stderr, stdout)
	}

	// Edit one chapter and rebuild: exactly the files that changed are sent.
	chapter := filepath.Join(root, "content", "report", "timing.md")
	b, err := os.ReadFile(chapter)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chapter, append(b, "\nA sentence added after the first deploy.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	buildExample(t, root)
	edited := siteFiles(t, public)
	var changed []string
	for key, sum := range edited {
		if local[key] != sum {
			changed = append(changed, key)
		}
	}
	slices.Sort(changed)
	if len(changed) == 0 {
		t.Fatal("editing a chapter changed no file of the site")
	}
	code, stdout, stderr = runDeployCmd(t, "--root", root, "--target", target)
	if code != 0 {
		t.Fatalf("deploy after the edit exited %d: %s", code, stderr)
	}
	t.Logf("after editing a chapter: %s (%v)", lastLine(stdout), changed)
	if diff := cmp.Diff(changed, uploaded(stdout)); diff != "" {
		t.Errorf("deploy after the edit sent other files than those that changed (-changed +sent):\n%s", diff)
	}
	after := objectsOf(t, ctx, url)
	for key, o := range objs {
		if slices.Contains(changed, key) {
			if after[key].sum != edited[key] {
				t.Errorf("%s: the store does not have the edited file", key)
			}
			continue
		}
		if !after[key].modTime.Equal(o.modTime) {
			t.Errorf("%s was written again though it did not change", key)
		}
	}

	// Wrong credentials: one clear line, no secret in it.
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
	code, _, stderr = runDeployCmd(t, "--root", root, "--target", target)
	if want := "evalsite: deploy to s3://site: list: credentials refused (SignatureDoesNotMatch)\n"; code != 1 || stderr != want {
		t.Errorf("deploy with a wrong secret: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
	if strings.Contains(stderr, "not-the-secret") {
		t.Errorf("the error prints the secret: %s", stderr)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "evalsite-test-secret")

	// A stopped server.
	w.stop()
	code, _, stderr = runDeployCmd(t, "--root", root, "--target", target)
	if want := "evalsite: deploy to s3://site: list: cannot reach the store: connection refused\n"; code != 1 || stderr != want {
		t.Errorf("deploy to a stopped server: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
