package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/cors"
	"github.com/klauspost/compress/gzhttp"
)

// The web's conventions for what GIS tools and other sites read: responses
// compressed when the client accepts it, and public reads open to pages of
// other sites (CORS).

// compressedTypes are the media types worth compressing: text and vector
// tiles. XLSX is a zip already, images and the speed test's random bytes
// do not shrink.
var compressedTypes = []string{
	"application/json", "application/geo+json", "application/schema+json", "application/vnd.oai.openapi+json",
	"application/vnd.mapbox-vector-tile", "text/csv", "text/html", "text/css", "text/javascript",
	"application/javascript", "image/svg+xml", "text/plain",
}

// newCompressor returns the middleware that compresses what the client
// accepts (gzip, or zstd where it prefers it) with klauspost/compress's
// gzhttp: streaming (a GeoJSON page leaves as PostgreSQL sends it), nothing
// under 1 KiB, and a handler that compressed its answer itself (a cached
// tile) passed through. ETags are weak (W/"…"): one validator serves the
// compressed and the plain answer, which mean the same.
func newCompressor() (func(http.Handler) http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressedTypes), gzhttp.MinSize(1024))
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	return func(next http.Handler) http.Handler {
		compressed := wrap(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch p := r.URL.Path; {
			case strings.HasPrefix(p, "/ndt/"), p == "/metrics": // a WebSocket; promhttp compresses itself
				next.ServeHTTP(w, r)
			default:
				compressed.ServeHTTP(w, r)
			}
		})
	}, nil
}

// newCORS returns the middleware that lets pages of the origins listed
// ("*": any) read public data with GET and HEAD (go-chi/cors, the chi
// family's port of rs/cors). Writes are never opened to other sites; a
// token may be sent in Authorization, cookies never. No origins: no CORS.
func newCORS(origins []string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return cors.Handler(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodHead},
		AllowedHeaders:   []string{"Authorization", "If-None-Match", "Accept"},
		ExposedHeaders:   []string{"ETag", "Content-Crs", "Content-Disposition"},
		AllowCredentials: false,
		MaxAge:           600,
	})
}

// acceptsGzip reports whether the client takes a gzip-encoded answer
// (Accept-Encoding, with its q-values).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
