package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gigakoll/gigakoll/migrations"
)

// healthz answers while the process is up, whatever the database does.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readiness is /readyz's answer: which check failed, in words. It never
// holds the error itself, whose text names the database's host, port, user
// and database: anyone may ask /readyz, and the log has the detail.
type readiness struct {
	Status string `json:"status"`           // "ready" or "unavailable"
	Check  string `json:"check,omitempty"`  // the check that failed: "database" or "schema"
	Reason string `json:"reason,omitempty"` // what is wrong, for a person
	// Replicas: each read replica's state and lag; one that is down does
	// not make the server unready (its reads go to the primary).
	Replicas []replicaState `json:"replicas,omitempty"`
}

// readyz answers 200 when the database is reachable and migrated to this
// binary's schema, 503 naming the check that failed otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), min(s.queryTimeout, 3*time.Second))
	defer cancel()
	notReady := func(check, reason string, err error) error {
		s.log.WarnContext(r.Context(), "not ready", "check", check, "err", err)
		writeJSON(w, http.StatusServiceUnavailable, readiness{Status: "unavailable", Check: check, Reason: reason, Replicas: s.replicaStates()})
		return nil
	}
	if err := s.pool.Ping(ctx); err != nil {
		return notReady("database", "the database does not answer", err)
	}
	switch err := migrations.Check(ctx, s.pool); {
	case errors.Is(err, migrations.ErrBehind):
		return notReady("schema", "the database schema or its reference data is behind this binary: run gigakoll migrate", err)
	case err != nil:
		return notReady("schema", "the database's schema version could not be read", err)
	}
	writeJSON(w, http.StatusOK, readiness{Status: "ready", Replicas: s.replicaStates()})
	return nil
}
