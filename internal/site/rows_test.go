package site

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRowsHTMLEscapesAsTemplatesDo renders random rows with rowsHTML and
// with html/template (the escaper Hugo's templates share) and wants the
// same bytes: text with markup, entities, quotes, NUL, bidi controls and
// invalid UTF-8.
func TestRowsHTMLEscapesAsTemplatesDo(t *testing.T) {
	tmpl := template.Must(template.New("rows").Parse(`{{ range . }}
    <tr>{{ range $i, $c := . }}{{ if eq $i 0 }}<th scope="row">{{ $c }}</th>{{ else }}<td>{{ $c }}</td>{{ end }}{{ end }}</tr>{{ end }}`))
	pieces := []string{"a", "é", " ", "<", ">", "&", "&amp;", `"`, "'", "+", "\x00", "\xff", "\u2068", "<script>", "{{<", "\n", "2001-02-03"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5_000 {
		rows := make([][]string, r.IntN(4))
		for i := range rows {
			rows[i] = make([]string, 1+r.IntN(5))
			for j := range rows[i] {
				var b strings.Builder
				for range r.IntN(6) {
					b.WriteString(pieces[r.IntN(len(pieces))])
				}
				rows[i][j] = b.String()
			}
		}
		var want strings.Builder
		if err := tmpl.Execute(&want, rows); err != nil {
			t.Fatal(err)
		}
		if got := rowsHTML(rows); got != want.String() {
			t.Fatalf("rowsHTML(%q)\n = %q\nwant %q", rows, got, want.String())
		}
	}
}

func TestDatesInWords(t *testing.T) {
	got := datesInWords([][]string{{"2001-07-16", "2001-7-16", "x2001-07-16", "16 July 2001", "2001-02-30", ""}})
	want := []string{"16 July 2001", "2001-7-16", "x2001-07-16", "16 July 2001", "2001-02-30", ""}
	for i := range want {
		if got[0][i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, got[0][i], want[i])
		}
	}
}
