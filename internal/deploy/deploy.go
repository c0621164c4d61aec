// Package deploy sends a site that evalsite built to an object store (Amazon
// S3 or any S3-compatible store, Google Cloud Storage, Azure Blob Storage) or
// a folder, configured as the [deployment] table that Hugo's own deploy
// command reads. Only what changed is sent: the content hash of every file is
// compared with the one the store holds. The files are sent so that a deploy
// that stops midway never leaves a page linking to a file not yet there, and
// running it again completes it.
package deploy

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob://
	_ "gocloud.dev/blob/fileblob"  // file://
	_ "gocloud.dev/blob/gcsblob"   // gs://
	"gocloud.dev/blob/memblob"     // mem://, and an empty store for a dry run
	_ "gocloud.dev/blob/s3blob"    // s3://
	"gocloud.dev/gcerrors"

	"github.com/evalsite/evalsite/internal/release"
)

// DefaultMaxDeletes is the number of deletions a deploy makes without being
// told it may make more.
const DefaultMaxDeletes = 256

// md5Key is the metadata key under which the MD5 of an object's content is
// stored, for stores whose listing gives no MD5 (an S3 multipart upload, a
// folder). Hugo's deploy uses the same key, so a store deployed by either
// tool is compared correctly by the other.
const md5Key = "md5chksum"

// defaultWorkers is how many files are sent at once.
const defaultWorkers = 8

// Options says what to deploy where.
type Options struct {
	// Dir is the built site. It must carry evalsite's release mark.
	Dir    string
	Config Config
	// Target names the target to deploy to; "" is the first one.
	Target string
	// DryRun prints the plan and changes nothing.
	DryRun bool
	// Force sends every file, changed or not.
	Force bool
	// MaxDeletes is how many objects the deploy may delete; a deploy that
	// would delete more changes nothing. Negative allows any number.
	MaxDeletes int
	// Workers is how many files are sent at once (default 8).
	Workers int
	// Bucket, when set, is used instead of opening the target's URL.
	Bucket *blob.Bucket
	// Out receives the plan and the summary (nil: discarded).
	Out io.Writer
}

// Reason says why a file is sent.
type Reason string

// The reasons a file is sent.
const (
	ReasonNew     Reason = "new"     // the store does not have it
	ReasonChanged Reason = "changed" // the store has other content
	ReasonForced  Reason = "forced"  // --force, or a matcher's force
)

// Upload is one file sent to the store.
type Upload struct {
	Key    string // the object's name in the store
	Path   string // the file, relative to the site, slash-separated
	Size   int64  // bytes sent (after compression, if any)
	Reason Reason
	headers
}

// Result is what a deploy did, or would do on a dry run.
type Result struct {
	Release release.Mark
	Target  Target
	Store   string   // the store, as printed: the target URL without its query
	Uploads []Upload // in the order they are sent
	Deletes []string // object keys, sorted
	// Unchanged counts the files the store already has.
	Unchanged int
	// Bytes is the total size of the uploads.
	Bytes int64
}

