package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// swedishProblemTexts reads the upload page's table of Swedish texts.
func swedishProblemTexts(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../web/templates/upload.html")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="problem-texter">(.*?)</script>`).FindSubmatch(b)
	if m == nil {
		t.Fatal("upload.html has no #problem-texter")
	}
	var texts map[string]any
	if err := json.Unmarshal(m[1], &texts); err != nil {
		t.Fatalf("#problem-texter: %v", err)
	}
	return texts
}

// TestEveryProblemKindHasASwedishText: the upload page can say every problem
// of an import in Swedish, and every parameter its text names is one the
// problem carries (the list in coverage.Codes' comment).
func TestEveryProblemKindHasASwedishText(t *testing.T) {
	texts := swedishProblemTexts(t)
	for _, code := range coverage.Codes {
		s, ok := texts[code].(string)
		if !ok || strings.TrimSpace(s) == "" {
			t.Errorf("no Swedish text for the problem kind %q", code)
		}
	}
}

// TestEveryProblemOfABadFileHasAKind imports files with every kind of
// problem the tests know of, and checks each problem names its kind.
func TestEveryProblemOfABadFileHasAKind(t *testing.T) {
	t.Parallel()
	s := coverage.NewStore(dbtest.New(t))
	head := "address_id;municipality_code;x;y;households;workplaces;holiday_homes;technology;status;down_mbps;up_mbps;postcode;planned_year;street;okänd\n"
	files := map[string]string{
		"rows.csv": head +
			"A1;0880;582100;6282100;2;0;0;fiber;connected;1000;100;39231;;Storgatan;x\n" +
			"A1;0880;582100;6282100;3;1;1;fiber;connected;1000;100;39231;;Storgatan;x\n" +
			"A2;880;inte;6282100;-1;x;0;laser;kanske;1,5e3;;3923;1999;Gata\x01;x\n" +
			"A3;9999;6282100;582100;1;0;0;none;connected;10;5;;;;x\n" +
			"A4;0880;582100;6282100;1;0;0;dsl;passed;10;1;;2026;;x\n" +
			"A4;0881;582100;6282900;1;0;0;none;;0;;;;;x\n" +
			"A5;0880;582100\n",
		"tabs.csv":   "address_id\tx\ty\n1\t2\t3\n",
		"xlsx.csv":   "PK\x03\x04\x00\x00\x00",
		"nohead.csv": "address_id;x\n",
		"quotes.csv": head + "A\"1;0880;582100;6282100;2;0;0;fiber;connected;1000;100;39231;;x;x\n\"A2;0880\n",
		"lonlat.csv": "address_id;municipality_code;lon;lat;households;workplaces;technology;status;down_mbps\nL1;0880;200;95;1;0;fiber;connected;1000\nL2;0880;10;50;1;0;fiber;connected;1000\n",
	}
	for name, data := range files {
		_, err := s.Import(context.Background(), bytes.NewReader([]byte(data)), coverage.ImportOptions{
			Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: name})
		var ie *coverage.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("%s: %v, want an ImportError", name, err)
		}
		for _, p := range append(ie.Problems.Errors, ie.Problems.Warnings...) {
			if !slices.Contains(coverage.Codes, p.Code) {
				t.Errorf("%s: no kind among coverage.Codes for %q", name, p.String())
			}
		}
	}
}
