package deploy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"

	"github.com/evalsite/evalsite/internal/release"
)

// siteFiles is a small site with one file of each kind a release has.
var siteFiles = map[string]string{
	"index.html":               "<!doctype html><title>Summary</title><link href=evalsite.0123456789abcdef0123456789abcdef.css>",
	"report/index.html":        "<!doctype html><title>Report</title>",
	"report/timing/index.html": "<!doctype html><title>Timing</title>",
	"evalsite.0123456789abcdef0123456789abcdef.css": "body{margin:0}",
	"charts/timeline.svg":                           "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
	"charts/timeline.csv":                           "agreement,days\nLPSA-01,12\n",
	"data/metrics.json":                             "{\"agreements\":{\"signed\":12}}\n",
	"data/agreements.csv":                           "id,title\nLPSA-01,A\n",
	"data/evaluation.xlsx":                          "PK\x03\x04 not really a workbook",
	"data/SHA256SUMS":                               "0000  data/agreements.csv\n",
	"data/project.qdc":                              "<?xml version=\"1.0\"?><CodeBook/>",
}

// writeSite writes files into a new folder and marks it as evalsite's.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	if err := release.Write(dir, release.Mark{Version: "1.0.0", ReleaseDate: "2001-07-16", DataCommit: "abc1234"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// config reads a [deployment] table as a site's hugo.toml would hold it.
func config(t *testing.T, toml string) Config {
	t.Helper()
	cfg, err := ParseConfig("hugo.toml", []byte("title = \"x\"\n"+toml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func memConfig(t *testing.T) Config {
	return config(t, "[[deployment.targets]]\nname = \"mem\"\nurl = \"mem://\"\n")
}

// deploy runs Deploy with opt filled in and fails the test on an error.
func deploy(t *testing.T, opt Options) *Result {
	t.Helper()
	var out bytes.Buffer
	opt.Out = &out
	if opt.MaxDeletes == 0 {
		opt.MaxDeletes = DefaultMaxDeletes
	}
	res, err := Deploy(t.Context(), opt)
	if err != nil {
		t.Fatalf("Deploy: %v\n%s", err, out.String())
	}
	return res
}

func uploadedKeys(res *Result) []string {
	var keys []string
	for _, u := range res.Uploads {
		keys = append(keys, u.Key)
	}
	slices.Sort(keys)
	return keys
}

// treeOf reads every file under dir, relative slash paths to contents.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// bucketOf reads every object of a bucket with the headers it is served with.
func bucketOf(t *testing.T, b *blob.Bucket) map[string]string {
	t.Helper()
	ctx := t.Context()
	objs := map[string]string{}
	it := b.List(nil)
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			break
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
		objs[o.Key] = fmt.Sprintf("%s | %s | %s | %s | %s", a.ContentType, a.CacheControl, a.ContentEncoding, a.ModTime, body)
	}
	return objs
}

func TestDeployToFolderIsByteIdenticalToSite(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := filepath.Join(t.TempDir(), "bucket")
	// metadata=skip keeps fileblob from writing an .attrs file beside each
	// object, so the folder is the site itself.
	cfg := config(t, fmt.Sprintf("[[deployment.targets]]\nname = \"folder\"\nurl = \"file://%s?create_dir=1&metadata=skip\"\n", bucket))
	res := deploy(t, Options{Dir: site, Config: cfg, DryRun: true})
	if len(res.Uploads) != len(siteFiles) {
		t.Errorf("dry run plans %d uploads, want %d", len(res.Uploads), len(siteFiles))
	}
	if _, err := os.Stat(bucket); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run created the folder of the target (%v)", err)
	}
	res = deploy(t, Options{Dir: site, Config: cfg})
	if len(res.Uploads) != len(siteFiles) {
		t.Errorf("first deploy sent %d files, want %d", len(res.Uploads), len(siteFiles))
	}
	want := treeOf(t, site)
	delete(want, release.MarkName)
	if diff := cmp.Diff(want, treeOf(t, bucket)); diff != "" {
		t.Errorf("deployed folder differs from the site (-want +got):\n%s", diff)
	}

	// The folder keeps no hashes: they are found by reading the objects.
	res = deploy(t, Options{Dir: site, Config: cfg})
	if len(res.Uploads) != 0 || len(res.Deletes) != 0 || res.Unchanged != len(siteFiles) {
		t.Errorf("second deploy: sent %v, deleted %v, %d unchanged; want nothing sent, %d unchanged", uploadedKeys(res), res.Deletes, res.Unchanged, len(siteFiles))
	}
}

func TestDeployToFolderKeepsHeadersBesideObjects(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	dir := t.TempDir()
	cfg := config(t, fmt.Sprintf("[[deployment.targets]]\nname = \"folder\"\nurl = \"file://%s\"\n", dir))
	deploy(t, Options{Dir: site, Config: cfg})
	b, err := blob.OpenBucket(t.Context(), "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a, err := b.Attributes(t.Context(), "data/agreements.csv")
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentType != "text/csv; charset=utf-8" || a.CacheControl != CacheShort {
		t.Errorf("data/agreements.csv served as %q, %q; want text/csv; charset=utf-8, %q", a.ContentType, a.CacheControl, CacheShort)
	}
	res := deploy(t, Options{Dir: site, Config: cfg})
	if len(res.Uploads) != 0 {
		t.Errorf("second deploy sent %v, want nothing", uploadedKeys(res))
	}
}

func TestRedeploySendsOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	cfg := memConfig(t)
	deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	before := bucketOf(t, bucket)

	res := deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	if len(res.Uploads) != 0 || len(res.Deletes) != 0 {
		t.Fatalf("unchanged site: sent %v, deleted %v; want nothing", uploadedKeys(res), res.Deletes)
	}

	// One edited page, one new download, one file gone.
	writeFile(t, filepath.Join(site, "report/timing/index.html"), "<!doctype html><title>Timing, corrected</title>")
	writeFile(t, filepath.Join(site, "data/events.csv"), "id\n1\n")
	if err := os.Remove(filepath.Join(site, "charts/timeline.csv")); err != nil {
		t.Fatal(err)
	}
	res = deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	var got []string
	for _, u := range res.Uploads {
		got = append(got, u.Key+" "+string(u.Reason))
	}
	if diff := cmp.Diff([]string{"data/events.csv new", "report/timing/index.html changed"}, got); diff != "" {
		t.Errorf("uploads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"charts/timeline.csv"}, res.Deletes); diff != "" {
		t.Errorf("deletions (-want +got):\n%s", diff)
	}
	after := bucketOf(t, bucket)
	for key, obj := range before {
		if key == "report/timing/index.html" || key == "charts/timeline.csv" {
			continue
		}
		if after[key] != obj {
			t.Errorf("%s was rewritten though it did not change:\n was %s\n now %s", key, obj, after[key])
		}
	}
	if _, ok := after["charts/timeline.csv"]; ok {
		t.Error("charts/timeline.csv is still in the store")
	}

	// --force sends everything again.
	res = deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket, Force: true})
	if len(res.Uploads) != len(siteFiles) {
		t.Errorf("forced deploy sent %d files, want %d", len(res.Uploads), len(siteFiles))
	}
	for _, u := range res.Uploads {
		if u.Reason != ReasonForced {
			t.Errorf("forced deploy: %s sent as %s", u.Key, u.Reason)
		}
	}
}

