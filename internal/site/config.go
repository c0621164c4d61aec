package site

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gohugoio/hugo/common/hmaps"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/spf13/cast"

	"github.com/evalsite/evalsite/internal/ingest"
)

// Evaluation is the `[params.evaluation]` table of the site configuration:
// what the build needs before Hugo runs (as_of, capacity, disclosure control)
// and the release metadata shown on every page and in every download.
type Evaluation struct {
	Title         string
	Publisher     string
	Contact       string
	ReleaseDate   string
	NextUpdate    string
	Version       string
	Status        string
	Licence       string
	LicenceURL    string
	Source        string
	Illustrative  bool
	AsOf          time.Time
	Capacity      int // 0 when not configured (the default then applies)
	SuppressBelow int
	// MinBase is the fewest interviews a share is headlined on; below it a
	// share is shown with its base and marked as a small base.
	MinBase             int
	PublishOrganisation bool
	Revisions           []Revision
	QDPX                ingest.QDPXNames // [params.evaluation.qdpx]: variables of a REFI-QDA project
}

// Revision is one entry of the revisions log.
type Revision struct {
	Date    string `json:"date"`
	Version string `json:"version"`
	Note    string `json:"note"`
}

// Defaults of the release metadata and of min_base.
const (
	defaultMinBase    = 10
	defaultLicence    = "Open Government Licence v3.0"
	defaultLicenceURL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)

// evaluationParams reads `[params.evaluation]` from a loaded configuration.
func evaluationParams(cfg *allconfig.Configs) (Evaluation, error) {
	ev := Evaluation{
		MinBase:    defaultMinBase,
		Licence:    defaultLicence,
		LicenceURL: defaultLicenceURL,
		Title:      cfg.Base.Title,
	}
	raw, ok := cfg.Base.Params["evaluation"]
	if !ok {
		return ev, nil
	}
	p, ok := raw.(hmaps.Params)
	if !ok {
		m, ok2 := raw.(map[string]any)
		if !ok2 {
			return ev, fmt.Errorf("params.evaluation: want a table, got %T", raw)
		}
		p = hmaps.Params(m)
	}
	str := func(key string, dst *string) {
		if v, ok := p[key]; ok {
			*dst = cast.ToString(v)
		}
	}
	str("title", &ev.Title)
	str("publisher", &ev.Publisher)
	str("contact", &ev.Contact)
	str("release_date", &ev.ReleaseDate)
	str("next_update", &ev.NextUpdate)
	str("version", &ev.Version)
	str("status", &ev.Status)
	str("licence", &ev.Licence)
	str("licence_url", &ev.LicenceURL)
	str("source", &ev.Source)
	if v, ok := p["illustrative"]; ok {
		ev.Illustrative = cast.ToBool(v)
	}
	if v, ok := p["publish_organisation"]; ok {
		ev.PublishOrganisation = cast.ToBool(v)
	}
	var err error
	if v, ok := p["as_of"]; ok {
		if ev.AsOf, err = configDate(v); err != nil {
			return ev, fmt.Errorf("params.evaluation.as_of: %w", err)
		}
	}
	// capacity, when given, is a real capacity: 0 would silently mean
	// "the default" further on, so it is refused here.
	for _, k := range []struct {
		key   string
		least int
		dst   *int
	}{{"capacity", 1, &ev.Capacity}, {"suppress_below", 0, &ev.SuppressBelow}, {"min_base", 0, &ev.MinBase}} {
		if v, ok := p[k.key]; ok {
			n, err := wholeNumber(v)
			if err != nil || n < k.least {
				return ev, fmt.Errorf("params.evaluation.%s: want a whole number of at least %d, got %v", k.key, k.least, v)
			}
			*k.dst = n
		}
	}
	if v, ok := p["qdpx"]; ok {
		var m map[string]any
		switch t := v.(type) {
		case hmaps.Params:
			m = t
		case map[string]any:
			m = t
		default:
			return ev, fmt.Errorf("params.evaluation.qdpx: want a table of variable names, got %T", v)
		}
		for key, raw := range m {
			name, err := cast.ToStringE(raw)
			if err != nil {
				return ev, fmt.Errorf("params.evaluation.qdpx.%s: want a name: %w", key, err)
			}
			dst := map[string]*string{"wave": &ev.QDPX.Wave, "group": &ev.QDPX.Group, "organisation": &ev.QDPX.Organisation,
				"cleared": &ev.QDPX.Cleared, "valence": &ev.QDPX.Valence}[strings.ToLower(key)]
			if dst == nil {
				return ev, fmt.Errorf("params.evaluation.qdpx: unknown key %q (want wave, group, organisation, cleared or valence)", key)
			}
			*dst = name
		}
	}
	if v, ok := p["revisions"]; ok {
		list, err := cast.ToSliceE(v)
		if err != nil {
			return ev, fmt.Errorf("params.evaluation.revisions: want a list of tables: %w", err)
		}
		for _, item := range list {
			m := cast.ToStringMap(item)
			ev.Revisions = append(ev.Revisions, Revision{
				Date:    cast.ToString(m["date"]),
				Version: cast.ToString(m["version"]),
				Note:    cast.ToString(m["note"]),
			})
		}
		sort.SliceStable(ev.Revisions, func(i, j int) bool { return ev.Revisions[i].Date > ev.Revisions[j].Date })
	}
	return ev, nil
}

// wholeNumber reads an integer from TOML: an integer, or a float or string
// that is exactly one (6.0, "6"); 6.5 or "six" is an error.
func wholeNumber(v any) (int, error) {
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) {
			return 0, fmt.Errorf("not a whole number: %v", x)
		}
	case float32:
		if float64(x) != math.Trunc(float64(x)) {
			return 0, fmt.Errorf("not a whole number: %v", x)
		}
	case bool:
		return 0, fmt.Errorf("not a number: %v", x)
	}
	return cast.ToIntE(v)
}

// configDate accepts a TOML date or an ISO date string.
func configDate(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	case string:
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(t))
		if err != nil {
			return time.Time{}, fmt.Errorf("want a date as YYYY-MM-DD, got %s", strconv.Quote(t))
		}
		return d, nil
	}
	// TOML local dates (as_of = 2001-05-31) arrive as the TOML decoder's own
	// type, which prints as YYYY-MM-DD.
	return configDate(fmt.Sprint(v))
}
