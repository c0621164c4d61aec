package deploy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/gobwas/glob"
	"github.com/pelletier/go-toml/v2"
)

// Config is the [deployment] table of a site's hugo.toml, in the form Hugo
// itself reads: where the site can go (targets) and how each file is sent
// (matchers, order). Keys are matched without regard to case, as Hugo does.
type Config struct {
	Targets  []Target
	Matchers []Matcher
	// Order lists regular expressions: within each wave of uploads, files
	// matching an earlier expression are sent before the rest.
	Order []*regexp.Regexp
	// MaxDeletes and Workers, when set in the file, are defaults for the
	// command's flags; nil when absent.
	MaxDeletes *int
	Workers    int
}

// Target is one place the site can be deployed to.
type Target struct {
	Name string
	// URL is a gocloud.dev bucket URL: s3://, gs://, azblob:// or file://.
	URL string
	// Include and Exclude are globs over slash-separated paths ("**" crosses
	// folders); when set, only the files they select are deployed, and only
	// those objects in the store are considered for deletion.
	Include, Exclude string
	// StripIndexHTML sends dir/index.html as the object "dir/".
	StripIndexHTML bool
	// The CDN in front of the store; evalsite reports it and leaves its
	// invalidation to the user (see docs/publishing.md).
	CloudFrontDistributionID string
	GoogleCloudCDNOrigin     string

	include, exclude glob.Glob
}

// Matcher sets how the files whose slash-separated path matches Pattern (a
// regular expression, unanchored) are sent. The first matcher that matches a
// file applies; a field it leaves empty takes evalsite's default.
type Matcher struct {
	Pattern         string
	CacheControl    string
	ContentEncoding string
	ContentType     string
	// Gzip compresses the file before upload and sets Content-Encoding gzip.
	Gzip bool
	// Force sends the matching files even when their content is unchanged,
	// for when only their headers changed.
	Force bool

	re *regexp.Regexp
}

// ErrNoDeployment is returned by ReadConfig for a hugo.toml without a
// [deployment] table or without any target in it.
var ErrNoDeployment = errors.New("no deployment target configured: add a [[deployment.targets]] table with a name and a url")

// ReadConfig reads the [deployment] table of the hugo.toml at path.
func ReadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("%s: %w", path, ErrNoDeployment)
	}
	if err != nil {
		return Config{}, err
	}
	return ParseConfig(path, b)
}

// ParseConfig reads the [deployment] table of the hugo.toml whose content is
// b; name is used in errors.
func ParseConfig(name string, b []byte) (Config, error) {
	var doc map[string]any
	if err := toml.Unmarshal(b, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return Config{}, fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
		}
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	var raw any
	for k, v := range doc {
		if strings.EqualFold(k, "deployment") {
			raw = v
		}
	}
	if raw == nil {
		return Config{}, fmt.Errorf("%s: %w", name, ErrNoDeployment)
	}
	p := parser{file: name}
	cfg := p.config(raw)
	if p.err != nil {
		return Config{}, p.err
	}
	if len(cfg.Targets) == 0 {
		return Config{}, fmt.Errorf("%s: %w", name, ErrNoDeployment)
	}
	return cfg, nil
}

// parser turns the decoded TOML into a Config, keeping the first problem
// with the place it was found.
type parser struct {
	file string
	err  error
}

func (p *parser) fail(where, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s: %s: %s", p.file, where, fmt.Sprintf(format, args...))
	}
}

// table returns t with its keys lower-cased, or fails when t is not a table.
func (p *parser) table(where string, t any) map[string]any {
	m, ok := t.(map[string]any)
	if !ok {
		p.fail(where, "want a table, got %s", kind(t))
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

func (p *parser) tables(where string, v any) []map[string]any {
	list, ok := v.([]any)
	if !ok {
		p.fail(where, "want an array of tables ([[%s]]), got %s", where, kind(v))
		return nil
	}
	var out []map[string]any
	for i, t := range list {
		out = append(out, p.table(fmt.Sprintf("%s #%d", where, i+1), t))
	}
	return out
}

func (p *parser) str(where string, m map[string]any, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(where, "%s: want a string, got %s", key, kind(v))
	}
	return s
}

func (p *parser) boolean(where string, m map[string]any, key string) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		p.fail(where, "%s: want true or false, got %s", key, kind(v))
	}
	return b
}

func (p *parser) integer(where string, m map[string]any, key string) (int, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		p.fail(where, "%s: want a whole number, got %s", key, kind(v))
	}
	return int(n), true
}

// known fails on a key not in keys, so that a misspelt key is not ignored.
func (p *parser) known(where string, m map[string]any, keys ...string) {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !slices.Contains(keys, k) {
			p.fail(where, "unknown key %q (known: %s)", k, strings.Join(keys, ", "))
		}
	}
}

