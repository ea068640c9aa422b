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

// readiness is the body of /readyz.
type readiness struct {
	Status   string         `json:"status"`           // "ready" or "unavailable"
	Reason   string         `json:"reason,omitempty"` // why unavailable
	Replicas []replicaState `json:"replicas,omitempty"`
}

// readyz answers 200 when the database is reachable and migrated to this
// binary's schema, 503 with the reason otherwise. With read replicas, it
// lists each one's state and lag; a replica that is down does not make the
// server unready (its reads go to the primary).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), min(s.queryTimeout, 3*time.Second))
	defer cancel()
	if err := migrations.Check(ctx, s.pool); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, readiness{Status: "unavailable", Reason: err.Error(), Replicas: s.replicaStates()})
		return nil
	}
	writeJSON(w, http.StatusOK, readiness{Status: "ready", Replicas: s.replicaStates()})
	return nil
}
