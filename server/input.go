package server

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// noSniff tells browsers never to guess a response's type: every answer
// says its Content-Type, and a CSV or JSON holding what looks like HTML
// stays CSV or JSON.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// refuseControlText answers 400 naming the part at fault when the path or
// a query parameter (its name or a value) holds a control character (NUL,
// a line break, DEL, C1) or is not UTF-8: no handler, and no database,
// ever sees them. PostgreSQL refuses NUL in text, and a line break in a
// value is never anything a client meant.
func (s *Server) refuseControlText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if field := controlTextIn(r); field != "" {
			err := &apiError{Status: http.StatusBadRequest, Field: field,
				Message: field + ": must be UTF-8 text without control characters (such as NUL or a line break)"}
			if wantsJSON(r) || !acceptsHTML(r) {
				s.writeError(w, r, err)
			} else {
				s.writePageError(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// controlTextIn names the first part of r with control characters: "path",
// or a query parameter's name; "" when there is none.
func controlTextIn(r *http.Request) string {
	if !cleanText(r.URL.Path) {
		return "path"
	}
	for name, values := range r.URL.Query() {
		if !cleanText(name) {
			return "query"
		}
		for _, v := range values {
			if !cleanText(v) {
				return name
			}
		}
	}
	return ""
}

// cleanText reports whether s is UTF-8 without control characters.
func cleanText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

// acceptsHTML: a browser asks for text/html.
func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
