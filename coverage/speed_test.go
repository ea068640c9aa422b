package coverage

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func TestDecimalCmpAgreesWithBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		a := Speed{Mant: rng.Int64N(1_000_000_000_000_000), Exp: -rng.Int32N(16), Valid: true}
		b := Speed{Mant: rng.Int64N(1_000_000_000_000_000), Exp: -rng.Int32N(16), Valid: true}
		if rng.IntN(4) == 0 { // equal values in other forms: 1000 and 1000.000
			b = Speed{Mant: a.Mant * 1000, Exp: a.Exp - 3, Valid: true}
		}
		ra, _ := new(big.Rat).SetString(a.String())
		rb, _ := new(big.Rat).SetString(b.String())
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("%s Cmp %s = %d, want %d", a, b, got, want)
		}
	}
	edges := []struct {
		s    string
		n    int64
		want bool
	}{{"99.99999999999", 100, false}, {"100", 100, true}, {"100.000", 100, true}, {"29.999", 30, false}, {"1000", 1000, true}, {"999.9", 1000, false}}
	for _, e := range edges {
		d, err := parseSpeed(e.s, false)
		if err != nil {
			t.Fatal(err)
		}
		if d.AtLeast(e.n) != e.want {
			t.Errorf("%s ≥ %d = %v, want %v", e.s, e.n, !e.want, e.want)
		}
	}
}
