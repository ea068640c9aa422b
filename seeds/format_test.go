package seeds_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/seeds"
)

func TestSameConfigSameBytes(t *testing.T) {
	sum := func(cfg seeds.Config) [32]byte {
		t.Helper()
		var buf bytes.Buffer
		if _, err := seeds.Generate(cfg, seeds.AsOf(2020), &buf); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes())
	}
	a, b := sum(demoConfig), sum(demoConfig)
	if a != b {
		t.Errorf("the same config gave %x, then %x", a[:8], b[:8])
	}
	if c := sum(seeds.Config{Seed: 2, Scale: 1}); c == a {
		t.Errorf("seeds 1 and 2 gave the same bytes %x", a[:8])
	}
}

func TestEveryRowIsValid(t *testing.T) {
	for _, s := range demo(t) {
		for _, p := range s.problems {
			t.Errorf("%d: %s", s.year, p)
		}
		if s.rows == 0 {
			t.Errorf("%d: no rows", s.year)
		}
	}
}

func TestAddressPointsStayPut(t *testing.T) {
	first, last := year(t, 2015), year(t, 2024)
	changed, kept := 0, 0
	for _, p := range first.points {
		q := last.byID[p.id]
		if q == nil {
			t.Errorf("%s of 2015 is gone in 2024", p.id)
			continue
		}
		if q.x != p.x || q.y != p.y {
			t.Errorf("%s moved from %.1f %.1f to %.1f %.1f", p.id, p.x, p.y, q.x, q.y)
		}
		if q.households != p.households {
			changed++
		}
		kept++
	}
	if newBuilds := len(last.points) - kept; newBuilds < len(first.points)/100 {
		t.Errorf("%d new address points in 2016–2024, want at least 1 %%", newBuilds)
	}
	if changed == 0 || changed > kept/10 {
		t.Errorf("%d of %d points changed households from 2015 to 2024: want a few", changed, kept)
	}
}

func TestAsOfMustBeFirstOfOctober(t *testing.T) {
	var buf bytes.Buffer
	for _, d := range []time.Time{time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), seeds.AsOf(2014), seeds.AsOf(2025)} {
		if _, err := seeds.Generate(demoConfig, d, &buf); err == nil {
			t.Errorf("as of %s: no error", d.Format(time.DateOnly))
		}
	}
	if _, err := seeds.New(seeds.Config{Seed: 1, Scale: 0}); err == nil {
		t.Error("scale 0: no error")
	}
}
