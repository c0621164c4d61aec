package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// IllustrativeNoteName is the plain-text note written beside the CSV files
// of a release built from synthetic data, since a CSV file has no place of
// its own for it.
const IllustrativeNoteName = "ILLUSTRATIVE.txt"

// illustrativeNote is the text of IllustrativeNoteName.
func illustrativeNote(rel Release) []byte {
	lines := []string{
		"ILLUSTRATIVE DATA",
		"",
		IllustrativeNotice,
		"",
		"This applies to every file in this folder: the CSV files, the workbook, the JSON files and metrics.json.",
		"Do not quote any figure from them as a result.",
	}
	if rel.Title != "" {
		lines = append(lines, "", "Release: "+rel.Title)
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// markMetrics puts "illustrative": true and the notice at the head of the
// metrics.json object, so that the figures cannot be read without it.
func markMetrics(metricsJSON []byte) ([]byte, error) {
	trimmed := bytes.TrimLeft(metricsJSON, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("metrics are not a JSON object")
	}
	notice, err := json.Marshal(IllustrativeNotice)
	if err != nil {
		return nil, err
	}
	head := []byte("{\n  \"illustrative\": true,\n  \"notice\": " + string(notice))
	rest := bytes.TrimLeft(trimmed[1:], " \t\r\n")
	if len(rest) > 0 && rest[0] != '}' {
		head = append(head, ',')
	}
	out := append(head, '\n', ' ', ' ')
	out = append(out, rest...)
	if !json.Valid(out) {
		return nil, errors.New("metrics: marking them illustrative made invalid JSON")
	}
	return out, nil
}
