package site

import "strconv"

// methodsData is what the methods page says about where the figures come
// from: each dataset read and its rows, the figures' date, and how small
// counts are protected. Definitions come from the metrics registry.
type methodsData struct {
	Datasets            [][]string `json:"datasets"` // dataset, what it holds, rows
	Absent              []string   `json:"absent"`   // datasets not in the input
	Warnings            int        `json:"warnings"`
	SuppressBelow       int        `json:"suppress_below"`
	PublishOrganisation bool       `json:"publish_organisation"`
}

// datasetWords says what each dataset holds, for readers of the methods page.
var datasetWords = map[string]string{
	"agreements": "One row per agreement negotiated: the authority, the dates negotiations started and ended, and the outcome.",
	"freedoms":   "One row per freedom or flexibility an authority requested: the department asked, the outcome and the reason.",
	"events":     "One row per dated contact in a negotiation: meetings, letters, calls and workshops.",
	"codings":    "One row per code applied to an interview: the respondent group, the wave and the code.",
	"codebook":   "One row per code of the interview analysis: its label, parent and description.",
}

func (g *generator) methodsData() methodsData {
	m := methodsData{Warnings: len(g.data.Warnings), SuppressBelow: g.ev.SuppressBelow, PublishOrganisation: g.ev.PublishOrganisation}
	for _, ds := range []string{"agreements", "freedoms", "events", "codings", "codebook"} {
		if !g.present(ds) {
			if ds != "codebook" {
				m.Absent = append(m.Absent, ds)
			}
			continue
		}
		m.Datasets = append(m.Datasets, []string{valueLabel(ds), datasetWords[ds], strconv.Itoa(g.data.Rows[ds])})
	}
	return m
}
