package ogc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gigakoll/gigakoll/auth"
)

// Caching: a public answer carries an ETag and may be kept five minutes by
// anyone; an answer to a signed-in caller is private (its collections list
// shows more), and address-level features are never stored.
const publicCacheControl = "public, max-age=300"

// cacheHeaders sets Cache-Control and Vary for r's answer: who asks
// changes what /collections lists, so a shared cache must key on it.
func cacheHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Authorization, Cookie, Accept")
	if auth.FromContext(r.Context()) != nil {
		w.Header().Set("Cache-Control", "private, no-cache")
		return
	}
	w.Header().Set("Cache-Control", publicCacheControl)
}

// notModified sets the ETag and answers 304 when the client holds it (the
// weak comparison of If-None-Match).
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	w.Header().Set("ETag", etag)
	for _, v := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if v = strings.TrimSpace(v); strings.TrimPrefix(v, "W/") == strings.TrimPrefix(etag, "W/") || v == "*" {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// etagOf is a weak ETag of parts: the compressed answer and the plain one
// mean the same.
func etagOf(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// writeDoc writes a JSON document with its ETag (the body's digest) and
// caching headers: 304 when the client holds it, no body for HEAD.
func (s *service) writeDoc(w http.ResponseWriter, r *http.Request, ctype string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	body := buf.Bytes()
	cacheHeaders(w, r)
	if notModified(w, r, etagOf(ctype, string(body))) {
		return nil
	}
	w.Header().Set("Content-Type", ctype)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}
