package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/sheet"
)

// The residents' measurement figures as a page (/matningar, Swedish) and as
// downloads (/api/v1/measurements/report): per county, municipality and
// 250 m square, and per connection type and operator, wherever at least 5
// measurements stand behind a figure (and, by group, nothing smaller can be
// told by subtraction: measure.publishGroups). The figures are package
// measure's.

// resultsPage is the .Page of matresultat.html.
type resultsPage struct {
	Period   string
	Periods  []adminOption
	MinCount int
	Areas    []resultRow
	ByConn   []resultRow
	ByOp     []resultRow
	Squares  []resultRow
	Flagged  int
	CSV      string
	XLSX     string
	OpCSV    string // the figures by operator as CSV
}

// resultRow is one published figure, formatted the Swedish way.
type resultRow struct {
	Kind, Code, Name, Connection, Operator        string
	Count, DownMedian, DownP10, UpMedian, Latency string
	ShareGE100, ShareGE1000, Offered              string
	Flagged                                       bool
}

func formatFigures(kind, code, name string, f measure.Figures) resultRow {
	r := resultRow{Kind: kind, Code: code, Name: name, Count: sheet.FormatInt(f.Count),
		DownMedian: sheet.FormatDecimal(f.DownMbps.Median, 1), DownP10: sheet.FormatDecimal(f.DownMbps.P10, 1),
		UpMedian: sheet.FormatDecimal(f.UpMbps.Median, 1), Latency: "–",
		ShareGE100: sheet.FormatPercent(&f.ShareGE100), ShareGE1000: sheet.FormatPercent(&f.ShareGE1000)}
	if f.LatencyMs != nil {
		r.Latency = sheet.FormatDecimal(f.LatencyMs.Median, 1)
	}
	return r
}

var kindResultSV = map[string]string{measure.KindCounty: "Län", measure.KindMunicipality: "Kommun", measure.KindSquare: "Ruta"}

// resultPeriod reads ?period= (default all) and the choices the page offers:
// all of the time, this year and last, and the last twelve months.
func resultPeriod(r *http.Request) (measure.Period, []adminOption, error) {
	name := r.URL.Query().Get("period")
	if name == "" {
		name = "all"
	}
	p, err := measure.ParsePeriod(name)
	if err != nil {
		return p, nil, &apiError{Status: http.StatusBadRequest, Field: "period", Message: "period: all, a year (2026) or a month (2026-10)"}
	}
	now := time.Now().In(measure.Stockholm)
	opts := []adminOption{{Value: "all", Text: "Hela tiden"}}
	for y := now.Year(); y >= now.Year()-1; y-- {
		opts = append(opts, adminOption{Value: strconv.Itoa(y), Text: "År " + strconv.Itoa(y)})
	}
	months := []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
	for i := range 12 {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, measure.Stockholm)
		opts = append(opts, adminOption{Value: m.Format("2006-01"), Text: fmt.Sprintf("%s %d", months[m.Month()-1], m.Year())})
	}
	return p, opts, nil
}

// resultsPage is GET /matningar.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	p, opts, err := resultPeriod(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	rep, err := s.measurements.Report(ctx, p, measure.Area{})
	if err != nil {
		return err
	}
	byConn, err := s.measurements.ByConnection(ctx, p, measure.Area{})
	if err != nil {
		return err
	}
	byOp, err := s.measurements.ByOperator(ctx, p, measure.Area{})
	if err != nil {
		return err
	}
	page := resultsPage{Period: p.Name, Periods: opts, MinCount: measure.MinPublished, Flagged: rep.FlaggedSquares,
		CSV:   "/api/v1/measurements/report?format=csv&period=" + p.Name,
		XLSX:  "/api/v1/measurements/report?format=xlsx&period=" + p.Name,
		OpCSV: "/api/v1/measurements/report?format=csv&table=operators&period=" + p.Name}
	for _, a := range rep.Areas {
		page.Areas = append(page.Areas, formatFigures(kindResultSV[a.Kind], a.Code, a.Name, a.Figures))
	}
	for _, c := range byConn {
		row := formatFigures(kindResultSV[c.Kind], c.Code, c.Name, c.Figures)
		row.Connection = measure.ConnectionSV(c.Connection)
		page.ByConn = append(page.ByConn, row)
	}
	for _, o := range byOp {
		row := formatFigures(kindResultSV[o.Kind], o.Code, o.Name, o.Figures)
		row.Operator = o.OperatorName
		page.ByOp = append(page.ByOp, row)
	}
	for _, sq := range rep.Squares {
		row := formatFigures("Ruta", sq.Square, "", sq.Figures)
		row.Flagged, row.Offered = sq.Flagged, "–"
		if sq.Offered != nil {
			row.Offered = sheet.FormatDecimal(sq.Offered.BestFixedMbps, 0) + " Mbit/s"
			if sq.Offered.Gigabit {
				row.Offered = "minst 1 Gbit/s"
			}
		}
		page.Squares = append(page.Squares, row)
	}
	return s.render(w, r, "matresultat.html", page)
}