func TestMaxDeletesIsHonoured(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	cfg := memConfig(t)
	deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	for _, name := range []string{"charts/timeline.csv", "charts/timeline.svg", "data/project.qdc"} {
		if err := os.Remove(filepath.Join(site, name)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(site, "index.html"), "<!doctype html><title>Summary, new</title>")
	before := bucketOf(t, bucket)

	res, err := Deploy(t.Context(), Options{Dir: site, Config: cfg, Bucket: bucket, MaxDeletes: 2})
	if !errors.Is(err, ErrTooManyDeletes) {
		t.Fatalf("Deploy with 3 deletions, --max-deletes 2: err = %v, want ErrTooManyDeletes", err)
	}
	if want := "deploy to mem://: check: too many deletions: 3 objects to delete, more than --max-deletes 2; nothing was changed"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %q, want it to start %q", err, want)
	}
	if len(res.Deletes) != 3 {
		t.Errorf("plan has %d deletions, want 3", len(res.Deletes))
	}
	if diff := cmp.Diff(before, bucketOf(t, bucket)); diff != "" {
		t.Errorf("a refused deploy changed the store (-before +after):\n%s", diff)
	}

	res = deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket, MaxDeletes: 3})
	if len(res.Deletes) != 3 || len(bucketOf(t, bucket)) != len(siteFiles)-3 {
		t.Errorf("deploy with --max-deletes 3 deleted %v, store has %d objects", res.Deletes, len(bucketOf(t, bucket)))
	}
}

