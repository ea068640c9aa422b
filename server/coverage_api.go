package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/coverage"
)

// The coverage API (server/openapi/coverage.json): the snapshots, the targets
// report of spec/targets.md, and the municipalities' figures against every
// target. Everything is public: aggregates per municipality and county.
//
// A response depends on the snapshot it shows, on every snapshot's figures
// (the history), on the targets and on this binary, and on nothing else: its
// ETag hashes those, so a replaced or added snapshot (a new id) or a changed
// target gives a new ETag, and nothing needs invalidating. A matching
// If-None-Match costs two small queries and answers 304.

// coverageCacheControl lets browsers and proxies keep a response for five
// minutes and then revalidate it with its ETag.
const coverageCacheControl = "public, max-age=300"

// reportParams are the query parameters of the coverage endpoints.
type reportParams struct {
	asOf   time.Time // zero: the latest snapshot
	format string    // coverage.FormatJSON, FormatCSV or FormatXLSX
}

// parseReportParams reads as_of (YYYY-MM-DD) and, where formats are given,
// format (the first is the default). The error names the bad parameter.
func parseReportParams(q url.Values, formats ...string) (reportParams, error) {
	var p reportParams
	if v := q.Get("as_of"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return p, &apiError{Status: http.StatusBadRequest, Field: "as_of", Message: "a date as YYYY-MM-DD, such as 2024-10-01"}
		}
		p.asOf = t
	}
	if len(formats) > 0 {
		p.format = formats[0]
		if v := q.Get("format"); v != "" {
			ok := false
			for _, f := range formats {
				ok = ok || v == f
			}
			if !ok {
				return p, &apiError{Status: http.StatusBadRequest, Field: "format", Message: "one of " + strings.Join(formats, ", ")}
			}
			p.format = v
		}
	}
	return p, nil
}

// coverageState is what a coverage response depends on besides its query.
type coverageState struct {
	snapshot  coverage.Snapshot   // the one asked for
	snapshots []coverage.Snapshot // all of them, for the history
	targets   []coverage.Target
}

// readCoverageState reads the snapshots and targets and picks the snapshot of
// asOf (zero: the latest); coverage.ErrNoSnapshot when there is none.
func (s *Server) readCoverageState(ctx context.Context, asOf time.Time) (coverageState, error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	var st coverageState
	var err error
	if st.snapshots, err = s.coverage.Snapshots(ctx); err != nil {
		return st, err
	}
	if st.targets, err = s.coverage.Targets(ctx); err != nil {
		return st, err
	}
	st.snapshot, err = pickSnapshot(st.snapshots, asOf)
	return st, err
}

// pickSnapshot finds the snapshot of asOf among snaps (oldest first), or the
// latest when asOf is zero.
func pickSnapshot(snaps []coverage.Snapshot, asOf time.Time) (coverage.Snapshot, error) {
	if len(snaps) == 0 {
		return coverage.Snapshot{}, coverage.ErrNoSnapshot
	}
	if asOf.IsZero() {
		return snaps[len(snaps)-1], nil
	}
	for _, sn := range snaps {
		if sn.AsOf.Equal(asOf) {
			return sn, nil
		}
	}
	return coverage.Snapshot{}, coverage.ErrNoSnapshot
}