func (p *parser) config(raw any) Config {
	var cfg Config
	d := p.table("[deployment]", raw)
	if d == nil {
		return cfg
	}
	p.known("[deployment]", d, "targets", "matchers", "order", "maxdeletes", "workers")
	if v, ok := d["targets"]; ok {
		for i, t := range p.tables("deployment.targets", v) {
			where := fmt.Sprintf("[[deployment.targets]] #%d", i+1)
			if t == nil {
				continue
			}
			p.known(where, t, "name", "url", "include", "exclude", "stripindexhtml", "cloudfrontdistributionid", "googlecloudcdnorigin")
			tg := Target{
				Name:                     p.str(where, t, "name"),
				URL:                      p.str(where, t, "url"),
				Include:                  p.str(where, t, "include"),
				Exclude:                  p.str(where, t, "exclude"),
				StripIndexHTML:           p.boolean(where, t, "stripindexhtml"),
				CloudFrontDistributionID: p.str(where, t, "cloudfrontdistributionid"),
				GoogleCloudCDNOrigin:     p.str(where, t, "googlecloudcdnorigin"),
			}
			if tg.Name == "" || tg.URL == "" {
				p.fail(where, "a target needs a name and a url")
			}
			for _, prev := range cfg.Targets {
				if prev.Name == tg.Name {
					p.fail(where, "a second target named %q", tg.Name)
				}
			}
			var err error
			if tg.Include != "" {
				if tg.include, err = glob.Compile(strings.ToLower(tg.Include), '/'); err != nil {
					p.fail(where, "include %q: %v", tg.Include, err)
				}
			}
			if tg.Exclude != "" {
				if tg.exclude, err = glob.Compile(strings.ToLower(tg.Exclude), '/'); err != nil {
					p.fail(where, "exclude %q: %v", tg.Exclude, err)
				}
			}
			cfg.Targets = append(cfg.Targets, tg)
		}
	}
	if v, ok := d["matchers"]; ok {
		for i, m := range p.tables("deployment.matchers", v) {
			where := fmt.Sprintf("[[deployment.matchers]] #%d", i+1)
			if m == nil {
				continue
			}
			p.known(where, m, "pattern", "cachecontrol", "contentencoding", "contenttype", "gzip", "force")
			mt := Matcher{
				Pattern:         p.str(where, m, "pattern"),
				CacheControl:    p.str(where, m, "cachecontrol"),
				ContentEncoding: p.str(where, m, "contentencoding"),
				ContentType:     p.str(where, m, "contenttype"),
				Gzip:            p.boolean(where, m, "gzip"),
				Force:           p.boolean(where, m, "force"),
			}
			if mt.Pattern == "" {
				p.fail(where, "a matcher needs a pattern")
			}
			var err error
			if mt.re, err = regexp.Compile(mt.Pattern); err != nil {
				p.fail(where, "pattern %q: %v", mt.Pattern, err)
			}
			cfg.Matchers = append(cfg.Matchers, mt)
		}
	}
	if v, ok := d["order"]; ok {
		list, isList := v.([]any)
		if !isList {
			p.fail("[deployment]", "order: want a list of patterns, got %s", kind(v))
		}
		for _, o := range list {
			s, isStr := o.(string)
			if !isStr {
				p.fail("[deployment]", "order: want a list of patterns, got %s in it", kind(o))
				continue
			}
			re, err := regexp.Compile(s)
			if err != nil {
				p.fail("[deployment]", "order: pattern %q: %v", s, err)
				continue
			}
			cfg.Order = append(cfg.Order, re)
		}
	}
	if n, ok := p.integer("[deployment]", d, "maxdeletes"); ok {
		cfg.MaxDeletes = &n
	}
	if n, ok := p.integer("[deployment]", d, "workers"); ok {
		if n < 1 {
			p.fail("[deployment]", "workers: want at least 1, got %d", n)
		}
		cfg.Workers = n
	}
	return cfg
}

// Target returns the target called name, or the first one when name is "".
func (c Config) Target(name string) (Target, error) {
	if name == "" && len(c.Targets) > 0 {
		return c.Targets[0], nil
	}
	var names []string
	for _, t := range c.Targets {
		if t.Name == name {
			return t, nil
		}
		names = append(names, fmt.Sprintf("%q", t.Name))
	}
	return Target{}, fmt.Errorf("no deployment target named %q (configured: %s)", name, strings.Join(names, ", "))
}

// selects says whether the target deploys the file at the slash-separated
// path p, by its include and exclude globs (matched in lower case, as Hugo
// does).
func (t Target) selects(p string) bool {
	p = strings.ToLower(p)
	if t.include != nil && !t.include.Match(p) {
		return false
	}
	return t.exclude == nil || !t.exclude.Match(p)
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "true or false"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}
