package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes is the one table of every endpoint and who may call it.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.observe)
	r.NotFound(s.h(s.notFound))
	r.MethodNotAllowed(s.h(s.methodNotAllowed))

	r.Get("/healthz", s.healthz)    // the process is up
	r.Get("/readyz", s.h(s.readyz)) // the database answers and is migrated
	r.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry}))
	return r
}
