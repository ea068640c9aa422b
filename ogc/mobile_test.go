package ogc_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/server"
)

// TestMobileCollection: the mobile squares are a public collection, paged,
// picked by datetime among the mobile snapshots, with each operator's offer
// and no address data.
func TestMobileCollection(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	cov := coverage.NewStore(pool)
	f, _ := os.Open("../mobile/testdata/coverage.csv")
	if _, err := cov.Import(ctx, f, coverage.ImportOptions{Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: "coverage.csv"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, c := range []struct {
		file string
		day  time.Time
	}{{"../mobile/testdata/mobile250.csv", time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)}, {"../mobile/testdata/mobile100.csv", time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)}} {
		m, _ := os.Open(c.file)
		if _, err := mobile.NewStore(pool, cov).Import(ctx, m, mobile.ImportOptions{AsOf: c.day, Name: c.file, Audit: auth.Entry{Actor: "test"}}); err != nil {
			t.Fatal(err)
		}
		m.Close()
	}
	h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		QueryTimeout: 10 * time.Second, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	base := ts.URL + "/ogc"

	_, body := fetch(t, base+"/collections", "application/json")
	if !strings.Contains(string(body), `"id":"mobile"`) {
		t.Fatalf("the public collections lack mobile: %s", body)
	}
	var p page
	_, body = fetch(t, base+"/collections/mobile/items?limit=4", "application/geo+json")
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	// the latest: the 100 m file's ten squares, by corner
	if p.NumberMatched != 10 || p.NumberReturned != 4 || p.Features[0].ID != "2024-10-01.100m-E555700-N6289700" {
		t.Fatalf("latest: %d matched, %d returned, first %+v", p.NumberMatched, p.NumberReturned, p.Features)
	}
	for _, ft := range p.Features {
		for k := range ft.Properties {
			if strings.Contains(k, "household") || strings.Contains(k, "workplace") || strings.Contains(k, "holiday") {
				t.Errorf("a public square carries %s", k)
			}
		}
	}
	// datetime: the snapshot in force in 2023, and an interval of both
	_, body = fetch(t, base+"/collections/mobile/items?datetime=2024-01-15", "application/geo+json")
	json.Unmarshal(body, &p)
	if p.NumberMatched != 9 || p.Features[0].Properties["size_m"] != 250.0 {
		t.Errorf("in force on 2024-01-15: %d squares of %v m, want 9 of 250", p.NumberMatched, p.Features[0].Properties["size_m"])
	}
	_, body = fetch(t, base+"/collections/mobile/items?datetime=2020-01-01/..", "application/geo+json")
	json.Unmarshal(body, &p)
	if p.NumberMatched != 19 {
		t.Errorf("both snapshots: %d squares, want 19", p.NumberMatched)
	}
	// one square, with each operator's offer: Telia 4g 100 outdoors, 30 indoors; Tele2 5g at 9.99
	_, body = fetch(t, base+"/collections/mobile/items/2024-10-01.100m-E582100-N6282100", "application/geo+json")
	var one struct {
		Properties struct {
			Outdoor int  `json:"outdoor_mbps"`
			Indoor  *int `json:"indoor_mbps"`
			FiveG   bool `json:"fiveg"`
			Offers  []struct {
				Operator string `json:"operator"`
				Outdoor  int    `json:"outdoor_mbps"`
				Indoor   *int   `json:"indoor_mbps"`
				FiveG    bool   `json:"fiveg"`
			} `json:"operator_offers"`
		}
	}
	if err := json.Unmarshal(body, &one); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	pr := one.Properties
	if pr.Outdoor != 100 || pr.Indoor == nil || *pr.Indoor != 30 || !pr.FiveG || len(pr.Offers) != 2 ||
		pr.Offers[0].Operator != "Telia" || pr.Offers[0].Outdoor != 100 || pr.Offers[1].Operator != "Tele2" ||
		pr.Offers[1].Outdoor != 0 || pr.Offers[1].Indoor != nil || !pr.Offers[1].FiveG {
		t.Errorf("the square: %s", body)
	}
	// a bounding box around Nybro's two 100 m squares only
	_, body = fetch(t, base+"/collections/mobile/items?bbox=15.90,56.74,15.92,56.755", "application/geo+json")
	json.Unmarshal(body, &p)
	if p.NumberMatched != 2 {
		t.Errorf("bbox around Nybro: %d squares, want 2: %s", p.NumberMatched, body)
	}
	// in EPSG:3006, northing first both ways (Part 2): the square's own corners
	_, body = fetch(t, base+"/collections/mobile/items?crs="+url.QueryEscape(crs3006)+"&bbox-crs="+url.QueryEscape(crs3006)+
		"&bbox=6282150,582150,6282160,582160", "application/geo+json")
	var sq struct {
		NumberMatched int `json:"numberMatched"`
		Features      []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &sq); err != nil || sq.NumberMatched != 1 || len(sq.Features) != 1 {
		t.Fatalf("one square by a box in EPSG:3006: %v %s", err, body)
	}
	for _, c := range sq.Features[0].Geometry.Coordinates[0] {
		if (c[0] != 6282100 && c[0] != 6282200) || (c[1] != 582100 && c[1] != 582200) {
			t.Errorf("corner %v: want northing, easting of the square 100m-E582100-N6282100", c)
		}
	}
}
