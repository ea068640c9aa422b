package coverage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// TestTheCombinedGapIsNotTheSumOfTheTwo: a target counts households and
// workplaces together, so what it lacks is ceil(threshold × (h + w)) −
// covered, which can be less than the two groups' gaps added up. Here 10
// households with 9 covered and 10 workplaces with 9 covered, against 95 %:
// each group alone lacks ceil(9.5) − 9 = 1, together ceil(19) − 18 = 1, not 2.
func TestTheCombinedGapIsNotTheSumOfTheTwo(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	csv := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n" +
		"A;0880;582100;6282100;9;9;fiber;connected;1000\n" +
		"B;0880;582400;6282400;1;1;dsl;connected;10\n"
	if _, err := importString(t, s, "gap.csv", csv, asOf2024); err != nil {
		t.Fatal(err)
	}
	rep, err := s.TargetsReport(context.Background(), coverage.ReportQuery{Municipality: "0880", County: "08"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Areas[0].Targets {
		if r.ID != "se-2020-100" {
			continue
		}
		if r.GapHouseholds != 1 || r.GapWorkplaces != 1 || r.Gap != 1 || r.Met {
			t.Errorf("se-2020-100: gaps %d + %d, combined %d, met %v; want 1 + 1, combined 1, not met",
				r.GapHouseholds, r.GapWorkplaces, r.Gap, r.Met)
		}
		return
	}
	t.Fatal("no se-2020-100 in the report")
}

func TestParseDateSaysWhatIsWrong(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2013-02-30", "no such day: February 2013 has 28 days"},
		{"2024-02-30", "no such day: February 2024 has 29 days"},
		{"2024-13-01", "there is no month 13"},
		{"1 oktober", "want a date as YYYY-MM-DD"},
		{"2024-1-1", "want a date as YYYY-MM-DD"},
	}
	for _, tt := range tests {
		_, err := coverage.ParseDate(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDate(%q) = %v, want an error saying %q", tt.in, err, tt.want)
		}
	}
	if d, err := coverage.ParseDate("2024-02-29"); err != nil || d.Day() != 29 {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
}

// TestAMissingSnapshotNamesTheDatesThereAre: asking for a date without a
// snapshot says which dates have one.
func TestAMissingSnapshotNamesTheDatesThereAre(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	mustImport(t, s, "testdata/rules.csv", asOf2024)
	mustImport(t, s, "testdata/rules.csv", asOf2023)
	_, err := s.SnapshotAt(context.Background(), time.Date(2013, 10, 1, 0, 0, 0, 0, time.UTC))
	if !errors.Is(err, coverage.ErrNoSnapshot) {
		t.Fatalf("err = %v, want ErrNoSnapshot", err)
	}
	if want := "no snapshot as of 2013-10-01; there are snapshots as of 2023-10-01, 2024-10-01"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to say %q", err, want)
	}
}

// TestASnapshotFromTheFutureIsRefused: a file dated after today is refused
// with the date named, and nothing is imported.
func TestASnapshotFromTheFutureIsRefused(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	tomorrow := coverage.Today(time.Now()).AddDate(0, 0, 1)
	_, err := importFile(t, s, "testdata/rules.csv", tomorrow)
	var fe *coverage.FutureDateError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "as of "+tomorrow.Format(time.DateOnly)+" is in the future") {
		t.Fatalf("err = %v, want a FutureDateError naming %s", err, tomorrow.Format(time.DateOnly))
	}
	if snaps, err := s.Snapshots(context.Background()); err != nil || len(snaps) != 0 {
		t.Errorf("snapshots after the refusal: %d (%v), want none", len(snaps), err)
	}
	today := coverage.Today(time.Now())
	if _, err := importFile(t, s, "testdata/rules.csv", today); err != nil {
		t.Errorf("today's snapshot: %v, want it imported", err)
	}
}

// TestChangesBetweenTwoSnapshots: by hand. 2023: A1 (10 households, a
// gigabit) and A2 (6 households and 1 workplace, DSL), in two 250 m cells
// of Kalmar. 2024: A2 has fibre, and A3 (7 households, DSL) is new in a cell
// of its own. With a gigabit: 10 of 17 then, 17 of 24 now; A2's cell gained
// 7, nothing was lost, and the new cell holds 7 households.
func TestChangesBetweenTwoSnapshots(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	head := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps\n"
	if _, err := importString(t, s, "2023.csv", head+
		"A1;0880;582100;6282100;10;0;fiber;connected;1000\nA2;0880;582600;6282600;6;1;dsl;connected;10\n", asOf2023); err != nil {
		t.Fatal(err)
	}
	if _, err := importString(t, s, "2024.csv", head+
		"A1;0880;582100;6282100;10;0;fiber;connected;1000\nA2;0880;582600;6282600;6;1;fiber;passed;1000\n"+
		"A3;0880;583100;6283100;7;0;dsl;connected;10\n", asOf2024); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Changes(context.Background(), asOf2023, asOf2024, coverage.Class1G)
	if err != nil {
		t.Fatal(err)
	}
	var kalmar, county *coverage.Change
	for i, a := range rep.Areas {
		switch {
		case a.Kind == "municipality" && a.Code == "0880":
			kalmar = &rep.Areas[i]
		case a.Kind == "county":
			county = &rep.Areas[i]
		}
	}
	if kalmar == nil || county == nil || len(rep.Areas) != 13 {
		t.Fatalf("areas %+v: want Kalmar län's 12 municipalities and the county", rep.Areas)
	}
	want := coverage.Change{Kind: "municipality", Code: "0880", Name: "Kalmar", HouseholdsFrom: 16, HouseholdsTo: 23,
		WorkplacesFrom: 1, WorkplacesTo: 1, CoveredFrom: 10, CoveredTo: 17, NewHouseholds: 7, NetGained: 7,
		GainedInSquares: 7, LostInSquares: 0, NewSquareHouseholds: 7}
	got := *kalmar
	got.ShareFrom, got.ShareTo = nil, nil
	if got != want {
		t.Errorf("Kalmar:\n got %+v\nwant %+v", got, want)
	}
	if *kalmar.ShareFrom != 10.0/17 || *kalmar.ShareTo != 17.0/24 {
		t.Errorf("Kalmar shares %v → %v, want 10/17 → 17/24", *kalmar.ShareFrom, *kalmar.ShareTo)
	}
	if county.NetGained != 7 || county.GainedInSquares != 7 || county.NewSquareHouseholds != 7 {
		t.Errorf("the county: %+v", *county)
	}
}