func TestDryRunTouchesNothing(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	cfg := memConfig(t)
	ctx := t.Context()
	if err := bucket.WriteAll(ctx, "old/page.html", []byte("old"), nil); err != nil {
		t.Fatal(err)
	}
	if err := bucket.WriteAll(ctx, "index.html", []byte("stale"), nil); err != nil {
		t.Fatal(err)
	}
	before := bucketOf(t, bucket)
	var out bytes.Buffer
	res, err := Deploy(ctx, Options{Dir: site, Config: cfg, Bucket: bucket, DryRun: true, MaxDeletes: 10, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, bucketOf(t, bucket)); diff != "" {
		t.Errorf("a dry run changed the store (-before +after):\n%s", diff)
	}
	text := out.String()
	for _, want := range []string{
		`evalsite: deploying the release (version 1.0.0, released 2001-07-16, data commit abc1234, built by evalsite`,
		"  upload index.html (changed, ",
		"  upload data/SHA256SUMS (new, 26 bytes; Content-Type text/plain; charset=utf-8; Cache-Control " + CacheShort + ")",
		"  delete old/page.html\n",
		fmt.Sprintf("evalsite: plan: %d to upload (%d bytes), 1 to delete, 0 unchanged\n", len(siteFiles), res.Bytes),
		"evalsite: dry run: the store was not changed\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, text)
		}
	}
	var total int64
	for _, body := range siteFiles {
		total += int64(len(body))
	}
	if res.Bytes != total {
		t.Errorf("plan totals %d bytes, want %d", res.Bytes, total)
	}
}

func TestRefusesFolderEvalsiteDidNotBuild(t *testing.T) {
	t.Parallel()
	cfg := memConfig(t)
	unmarked := t.TempDir()
	writeFile(t, filepath.Join(unmarked, "index.html"), "<!doctype html><title>Someone else's</title>")
	foreign := t.TempDir()
	writeFile(t, filepath.Join(foreign, "index.html"), "<!doctype html>")
	writeFile(t, filepath.Join(foreign, release.MarkName), `{"generator":"another tool"}`)
	for _, dir := range []string{unmarked, foreign, filepath.Join(t.TempDir(), "missing")} {
		bucket := memblob.OpenBucket(nil)
		_, err := Deploy(t.Context(), Options{Dir: dir, Config: cfg, Bucket: bucket})
		if !errors.Is(err, release.ErrNoMark) {
			t.Errorf("Deploy(%s) = %v, want release.ErrNoMark", dir, err)
		}
		if objs := bucketOf(t, bucket); len(objs) != 0 {
			t.Errorf("Deploy(%s) refused, yet wrote %d objects", dir, len(objs))
		}
	}
}

func TestMarkIsNeverSentNorDeleted(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	if err := bucket.WriteAll(t.Context(), release.MarkName, []byte("{}"), nil); err != nil {
		t.Fatal(err)
	}
	res := deploy(t, Options{Dir: site, Config: memConfig(t), Bucket: bucket})
	if slices.Contains(uploadedKeys(res), release.MarkName) || slices.Contains(res.Deletes, release.MarkName) {
		t.Errorf("deploy touched %s: sent %v, deleted %v", release.MarkName, uploadedKeys(res), res.Deletes)
	}
}

