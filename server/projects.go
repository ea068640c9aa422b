package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/projects"
)

// The projects API (server/openapi/projects.json): the build-out project
// register against a coverage snapshot (spec/projects.md). The figures are
// aggregates and public, withheld where they would single out fewer than 5
// households (projects/privacy.go); a coordinator's token gets every figure.

var projectID = regexp.MustCompile(`^.{1,64}$`)

// projectsQuery reads as_of, municipality and format, and whether the
// caller sees the coordinator's figures.
func projectsQuery(r *http.Request, formats ...string) (projects.Query, string, error) {
	p, err := parseReportParams(r.URL.Query(), formats...)
	if err != nil {
		return projects.Query{}, "", err
	}
	q := projects.Query{AsOf: p.asOf, Municipality: r.URL.Query().Get("municipality")}
	if q.Municipality != "" && !municipalityCode.MatchString(q.Municipality) {
		return q, "", &apiError{Status: http.StatusBadRequest, Field: "municipality", Message: "a municipality code of four digits, such as 0881"}
	}
	pr := auth.FromContext(r.Context())
	q.Full = pr != nil && pr.Role == auth.Coordinator
	return q, p.format, nil
}

// projectsError maps the register's errors to what a client may see.
func projectsError(w http.ResponseWriter, err error) error {
	switch {
	case errors.Is(err, projects.ErrNoRegister):
		return &apiError{Status: http.StatusNotFound, Message: "no project register has been imported"}
	case errors.Is(err, projects.ErrUnknownProject):
		return &apiError{Status: http.StatusNotFound, Message: "no project of that id in the register in force"}
	case errors.Is(err, projects.ErrBuilding):
		w.Header().Set("Retry-After", "10")
		return &apiError{Status: http.StatusServiceUnavailable, Message: "the project figures for this snapshot are being built; try again shortly"}
	}
	return err
}

// setProjectsCache lets the public's answers be cached like the coverage
// API's; the coordinator's full figures stay private.
func setProjectsCache(w http.ResponseWriter, q projects.Query) {
	if q.Full {
		w.Header().Set("Cache-Control", "private, no-store")
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
}

// getProjects is the projects report as JSON (the shape of spec/projects.md),
// or the CSV and XLSX the projects page offers.
func (s *Server) getProjects(w http.ResponseWriter, r *http.Request) error {
	q, format, err := projectsQuery(r, projects.FormatJSON, projects.FormatCSV, projects.FormatXLSX)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	rep, err := s.projects.Report(ctx, q)
	if err != nil {
		return projectsError(w, err)
	}
	setProjectsCache(w, q)
	if format == projects.FormatJSON {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	var buf bytes.Buffer
	if err := projects.WriteReport(&buf, rep, format); err != nil {
		return fmt.Errorf("write projects as %s: %w", format, err)
	}
	ctype := "text/csv; charset=utf-8"
	if format == projects.FormatXLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := "utbyggnadsprojekt-" + rep.AsOf.String()
	if q.Municipality != "" {
		name += "-" + q.Municipality
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	_, err = buf.WriteTo(w)
	return err
}

// getProject is one project with its figures, and the areas it reaches into.
func (s *Server) getProject(w http.ResponseWriter, r *http.Request) error {
	q, _, err := projectsQuery(r)
	if err != nil {
		return err
	}
	q.Project = chi.URLParam(r, "id")
	if !projectID.MatchString(q.Project) {
		return projectsError(w, projects.ErrUnknownProject)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	rep, err := s.projects.Report(ctx, q)
	if err != nil {
		return projectsError(w, err)
	}
	setProjectsCache(w, q)
	out := struct {
		AsOf            string                 `json:"as_of"`
		RegisterVersion int                    `json:"register_version"`
		Audience        string                 `json:"audience"`
		Project         projects.ProjectReport `json:"project"`
		Notes           []string               `json:"notes"`
	}{AsOf: rep.AsOf.String(), RegisterVersion: rep.RegisterVersion, Audience: rep.Audience, Project: rep.Projects[0], Notes: rep.Notes}
	writeJSON(w, http.StatusOK, out)
	return nil
}
