package measure_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

func TestAddressesAreSuggestedAndResolved(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	withCoverage(t, pool)
	st := measure.NewStore(pool)
	ctx := context.Background()

	t.Run("suggestions start with what was typed, at most 10", func(t *testing.T) {
		got, err := st.SuggestAddresses(ctx, "storg")
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, a := range got {
			labels = append(labels, a.Label)
		}
		want := []string{"Storgatan 1, 382 30 Nybro", "Storgatan 1, 392 31 Kalmar", "Storgatan 3, 392 31 Kalmar", "Storgatan 5, 392 31 Kalmar"}
		if len(labels) != len(want) {
			t.Fatalf("suggestions %q, want %q", labels, want)
		}
		seen := map[string]bool{}
		for _, l := range labels {
			seen[l] = true
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("suggestions %q lack %q", labels, w)
			}
		}
		if got[0].Square == "" || got[0].Street != "Storgatan" {
			t.Errorf("first suggestion %+v", got[0])
		}
	})
	t.Run("a typo still finds the street", func(t *testing.T) {
		got, err := st.SuggestAddresses(ctx, "Lilgatan 4")
		if err != nil || len(got) == 0 || got[0].Label != "Lillgatan 4, 392 32 Kalmar" {
			t.Errorf("suggestions %+v, %v", got, err)
		}
	})
	t.Run("two characters suggest nothing", func(t *testing.T) {
		got, err := st.SuggestAddresses(ctx, "St")
		if err != nil || len(got) != 0 {
			t.Errorf("suggestions %+v, %v", got, err)
		}
	})
	t.Run("the same address twice is one suggestion", func(t *testing.T) {
		got, _ := st.SuggestAddresses(ctx, "Kyrkvägen")
		if len(got) != 1 {
			t.Errorf("suggestions %+v, want one Kyrkvägen 5", got)
		}
	})

	for _, tt := range []struct {
		address, square, municipality string
	}{
		{"Storgatan 3, 392 31 Kalmar", "250m-E583000-N6280250", "0880"},
		{"storgatan 3 39231", "250m-E583000-N6280250", "0880"},
		{"Storgatan 3, Kalmar", "250m-E583000-N6280250", "0880"},
		{"Storgatan 3", "250m-E583000-N6280250", "0880"},
		{"Storgatan 1, 382 30 Nybro", "250m-E560000-N6290000", "0881"},
		{"Byvägen 7, 395 98 Läckeby", "250m-E579750-N6277000", "0880"},
		{"BYVÄGEN 9 LÄCKEBY", "250m-E579750-N6277000", "0880"},
	} {
		t.Run("resolves "+tt.address, func(t *testing.T) {
			m, err := st.Place(ctx, measure.Checked{DownMbps: 1, UpMbps: 1, Address: tt.address, Connection: "unknown", Source: "api"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Square.ID() != tt.square || m.Municipality.Code != tt.municipality {
				t.Errorf("placed in %s %s, want %s %s", m.Square.ID(), m.Municipality.Code, tt.square, tt.municipality)
			}
		})
	}
	for _, address := range []string{"Storgatan 1", "Storgatan 7, 392 31 Kalmar", "Drottninggatan 1"} {
		t.Run("refuses "+address, func(t *testing.T) {
			_, err := st.Place(ctx, measure.Checked{DownMbps: 1, UpMbps: 1, Address: address, Connection: "unknown", Source: "api"})
			var inv measure.InvalidError
			if !errors.As(err, &inv) || len(inv) != 1 || inv[0].Field != "address" {
				t.Errorf("Place(%q) = %v, want an InvalidError naming address", address, err)
			}
		})
	}
}

func TestSuggestionsFollowTheLatestSnapshot(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	cov := coverage.NewStore(pool)
	land := func(asOf time.Time, street string) {
		t.Helper()
		csv := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;number;postcode;locality\n" +
			"A1;0880;583010;6280260;1;0;fiber;connected;1000;" + street + ";1;39231;Kalmar\n"
		if _, err := cov.Import(ctx, strings.NewReader(csv), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: asOf, Name: street + ".csv"}); err != nil {
			t.Fatal(err)
		}
		if err := measure.RefreshAddresses(ctx, pool); err != nil {
			t.Fatal(err)
		}
	}
	st := measure.NewStore(pool)
	streets := func() string {
		got, err := st.SuggestAddresses(ctx, "gatan 1")
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, a := range got {
			s = append(s, a.Street)
		}
		return strings.Join(s, ",")
	}
	land(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), "Nygatan")
	if got := streets(); got != "Nygatan" {
		t.Fatalf("after 2025: %q", got)
	}
	land(time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), "Gamlagatan") // older: the latest is still 2025
	if got := streets(); got != "Nygatan" {
		t.Errorf("after importing 2024 too: %q, want 2025's Nygatan", got)
	}
	if _, err := cov.DeleteSnapshot(ctx, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), auth.Entry{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := measure.RefreshAddresses(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if got := streets(); got != "Gamlagatan" {
		t.Errorf("after deleting 2025: %q, want 2024's Gamlagatan", got)
	}
}

// A refresh killed after it made its new table (a deadline, a crash) is
// repaired by the next, and a refresh leaves no lock or table behind on the
// pool's connections: the next refresh, from any connection, goes ahead.
func TestRefreshAfterOneThatWasKilled(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	csv := "address_id;municipality_code;x;y;households;workplaces;technology;status;down_mbps;street;number;postcode;locality\n" +
		"A1;0880;583010;6280260;1;0;fiber;connected;1000;Nygatan;1;39231;Kalmar\n"
	if _, err := coverage.NewStore(pool).Import(ctx, strings.NewReader(csv), coverage.ImportOptions{Audit: auth.Entry{Actor: "test"},
		AsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), Name: "a.csv"}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "CREATE TABLE address_search_next (LIKE address_search); DELETE FROM address_search"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := measure.RefreshAddresses(ctx, pool); err != nil {
			t.Fatal(err)
		}
		var locks, tables int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
				WHERE l.locktype = 'advisory' AND d.datname = current_database()),
			(SELECT count(*) FROM pg_class WHERE relname IN ('address_search_next', 'address_search_points'))`).Scan(&locks, &tables); err != nil {
			t.Fatal(err)
		}
		if locks != 0 || tables != 0 {
			t.Errorf("after a refresh: %d advisory locks and %d of its tables left", locks, tables)
		}
	}
	got, err := measure.NewStore(pool).SuggestAddresses(ctx, "nygatan 1")
	if err != nil || len(got) != 1 || got[0].Label != "Nygatan 1, 392 31 Kalmar" {
		t.Errorf("suggestions %+v, %v: want Nygatan 1, 392 31 Kalmar", got, err)
	}
}