func TestHeadersForAStatisticsRelease(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	deploy(t, Options{Dir: site, Config: memConfig(t), Bucket: bucket})
	const long = "public, max-age=31536000, immutable"
	want := map[string][2]string{
		"index.html":           {"text/html; charset=utf-8", CacheShort},
		"report/index.html":    {"text/html; charset=utf-8", CacheShort},
		"charts/timeline.svg":  {"image/svg+xml", CacheShort},
		"charts/timeline.csv":  {"text/csv; charset=utf-8", CacheShort},
		"data/metrics.json":    {"application/json", CacheShort},
		"data/agreements.csv":  {"text/csv; charset=utf-8", CacheShort},
		"data/evaluation.xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", CacheShort},
		"data/SHA256SUMS":      {"text/plain; charset=utf-8", CacheShort},
		"data/project.qdc":     {"application/xml", CacheShort},
		"evalsite.0123456789abcdef0123456789abcdef.css": {"text/css; charset=utf-8", long},
	}
	for key, w := range want {
		a, err := bucket.Attributes(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != w[0] || a.CacheControl != w[1] {
			t.Errorf("%s served as %q, %q; want %q, %q", key, a.ContentType, a.CacheControl, w[0], w[1])
		}
	}
}

func TestMatchersOverrideDefaultsAndGzip(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	cfg := config(t, `
[deployment]
[[deployment.targets]]
name = "mem"
URL = "mem://"

[[deployment.matchers]]
pattern = "^.+\\.(html|csv)$"
gzip = true

[[deployment.matchers]]
Pattern = "^data/metrics\\.json$"
cacheControl = "no-cache"
contentType = "application/vnd.evalsite.metrics+json"
`)
	res := deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	ctx := t.Context()
	a, err := bucket.Attributes(ctx, "data/agreements.csv")
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentEncoding != "gzip" || a.ContentType != "text/csv; charset=utf-8" || a.CacheControl != CacheShort {
		t.Errorf("gzipped CSV served as %q, %q, %q", a.ContentEncoding, a.ContentType, a.CacheControl)
	}
	stored, err := bucket.ReadAll(ctx, "data/agreements.csv")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(stored))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || string(plain) != siteFiles["data/agreements.csv"] {
		t.Errorf("gzipped CSV decompresses to %q, %v", plain, err)
	}
	a, err = bucket.Attributes(ctx, "data/metrics.json")
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentType != "application/vnd.evalsite.metrics+json" || a.CacheControl != "no-cache" || a.ContentEncoding != "" {
		t.Errorf("metrics.json served as %q, %q, %q", a.ContentType, a.CacheControl, a.ContentEncoding)
	}
	if len(res.Uploads) != len(siteFiles) {
		t.Errorf("sent %d, want %d", len(res.Uploads), len(siteFiles))
	}
	// Compression is deterministic: nothing is sent again.
	res = deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	if len(res.Uploads) != 0 {
		t.Errorf("second deploy with gzip sent %v", uploadedKeys(res))
	}
}

func TestPagesAreSentLastAndOrderIsKept(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	cfg := config(t, "[deployment]\norder = [\"^data/\", \"^report/\"]\n[[deployment.targets]]\nname = \"mem\"\nurl = \"mem://\"\n")
	res := deploy(t, Options{Dir: site, Config: cfg, Bucket: memblob.OpenBucket(nil), DryRun: true})
	var got []string
	for _, u := range res.Uploads {
		got = append(got, u.Key)
	}
	want := []string{
		// Every file but the pages: the ordered ones first.
		"data/SHA256SUMS", "data/agreements.csv", "data/evaluation.xlsx", "data/metrics.json", "data/project.qdc",
		"charts/timeline.csv", "charts/timeline.svg", "evalsite.0123456789abcdef0123456789abcdef.css",
		// Then the pages, in the same order.
		"report/index.html", "report/timing/index.html",
		"index.html",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("upload order (-want +got):\n%s", diff)
	}
}

