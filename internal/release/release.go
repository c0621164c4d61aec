// Package release is the mark evalsite leaves in every site it builds. The
// mark lets a later build tell its own output folder from a user's folder
// (which it must never replace), and lets deploy refuse to send a folder that
// evalsite did not build or did not finish.
//
// The mark is a small JSON file at the root of the site. It is written last,
// into the finished site, just before the site is swapped into place, so a
// folder that has it is a whole site.
package release

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
)

// MarkName is the file name of the mark at the root of a built site. Deploy
// leaves it out of what it uploads.
const MarkName = ".evalsite-site.json"

// Generator is the value of Mark.Generator in every mark evalsite writes.
const Generator = "evalsite"

// Mark describes a built site: which program made it and which release of
// the evaluation it holds.
type Mark struct {
	Generator string `json:"generator"` // always Generator
	// Tool is the version of evalsite that built the site, from the build
	// information of the binary ("(devel)" when built from a checkout).
	Tool string `json:"tool"`
	// The release metadata of the evaluation, from the site configuration.
	Title       string `json:"title,omitempty"`
	Version     string `json:"version,omitempty"`
	ReleaseDate string `json:"release_date,omitempty"`
	Status      string `json:"status,omitempty"`
	// DataCommit is the commit of the data folder's repository, when the
	// data folder is inside a git checkout and it could be found.
	DataCommit string `json:"data_commit,omitempty"`
	// Illustrative is true when the site was built from synthetic data.
	Illustrative bool `json:"illustrative"`
}

// ErrNoMark is returned by Read for a folder that holds no mark.
var ErrNoMark = errors.New("not a site built by evalsite")

// ToolVersion is the module version of the running binary, or "(devel)".
func ToolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Write puts m at the root of dir. Generator and Tool are filled in when
// empty. The mark has no time in it, so two builds of the same inputs stay
// byte-identical.
func Write(dir string, m Mark) error {
	if m.Generator == "" {
		m.Generator = Generator
	}
	if m.Tool == "" {
		m.Tool = ToolVersion()
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, MarkName), append(b, '\n'), 0o644)
}

// Read returns the mark of the site in dir. A folder without a mark, or
// whose mark was not written by evalsite, gives an error wrapping ErrNoMark.
func Read(dir string) (Mark, error) {
	var m Mark
	b, err := os.ReadFile(filepath.Join(dir, MarkName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("%s: %w (it has no %s)", dir, ErrNoMark, MarkName)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Generator != Generator {
		return Mark{}, fmt.Errorf("%s: %w (its %s is not evalsite's)", dir, ErrNoMark, MarkName)
	}
	return m, nil
}
