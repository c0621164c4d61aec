package site

import (
	"testing"
	"unicode/utf8"
)

func TestValueLabelCapitalisesTheFirstLetter(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"élus_locaux", "Élus locaux"},
		{"local_authority", "Local authority"},
		{"not_granted", "Not granted"},
		{"", ""},
	} {
		got := valueLabel(tc.code)
		if !utf8.ValidString(got) {
			t.Errorf("valueLabel(%q) = %q, not valid UTF-8", tc.code, got)
		}
		if got != tc.want {
			t.Errorf("valueLabel(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}
