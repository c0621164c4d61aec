package site

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// The generated sections: a page per agreement, department and theme
// (pages), and the methods, downloads and search pages. A site may still
// give each an _index.md of its own for an introduction.
var generatedSections = []struct {
	dir, title string
	pages      bool
}{
	{"agreements", "Agreements", true},
	{"departments", "Departments", true},
	{"themes", "Themes", true},
	{"methods", "Methods: how each figure is defined", false},
	{"downloads", "Download the data", false},
	{"search", "Search", false},
}

// sectionFrontMatter is the front matter of a generated section's page
// beyond its title.
var sectionFrontMatter = map[string]string{
	// The search page also writes its index, as a script beside it.
	"search": "outputs: [html, searchindex]\n",
}

// present reports whether a dataset ("freedoms", "events", "codings") was
// in the input folder. A site is built from whatever datasets there are:
// an absent one leaves out its sections, charts, tables and downloads.
// Records given without their sources (built in memory) count as present.
func (g *generator) present(dataset string) bool {
	if g.data.Present(dataset) {
		return true
	}
	d := g.data
	switch dataset {
	case "agreements":
		return len(d.Agreements) > 0
	case "freedoms":
		return len(d.Freedoms) > 0
	case "events":
		return len(d.Events) > 0
	case "codings":
		return len(d.Codings) > 0
	case "codebook":
		return len(d.Codebook) > 0
	}
	return false
}

// sectionDataset names the dataset a generated section is made from.
var sectionDataset = map[string]string{"departments": "freedoms", "themes": "codings"}

// pages writes a content file per generated page and the lists of them
// that the sections show. Spreadsheet text reaches the pages only in their
// front matter, as params the layouts print through html/template: it is
// never parsed as Markdown, so a "{{<" in a cell is shown, not run as a
// shortcode. Paths come from allow-listed slugs. A page per file lets Hugo
// render again, under the preview, only the pages whose file changed.
// drawn holds the charts' texts, for the pages that carry their own.
func (g *generator) pages(_ context.Context, drawn map[string]chartMeta) error {
	present := map[string]bool{"report": g.src.exists("content/report/_index.md") || g.src.hasDir("content/report")}
	for _, d := range []string{"agreements", "freedoms", "events", "codings"} {
		present[d] = g.present(d)
	}
	if err := g.writeData("present", present); err != nil {
		return err
	}
	if err := g.writeData("methods", g.methodsData()); err != nil {
		return err
	}
	for _, s := range generatedSections {
		if d := sectionDataset[s.dir]; d != "" && !present[d] {
			continue
		}
		index := "content/" + s.dir + "/_index.md"
		if !g.src.userHas(index) {
			fm := fmt.Sprintf("---\ntitle: %q\n%s---\n", s.title, sectionFrontMatter[s.dir])
			if err := g.src.writeGenerated(index, []byte(fm)); err != nil {
				return err
			}
		}
	}
	st := beginStage(g.prog, StagePages, "pages", 0)
	defer st.end()
	as, ds, ts := g.agreementPages(drawn), g.departmentPages(), g.themePages()
	st.set(len(as) + len(ds) + len(ts))
	var (
		aRows []agreementRow
		dRows []listRow
		tRows []listRow
	)
	for _, p := range as {
		if err := g.writePage("agreements", p.Slug, p.Authority, p); err != nil {
			return err
		}
		aRows = append(aRows, agreementRow{p.Slug, p.Authority, p.Status, p.Started, p.Days, p.GrantedRate})
	}
	if present["freedoms"] {
		for _, p := range ds {
			if err := g.writePage("departments", p.Slug, p.Name, p); err != nil {
				return err
			}
			dRows = append(dRows, listRow{Slug: p.Slug, Name: p.Name})
		}
	}
	if present["codings"] {
		for _, p := range ts {
			if err := g.writePage("themes", p.Slug, p.Label, p); err != nil {
				return err
			}
			tRows = append(tRows, listRow{Slug: p.Slug, Name: p.Label, Interviews: p.Interviews})
		}
	}
	if err := g.writeData("agreements", aRows); err != nil {
		return err
	}
	if err := g.writeData("departments", dRows); err != nil {
		return err
	}
	if err := g.writeData("themes", tRows); err != nil {
		return err
	}
	return g.writeData("search", g.searchEntries(as, ds, ts))
}