// Deploy sends the site in opt.Dir to the target. On a dry run it only
// works out and prints the plan. The returned Result is filled in as far as
// the deploy got, even with an error.
func Deploy(ctx context.Context, opt Options) (*Result, error) {
	out := opt.Out
	if out == nil {
		out = io.Discard
	}
	mark, err := release.Read(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("refusing to deploy: %w", err)
	}
	tgt, err := opt.Config.Target(opt.Target)
	if err != nil {
		return nil, err
	}
	res := &Result{Release: mark, Target: tgt, Store: storeName(tgt.URL)}
	fail := func(op string, err error) error {
		if de := (*Error)(nil); errors.As(err, &de) {
			return err
		}
		return &Error{Store: res.Store, Op: op, Err: err}
	}

	local, err := walkLocal(ctx, opt.Dir, tgt, opt.Config.Matchers)
	if ctx.Err() != nil {
		return res, fail("read the site", ctx.Err())
	}
	if err != nil {
		return res, err
	}

	bucket := opt.Bucket
	if bucket == nil {
		bucket, err = openBucket(ctx, tgt.URL, opt.DryRun)
		if err != nil {
			return res, fail("open", err)
		}
		defer bucket.Close()
	}
	remote, err := walkRemote(ctx, bucket, tgt)
	if err != nil {
		return res, fail("list", err)
	}

	plan(res, local, remote, opt.Force, opt.Config.Order)
	printPlan(out, res, opt.Dir)

	if opt.MaxDeletes >= 0 && len(res.Deletes) > opt.MaxDeletes {
		return res, fail("check", fmt.Errorf("%w: %d objects to delete, more than --max-deletes %d; nothing was changed (check the target, then run again with --max-deletes %d)",
			ErrTooManyDeletes, len(res.Deletes), opt.MaxDeletes, len(res.Deletes)))
	}
	if opt.DryRun {
		fmt.Fprintln(out, "evalsite: dry run: the store was not changed")
		return res, nil
	}

	workers := opt.Workers
	if workers <= 0 {
		workers = opt.Config.Workers
	}
	if workers <= 0 {
		workers = defaultWorkers
	}
	byKey := make(map[string]*localFile, len(local))
	for _, f := range local {
		byKey[f.key] = f
	}
	for _, group := range groups(res.Uploads, opt.Config.Order) {
		err := parallel(ctx, workers, group, func(ctx context.Context, u Upload) error {
			if err := send(ctx, bucket, byKey[u.Key]); err != nil {
				return fail("upload "+u.Key, err)
			}
			return nil
		})
		if err != nil {
			return res, fail("upload", err)
		}
	}
	// Deletions come last, once every page that no longer links to the
	// deleted files is in place.
	err = parallel(ctx, workers, res.Deletes, func(ctx context.Context, key string) error {
		if err := bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return fail("delete "+key, err)
		}
		return nil
	})
	if err != nil {
		return res, fail("delete", err)
	}
	fmt.Fprintf(out, "evalsite: deployed to %s: %d sent (%d bytes), %d deleted, %d unchanged\n",
		res.Store, len(res.Uploads), res.Bytes, len(res.Deletes), res.Unchanged)
	if len(res.Uploads)+len(res.Deletes) > 0 {
		printCDN(out, tgt)
	}
	return res, nil
}

// ErrTooManyDeletes is wrapped by the error of a deploy that would delete
// more objects than it was allowed to.
var ErrTooManyDeletes = errors.New("too many deletions")

// openBucket opens the store at rawURL. A dry run does not create the
// folder of a file:// target that asks for it (create_dir): a folder not
// yet there is planned against as an empty store.
func openBucket(ctx context.Context, rawURL string, dryRun bool) (*blob.Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !dryRun || u.Scheme != "file" || !u.Query().Has("create_dir") {
		return blob.OpenBucket(ctx, rawURL)
	}
	q := u.Query()
	q.Del("create_dir")
	u.RawQuery = q.Encode()
	b, err := blob.OpenBucket(ctx, u.String())
	if errors.Is(err, fs.ErrNotExist) {
		return memblob.OpenBucket(nil), nil
	}
	return b, err
}

// storeName is the target URL as printed: without its query, which may
// name files or options that are of no use in a message.
func storeName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the store"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// localFile is a file of the site as it will be sent.
type localFile struct {
	path string // on disk
	rel  string // relative to the site, slash-separated
	key  string // the object's name
	size int64  // bytes sent
	md5  []byte // of the bytes sent
	h    headers
}

func walkLocal(ctx context.Context, dir string, tgt Target, matchers []Matcher) ([]*localFile, error) {
	var files []*localFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == release.MarkName || !tgt.selects(rel) {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file; a built site holds only files and folders", p)
		}
		f, err := readLocal(p, rel, matchers)
		if err != nil {
			return err
		}
		f.key = rel
		if tgt.StripIndexHTML && strings.HasSuffix(rel, "/index.html") {
			f.key = strings.TrimSuffix(rel, "index.html")
		}
		files = append(files, f)
		return nil
	})
	return files, err
}

