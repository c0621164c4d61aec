package ingest

import (
	"testing"
	"time"
)

// records returns an empty record of each dataset, as Column.Value takes it.
func records() map[string]func() any {
	return map[string]func() any{
		"agreements": func() any { return &Agreement{} },
		"freedoms":   func() any { return &Freedom{} },
		"events":     func() any { return &Event{} },
		"codings":    func() any { return &Coding{} },
		"codebook":   func() any { return &Code{} },
	}
}

// sample is a value of the column's kind, different for every column so
// that two columns bound to one field are caught.
func sample(c Column, i int) any {
	switch c.Kind {
	case Date:
		return time.Date(2001, 1, 1+i, 0, 0, 0, 0, time.UTC)
	case Integer:
		return 10 + i
	case Number:
		return 1.5 + float64(i)
	case YesNo:
		return true
	case Enum:
		return c.Values[i%len(c.Values)]
	}
	return "text of " + c.Name
}

// Every column is bound to a field of its dataset's record: a value set
// through the column reads back through it, a new record reads blank, and
// no two columns share a field.
func TestEveryColumnReadsAndWritesItsOwnField(t *testing.T) {
	recs := records()
	for _, s := range Schemas() {
		newRec, ok := recs[s.Name]
		if !ok {
			t.Errorf("dataset %s has no record type in this test", s.Name)
			continue
		}
		for _, c := range s.Columns {
			if v := c.Value(newRec()); v != nil && v != false {
				t.Errorf("%s.%s of an empty record = %#v, want blank", s.Name, c.Name, v)
			}
		}
		rec := newRec()
		for i, c := range s.Columns {
			c.SetValue(rec, sample(c, i))
		}
		for i, c := range s.Columns {
			if got, want := c.Value(rec), sample(c, i); got != want {
				t.Errorf("%s.%s = %#v after setting %#v", s.Name, c.Name, got, want)
			}
		}
		for _, c := range s.Columns {
			c.SetValue(rec, nil)
			if v := c.Value(rec); v != nil && v != false {
				t.Errorf("%s.%s = %#v after setting blank", s.Name, c.Name, v)
			}
		}
	}
}

func TestLabels(t *testing.T) {
	col := func(dataset, name string) Column {
		for _, s := range Schemas() {
			if c, ok := s.Column(name); ok && s.Name == dataset {
				return c
			}
		}
		t.Fatalf("no column %s.%s", dataset, name)
		return Column{}
	}
	for _, tc := range []struct {
		c       Column
		v, want string
	}{
		{col("freedoms", "outcome"), "partly_granted", "Partly granted"},
		{col("freedoms", "outcome"), "not_granted", "Not granted"},
		{col("freedoms", "reason"), "joined_up", "Needs several departments"},
		{col("codings", "group"), "lga", "LGA"},
		{col("codings", "group"), "élus_locaux", "Élus locaux"},
		{col("events", "type"), "", ""},
	} {
		if got := tc.c.Label(tc.v); got != tc.want {
			t.Errorf("%s.Label(%q) = %q, want %q", tc.c.Name, tc.v, got, tc.want)
		}
	}
}