// writePage writes one generated page: a content file with its title and
// params as JSON front matter, and no text.
func (g *generator) writePage(section, slug, title string, params any) error {
	b, err := json.Marshal(struct {
		Title  string `json:"title"`
		Params any    `json:"params"`
	}{title, params})
	if err != nil {
		return fmt.Errorf("encode page %s/%s: %w", section, slug, err)
	}
	return g.src.writeGenerated("content/"+section+"/"+slug+".md", append(b, '\n'))
}

// agreementRow is an agreement's line in the table of the agreements
// section.
type agreementRow struct {
	Slug        string `json:"slug"`
	Authority   string `json:"authority"`
	Status      string `json:"status"`
	Started     string `json:"started"`
	Days        string `json:"days"`
	GrantedRate string `json:"granted_rate"`
}

// listRow is a department's or a theme's line in its section's list.
type listRow struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Interviews string `json:"interviews,omitempty"`
}

type agreementPage struct {
	Slug          string             `json:"slug"`
	ID            string             `json:"id"`
	Authority     string             `json:"authority"`
	AuthorityType string             `json:"authority_type"`
	Region        string             `json:"region"`
	Tranche       string             `json:"tranche"`
	Status        string             `json:"status"`
	Started       string             `json:"started"`
	End           string             `json:"end"`
	Days          string             `json:"days"`
	Silence       string             `json:"silence"`
	Targets       string             `json:"targets"`
	PumpPriming   string             `json:"pump_priming"`
	RewardGrant   string             `json:"reward_grant"`
	GrantedRate   string             `json:"granted_rate"`
	Chart         *chartMeta         `json:"chart,omitempty"`
	Freedoms      []agreementFreedom `json:"freedoms"`
	// EventsHTML is the body of the contacts table (see rowsHTML).
	EventsHTML string `json:"events_html,omitempty"`
	// Details are the agreement's values of the columns the schema gives a
	// Title, as heading and value in schema order; blanks are left out.
	Details [][2]string `json:"details,omitempty"`
}

type agreementFreedom struct {
	ID         string `json:"id"`
	Department string `json:"department"`
	DeptSlug   string `json:"dept_slug"`
	Request    string `json:"request"`
	Outcome    string `json:"outcome"`
	Reason     string `json:"reason"`
	Decided    string `json:"decided"`
}

// slugs gives every agreement, department and code its URL segment, once.
type slugs struct {
	agreements  map[string]string
	departments map[string]string
	codes       map[string]string
}

func (g *generator) slugs() *slugs {
	s := &slugs{agreements: map[string]string{}, departments: map[string]string{}, codes: map[string]string{}}
	as := newSlugger()
	for _, a := range g.data.Agreements {
		s.agreements[a.ID] = as.slug(a.ID)
	}
	ds := newSlugger()
	for _, d := range departments(g.data) {
		s.departments[d] = ds.slug(d)
	}
	cs := newSlugger()
	for _, c := range codes(g.data) {
		s.codes[c] = cs.slug(c)
	}
	return s
}