// readLocal hashes the file at p as it will be sent, compressing it first
// when its matcher says so.
func readLocal(p, rel string, matchers []Matcher) (*localFile, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(fh, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	head = head[:n]
	f := &localFile{path: p, rel: rel, h: headersFor(matchers, rel, head)}
	body := io.MultiReader(bytes.NewReader(head), fh)
	sum := md5.New()
	var copyErr error
	if f.h.Gzip {
		f.size, copyErr = compress(sum, body)
	} else {
		f.size, copyErr = io.Copy(sum, body)
	}
	if copyErr != nil {
		return nil, fmt.Errorf("%s: %w", p, copyErr)
	}
	f.md5 = sum.Sum(nil)
	return f, nil
}

// compress writes r to w as gzip and returns the compressed size. The
// stream has no name and no time in its header, so the same file always
// compresses to the same bytes: an unchanged file keeps its hash and is not
// sent again.
func compress(w io.Writer, r io.Reader) (int64, error) {
	cw := &countingWriter{w: w}
	zw, _ := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if _, err := io.Copy(zw, r); err != nil {
		return 0, err
	}
	err := zw.Close()
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// remoteObject is what the store holds under one key.
type remoteObject struct {
	size int64
	md5  []byte
}

func walkRemote(ctx context.Context, bucket *blob.Bucket, tgt Target) (map[string]remoteObject, error) {
	objs := map[string]remoteObject{}
	it := bucket.List(nil)
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if o.IsDir || o.Key == release.MarkName || !tgt.selects(o.Key) {
			continue
		}
		sum := o.MD5
		if len(sum) == 0 {
			if sum, err = remoteMD5(ctx, bucket, o.Key); err != nil {
				return nil, fmt.Errorf("%s: %w", o.Key, err)
			}
		}
		objs[o.Key] = remoteObject{size: o.Size, md5: sum}
	}
	return objs, nil
}

// remoteMD5 finds the MD5 of an object whose listing did not give it: from
// the metadata a deploy stored with it, else by reading it.
func remoteMD5(ctx context.Context, bucket *blob.Bucket, key string) ([]byte, error) {
	a, err := bucket.Attributes(ctx, key)
	if err != nil {
		return nil, err
	}
	if len(a.MD5) > 0 {
		return a.MD5, nil
	}
	if s, ok := a.Metadata[md5Key]; ok {
		if b, err := hex.DecodeString(s); err == nil && len(b) == md5.Size {
			return b, nil
		}
	}
	r, err := bucket.NewReader(ctx, key, nil)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// plan fills in what to send and what to delete, uploads in the order they
// are sent.
func plan(res *Result, local []*localFile, remote map[string]remoteObject, force bool, order []*regexp.Regexp) {
	keep := map[string]bool{}
	var ups []Upload
	for _, f := range local {
		keep[f.key] = true
		u := Upload{Key: f.key, Path: f.rel, Size: f.size, headers: f.h}
		r, ok := remote[f.key]
		switch {
		case !ok:
			u.Reason = ReasonNew
		case force || f.h.Force:
			u.Reason = ReasonForced
		case r.size != f.size || !bytes.Equal(r.md5, f.md5):
			u.Reason = ReasonChanged
		default:
			res.Unchanged++
			continue
		}
		ups = append(ups, u)
		res.Bytes += u.Size
	}
	for _, g := range groups(ups, order) {
		res.Uploads = append(res.Uploads, g...)
	}
	for k := range remote {
		if !keep[k] {
			res.Deletes = append(res.Deletes, k)
		}
	}
	slices.Sort(res.Deletes)
}

// groups splits the uploads into the groups sent one after the other: first
// every file but the pages, then the pages, so that a page is never in the
// store before the files it uses. Within each wave, the files matching the
// order patterns go first, pattern by pattern. Each group is sorted by key.
func groups(ups []Upload, order []*regexp.Regexp) [][]Upload {
	n := len(order) + 1
	gs := make([][]Upload, 2*n)
	for _, u := range ups {
		i := len(order)
		for j, re := range order {
			if re.MatchString(u.Path) {
				i = j
				break
			}
		}
		if isPage(u) {
			i += n
		}
		gs[i] = append(gs[i], u)
	}
	var out [][]Upload
	for _, g := range gs {
		if len(g) > 0 {
			slices.SortFunc(g, func(a, b Upload) int { return strings.Compare(a.Key, b.Key) })
			out = append(out, g)
		}
	}
	return out
}

func isPage(u Upload) bool {
	return strings.HasPrefix(u.ContentType, "text/html") || strings.HasSuffix(u.Path, ".html")
}

// send writes one file to the store. The write is whole or not at all: on
// an error the context of the writer is cancelled, which discards it.
func send(ctx context.Context, bucket *blob.Bucket, f *localFile) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fh, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer fh.Close()
	var body io.Reader = fh
	if f.h.Gzip {
		// Compressed again rather than kept from the hashing, so that a
		// large site is never held in memory; the bytes are the same.
		var buf bytes.Buffer
		if _, err := compress(&buf, fh); err != nil {
			return err
		}
		body = &buf
	}
	w, err := bucket.NewWriter(ctx, f.key, &blob.WriterOptions{
		ContentType:                 f.h.ContentType,
		CacheControl:                f.h.CacheControl,
		ContentEncoding:             f.h.ContentEncoding,
		ContentMD5:                  f.md5,
		Metadata:                    map[string]string{md5Key: hex.EncodeToString(f.md5)},
		DisableContentTypeDetection: true,
	})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, body); err != nil {
		cancel()
		w.Close()
		return err
	}
	return w.Close()
}

