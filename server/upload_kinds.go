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
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/tabular"
)

// uploadKind is one kind of file the upload page imports: the page's select
// lists them in this order, and POST /uppladdning hands the file to the
// kind's importPart. Adding a kind is an entry here.
type uploadKind struct {
	Value string // the form's value
	Label string // Swedish, in the select
	Hint  string // Swedish: which file, in which format
	// importPart imports the file part as of the date and answers the page.
	importPart func(w http.ResponseWriter, r *http.Request, p *auth.Principal, part *multipart.Part, asOf time.Time) error
}

// uploadKinds is the table of what the upload page imports, the default first.
func (s *Server) uploadKinds() []uploadKind {
	return []uploadKind{
		{Value: "coverage", Label: "Fast bredband per adresspunkt",
			Hint:       "Årets täckningsfil: en rad per adresspunkt och teknik, i gigakolls importformat.",
			importPart: s.importPart},
		{Value: "mobile", Label: "Mobiltäckning per ruta",
			Hint:       "Operatörernas mobiltäckning: en rad per ruta om 100 eller 250 m, operatör och teknik (2G–5G), med hastighet utomhus och inomhus.",
			importPart: s.importMobilePart},
	}
}

// uploadKindOf returns the kind of a form value ("" is the default).
func (s *Server) uploadKindOf(value string) (uploadKind, bool) {
	kinds := s.uploadKinds()
	if value == "" {
		return kinds[0], true
	}
	for _, k := range kinds {
		if k.Value == value {
			return k, true
		}
	}
	return uploadKind{}, false
}

// badKind is the answer to a kind the table does not have.
func (s *Server) badKind() error {
	var values []string
	for _, k := range s.uploadKinds() {
		values = append(values, k.Value)
	}
	return &apiError{Status: http.StatusBadRequest, Field: "kind", Message: "kind: one of " + strings.Join(values, ", ")}
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
	out := uploadResult{Kind: "mobile", File: name, AsOf: asOf.Format(time.DateOnly), Errors: []string{}, Warnings: []string{}}
	var ie *tabular.ImportError
	switch {
	case errors.As(err, &ie):
		out.ErrorCount, out.WarnCount = ie.Problems.ErrorCount, ie.Problems.WarningCount
		for _, pr := range ie.Problems.Errors {
			out.Errors = append(out.Errors, pr.String())
		}
		for _, pr := range ie.Problems.Warnings {
			out.Warnings = append(out.Warnings, pr.String())
		}
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
	for _, pr := range res.Problems.Warnings {
		out.Warnings = append(out.Warnings, pr.String())
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
