package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/site"
	"golang.org/x/tools/txtar"
)

// baseSite is the smallest whole evaluation: a configuration and four
// agreements with their requests, contacts and interviews, as CSV files.
// A test appends its own files to it; a file named twice keeps the last
// version, so a test can replace the configuration or a data file.
const baseSite = `
-- hugo.toml --
title = "Test evaluation"
[params.evaluation]
as_of = 2001-05-31
capacity = 6
-- data/agreements.csv --
agreement_id,authority,authority_type,region,tranche,started,signed,withdrawn,targets,pump_priming_gbp,reward_grant_gbp
LPSA-01,Kent County Council,county,South East,1,2000-11-13,2001-03-01,,12,1000000,5000000.5
LPSA-02,Leeds City Council,metropolitan,Yorkshire and the Humber,1,2000-11-20,,2001-02-14,,,
LPSA-03,London Borough of Camden,london_borough,London,2,2001-01-08,,,10,750000,
LPSA-04,Norfolk County Council,county,East of England,2,2001-01-15,2001-05-02,,11,1250000,4000000
-- data/freedoms.csv --
request_id,agreement_id,department,request,outcome,reason,decided
F1,LPSA-01,DfES,Pool education budgets,partly_granted,,2001-02-01
F2,LPSA-01,Home Office,Relax reporting on crime,not_granted,primary_legislation,2001-02-10
F3,LPSA-03,DH,Joint commissioning,deferred,,
F4,LPSA-04,DTLR,Single capital pot,granted,,2001-04-20
F5,LPSA-04,DTLR,Ring-fenced grants merged,not_granted,precedent,2001-04-21
-- data/events.csv --
agreement_id,date,type,department,hours,note
LPSA-01,2000-12-05,meeting,DfES,2.5,First negotiation meeting
,2001-01-24,workshop,,6,Programme workshop
LPSA-02,2000-12-12,correspondence,,,
LPSA-04,2001-03-15,draft,DTLR,1,"Draft agreement, second version"
LPSA-04,2001-05-02,signing,,,
-- data/codings.csv --
interview_id,wave,group,organisation,code,valence,excerpt,cleared
INT-01,1,local_authority,Kent County Council,targets,mixed,"Targets were a stretch, but useful.",yes
INT-01,1,local_authority,Kent County Council,freedoms,negative,We got very little.,no
INT-02,2,department,DfES,targets,neutral,,no
INT-03,1,policy_centre,,capacity,negative,We could not run more than six at once.,yes
-- data/codebook.csv --
code,label,parent,description
targets,Targets,,Views on stretch targets
freedoms,Freedoms and flexibilities,,Views on freedoms
capacity,Capacity of the policy centre,,Workload and staffing
`

// builtSite is a site built from a txtar archive by buildTxtar.
type builtSite struct {
	t    *testing.T
	Root string // the site folder the archive was written into
	Out  string // the published site
	Res  *site.Result
}

// buildTxtar writes baseSite followed by files (a txtar archive: hugo.toml,
// content/..., data/*.csv, layouts/...) into a temporary site folder and
// builds it with the embedded theme, the way Hugo's own integration tests
// build a site from an inline archive. The build's error is returned
// rather than failing the test, so a test can assert on it.
func buildTxtar(t *testing.T, files string) (*builtSite, error) {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(baseSite + files)).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		// A later file of the same name replaces an earlier one.
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := site.Build(t.Context(), site.Options{Root: root, OutDir: out, Theme: evalsite.Theme()})
	return &builtSite{t: t, Root: root, Out: out, Res: res}, err
}

// mustBuildTxtar is buildTxtar for a site that must build.
func mustBuildTxtar(t *testing.T, files string) *builtSite {
	t.Helper()
	b, err := buildTxtar(t, files)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return b
}

// file returns a published file's text; name is slash-separated and
// relative to the output folder.
func (b *builtSite) file(name string) string {
	b.t.Helper()
	data, err := os.ReadFile(filepath.Join(b.Out, filepath.FromSlash(name)))
	if err != nil {
		b.t.Fatal(err)
	}
	return string(data)
}

// assertFile checks a published file holds each of matches; a match
// starting "! " must be absent instead.
func (b *builtSite) assertFile(name string, matches ...string) {
	b.t.Helper()
	text := b.file(name)
	for _, m := range matches {
		if absent, ok := strings.CutPrefix(m, "! "); ok {
			if strings.Contains(text, absent) {
				b.t.Errorf("%s holds %q; want it absent", name, absent)
			}
			continue
		}
		if !strings.Contains(text, m) {
			b.t.Errorf("%s lacks %q", name, m)
		}
	}
}
