package cql_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gigakoll/gigakoll/cql"
)

var queryables = []cql.Queryable{
	{Name: "municipality_code", Type: cql.String, Column: "q.municipality_code"},
	{Name: "households", Type: cql.Integer, Column: "q.households"},
	{Name: "best_mbps", Type: cql.Number, Column: "q.best_fixed_mbps"},
	{Name: "urban", Type: cql.Boolean, Column: "q.urban"},
}

func TestFiltersBecomeSQLWithTheirValuesAsParameters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter, sql string
		args        []any
	}{
		{"municipality_code = '0880'", "(q.municipality_code = $3::text)", []any{"0880"}},
		{`"households" >= 5`, "(q.households >= $3::numeric)", []any{"5"}},
		{"5 <= households", "(q.households >= $3::numeric)", []any{"5"}}, // the literal first
		{"best_mbps <> 99.9999", "(q.best_fixed_mbps <> $3::numeric)", []any{"99.9999"}},
		{"households > -1", "(q.households > $3::numeric)", []any{"-1"}},
		{"municipality_code = '0880' AND households BETWEEN 5 AND 10",
			"((q.municipality_code = $3::text) AND (q.households BETWEEN $4::numeric AND $5::numeric))", []any{"0880", "5", "10"}},
		{"municipality_code IN ('0880', '0881')", "(q.municipality_code IN ($3::text, $4::text))", []any{"0880", "0881"}},
		{"households NOT IN (1, 2)", "(NOT (q.households IN ($3::numeric, $4::numeric)))", []any{"1", "2"}},
		{"households NOT BETWEEN 1 AND 2", "(NOT (q.households BETWEEN $3::numeric AND $4::numeric))", []any{"1", "2"}},
		{"municipality_code LIKE '08%'", "(q.municipality_code LIKE $3::text)", []any{"08%"}},
		{"municipality_code ILIKE '08%'", "(q.municipality_code ILIKE $3::text)", []any{"08%"}},
		{"municipality_code NOT LIKE 'it''s'", "(q.municipality_code NOT LIKE $3::text)", []any{"it's"}},
		{"best_mbps IS NULL", "(q.best_fixed_mbps IS NULL)", nil},
		{"best_mbps is not null", "(q.best_fixed_mbps IS NOT NULL)", nil},
		{"urban = TRUE", "(q.urban = $3::boolean)", []any{true}},
		{"households < 5 or households > 10 and urban = false",
			"((q.households < $3::numeric) OR ((q.households > $4::numeric) AND (q.urban = $5::boolean)))", []any{"5", "10", false}},
		{"NOT (households < 5)", "(NOT (q.households < $3::numeric))", []any{"5"}},
		// what GDAL before 3.7 writes for -where "households >= 10 AND municipality_code = '0880'"
		{"(households >= 10) AND (municipality_code = '0880')",
			"((q.households >= $3::numeric) AND (q.municipality_code = $4::text))", []any{"10", "0880"}},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			e, err := cql.Parse(tc.filter)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			sql, args, err := cql.SQL(e, queryables, 3)
			if err != nil {
				t.Fatalf("SQL: %v", err)
			}
			if sql != tc.sql || fmt.Sprint(args) != fmt.Sprint(tc.args) {
				t.Errorf("got %s %v\nwant %s %v", sql, args, tc.sql, tc.args)
			}
		})
	}
}

func TestWhatIsNotSupportedIsNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter, names string
		unsupported   bool
	}{
		{"S_INTERSECTS(geometry, POINT(16 56))", "spatial function S_INTERSECTS", true},
		{"T_AFTER(as_of, DATE('2024-01-01'))", "temporal function T_AFTER", true},
		{"A_CONTAINS(x, ('a'))", "array function A_CONTAINS", true},
		{"CASEI(municipality_code) = CASEI('x')", "case- and accent-insensitive", true},
		{"households + 1 > 5", "arithmetic (+)", true},
		{"households > workplaces", "comparing a property with another (workplaces)", true},
		{"upper(municipality_code) = 'X'", "the function upper", true},
		{"households != 5", "<>", false},
		{"households >", "ends too early", false},
		{"municipality_code = 'x", "not closed", false},
		{"(households > 5", "ends too early", false},
		{"households = NULL", "IS NULL", false},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			_, err := cql.Parse(tc.filter)
			var ce *cql.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.names) || ce.Unsupported != tc.unsupported {
				t.Errorf("Parse = %v, want an error naming %q (unsupported %v)", err, tc.names, tc.unsupported)
			}
		})
	}
}

func TestFiltersNameOnlyQueryablesWithValuesOfTheirType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ filter, names string }{
		{"street = 'Storgatan'", `"street" is not a queryable`},
		{"households = '5'", "households is a number"},
		{"municipality_code = 880", "municipality_code is text"},
		{"households LIKE '5%'", "LIKE compares text"},
		{"municipality_code BETWEEN 'a' AND 'b'", "BETWEEN compares numbers"},
		{"urban = 1", "urban is true or false"},
		{"households IN (1, 'x')", "households is a number"},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			e, err := cql.Parse(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if err := cql.Check(e, queryables); err == nil || !strings.Contains(err.Error(), tc.names) {
				t.Errorf("Check = %v, want an error naming %q", err, tc.names)
			}
		})
	}
}
