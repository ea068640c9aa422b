package ogc

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

// relText names a link's relation in Swedish for the HTML views (the JSON
// keeps the API's English titles).
var relText = map[string]string{
	"self": "den här sidan", "alternate": "samma sida i ett annat format", "service-desc": "API-beskrivningen (OpenAPI 3.0)",
	"conformance": "vilka delar av standarden som stöds", "http://www.opengis.net/def/rel/ogc/1.0/conformance": "vilka delar av standarden som stöds",
	"data": "samlingarna", "http://www.opengis.net/def/rel/ogc/1.0/data": "samlingarna", "items": "objekten",
	"next": "nästa sida", "prev": "föregående sida", "collection": "samlingen", "root": "startsidan",
	"describedby": "objektens egenskaper (JSON Schema)", "describedBy": "objektens egenskaper (JSON Schema, för äldre GDAL)",
	"queryables": "egenskaper att filtrera på (för äldre GDAL)", "http://www.opengis.net/def/rel/ogc/1.0/queryables": "egenskaper att filtrera på",
}

// pages are the Swedish HTML views, for a person looking at the endpoint in
// a browser: no script, one stylesheet of their own (style.css).
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"rel": func(rel string) string {
		if t, ok := relText[rel]; ok {
			return t
		}
		return rel
	},
	"prop": func(f feature, key string) string {
		m, ok := f.Properties.(props)
		if !ok { // a struct: through its JSON names
			b, _ := json.Marshal(f.Properties)
			_ = json.Unmarshal(b, &m)
		}
		switch v := m[key].(type) {
		case nil:
			return "–"
		case number:
			return strconv.FormatFloat(float64(v), 'f', -1, 64)
		default:
			return fmt.Sprint(v)
		}
	},
}).ParseFS(templateFS, "templates/*.html"))

// itemsPage is the HTML view of a page of features.
type itemsPage struct {
	Collection *collection
	Features   []feature
	Matched    int64
	Links      []link
	Columns    []string
}

func (s *service) renderHTML(w http.ResponseWriter, r *http.Request, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name+".html", data); err != nil {
		return fmt.Errorf("ogc: render %s: %w", name, err)
	}
	h := w.Header()
	if h.Get("Cache-Control") == "" {
		cacheHeaders(w, r)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := buf.WriteTo(w)
	return err
}

// styleSheet serves the HTML views' stylesheet.
func styleSheet(w http.ResponseWriter, _ *http.Request) {
	b, _ := templateFS.ReadFile("templates/style.css") // embedded: cannot fail
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}
