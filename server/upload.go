package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/tabular"
)

// importTimeout bounds an upload: reading a whole country's file and
// building its figures.
const importTimeout = 2 * time.Hour

// maxUpload caps an uploaded coverage file (all of Sweden is well below).
const maxUpload = 8 << 30

// uploadResult is the upload page's answer (JSON, for its script).
type uploadResult struct {
	OK         bool     `json:"ok"`
	File       string   `json:"file"`
	AsOf       string   `json:"as_of"`
	Replaced   bool     `json:"replaced"`
	Points     int64    `json:"points"`
	Rows       int64    `json:"rows"`
	Households int64    `json:"households"`
	Workplaces int64    `json:"workplaces"`
	Seconds    float64  `json:"seconds"`
	ErrorCount int      `json:"error_count"`
	Errors     []string `json:"errors"` // FILE:LINE: column NAME: value "…": what is wrong
	WarnCount  int      `json:"warning_count"`
	Warnings   []string `json:"warnings"`            // likewise
	FollowUp   string   `json:"follow_up,omitempty"` // the snapshot landed, but what follows it failed (Swedish)
	Kind       string   `json:"kind"`                // uploadKinds' id
	Version    int      `json:"version,omitempty"`   // projects: the register's version
	Projects   int      `json:"projects,omitempty"`  // projects: how many
	// The same problems with their kind and figures, which the page renders
	// in Swedish (web/templates/upload.html); the texts above are English.
	ErrorDetails   []problemJSON `json:"error_details"`
	WarningDetails []problemJSON `json:"warning_details"`
	// a mobile coverage file (server/upload_kinds.go)
	Squares      int64    `json:"squares,omitempty"`
	SquareSize   int64    `json:"square_size,omitempty"`
	Operators    []string `json:"operators,omitempty"`
	CoverageAsOf string   `json:"coverage_as_of,omitempty"` // the coverage snapshot whose households it counts
}

// problemJSON is a problem for the page: where, what, and its kind.
type problemJSON struct {
	Line    int               `json:"line,omitempty"`
	Column  string            `json:"column,omitempty"`
	Value   string            `json:"value,omitempty"`
	Code    string            `json:"code,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message"` // English, for a kind the page has no text for
	// a project register's problems are located by feature (from 0, as
	// .features[N]), its id and the property instead of line and column
	Feature  *int   `json:"feature,omitempty"`
	ID       string `json:"id,omitempty"`
	Property string `json:"property,omitempty"`
}

// problemDetail is a problem as the page shows it: names and values clipped
// and made printable as in the English text.
func problemDetail(p coverage.Problem) problemJSON {
	return problemJSON{Line: p.Line, Column: tabular.Printable(p.Column, tabular.ValueRunes),
		Value: tabular.Printable(p.Value, tabular.ValueRunes), Code: p.Code, Params: p.Params,
		Message: tabular.Printable(p.Message, 400)}
}

func (u *uploadResult) addProblems(p *coverage.Problems, withErrors bool) {
	if withErrors {
		for _, pr := range p.Errors {
			u.Errors = append(u.Errors, pr.String())
			u.ErrorDetails = append(u.ErrorDetails, problemDetail(pr))
		}
	}
	for _, pr := range p.Warnings {
		u.Warnings = append(u.Warnings, pr.String())
		u.WarningDetails = append(u.WarningDetails, problemDetail(pr))
	}
}

