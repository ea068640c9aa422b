package server

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/projects"
	"github.com/gigakoll/gigakoll/tabular"
)

// uploadKind is a kind of file the import page (/uppladdning) takes: the
// page's select lists these, in this order, and POST /uppladdning hands the
// file to its importer. A new kind of import is one entry here.
type uploadKind struct {
	ID     string // the form's value: "coverage"
	Label  string // Swedish, as the select shows it
	Hint   string // Swedish, under the select
	Accept string // the file input's accept attribute
	AsOf   bool   // the import needs the snapshot's date
	Import func(s *Server, w http.ResponseWriter, r *http.Request, p *auth.Principal, part *multipart.Part, asOf time.Time) error
}

// uploadKinds are the kinds of import, the first the default.
var uploadKinds = []uploadKind{
	{ID: "coverage", Label: "Täckning, fast bredband (CSV)", AsOf: true, Accept: ".csv,.gz,text/csv,application/gzip",
		Hint:   "Årets täckningsfil: CSV (eller CSV komprimerad med gzip) i gigakolls importformat. En tidigare import med samma datum ersätts.",
		Import: (*Server).importPart},
	{ID: "mobile", Label: "Mobiltäckning per ruta (CSV)", AsOf: true, Accept: ".csv,.gz,text/csv,application/gzip",
		Hint:   "Operatörernas mobiltäckning: en rad per ruta om 100 eller 250 m, operatör och teknik (2G–5G), med hastighet utomhus och inomhus. En tidigare import med samma datum ersätts.",
		Import: (*Server).importMobilePart},
	{ID: "projects", Label: "Utbyggnadsprojekt (GeoJSON)", Accept: ".geojson,.json,.gz,application/geo+json,application/json",
		Hint:   "Projektregistret: en GeoJSON-fil i WGS 84 (exportera lagret från QGIS med EPSG:4326), ett objekt per projekt. Varje import blir en ny version av registret.",
		Import: (*Server).importProjectsPart},
}

func uploadKindOf(id string) (uploadKind, bool) {
	for _, k := range uploadKinds {
		if k.ID == id {
			return k, true
		}
	}
	return uploadKind{}, false
}

// importProjectsPart imports an uploaded project register (package
// projects), whole or not at all, and answers as the coverage import does:
// the summary, or every error by feature and property.
func (s *Server) importProjectsPart(w http.ResponseWriter, r *http.Request, p *auth.Principal, part *multipart.Part, _ time.Time) error {
	name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
	if name == "" || name == "." || name == "/" {
		name = "projekt.geojson"
	}
	ctx, cancel := context.WithTimeout(r.Context(), importTimeout)
	defer cancel()
	s.log.InfoContext(ctx, "project register by upload", "file", name, "token_id", p.TokenID)
	res, err := s.projects.Import(ctx, part, projects.ImportOptions{Name: name, Log: s.log, Audit: p.Entry(auth.ActionImport)})
	out := uploadResult{Kind: "projects", File: name, Errors: []string{}, Warnings: []string{},
		ErrorDetails: []problemJSON{}, WarningDetails: []problemJSON{}}
	var ie *projects.ImportError
	switch {
	case errors.As(err, &ie):
		out.ErrorCount, out.WarnCount = ie.Problems.ErrorCount, ie.Problems.WarningCount
		out.addProjectProblems(ie.Problems, true)
		writeJSON(w, http.StatusUnprocessableEntity, out)
		return nil
	case err != nil:
		return err
	}
	out.OK, out.Version, out.Projects, out.Seconds = true, res.Register.Version, res.Register.Projects, res.Duration.Seconds()
	out.WarnCount = res.Problems.WarningCount
	out.addProjectProblems(res.Problems, false)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// uploadPageData is the import page's data: the kinds, and how many errors
// a report lists.
type uploadPageData struct {
	MaxErrors int
	Kinds     []uploadKind
	Today     string // the date picker offers no day ahead (a snapshot from the future is refused)
}

func newUploadPageData() uploadPageData {
	return uploadPageData{MaxErrors: coverage.DefaultProblemLimit, Kinds: uploadKinds,
		Today: coverage.Today(time.Now()).Format(time.DateOnly)}
}

// importMobilePart imports a mobile coverage file by upload, streamed from
// the multipart body, with the same checks as the CLI and all or nothing.
func (s *Server) importMobilePart(w http.ResponseWriter, r *http.Request, p *auth.Principal, part *multipart.Part, asOf time.Time) error {
	name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
	if name == "" || name == "." || name == "/" {
		name = "mobiltackning.csv"
	}
	ctx, cancel := context.WithTimeout(r.Context(), importTimeout)
	defer cancel()
	s.log.InfoContext(ctx, "mobile import by upload", "file", name, "as_of", asOf.Format(time.DateOnly), "token_id", p.TokenID)
	res, err := s.mobile.Import(ctx, part, mobile.ImportOptions{AsOf: asOf, Name: name, Log: s.log, Audit: p.Entry(auth.ActionImport)})
	out := uploadResult{Kind: "mobile", File: name, AsOf: asOf.Format(time.DateOnly), Errors: []string{}, Warnings: []string{},
		ErrorDetails: []problemJSON{}, WarningDetails: []problemJSON{}}
	var ie *tabular.ImportError
	switch {
	case errors.As(err, &ie):
		out.ErrorCount, out.WarnCount = ie.Problems.ErrorCount, ie.Problems.WarningCount
		out.addProblems(ie.Problems, true) // each with its kind, which the page says in Swedish
		writeJSON(w, http.StatusUnprocessableEntity, out)
		return nil
	case err != nil:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{Status: http.StatusRequestEntityTooLarge, Field: "file", Message: fmt.Sprintf("the file is larger than %d GiB", maxUpload>>30)}
		}
		return err
	}
	sn := res.Snapshot
	s.mobileMemo.forget()
	out.OK, out.Replaced, out.Rows, out.Seconds = true, res.Replaced, sn.Rows, res.Duration.Seconds()
	out.Squares, out.SquareSize, out.Operators = sn.Squares, sn.Size, sn.Operators
	if sn.CoverageID != 0 {
		out.CoverageAsOf = sn.CoverageAsOf.Format(time.DateOnly)
	}
	out.WarnCount = res.Problems.WarningCount
	out.addProblems(res.Problems, false)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// addProjectProblems adds a register's problems: the English texts, and each
// with its kind and place, which the page says in Swedish.
func (u *uploadResult) addProjectProblems(p *projects.Problems, withErrors bool) {
	detail := func(pr projects.Problem) problemJSON {
		d := problemJSON{Value: tabular.Printable(pr.Value, tabular.ValueRunes), Code: pr.Code, Params: pr.Params,
			Message: tabular.Printable(pr.Message, 400), ID: tabular.Printable(pr.ID, tabular.ValueRunes),
			Property: tabular.Printable(pr.Property, tabular.ValueRunes)}
		if pr.Feature >= 0 {
			d.Feature = &pr.Feature
		}
		return d
	}
	if withErrors {
		for _, pr := range p.Errors {
			u.Errors = append(u.Errors, pr.String())
			u.ErrorDetails = append(u.ErrorDetails, detail(pr))
		}
	}
	for _, pr := range p.Warnings {
		u.Warnings = append(u.Warnings, pr.String())
		u.WarningDetails = append(u.WarningDetails, detail(pr))
	}
}