// etag hashes the state and the rest of what a response depends on.
func (s *Server) etag(st coverageState, parts ...any) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d", s.version, st.snapshot.ID)
	for _, sn := range st.snapshots {
		fmt.Fprintf(h, "\x00s%d", sn.ID)
	}
	for _, t := range st.targets {
		fmt.Fprintf(h, "\x00t%+v", t)
	}
	for _, p := range parts {
		fmt.Fprintf(h, "\x00%v", p)
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// notModified sets the ETag and Cache-Control headers and, when the client
// already holds this version (If-None-Match), answers 304 and reports true.
//
// The ETag is weak (W/"…"): the compressed answer (server/compress.go) and
// the plain one mean the same, so one validator serves both.
func notModified(w http.ResponseWriter, r *http.Request, etag, cacheControl string) bool {
	if !strings.HasPrefix(etag, "W/") {
		etag = "W/" + etag
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", cacheControl)
	if !etagMatches(r.Header.Get("If-None-Match"), etag) {
		return false
	}
	w.WriteHeader(http.StatusNotModified)
	return true
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110, 13.1.2).
func etagMatches(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for c := range strings.SplitSeq(header, ",") {
		c = strings.TrimSpace(c)
		if c == "*" || strings.TrimPrefix(c, "W/") == etag {
			return true
		}
	}
	return false
}

// snapshotJSON is a snapshot as the API lists it.
type snapshotJSON struct {
	ID           int64         `json:"id"`
	AsOf         coverage.Date `json:"as_of"`
	Source       string        `json:"source"`
	ImportedAt   time.Time     `json:"imported_at"`
	Points       int64         `json:"points"`
	Households   int64         `json:"households"`
	Workplaces   int64         `json:"workplaces"`
	HolidayHomes int64         `json:"holiday_homes"`
}

// getSnapshots lists the snapshots, oldest first, and names the latest.
func (s *Server) getSnapshots(w http.ResponseWriter, r *http.Request) error {
	st, err := s.readCoverageState(r.Context(), time.Time{})
	latest := &st.snapshot
	if errors.Is(err, coverage.ErrNoSnapshot) {
		err, latest = nil, nil
	}
	if err != nil {
		return err
	}
	if notModified(w, r, s.etag(st, "snapshots"), "public, max-age=60") {
		return nil
	}
	out := struct {
		Snapshots []snapshotJSON `json:"snapshots"`
		Latest    *coverage.Date `json:"latest"`
	}{Snapshots: []snapshotJSON{}}
	for _, sn := range st.snapshots {
		out.Snapshots = append(out.Snapshots, snapshotJSON{ID: sn.ID, AsOf: coverage.Date(sn.AsOf), Source: sn.Source,
			ImportedAt: sn.ImportedAt.UTC(), Points: sn.Points, Households: sn.Households, Workplaces: sn.Workplaces,
			HolidayHomes: sn.HolidayHomes})
	}
	if latest != nil {
		d := coverage.Date(latest.AsOf)
		out.Latest = &d
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// inOneRead runs fn in one transaction of the coverage store
// (coverage.Store.View) under the query deadline: the state an answer's
// ETag names and the report it holds are read together, whatever is
// imported meanwhile.
func (s *Server) inOneRead(r *http.Request, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	return s.coverage.View(ctx, fn)
}

// report computes the targets report of the state's snapshot.
func (s *Server) report(ctx context.Context, st coverageState, q coverage.ReportQuery) (*coverage.TargetsReport, error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	q.AsOf = st.snapshot.AsOf // the snapshot the ETag names, even if another is imported meanwhile
	return s.coverage.TargetsReport(ctx, q)
}

// getTargets is the targets report of spec/targets.md as JSON, or as the
// CSV and XLSX files the /mal page offers for download.
func (s *Server) getTargets(w http.ResponseWriter, r *http.Request) error {
	p, err := parseReportParams(r.URL.Query(), coverage.FormatJSON, coverage.FormatCSV, coverage.FormatXLSX)
	if err != nil {
		return err
	}
	return s.inOneRead(r, func(ctx context.Context) error {
		st, err := s.readCoverageState(ctx, p.asOf)
		if err != nil {
			return err
		}
		if notModified(w, r, s.etag(st, "targets", p.format), coverageCacheControl) {
			return nil
		}
		rep, err := s.report(ctx, st, coverage.ReportQuery{})
		if err != nil {
			return err
		}
		if p.format == coverage.FormatJSON {
			writeJSON(w, http.StatusOK, rep)
			return nil
		}
		var buf bytes.Buffer // whole before the first byte: an error still gets its status
		if err := coverage.WriteTargets(&buf, rep, p.format); err != nil {
			return fmt.Errorf("write targets as %s: %w", p.format, err)
		}
		ctype := "text/csv; charset=utf-8"
		if p.format == coverage.FormatXLSX {
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mal-%s.%s"`, rep.AsOf, p.format))
		w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
		_, err = buf.WriteTo(w)
		return err // only the client going away; the status is sent
	})
}

// areaSummary is an area's headline figures: AreaReport without the urban
// and rural parts and the history.
type areaSummary struct {
	Kind            string                  `json:"kind"`
	Code            string                  `json:"code"`
	Name            string                  `json:"name"`
	CountyCode      string                  `json:"county_code"`
	Points          int64                   `json:"points"`
	HouseholdsTotal int64                   `json:"households_total"`
	WorkplacesTotal int64                   `json:"workplaces_total"`
	HolidayHomes    int64                   `json:"holiday_homes_total"`
	Households      coverage.ClassCounts    `json:"households"`
	Workplaces      coverage.ClassCounts    `json:"workplaces"`
	Targets         []coverage.TargetResult `json:"targets"`
}

func summarize(a coverage.AreaReport) areaSummary {
	return areaSummary{Kind: a.Kind, Code: a.Code, Name: a.Name, CountyCode: a.CountyCode, Points: a.Points,
		HouseholdsTotal: a.HouseholdsTotal, WorkplacesTotal: a.WorkplacesTotal, HolidayHomes: a.HolidayHomes,
		Households: a.Households, Workplaces: a.Workplaces, Targets: a.Targets}
}

// getMunicipalities lists every municipality of the snapshot with its
// headline figures and every target (share, met, gaps, the forecast with
// planned builds, the projection), and the counties likewise.
func (s *Server) getMunicipalities(w http.ResponseWriter, r *http.Request) error {
	p, err := parseReportParams(r.URL.Query())
	if err != nil {
		return err
	}
	return s.inOneRead(r, func(ctx context.Context) error {
		st, err := s.readCoverageState(ctx, p.asOf)
		if err != nil {
			return err
		}
		if notModified(w, r, s.etag(st, "municipalities"), coverageCacheControl) {
			return nil
		}
		rep, err := s.report(ctx, st, coverage.ReportQuery{})
		if err != nil {
			return err
		}
		out := struct {
			AsOf           coverage.Date         `json:"as_of"`
			Snapshot       coverage.SnapshotRef  `json:"snapshot"`
			Targets        []coverage.TargetInfo `json:"targets"`
			Notes          []string              `json:"notes"`
			Municipalities []areaSummary         `json:"municipalities"`
			Counties       []areaSummary         `json:"counties"`
		}{AsOf: rep.AsOf, Snapshot: rep.Snapshot, Targets: rep.Targets, Notes: rep.Notes,
			Municipalities: []areaSummary{}, Counties: []areaSummary{}}
		for _, a := range rep.Areas {
			if a.Kind == "county" {
				out.Counties = append(out.Counties, summarize(a))
			} else {
				out.Municipalities = append(out.Municipalities, summarize(a))
			}
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

// municipalityCode is a kommunkod: four digits.
var municipalityCode = regexp.MustCompile(`^[0-9]{4}$`)

// getMunicipality is one municipality's full report (figures, every target
// with forecast and projection, urban and rural, the history over every
// snapshot) with its county's for comparison.
func (s *Server) getMunicipality(w http.ResponseWriter, r *http.Request) error {
	code := chi.URLParam(r, "code")
	if !municipalityCode.MatchString(code) {
		return coverage.ErrUnknownArea
	}
	p, err := parseReportParams(r.URL.Query())
	if err != nil {
		return err
	}
	return s.inOneRead(r, func(ctx context.Context) error {
		st, err := s.readCoverageState(ctx, p.asOf)
		if err != nil {
			return err
		}
		if notModified(w, r, s.etag(st, "municipality", code), coverageCacheControl) {
			return nil
		}
		// the county's report holds the municipality and the county
		rep, err := s.report(ctx, st, coverage.ReportQuery{County: code[:2]})
		if err != nil {
			return err
		}
		out := struct {
			AsOf         coverage.Date         `json:"as_of"`
			Snapshot     coverage.SnapshotRef  `json:"snapshot"`
			Targets      []coverage.TargetInfo `json:"targets"`
			Notes        []string              `json:"notes"`
			Municipality *coverage.AreaReport  `json:"municipality"`
			County       *coverage.AreaReport  `json:"county"`
		}{AsOf: rep.AsOf, Snapshot: rep.Snapshot, Targets: rep.Targets, Notes: rep.Notes}
		for i, a := range rep.Areas {
			switch {
			case a.Kind == "municipality" && a.Code == code:
				out.Municipality = &rep.Areas[i]
			case a.Kind == "county":
				out.County = &rep.Areas[i]
			}
		}
		if out.Municipality == nil {
			return coverage.ErrUnknownArea
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}
