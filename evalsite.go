// Package evalsite holds the default theme of evalsite sites: the layouts
// and assets at the root of this repository, embedded in the binary so that
// a site folder needs only its data/ and content/.
package evalsite

import (
	"embed"
	"io/fs"
)

//go:embed all:layouts all:assets
var theme embed.FS

// Theme returns the default theme: layouts/ and assets/ at its root.
func Theme() fs.FS { return theme }