// postUpload is POST /uppladdning: a coordinator's coverage file, streamed
// from the multipart body straight into the import (no temporary file, the
// file never whole in memory), with the same validation as the CLI and all
// or nothing. The form sends its fields in order: csrf, kind, as_of, then
// file; kind (uploadKinds) is coverage when not sent.
func (s *Server) postUpload(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(importTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(importTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return &apiError{Status: http.StatusBadRequest, Message: "want a multipart/form-data upload"}
	}
	var asOf time.Time
	kind := uploadKinds[0]
	csrfOK := p.CSRF == "" // a Bearer request carries no cookie to forge
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return &apiError{Status: http.StatusBadRequest, Field: "file", Message: "no file was sent"}
		}
		if err != nil {
			return &apiError{Status: http.StatusBadRequest, Message: "bad multipart body"}
		}
		switch part.FormName() {
		case "csrf":
			v, _ := readSmall(part)
			csrfOK = csrfOK || p.CheckCSRF(v)
		case "kind":
			v, _ := readSmall(part)
			k, ok := uploadKindOf(strings.TrimSpace(v))
			if !ok {
				return &apiError{Status: http.StatusBadRequest, Field: "kind", Message: "kind: not a kind of import"}
			}
			kind = k
		case "as_of":
			v, _ := readSmall(part)
			if !kind.AsOf {
				continue
			}
			if asOf, err = coverage.ParseDate(strings.TrimSpace(v)); err != nil {
				return &apiError{Status: http.StatusBadRequest, Field: "as_of", Message: "as_of " + err.Error()}
			}
		case "file":
			if !csrfOK {
				return &apiError{Status: http.StatusForbidden, Field: "csrf", Message: "bad form token: reload the page"}
			}
			if kind.AsOf && asOf.IsZero() {
				return &apiError{Status: http.StatusBadRequest, Field: "as_of", Message: "as_of must come before the file"}
			}
			return kind.Import(s, w, r, p, part, asOf)
		}
	}
}

func readSmall(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, 256))
	return string(b), err
}

func (s *Server) importPart(w http.ResponseWriter, r *http.Request, p *auth.Principal, part *multipart.Part, asOf time.Time) error {
	name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
	if name == "" || name == "." || name == "/" {
		name = "uppladdning.csv"
	}
	ctx, cancel := context.WithTimeout(r.Context(), importTimeout)
	defer cancel()
	s.log.InfoContext(ctx, "import by upload", "file", name, "as_of", asOf.Format(time.DateOnly), "token_id", p.TokenID)
	res, err := s.coverage.Import(ctx, part, coverage.ImportOptions{AsOf: asOf, Name: name, Log: s.log,
		Audit: p.Entry(auth.ActionImport)})
	out := uploadResult{Kind: "coverage", File: name, AsOf: asOf.Format(time.DateOnly), Errors: []string{}, Warnings: []string{},
		ErrorDetails: []problemJSON{}, WarningDetails: []problemJSON{}}
	var ie *coverage.ImportError
	var future *coverage.FutureDateError
	switch {
	case errors.As(err, &ie):
		out.ErrorCount, out.WarnCount = ie.Problems.ErrorCount, ie.Problems.WarningCount
		out.addProblems(ie.Problems, true)
		writeJSON(w, http.StatusUnprocessableEntity, out)
		return nil
	case errors.As(err, &future):
		// Refused before a byte was read: the date is the one problem.
		pr := coverage.Problem{File: name, Message: future.Error(), Code: "future-date",
			Params: tabular.P("as_of", future.AsOf.Format(time.DateOnly), "today", future.Today.Format(time.DateOnly))}
		out.ErrorCount = 1
		out.Errors = append(out.Errors, pr.String())
		out.ErrorDetails = append(out.ErrorDetails, problemDetail(pr))
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
	if res.FollowUp != nil {
		s.log.ErrorContext(ctx, "address suggestions not refreshed after an upload", "err", res.FollowUp)
		out.FollowUp = "Adressförslagen till mätsidan kunde inte uppdateras; det sker vid nästa import eller omstart av tjänsten."
	}
	out.OK, out.Replaced, out.Points, out.Rows = true, res.Replaced, sn.Points, sn.Rows
	out.Households, out.Workplaces, out.Seconds = sn.Households, sn.Workplaces, res.Duration.Seconds()
	out.WarnCount = res.Problems.WarningCount
	out.addProblems(res.Problems, false)
	writeJSON(w, http.StatusOK, out)
	return nil
}
