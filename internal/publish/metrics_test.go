package publish

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSuppressMetrics(t *testing.T) {
	t.Parallel()
	in := `{"as_of":"2001-05-31","codings":{"interviews":9,
"interviews_by_group":{"department":4,"lga":1,"local_authority":4},
"codes":{
 "burden":{"interviews":6,"share":0.6667,
  "by_group":{"department":{"interviews":3,"share":0.75},"local_authority":{"interviews":3,"share":0.75}},
  "by_wave":{"1":{"interviews":4,"share":0.8},"2":{"interviews":2,"share":0.5}}},
 "rare":{"interviews":1,"share":0.1111,"by_group":{"lga":{"interviews":1,"share":1}},"by_wave":{"1":{"interviews":1,"share":0.2}}}},
"cooccurrence":[{"a":"burden","b":"rare","interviews":1}]},
"events":{"total":2,"note":"<&>"}}`
	// Threshold 3:
	// interviews_by_group: lga 1 < 3 is withheld; the line then holds one
	// [c], so the next smallest, department 4 (first of the tie with
	// local_authority 4), is withheld too: 9 - 4 leaves lga + department.
	// burden: by_group 3 and 3 stay; by_wave 2 < 3 is withheld with its
	// share, and then wave 1 (4), the only other count, with its share.
	// rare: 1 < 3 everywhere, so every count and share is withheld.
	// cooccurrence: 1 < 3 withheld. Other keys and the order are unchanged.
	want := `{
  "as_of": "2001-05-31",
  "codings": {
    "interviews": 9,
    "interviews_by_group": {
      "department": "[c]",
      "lga": "[c]",
      "local_authority": 4
    },
    "codes": {
      "burden": {
        "interviews": 6,
        "share": 0.6667,
        "by_group": {
          "department": {
            "interviews": 3,
            "share": 0.75
          },
          "local_authority": {
            "interviews": 3,
            "share": 0.75
          }
        },
        "by_wave": {
          "1": {
            "interviews": "[c]",
            "share": "[c]"
          },
          "2": {
            "interviews": "[c]",
            "share": "[c]"
          }
        }
      },
      "rare": {
        "interviews": "[c]",
        "share": "[c]",
        "by_group": {
          "lga": {
            "interviews": "[c]",
            "share": "[c]"
          }
        },
        "by_wave": {
          "1": {
            "interviews": "[c]",
            "share": "[c]"
          }
        }
      }
    },
    "cooccurrence": [
      {
        "a": "burden",
        "b": "rare",
        "interviews": "[c]"
      }
    ]
  },
  "events": {
    "total": 2,
    "note": "\u003c\u0026\u003e"
  }
}
`
	got, err := SuppressMetrics([]byte(in), 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("SuppressMetrics (-want +got):\n%s", diff)
	}
	if err := checkMetricsDisclosure(got, 3); err != nil {
		t.Errorf("checkMetricsDisclosure(SuppressMetrics(...)) = %v, want nil", err)
	}
	if err := checkMetricsDisclosure([]byte(in), 3); err == nil {
		t.Error("checkMetricsDisclosure(unsuppressed) = nil, want an error")
	}
	same, err := SuppressMetrics([]byte(in), 0)
	if err != nil || string(same) != in {
		t.Errorf("SuppressMetrics(threshold 0) changed the metrics: %v", err)
	}
	if _, err := SuppressMetrics([]byte(`{"a":1} {}`), 3); err == nil {
		t.Error("SuppressMetrics(two values) = nil error, want an error")
	}
}