// getMeasurementReport is GET /api/v1/measurements/report?period=&format=&table=:
// every published figure of the period as CSV (one sheet: the areas and
// squares, or with table=operators the figures by operator) or XLSX (with
// the figures by connection type and by operator on further sheets).
func (s *Server) getMeasurementReport(w http.ResponseWriter, r *http.Request) error {
	p, _, err := resultPeriod(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format, table := q.Get("format"), q.Get("table")
	if format == "" {
		format = measure.FormatCSV
	}
	if format != measure.FormatCSV && format != measure.FormatXLSX {
		return &apiError{Status: http.StatusBadRequest, Field: "format", Message: "format: csv or xlsx"}
	}
	switch {
	case table == "" || table == "areas":
		table = "areas"
	case table == "operators" && format == measure.FormatCSV:
	default:
		return &apiError{Status: http.StatusBadRequest, Field: "table",
			Message: "table: areas (the default) or, for csv, operators; xlsx holds every table"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	var buf bytes.Buffer // whole before the first byte: an error still gets its status
	ctype, name := "text/csv; charset=utf-8", "matningar-"+p.Name
	switch {
	case table == "operators":
		byOp, err := s.measurements.ByOperator(ctx, p, measure.Area{})
		if err != nil {
			return err
		}
		name = "matningar-per-operator-" + p.Name
		if err := measure.WriteOperatorsCSV(&buf, byOp); err != nil {
			return fmt.Errorf("write the measurements by operator: %w", err)
		}
	case format == measure.FormatXLSX:
		rep, err := s.measurements.Report(ctx, p, measure.Area{})
		if err != nil {
			return err
		}
		byConn, err := s.measurements.ByConnection(ctx, p, measure.Area{})
		if err != nil {
			return err
		}
		byOp, err := s.measurements.ByOperator(ctx, p, measure.Area{})
		if err != nil {
			return err
		}
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if err := measure.WriteReportXLSX(&buf, rep, byConn, byOp); err != nil {
			return fmt.Errorf("write the measurements report: %w", err)
		}
	default:
		rep, err := s.measurements.Report(ctx, p, measure.Area{})
		if err != nil {
			return err
		}
		if err := measure.WriteReport(&buf, rep, measure.FormatCSV); err != nil {
			return fmt.Errorf("write the measurements report: %w", err)
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = buf.WriteTo(w)
	return err
}

// getMeasurementGroups is GET /api/v1/measurements/by-operator and
// /by-connection?period=&area=: the published figures per municipality and
// county by operator or connection type, within a county or municipality
// (area) or the whole country.
func (s *Server) getMeasurementGroups(byOperator bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, _, err := resultPeriod(r)
		if err != nil {
			return err
		}
		var within measure.Area
		if v := r.URL.Query().Get("area"); v != "" {
			within, err = measure.ParseArea(v)
			if err != nil || within.Kind == measure.KindSquare {
				return &apiError{Status: http.StatusBadRequest, Field: "area",
					Message: "want municipality:<kommunkod> or county:<länskod> that exists, or leave it out for the whole country"}
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
		defer cancel()
		body := map[string]any{"period": p.Name, "min_count": measure.MinPublished}
		if byOperator {
			body["groups"], err = s.measurements.ByOperator(ctx, p, within)
		} else {
			body["groups"], err = s.measurements.ByConnection(ctx, p, within)
		}
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		writeJSON(w, http.StatusOK, body)
		return nil
	}
}
