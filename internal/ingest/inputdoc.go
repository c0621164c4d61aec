package ingest

import (
	"fmt"
	"strings"
)

// ColumnTables returns, in Markdown, one table per dataset of its columns:
// name, type, whether it is required, and what it holds, with the values
// of an enumeration. docs/input.md holds this text between two markers, so
// that the documentation of the input format is the schema itself.
func ColumnTables() string {
	var b strings.Builder
	for i, s := range Schemas() {
		if i > 0 {
			b.WriteString("\n")
		}
		name := s.Name
		if s.Optional {
			name += " (optional)"
		}
		fmt.Fprintf(&b, "**%s**: %s\n\n", name, s.Description)
		b.WriteString("| column | type | required | holds |\n| --- | --- | --- | --- |\n")
		for _, c := range s.Columns {
			req := ""
			if c.Required {
				req = "yes"
			}
			if c.Name == s.Key {
				req = strings.TrimPrefix(req+", unique", ", ")
			}
			holds := c.Description
			if c.Kind == Enum {
				holds += " One of: " + strings.Join(c.Values, ", ") + "."
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, kindWords(c.Kind), req, holds)
		}
	}
	return b.String()
}

// kindWords names a kind as the section on values of docs/input.md does.
func kindWords(k Kind) string {
	switch k {
	case Date:
		return "date"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case Enum:
		return "enumeration"
	case YesNo:
		return "yes/no"
	}
	return "text"
}
