package seeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/geo"
)

// TestMobileDemoShowsTheAgendasPicture reads the demo's coverage and mobile
// files as an importer would and checks the county's picture by households
// (the agenda's): outdoors nearly everyone has 10 Mbit/s, markedly fewer 30,
// indoors markedly fewer; better in 2024 than in 2019; 5G only from 2021.
// The figures gigakoll computes from the same files are the mobile
// package's (tested against an independent computation there).
func TestMobileDemoShowsTheAgendasPicture(t *testing.T) {
	t.Parallel()
	cov, err := New(Config{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := cov.Write(&buf, 2024); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	households := map[geo.Square]float64{}
	seen := map[string]bool{}
	total := 0.0
	for _, rec := range recs[1:] {
		if seen[rec[col["address_id"]]] {
			continue
		}
		seen[rec[col["address_id"]]] = true
		x, _ := strconv.ParseFloat(rec[col["x"]], 64)
		y, _ := strconv.ParseFloat(rec[col["y"]], 64)
		h, _ := strconv.ParseFloat(rec[col["households"]], 64)
		households[geo.SquareOf(geo.SWEREF{E: x, N: y}, geo.SquareSize)] += h
		total += h
	}

	g, err := NewMobile(1)
	if err != nil {
		t.Fatal(err)
	}
	type picture struct{ out10, out30, in10, fiveg float64 }
	pictures := map[int]picture{}
	for _, year := range []int{2019, 2020, 2024} {
		var out bytes.Buffer
		st, err := g.WriteMobile(&out, year)
		if err != nil {
			t.Fatal(err)
		}
		// the land: most of it, and 90 % once the country grid is built
		if st.Squares10 < st.Land*7/10 || year == 2024 && st.Squares10 < st.Land*9/10 {
			t.Errorf("%d: %d of %d land squares with 10 Mbit/s outdoors", year, st.Squares10, st.Land)
		}
		best := map[geo.Square][2]float64{}
		five := map[geo.Square]bool{}
		for _, l := range strings.Split(out.String(), "\n")[1:] {
			f := strings.Split(l, ";")
			if len(f) != 7 {
				continue
			}
			e, _ := strconv.ParseInt(f[0], 10, 64)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			o, _ := strconv.ParseFloat(strings.Replace(f[5], ",", ".", 1), 64)
			in, _ := strconv.ParseFloat(strings.Replace(f[6], ",", ".", 1), 64)
			sq := geo.Square{E: e, N: n, Size: geo.SquareSize}
			b := best[sq]
			best[sq] = [2]float64{max(b[0], o), max(b[1], in)}
			five[sq] = five[sq] || f[4] == "5g"
		}
		var p picture
		for sq, h := range households {
			if best[sq][0] >= 10 {
				p.out10 += h / total
			}
			if best[sq][0] >= 30 {
				p.out30 += h / total
			}
			if best[sq][1] >= 10 {
				p.in10 += h / total
			}
			if five[sq] {
				p.fiveg += h / total
			}
		}
		pictures[year] = p
		t.Logf("%d: households outdoors ≥ 10 %.1f %%, ≥ 30 %.1f %%, indoors ≥ 10 %.1f %%, 5G %.1f %%",
			year, 100*p.out10, 100*p.out30, 100*p.in10, 100*p.fiveg)
		if p.out10 < 0.95 || p.out30 > p.out10-0.05 || p.in10 > p.out10-0.1 {
			t.Errorf("%d: not the agenda's picture: %+v", year, p)
		}
	}
	if pictures[2020].fiveg != 0 || pictures[2024].fiveg < 0.5 || pictures[2024].out30 <= pictures[2019].out30 {
		t.Errorf("5G from 2021 and better coverage over the years: %+v", pictures)
	}
}

// TestMobileDemoIsDeterministic: the same seed writes the same bytes.
func TestMobileDemoIsDeterministic(t *testing.T) {
	t.Parallel()
	sum := func() [32]byte {
		g, err := NewMobile(5)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := g.WriteMobile(h, 2022); err != nil {
			t.Fatal(err)
		}
		return [32]byte(h.Sum(nil))
	}
	if a, b := sum(), sum(); a != b {
		t.Error("two writes of the same seed differ")
	}
}