// parallel runs do on every item, workers at a time, and returns the first
// error; after an error no new item is started.
func parallel[T any](ctx context.Context, workers int, items []T, do func(context.Context, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, workers)
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := do(ctx, it); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func printPlan(w io.Writer, res *Result, dir string) {
	m := res.Release
	about := []string{"version " + orUnset(m.Version), "released " + orUnset(m.ReleaseDate)}
	if m.DataCommit != "" {
		about = append(about, "data commit "+m.DataCommit)
	}
	if m.Illustrative {
		about = append(about, "illustrative")
	}
	about = append(about, "built by evalsite "+m.Tool)
	title := ""
	if m.Title != "" {
		title = fmt.Sprintf(" of %q", m.Title)
	}
	fmt.Fprintf(w, "evalsite: deploying the release%s (%s) from %s to %s (target %q)\n",
		title, strings.Join(about, ", "), dir, res.Store, res.Target.Name)
	for _, u := range res.Uploads {
		enc := ""
		if u.ContentEncoding != "" {
			enc = ", Content-Encoding " + u.ContentEncoding
		}
		fmt.Fprintf(w, "  upload %s (%s, %d bytes; Content-Type %s; Cache-Control %s%s)\n",
			u.Key, u.Reason, u.Size, u.ContentType, u.CacheControl, enc)
	}
	for _, k := range res.Deletes {
		fmt.Fprintf(w, "  delete %s\n", k)
	}
	fmt.Fprintf(w, "evalsite: plan: %d to upload (%d bytes), %d to delete, %d unchanged\n",
		len(res.Uploads), res.Bytes, len(res.Deletes), res.Unchanged)
}

// printCDN says how to refresh the CDN in front of the store, which evalsite
// leaves to the user: with the default headers pages and downloads refresh
// by themselves within minutes, and fingerprinted files never go stale.
func printCDN(w io.Writer, tgt Target) {
	if id := tgt.CloudFrontDistributionID; id != "" {
		fmt.Fprintf(w, "evalsite: CloudFront distribution %s was not invalidated: pages refresh within 5 minutes, or now with: aws cloudfront create-invalidation --distribution-id %s --paths '/*'\n", id, id)
	}
	if origin := tgt.GoogleCloudCDNOrigin; origin != "" {
		project, urlMap, _ := strings.Cut(origin, "/")
		fmt.Fprintf(w, "evalsite: Cloud CDN origin %s was not invalidated: pages refresh within 5 minutes, or now with: gcloud compute url-maps invalidate-cdn-cache %s --path '/*' --project %s\n", origin, urlMap, project)
	}
}

func orUnset(s string) string {
	if s == "" {
		return "not set"
	}
	return s
}
