package site

import "strings"

// searchEntry is one page in the search index: its title, what it is, its
// address from the site's root, and a few words about it. Only short fields
// go in, never a page's text, so that the index of a site of 10,000
// agreements stays under a megabyte and loads from disk as a script.
type searchEntry struct {
	Title string `json:"t"`
	Kind  string `json:"k"`
	URL   string `json:"u"`
	Words string `json:"x"`
}

// searchEntries lists the generated pages (agreements, departments and
// themes) for the search index; the search page adds the written pages.
func (g *generator) searchEntries(as []agreementPage, ds []departmentPage, ts []themePage) []searchEntry {
	out := make([]searchEntry, 0, len(as)+len(ds)+len(ts))
	for _, a := range as {
		out = append(out, searchEntry{Title: a.Authority, Kind: "Agreement", URL: "agreements/" + a.Slug + "/",
			Words: strings.TrimSpace(a.AuthorityType + " " + a.Region)})
	}
	if g.present("freedoms") {
		for _, d := range ds {
			out = append(out, searchEntry{Title: d.Name, Kind: "Department", URL: "departments/" + d.Slug + "/"})
		}
	}
	if g.present("codings") {
		for _, t := range ts {
			words := t.Description
			if r := []rune(words); len(r) > 160 {
				words = string(r[:160])
			}
			out = append(out, searchEntry{Title: t.Label, Kind: "Theme", URL: "themes/" + t.Slug + "/", Words: words})
		}
	}
	return out
}
