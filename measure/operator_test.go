package measure_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/measure"
)

// However a resident writes a provider's name or brand, it folds to one
// key; any other name folds to "annan", and the text itself is kept nowhere.
func TestFoldOperator(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ typed, want string }{
		{"Telia", "telia"},
		{"TELIA", "telia"},
		{"telia", "telia"},
		{"Telia Company", "telia"},
		{"Telia Sverige AB", "telia"},
		{" telia sverige ab (publ) ", "telia"},
		{"Ｔｅｌｉａ", "telia"}, // full-width letters, as some phone keyboards give
		{"Halebop", "telia"},
		{"Com Hem", "tele2"},
		{"comhem", "tele2"},
		{"Tele2 / Com Hem", "tele2"}, // the name the page's list offers
		{"Comviq", "tele2"},
		{"Bredbandsbolaget", "telenor"},
		{"IP-Only", "ip-only"},
		{"ip only", "ip-only"},
		{"ip-only", "ip-only"},
		{"Bredband 2", "bredband2"},
		{"Tre", "tre"},
		{"3", "tre"},
		{"Hallon", "tre"},
		{"Kalles Bredband AB", "annan"},
		{"Kalles Fiber i Byn", "annan"},
		{"AB", "annan"}, // a noise word alone is no provider
		{"annan", "annan"},
		{"Other", "annan"},
	} {
		if got := measure.FoldOperator(tt.typed); got != tt.want {
			t.Errorf("FoldOperator(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
	// Every known name, key and alias folds to its own operator.
	for _, op := range measure.Operators {
		for _, name := range append([]string{op.Key, op.Name}, op.Also...) {
			if got := measure.FoldOperator(name); got != op.Key {
				t.Errorf("FoldOperator(%q) = %q, want %q", name, got, op.Key)
			}
		}
	}
}

// A bad operator is a 400 that names the field, with the other bad fields;
// a good one is folded into the checked submission; none is "".
func TestOperatorValidation(t *testing.T) {
	t.Parallel()
	base := `"down_mbps": 50, "up_mbps": 10, "lat": 56.66, "lon": 16.36`
	for _, tt := range []struct {
		name, operator string
		want           string // the folded key, or the start of the error message
		bad            bool
	}{
		{"left out", ``, "", false},
		{"null is left out", `, "operator": null`, "", false},
		{"a known name", `, "operator": "TELIA"`, "telia", false},
		{"an unknown name", `, "operator": "Byanätet ek. för."`, "annan", false},
		{"empty", `, "operator": ""`, "must be the name of your internet provider", true},
		{"blank", `, "operator": "   "`, "must be the name of your internet provider", true},
		{"punctuation only", `, "operator": "--/--"`, "must be the name of your internet provider", true},
		{"too long", `, "operator": "` + strings.Repeat("å", 65) + `"`, "must be at most 64 characters", true},
		{"a line break", `, "operator": "Telia\nAB"`, "must be printable text", true},
		{"a NUL", `, "operator": "Telia\u0000"`, "must be printable text", true},
		{"a zero-width space", `, "operator": "Te\u200blia"`, "must be printable text", true},
		{"a number", `, "operator": 2`, "must be a string", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := measure.Parse(strings.NewReader("{"+base+tt.operator+"}"), time.Now(), "api")
			if !tt.bad {
				if err != nil || c.Operator != tt.want {
					t.Fatalf("operator %q, err %v; want %q", c.Operator, err, tt.want)
				}
				return
			}
			var inv measure.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("err %v, want an InvalidError", err)
			}
			i := slices.IndexFunc(inv, func(f measure.FieldError) bool { return f.Field == "operator" })
			if i < 0 || !strings.HasPrefix(inv[i].Message, tt.want) {
				t.Fatalf("errors %v, want operator: %s…", inv, tt.want)
			}
		})
	}
	// Named alongside the other bad fields.
	_, err := measure.Parse(strings.NewReader(`{"down_mbps": -1, "up_mbps": 10, "lat": 56.66, "lon": 16.36, "operator": ""}`), time.Now(), "api")
	var inv measure.InvalidError
	if !errors.As(err, &inv) || len(inv) != 2 || inv[0].Field != "down_mbps" || inv[1].Field != "operator" {
		t.Fatalf("errors %v, want down_mbps and operator", err)
	}
}