// departments lists every department named in the freedoms, sorted.
func departments(d *ingest.Data) []string {
	seen := map[string]bool{}
	for _, f := range d.Freedoms {
		seen[f.Department] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// codes lists every code used or defined, sorted.
func codes(d *ingest.Data) []string {
	seen := map[string]bool{}
	for _, c := range d.Codings {
		seen[c.Code] = true
	}
	for _, c := range d.Codebook {
		seen[c.Code] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

func (g *generator) agreementPages(drawn map[string]chartMeta) []agreementPage {
	sl := g.slugOnce()
	byAgreement := map[string][]ingest.Freedom{}
	for _, f := range g.data.Freedoms {
		byAgreement[f.AgreementID] = append(byAgreement[f.AgreementID], f)
	}
	events := map[string][]ingest.Event{}
	for _, e := range g.data.Events {
		if e.AgreementID != "" {
			events[e.AgreementID] = append(events[e.AgreementID], e)
		}
	}
	rows := map[string]metrics.AgreementRow{}
	for _, r := range g.metrics.Detail.Agreements {
		rows[r.ID] = r
	}
	var schema ingest.Schema
	for _, s := range ingest.Schemas() {
		if s.Name == "agreements" {
			schema = s
		}
	}
	pages := make([]agreementPage, 0, len(g.data.Agreements))
	for _, a := range g.data.Agreements {
		r := rows[a.ID]
		p := agreementPage{
			Slug:          sl.agreements[a.ID],
			ID:            a.ID,
			Authority:     a.Authority,
			AuthorityType: valueLabel(a.AuthorityType),
			Region:        a.Region,
			Tranche:       a.Tranche,
			Status:        valueLabel(string(a.Status())),
			Started:       longDate(a.Started),
			Silence:       plural(r.LongestSilenceDays, "day"),
		}
		if c, ok := drawn[agreementChartPrefix+sl.agreements[a.ID]]; ok {
			// Its data is the contacts table of the page: not carried twice.
			c.Header, c.Rows, c.RowsHTML = nil, nil, ""
			p.Chart = &c
		}
		if end, ok := a.End(); ok {
			p.End = longDate(end)
		}
		if r.DaysToAgreement != nil {
			p.Days = plural(*r.DaysToAgreement, "day")
		}
		if r.GrantedRate != nil {
			p.GrantedRate = percent(*r.GrantedRate)
		}
		if a.Targets != nil {
			p.Targets = strconv.Itoa(*a.Targets)
		}
		if a.PumpPrimingGBP != nil {
			p.PumpPriming = pounds(*a.PumpPrimingGBP)
		}
		if a.RewardGrantGBP != nil {
			p.RewardGrant = pounds(*a.RewardGrantGBP)
		}
		p.Details = details(schema, &a)
		for _, f := range byAgreement[a.ID] {
			p.Freedoms = append(p.Freedoms, agreementFreedom{
				ID: f.RequestID, Department: f.Department, DeptSlug: sl.departments[f.Department],
				Request: f.Request, Outcome: valueLabel(f.Outcome), Reason: valueLabel(f.Reason),
				Decided: longDate(f.Decided),
			})
		}
		evs := events[a.ID]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Date.Before(evs[j].Date) })
		rows := make([][]string, 0, len(evs))
		for _, e := range evs {
			hours := ""
			if e.Hours != nil {
				hours = strconv.FormatFloat(*e.Hours, 'f', -1, 64)
			}
			rows = append(rows, []string{longDate(e.Date), valueLabel(e.Type), e.Department, hours, e.Note})
		}
		p.EventsHTML = rowsHTML(rows)
		pages = append(pages, p)
	}
	return pages
}

type departmentPage struct {
	Slug     string              `json:"slug"`
	Name     string              `json:"name"`
	Counts   [][]string          `json:"counts"`
	Requests []departmentRequest `json:"requests"`
}

type departmentRequest struct {
	Authority string `json:"authority"`
	AgrSlug   string `json:"agreement_slug"`
	Request   string `json:"request"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason"`
}

func (g *generator) departmentPages() []departmentPage {
	sl := g.slugOnce()
	authority := map[string]string{}
	for _, a := range g.data.Agreements {
		authority[a.ID] = a.Authority
	}
	byDept := map[string][]ingest.Freedom{}
	for _, f := range g.data.Freedoms {
		byDept[f.Department] = append(byDept[f.Department], f)
	}
	var pages []departmentPage
	for _, d := range departments(g.data) {
		p := departmentPage{Slug: sl.departments[d], Name: d}
		for _, f := range byDept[d] {
			p.Requests = append(p.Requests, departmentRequest{
				Authority: authority[f.AgreementID], AgrSlug: sl.agreements[f.AgreementID],
				Request: f.Request, Outcome: valueLabel(f.Outcome), Reason: valueLabel(f.Reason),
			})
		}
		// The registry's freedoms.by_department.<department>.<outcome>.
		c := g.metrics.Freedoms.ByDepartment[d]
		p.Counts = append(p.Counts,
			[]string{valueLabel("granted"), strconv.Itoa(c.Granted)},
			[]string{valueLabel("partly_granted"), strconv.Itoa(c.PartlyGranted)},
			[]string{valueLabel("not_granted"), strconv.Itoa(c.NotGranted)},
			[]string{valueLabel("deferred"), strconv.Itoa(c.Deferred)},
			[]string{"All requests", strconv.Itoa(c.Requested)})
		pages = append(pages, p)
	}
	return pages
}

type themePage struct {
	Slug        string     `json:"slug"`
	Code        string     `json:"code"`
	Label       string     `json:"label"`
	Parent      string     `json:"parent"`
	Description string     `json:"description"`
	Interviews  string     `json:"interviews"`
	Share       string     `json:"share"`
	ByGroup     [][]string `json:"by_group"`
	ByWave      [][]string `json:"by_wave"`
	Excerpts    [][]string `json:"excerpts"`
}

func (g *generator) themePages() []themePage {
	sl := g.slugOnce()
	book := map[string]ingest.Code{}
	for _, c := range g.data.Codebook {
		book[c.Code] = c
	}
	// A quote says who said it only where the counts of its group, its
	// wave and both are published: "Other, Wave 2" under a withheld count
	// would show that count is not zero. The organisation, which names
	// the group too, goes with it.
	excerpts := map[string][][]string{}
	for _, c := range g.data.Codings {
		if !c.Cleared || strings.TrimSpace(c.Excerpt) == "" {
			continue
		}
		who, wave := "", ""
		if g.metrics.Disclosure.Attribution(c.Code, c.Group, strconv.Itoa(c.Wave)) {
			who, wave = valueLabel(c.Group), "Wave "+strconv.Itoa(c.Wave)
			if g.ev.PublishOrganisation && c.Organisation != "" {
				who += ", " + c.Organisation
			}
		}
		excerpts[c.Code] = append(excerpts[c.Code], []string{c.Excerpt, who, wave, valueLabel(c.Valence)})
	}
	fig := func(name string) string { return g.figs[name] }
	var pages []themePage
	for _, code := range codes(g.data) {
		b := book[code]
		label := b.Label
		if label == "" {
			label = valueLabel(code)
		}
		base := "codings.codes." + code
		p := themePage{
			Slug: sl.codes[code], Code: code, Label: label, Parent: b.Parent, Description: b.Description,
			Interviews: fig(base + ".interviews"), Share: fig(base + ".share"),
			Excerpts: excerpts[code],
		}
		for _, grp := range []string{"local_authority", "department", "policy_centre", "lga", "government_office", "partner", "other"} {
			n := fig(base + ".by_group." + grp + ".interviews")
			if n == "" {
				continue
			}
			// The group's size beside its share, so a reader can weigh it.
			p.ByGroup = append(p.ByGroup, []string{valueLabel(grp), n, fig("codings.interviews_by_group." + grp), fig(base + ".by_group." + grp + ".share")})
		}
		for _, w := range []string{"1", "2"} {
			n := fig(base + ".by_wave." + w + ".interviews")
			if n == "" {
				continue
			}
			p.ByWave = append(p.ByWave, []string{"Wave " + w, n, fig(base + ".by_wave." + w + ".share")})
		}
		pages = append(pages, p)
	}
	return pages
}

// slugOnce computes the slugs on first use.
func (g *generator) slugOnce() *slugs {
	if g.sl == nil {
		g.sl = g.slugs()
	}
	return g.sl
}

// details lists the values of rec's columns that have a Title, formatted
// for readers, leaving out blanks.
func details(s ingest.Schema, rec any) [][2]string {
	var out [][2]string
	for _, c := range s.Columns {
		if c.Title == "" {
			continue
		}
		var text string
		switch v := c.Value(rec).(type) {
		case nil:
			continue
		case string:
			text = v
			if c.Kind == ingest.Enum {
				text = c.Label(v)
			}
		case time.Time:
			text = longDate(v)
		case int:
			text = format.Count(v)
		case float64:
			text = format.Number(v, 2)
		case bool:
			text = "No"
			if v {
				text = "Yes"
			}
		}
		out = append(out, [2]string{c.Title, text})
	}
	return out
}

// valueLabel turns a canonical value into words for readers, with the
// labels the schema gives its enumerated values.
func valueLabel(v string) string {
	if l, ok := schemaLabels[v]; ok {
		return l
	}
	return ingest.DefaultLabel(v)
}

// schemaLabels are the labels of every enumerated value that has one.
var schemaLabels = func() map[string]string {
	labels := map[string]string{}
	for _, s := range ingest.Schemas() {
		for _, c := range s.Columns {
			for v, l := range c.Labels {
				labels[v] = l
			}
		}
	}
	return labels
}()

func longDate(t time.Time) string { return format.Date(t) }

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// percent and pounds write figures as every other page, table and chart
// does: 1 of 8 is 13%, half away from zero.
func percent(r float64) string { return format.Percent(r) }

// pounds formats an amount as £1,234,567.
func pounds(v float64) string { return format.Money(v) }
