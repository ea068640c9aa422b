package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// served are the dist folders the Assets handler serves; the manifest and
// anything else in dist stay private.
var served = []string{
	"assets", // Vite's hashed output: /assets/map-B1x2y3z4.js
	"ndt7",   // ndt7's Web Workers at a stable URL: /ndt7/ndt7-download-worker.js
}

// asset is one servable file of dist, held in memory as embed holds it.
type asset struct {
	body      []byte
	ctype     string
	etag      string // strong, from the content: a file that is not hashed still revalidates cheaply
	immutable bool   // the name carries a content hash: cache it for a year
	gzipped   func() []byte
}

// hashed matches Vite's [name]-[hash].[ext]: the hash is 8 or more of
// [A-Za-z0-9_-].
var hashed = regexp.MustCompile(`-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$`)

func loadAssets(dist fs.FS) (map[string]*asset, error) {
	assets := map[string]*asset{}
	for _, dir := range served {
		err := fs.WalkDir(dist, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(dist, name)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			a := &asset{
				body:      b,
				ctype:     contentType(name),
				etag:      `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
				immutable: dir == "assets" && hashed.MatchString(path.Base(name)),
			}
			a.gzipped = sync.OnceValue(func() []byte { return compress(a.ctype, a.body) })
			assets[name] = a
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // a folder the build did not make: nothing to serve
			return nil, err
		}
	}
	return assets, nil
}

// Assets serves the built files under /assets/ (hashed, cached for a year)
// and /ndt7/ (stable names, revalidated with their ETag), with their
// content type, gzip when the client takes it, and 404 for anything else.
func (p *Pages) Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := p.assets[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.Error(w, "404: no such file", http.StatusNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		if a.immutable {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		body, etag := a.body, a.etag
		if gz := a.gzipped(); gz != nil {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r.Header.Get("Accept-Encoding")) {
				body, etag = gz, strings.TrimSuffix(etag, `"`)+`-gz"`
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body)) // Range, HEAD, If-None-Match
	})
}

// contentTypes are set here rather than taken from the system's MIME table,
// which differs between machines (a module worker is .mjs, a source map .map).
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".gif":   "image/gif",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".wasm":  "application/wasm",
	".pbf":   "application/x-protobuf",
	".txt":   "text/plain; charset=utf-8",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compress returns the gzip of a text body, or nil when it would not pay.
func compress(ctype string, body []byte) []byte {
	text := strings.HasPrefix(ctype, "text/") || ctype == "application/json" ||
		ctype == "image/svg+xml" || ctype == "application/x-protobuf"
	if !text || len(body) < 1024 {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // once per file and process
	zw.Write(body)
	zw.Close()
	if buf.Len() >= len(body)*9/10 {
		return nil
	}
	return buf.Bytes()
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip
// (a "gzip;q=0" refuses it).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
