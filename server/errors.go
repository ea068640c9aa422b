package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/ogc"
)

// handlerFunc is a handler that returns its error; writeError answers it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) h(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// apiError is an error with the status and message a client may see.
type apiError struct {
	Status  int
	Field   string // the query parameter or JSON field at fault, if any
	Message string
}

func (e *apiError) Error() string { return e.Message }

// errorItem is one entry of the error body: {"errors":[{"field","message"}]}.
type errorItem struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// writeError is the one place where an error becomes a status and a body.
// Clients get a plain message; the wrapped detail goes to the log only.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var api *apiError
	var param *ogc.ParamError        // a bad parameter of the OGC endpoint
	var invalid measure.InvalidError // every bad field of a measurement
	switch {
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": invalid})
	case errors.Is(err, measure.ErrIdempotencyMismatch):
		writeJSON(w, http.StatusUnprocessableEntity, errorBody(errorItem{Field: "Idempotency-Key",
			Message: "this key was used before for another body; use a new key for a new measurement"}))
	case errors.Is(err, coverage.ErrSnapshotReplaced): // twice in a row: imports keep landing
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, errorBody(errorItem{Message: "a new coverage snapshot was being published; ask again"}))
	case errors.Is(err, measure.ErrUnavailable):
		w.Header().Set("Retry-After", "2")
		writeJSON(w, http.StatusServiceUnavailable, errorBody(errorItem{Message: "busy; nothing was stored, try again"}))
	case errors.As(err, &api):
		writeJSON(w, api.Status, errorBody(errorItem{Field: api.Field, Message: api.Message}))
	case errors.Is(err, coverage.ErrNoSnapshot):
		writeJSON(w, http.StatusNotFound, errorBody(errorItem{Field: "as_of", Message: "no coverage snapshot for that date"}))
	case errors.Is(err, auth.ErrUnauthenticated):
		writeUnauthorized(w, r)
	case errors.Is(err, auth.ErrForbidden):
		writeJSON(w, http.StatusForbidden, errorBody(errorItem{Message: "this token may not see this"}))
	case errors.Is(err, coverage.ErrUnknownTarget):
		writeJSON(w, http.StatusBadRequest, errorBody(errorItem{Field: "target", Message: "no such target for this municipality"}))
	case errors.As(err, &param):
		writeJSON(w, http.StatusBadRequest, errorBody(errorItem{Field: param.Param, Message: param.Error()}))
	case errors.Is(err, ogc.ErrNotFound):
		writeJSON(w, http.StatusNotFound, errorBody(errorItem{Message: "no such collection or feature"}))
	case errors.Is(err, coverage.ErrUnknownArea):
		writeJSON(w, http.StatusNotFound, errorBody(errorItem{Field: "code", Message: "no such municipality or county"}))
	case pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, errorBody(errorItem{Message: "busy; nothing was stored, try again"}))
	default:
		s.log.ErrorContext(r.Context(), "request failed", "route", routePattern(r), "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody(errorItem{Message: "internal error"}))
	}
}

// writeUnauthorized answers 401 with the challenges a client can answer:
// Bearer always; Basic too where GIS tools authenticate (under /ogc and
// /tiles, and to any request that sent Basic), with the token as the
// password. The message tells a GDAL or QGIS user what to fix; GDAL prints
// it.
func writeUnauthorized(w http.ResponseWriter, r *http.Request) {
	sent := r.Header.Get("Authorization") != ""
	bearer := `Bearer realm="gigakoll"`
	if sent && !auth.UsesBasic(r) {
		bearer += `, error="invalid_token"`
	}
	w.Header().Add("WWW-Authenticate", bearer)
	if auth.UsesBasic(r) || strings.HasPrefix(r.URL.Path, "/ogc") || strings.HasPrefix(r.URL.Path, "/tiles") {
		w.Header().Add("WWW-Authenticate", `Basic realm="gigakoll", charset="UTF-8"`)
	}
	msg := "a valid token is needed: Authorization: Bearer gk_…, or HTTP Basic with the token as the password (any user name)"
	if sent {
		msg = "the token sent is unknown, expired or revoked (as a Bearer token or as the password of HTTP Basic): " +
			"check the whole token was copied, or ask for a new one"
	}
	writeJSON(w, http.StatusUnauthorized, errorBody(errorItem{Message: msg}))
}

func errorBody(items ...errorItem) map[string]any {
	return map[string]any{"errors": items}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return &apiError{Status: http.StatusNotFound, Message: "no such resource: " + r.URL.Path}
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	return &apiError{Status: http.StatusMethodNotAllowed, Message: "method " + r.Method + " not allowed here"}
}

// writeJSON writes v as the JSON body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away: nothing to do
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