func TestIncludeExcludeAndStripIndexHTML(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	ctx := t.Context()
	// An object the target does not manage: it must survive the deploy.
	if err := bucket.WriteAll(ctx, "data/legacy.csv", []byte("kept"), nil); err != nil {
		t.Fatal(err)
	}
	cfg := config(t, "[[deployment.targets]]\nname = \"mem\"\nurl = \"mem://\"\nexclude = \"**.{csv,xlsx}\"\nstripIndexHTML = true\n")
	res := deploy(t, Options{Dir: site, Config: cfg, Bucket: bucket})
	keys := uploadedKeys(res)
	for _, k := range keys {
		if strings.HasSuffix(k, ".csv") || strings.HasSuffix(k, ".xlsx") {
			t.Errorf("excluded file %s was sent", k)
		}
	}
	if !slices.Contains(keys, "report/timing/") || slices.Contains(keys, "report/timing/index.html") {
		t.Errorf("stripIndexHTML: sent %v, want report/timing/ for report/timing/index.html", keys)
	}
	if len(res.Deletes) != 0 {
		t.Errorf("deleted %v, outside the target's files", res.Deletes)
	}
	a, err := bucket.Attributes(ctx, "report/timing/")
	if err != nil || a.ContentType != "text/html; charset=utf-8" {
		t.Errorf("report/timing/ served as %v, %v", a, err)
	}
}

