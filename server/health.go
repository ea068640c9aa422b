package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gigakoll/gigakoll/migrations"
)

// healthz answers while the process is up, whatever the database does.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readyz answers 200 when the database is reachable and migrated to this
// binary's schema, 503 with the reason otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), min(s.queryTimeout, 3*time.Second))
	defer cancel()
	if err := migrations.Check(ctx, s.pool); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}
