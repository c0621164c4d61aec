package example_test

import (
	"log"

	"github.com/evalsite/evalsite/internal/example"
)

// Writing the default example, 20 agreements, as the three workbooks an
// evaluation team would keep.
func ExampleWrite() {
	d := example.Generate(example.Config{})
	if err := example.Write("data", d, example.XLSX); err != nil {
		log.Fatal(err)
	}
}
