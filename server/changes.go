package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gigakoll/gigakoll/coverage"
)

// getChanges is GET /api/v1/changes?from=&to=&class=: what changed between
// two snapshots per municipality and county (coverage.Store.Changes).
func (s *Server) getChanges(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	date := func(name string) (time.Time, error) {
		v := q.Get(name)
		if v == "" {
			return time.Time{}, nil
		}
		d, err := coverage.ParseDate(v)
		var de *coverage.DateError
		if errors.As(err, &de) {
			return d, &apiError{Status: http.StatusBadRequest, Field: name, Message: name + " " + de.Error()}
		}
		return d, nil
	}
	from, err := date("from")
	if err != nil {
		return err
	}
	if from.IsZero() {
		return &apiError{Status: http.StatusBadRequest, Field: "from", Message: "from: the earlier snapshot's date is required"}
	}
	to, err := date("to")
	if err != nil {
		return err
	}
	class := coverage.Class1G
	if v := q.Get("class"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || (n != 1000 && n != 100 && n != 30 && n != 10) {
			return &apiError{Status: http.StatusBadRequest, Field: "class", Message: "class: one of 1000, 100, 30, 10"}
		}
		class = coverage.Class(n)
	}
	rep, err := s.coverage.Changes(r.Context(), from, to, class)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", coverageCacheControl)
	writeJSON(w, http.StatusOK, rep)
	return nil
}