// A store that fails midway leaves no page that links to a file it lacks,
// and a second run completes the deploy.
func TestFailedDeployLeavesNoPageAndCompletesOnRerun(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	dir := t.TempDir()
	// A file where the store needs a folder makes every download fail;
	// the charts, sent before them one at a time, get through.
	writeFile(t, filepath.Join(dir, "data"), "in the way")
	url := "file://" + dir + "?metadata=skip"
	cfg := config(t, fmt.Sprintf("[[deployment.targets]]\nname = \"folder\"\nurl = %q\n", url))
	var out bytes.Buffer
	_, err := Deploy(t.Context(), Options{Dir: site, Config: cfg, MaxDeletes: 10, Workers: 1, Out: &out})
	if err == nil {
		t.Fatal("Deploy into a store that refuses writes succeeded")
	}
	msg := err.Error()
	t.Log(msg)
	if !strings.HasPrefix(msg, "deploy to file://"+dir+": upload data/SHA256SUMS: ") || strings.Contains(msg, "\n") {
		t.Errorf("error = %q, want one line naming the store and the failed upload", msg)
	}
	tree := treeOf(t, dir)
	for key := range tree {
		if strings.HasSuffix(key, ".html") {
			t.Errorf("page %s was sent though a file before it failed", key)
		}
	}
	if _, ok := tree["data"]; !ok {
		t.Error("a failed deploy went on to its deletions")
	}

	if err := os.Remove(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	res := deploy(t, Options{Dir: site, Config: cfg})
	if res.Unchanged != 2 {
		t.Errorf("rerun: %d files unchanged, want the 2 charts the failed run sent", res.Unchanged)
	}
	want := treeOf(t, site)
	delete(want, release.MarkName)
	if diff := cmp.Diff(want, treeOf(t, dir)); diff != "" {
		t.Errorf("after the rerun the store differs from the site (-want +got):\n%s", diff)
	}
}

func TestExplainIsOneLineWithoutSecrets(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t-value")
	for _, c := range []struct {
		err  error
		want string
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, "cannot reach the store: connection refused"},
		{&net.DNSError{Name: "store.invalid", Err: "no such host"}, "cannot reach the store: no such host store.invalid"},
		{fmt.Errorf("put: %w", &smithy.GenericAPIError{Code: "InvalidAccessKeyId", Message: "no such key"}), "credentials refused (InvalidAccessKeyId)"},
		{&smithy.GenericAPIError{Code: "SignatureDoesNotMatch"}, "credentials refused (SignatureDoesNotMatch)"},
		{&smithy.GenericAPIError{Code: "QuotaExceeded"}, "the store is full or over its quota (QuotaExceeded)"},
		{&os.PathError{Op: "write", Path: "/b/x", Err: syscall.ENOSPC}, "the store is full"},
		{&smithy.GenericAPIError{Code: "Weird", Message: "bad key s3cr3t-value\nsecond line"}, "Weird: bad key [hidden] second line"},
		{context.Canceled, "interrupted"},
	} {
		if got := Explain(c.err); got != c.want {
			t.Errorf("Explain(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestParseConfigReadsHugosDeploymentTable(t *testing.T) {
	t.Parallel()
	cfg := config(t, `
[deployment]
maxDeletes = 10
order = [".jpg$"]

[[deployment.targets]]
name = "production"
URL = "s3://evaluation-site?region=eu-west-2"
cloudFrontDistributionID = "E1ABCDEF"

[[deployment.targets]]
name = "staging"
url = "file:///srv/staging"
include = "**.html"
`)
	if *cfg.MaxDeletes != 10 || len(cfg.Order) != 1 || len(cfg.Targets) != 2 {
		t.Fatalf("ParseConfig = %+v", cfg)
	}
	tg, err := cfg.Target("")
	if err != nil || tg.Name != "production" || tg.CloudFrontDistributionID != "E1ABCDEF" || tg.URL != "s3://evaluation-site?region=eu-west-2" {
		t.Errorf("Target(\"\") = %+v, %v; want the first target", tg, err)
	}
	if tg, err = cfg.Target("staging"); err != nil || !tg.selects("report/index.html") || tg.selects("data/x.csv") {
		t.Errorf("Target(staging) = %+v, %v", tg, err)
	}
	if _, err = cfg.Target("prod"); err == nil || !strings.Contains(err.Error(), `no deployment target named "prod" (configured: "production", "staging")`) {
		t.Errorf("Target(prod) = %v", err)
	}

	for _, c := range []struct{ toml, want string }{
		{`title = "no deployment"`, "no deployment target configured"},
		{"[deployment]\nmaxDeletes = 3", "no deployment target configured"},
		{"[[deployment.targets]]\nname = \"a\"\nurl = \"s3://a\"\ncache_control = \"x\"", `hugo.toml: [[deployment.targets]] #1: unknown key "cache_control"`},
		{"[[deployment.targets]]\nname = \"a\"", "hugo.toml: [[deployment.targets]] #1: a target needs a name and a url"},
		{"[[deployment.targets]]\nname = \"a\"\nurl = \"s3://a\"\n[[deployment.matchers]]\npattern = \"(\"", `hugo.toml: [[deployment.matchers]] #1: pattern "(": error parsing regexp`},
		{"[[deployment.targets]]\nname = \"a\"\nurl = \"s3://a\"\n[[deployment.matchers]]\npattern = \"x\"\ngzip = \"yes\"", "hugo.toml: [[deployment.matchers]] #1: gzip: want true or false, got a string"},
		{"[deployment\n", "hugo.toml:1:"},
	} {
		_, err := ParseConfig("hugo.toml", []byte(c.toml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseConfig(%q) = %v, want an error containing %q", c.toml, err, c.want)
		}
	}
}

func TestSaysHowToRefreshTheCDN(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	bucket := memblob.OpenBucket(nil)
	cfg := config(t, "[[deployment.targets]]\nname = \"cdn\"\nurl = \"mem://\"\ncloudFrontDistributionID = \"E2EXAMPLE\"\n")
	for i, want := range []bool{true, false} {
		var out bytes.Buffer
		if _, err := Deploy(t.Context(), Options{Dir: site, Config: cfg, Bucket: bucket, Out: &out}); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(out.String(), "aws cloudfront create-invalidation --distribution-id E2EXAMPLE --paths '/*'\n")
		if got != want {
			t.Errorf("deploy %d (changes: %v) printed the invalidation command: %v\n%s", i+1, want, got, out.String())
		}
	}
}

func TestInterruptedDeploySaysSo(t *testing.T) {
	t.Parallel()
	site := writeSite(t, siteFiles)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Deploy(ctx, Options{Dir: site, Config: memConfig(t), Bucket: memblob.OpenBucket(nil)})
	if err == nil || err.Error() != "deploy to mem://: read the site: interrupted" {
		t.Errorf("Deploy with a cancelled context = %v, want it to say it was interrupted", err)
	}
}
