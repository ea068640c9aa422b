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
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/tabular"
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
	for _, code := range slices.Concat(coverage.Codes, mobile.Codes, projects.Codes) {
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

// TestEveryProblemOfABadMobileFileOrRegisterHasAKind: the mobile import and
// the project register name the kind of each problem too, so that the
// upload page says every one in Swedish.
func TestEveryProblemOfABadMobileFileOrRegisterHasAKind(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	cov := coverage.NewStore(pool)
	mob := mobile.NewStore(pool, cov)
	head := "e;n;size;operator;technology;down_mbps_outdoor;down_mbps_indoor;okänd;\n"
	mobileFiles := map[string]string{
		"rows.csv": head +
			"582000;6282000;250;Telia;4g;30;50;x;\n" + // indoors faster: a warning
			"582000;6282000;250;Telia;4g;30;;x;\n" + // a duplicate
			"582010;99;250;;6g;snabb;-1;x;\n" +
			"582000;6282000;100;Tele2;5g;1e9;;x;\n" +
			"5820001;6282000;300;Tre;5g;10;;x;\n",
		"dup.csv": head + // a duplicate is found once the rows are read
			"582000;6282000;250;Telia;4g;30;;x;\n" +
			"582250;6282000;250;Telia;4g;30;;x;\n" +
			"582000;6282000;250;Telia;4g;10;;x;\n",
		"header.csv": "e;e;size;operator\n1;2;3;4\n",
		"empty.csv":  "e;n;size;operator;technology;down_mbps_outdoor\n",
		"tabs.csv":   "e\tn\tsize\n1\t2\t3\n",
	}
	for name, data := range mobileFiles {
		_, err := mob.Import(context.Background(), strings.NewReader(data), mobile.ImportOptions{
			Audit: auth.Entry{Actor: "test"}, AsOf: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), Name: name})
		var ie *tabular.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("%s: %v, want an ImportError", name, err)
		}
		if len(ie.Problems.Errors) == 0 {
			t.Fatalf("%s: refused without an error listed", name)
		}
		for _, p := range append(ie.Problems.Errors, ie.Problems.Warnings...) {
			if !slices.Contains(mobile.Codes, p.Code) {
				t.Errorf("%s: no kind among mobile.Codes for %q", name, p.String())
			}
		}
	}

	reg := projects.NewStore(pool, cov, nil)
	feature := func(props, geom string) string {
		return `{"type":"Feature","properties":{` + props + `},"geometry":` + geom + `}`
	}
	square := `{"type":"Polygon","coordinates":[[[16.3,56.6],[16.31,56.6],[16.31,56.61],[16.3,56.6]]]}`
	registers := map[string]string{
		"props.geojson": `{"type":"FeatureCollection","features":[` +
			feature(`"id":"A","name":"","owner":"K","status":"planerad","completion_year":"2027","down_mbps":0,"cost_sek":-1,"funding":[{"source":"x","amount_sek":"1"}],"färg":1`, square) + `,` +
			feature(`"id":"A","name":"N","owner":"K","status":"planned","start_year":2030,"completion_year":2027,"down_mbps":1000,"cost_sek":10,"funding":[{"source":"eu","amount_sek":100}]`,
				`{"type":"Polygon","coordinates":[[[582100,6282100],[583100,6282100],[583100,6283100],[582100,6282100]]]}`) + `,` +
			feature(`"id":"B","name":"N","owner":"K","status":"planned","completion_year":1800,"down_mbps":1000`, `{"type":"Polygon","coordinates":[[[16.3,56.6],[16.31,56.6],[16.3,56.6]]]}`) + `,` +
			feature(`"id":"C","name":"N","owner":"K","status":"planned","completion_year":2027,"down_mbps":1000`, `{"type":"Point","coordinates":[16.3,56.6]}`) + `,` +
			feature(`"id":"D","name":"N","owner":"K","status":"planned","completion_year":2027,"down_mbps":1000`, `{"type":"Polygon","coordinates":[[[16.3,56.6],[16.31,56.6],[16.31,56.61],[16.3,56.62]]]}`) +
			`]}`,
		"crs.geojson":   `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3006"}},"features":[]}`,
		"cut.geojson":   `{"type":"FeatureCollection","features":[` + feature(`"id":"A"`, square),
		"type.geojson":  `{"type":"Feature","features":[]}`,
		"empty.geojson": ``,
	}
	for name, data := range registers {
		_, err := reg.Import(context.Background(), strings.NewReader(data), projects.ImportOptions{Name: name, Audit: auth.Entry{Actor: "test"}})
		var ie *projects.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("%s: %v, want an ImportError", name, err)
		}
		if len(ie.Problems.Errors) == 0 {
			t.Fatalf("%s: refused without an error listed", name)
		}
		for _, p := range append(ie.Problems.Errors, ie.Problems.Warnings...) {
			if !slices.Contains(projects.Codes, p.Code) {
				t.Errorf("%s: no kind among projects.Codes for %q", name, p.String())
			}
		}
	}
}
