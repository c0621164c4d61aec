package site

import "github.com/evalsite/evalsite/internal/ingest"

// interviewsByWave counts the distinct interviews of each wave: the base of
// every share by wave.
func interviewsByWave(cs []ingest.Coding) map[int]int {
	seen := map[string]bool{}
	n := map[int]int{}
	for _, c := range cs {
		if !seen[c.InterviewID] {
			seen[c.InterviewID] = true
			n[c.Wave]++
		}
	}
	return n
}
