package server

import (
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/measure/ndt7"
)

// routes is the one table of every endpoint and who may call it.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.observe, noSniff, s.strictTransport, s.refuseControlText)
	r.Use(s.pinReads)                         // the database this request reads from: a read replica, or the primary
	r.Use(s.compress)                         // gzip or zstd when the client takes it (server/compress.go)
	r.Use(s.authenticate)                     // the principal: Bearer or Basic token, session cookie, or the public
	r.NotFound(s.notFoundAny)                 // JSON under /api/, a Swedish page elsewhere
	r.MethodNotAllowed(s.methodNotAllowedAny) // likewise

	r.Get("/healthz", s.healthz)    // the process is up
	r.Get("/readyz", s.h(s.readyz)) // the database answers and is migrated
	r.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry}))

	// The JSON API (described by /api/v1/openapi.json).
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(s.cors, middleware.GetHead) // reads open to other sites' pages; HEAD as GET
		// coverage: snapshots, targets, municipalities (public aggregates)
		r.Get("/openapi.json", s.h(s.getOpenAPI))               // this API's OpenAPI 3 document
		r.Get("/snapshots", s.h(s.getSnapshots))                // every snapshot, oldest first
		r.Get("/targets", s.h(s.getTargets))                    // the targets report: json, csv, xlsx
		r.Get("/municipalities", s.h(s.getMunicipalities))      // each municipality's headline figures
		r.Get("/municipalities/{code}", s.h(s.getMunicipality)) // one municipality's report and its county's
		r.Get("/changes", s.h(s.getChanges))                    // what changed between two snapshots (server/changes.go)
		// gap reports and address-level data (municipality users, coordinators)
		r.Get("/municipalities/{code}/gaps", s.h(s.getGaps)) // public: by square; own municipality: by address
		// residents' measurements (spec/measurements.md)
		r.With(s.measureRateLimit).Post("/measurements", s.h(s.postMeasurement)) // 201 once committed; 429 per client
		r.Get("/measurements/summary", s.h(s.getMeasurementSummary))             // an area's figures: >= 5 measurements
		r.Get("/addresses", s.h(s.getAddresses))                                 // address suggestions for the form
		r.Get("/measurements/report", s.h(s.getMeasurementReport))               // every published figure: csv, xlsx
		r.Get("/measurements/by-operator", s.h(s.getMeasurementGroups(true)))    // per area and operator: measure.publishGroups
		r.Get("/measurements/by-connection", s.h(s.getMeasurementGroups(false))) // per area and connection type, likewise
		// mobile coverage (spec/mobile.md): public aggregates
		r.Get("/mobile", s.h(s.getMobile))                    // the mobile report: json, csv, xlsx
		r.Get("/mobile/flags", s.h(s.getMobileFlags))         // squares where residents measure far below the claim
		r.Get("/mobile/snapshots", s.h(s.getMobileSnapshots)) // every mobile snapshot, and the one in force on a day
		// the build-out project register (spec/projects.md): public aggregates
		r.Get("/projects", s.h(s.getProjects))     // every project, and per area forecast, white spots, cost: json, csv, xlsx
		r.Get("/projects/{id}", s.h(s.getProject)) // one project
	})

	// The speed test: M-Lab's ndt7 protocol over WebSocket (measure/ndt7).
	r.Get(ndt7.DownloadPath, s.ndt7.Download)
	r.Get(ndt7.UploadPath, s.ndt7.Upload)

	// OGC API – Features for QGIS and GDAL (package ogc): public
	// aggregates, and address points for tokens of their municipalities.
	r.With(s.cors).Mount("/ogc", s.ogc)

	// Vector tiles of the map: public layers cached per snapshot (server/tiles.go).
	r.Route("/tiles", func(r chi.Router) {
		r.Use(s.cors, middleware.GetHead)
		r.Get("/{layer}/{z}/{x}/{y}.mvt", s.h(s.getTile)) // every zoom from 0
		r.Get("/{layer}.json", s.h(s.getTileJSON))        // TileJSON 3: zooms, bounds, fields
	})

	// Swedish pages (package web) and their built assets, under a CSP that
	// allows only this server.
	assets := s.pages.Assets().ServeHTTP
	r.Group(func(r chi.Router) {
		r.Use(pageHeaders)
		r.Get("/", s.p(s.mapPage))               // Karta: public aggregates
		r.Get("/mal", s.p(s.targetsPage))        // Mål: the county's targets table
		r.Get("/matning", s.p(s.measurePage))    // Mätning: residents' speed test
		r.Get("/utbyggnad", s.p(s.projectsPage)) // Utbyggnad: the build-out projects and the cost curve
		r.Get("/matningar", s.p(s.resultsPage))  // Mätresultat: the residents' figures (server/measure_results.go)
		r.Get("/logga-in", s.p(s.loginPage))     // sign-in
		r.Get("/assets/*", assets)               // Vite's hashed files: cached for a year
		r.Head("/assets/*", assets)
		r.Get("/ndt7/*", assets) // ndt7's Web Workers at a stable URL
		r.Head("/ndt7/*", assets)
		r.Group(func(r chi.Router) { // forms: refused cross-origin, and each checks its token
			r.Use(s.crossOrigin())
			r.Post("/logga-in", s.p(s.signIn))                                                           // token → session cookie
			r.Post("/logga-ut", s.p(s.signOut))                                                          // ends the session
			r.With(auth.Require(auth.Coordinator, s.writeError)).Post("/uppladdning", s.h(s.postUpload)) // import by upload
			r.Group(func(r chi.Router) {                                                                 // the administration's changes: each audited (server/admin.go)
				r.Use(s.requirePage(auth.Coordinator))
				r.Post("/administration/tokens", s.p(s.adminCreateToken))                 // a new token, shown once
				r.Post("/administration/tokens/{id}/aterkalla", s.p(s.adminRevokeToken))  // revoke a token and its sessions
				r.Post("/administration/lagen/{date}/radera", s.p(s.adminDeleteSnapshot)) // delete a snapshot, once confirmed
			})
		})
		r.With(s.requirePage(auth.Coordinator)).Get("/uppladdning", s.p(s.uploadPage))                         // coordinators: import page
		r.With(s.requirePage(auth.Coordinator)).Get("/administration", s.p(s.adminPage))                       // tokens, snapshots, audit log
		r.With(s.requirePage(auth.Coordinator)).Get("/administration/lagen/{date}", s.p(s.adminConfirmDelete)) // asks before deleting
	})
	return r
}
