package ogc

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the Swedish HTML views: plain pages without script or style of
// their own, for a person looking at the endpoint in a browser.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"prop": func(f feature, key string) string {
		m, ok := f.Properties.(map[string]any)
		if !ok { // a struct: through its JSON names
			b, _ := json.Marshal(f.Properties)
			_ = json.Unmarshal(b, &m)
		}
		switch v := m[key].(type) {
		case nil:
			return "–"
		case *float64:
			if v == nil {
				return "–"
			}
			return fmt.Sprintf("%.3f", *v)
		case float64:
			return fmt.Sprint(v)
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

func renderHTML(w http.ResponseWriter, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name+".html", data); err != nil {
		return fmt.Errorf("ogc: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err := buf.WriteTo(w)
	return err
}
