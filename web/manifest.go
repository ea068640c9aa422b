package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
)

// manifestFile is where vite.config.js has Vite write its manifest.
const manifestFile = "manifest.json"

// chunk is one entry of Vite's manifest: a source file and what it became.
type chunk struct {
	File    string   `json:"file"`    // "assets/map-B1x2y3z4.js", relative to dist
	Src     string   `json:"src"`     // "src/map.js"
	IsEntry bool     `json:"isEntry"` // an input of vite.config.js
	Imports []string `json:"imports"` // keys of the chunks it imports statically
	CSS     []string `json:"css"`     // files of the CSS it imports
}

// manifest maps a source path ("src/map.js") or a shared chunk's key
// ("_auto-B1x2y3z4.js") to its chunk.
type manifest map[string]chunk

func readManifest(dist fs.FS) (manifest, error) {
	b, err := fs.ReadFile(dist, manifestFile)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("web: dist/%s: %w", manifestFile, err)
	}
	for key, c := range m {
		if c.File == "" {
			return nil, fmt.Errorf("web: dist/%s: %q has no file", manifestFile, key)
		}
	}
	return m, nil
}

func (m manifest) entries() []string {
	var es []string
	for key, c := range m {
		if c.IsEntry {
			es = append(es, key)
		}
	}
	slices.Sort(es)
	return es
}

// tags returns the tags that load entry ("src/map.js") and everything it
// imports: the stylesheets of the imported chunks, then its own, then the
// module script, then a modulepreload per imported chunk so the browser
// fetches them in parallel. A CSS entry gives one stylesheet link.
func (m manifest) tags(entry string) (template.HTML, error) {
	if m == nil {
		return "", nil // never built: the error page renders unstyled
	}
	c, ok := m[entry]
	if !ok || !c.IsEntry {
		return "", fmt.Errorf("web: %q is not an entry of dist/%s; entries: %s (add it to vite.config.js and run make web)",
			entry, manifestFile, strings.Join(m.entries(), ", "))
	}
	var css, preload []string
	seenCSS, seenChunk := map[string]bool{}, map[string]bool{entry: true}
	addCSS := func(files []string) {
		for _, f := range files {
			if !seenCSS[f] {
				seenCSS[f] = true
				css = append(css, f)
			}
		}
	}
	var walk func(keys []string)
	walk = func(keys []string) {
		for _, key := range keys {
			if seenChunk[key] {
				continue
			}
			seenChunk[key] = true
			imp := m[key]
			walk(imp.Imports)
			addCSS(imp.CSS)
			preload = append(preload, imp.File)
		}
	}
	walk(c.Imports)
	addCSS(c.CSS)

	var b strings.Builder
	if strings.HasSuffix(c.File, ".css") {
		addCSS([]string{c.File})
	}
	for _, f := range css {
		fmt.Fprintf(&b, `<link rel="stylesheet" href="%s">`+"\n", url(f))
	}
	if !strings.HasSuffix(c.File, ".css") {
		fmt.Fprintf(&b, `<script type="module" src="%s"></script>`+"\n", url(c.File))
	}
	for _, f := range preload {
		fmt.Fprintf(&b, `<link rel="modulepreload" href="%s">`+"\n", url(f))
	}
	return template.HTML(b.String()), nil
}

// url is a dist file's URL: Vite's names are [A-Za-z0-9_-] and dots, and the
// escaping only guards against a manifest that was tampered with.
func url(file string) string { return template.HTMLEscapeString("/" + file) }

// tags is the template function assets: {{assets "src/map.js"}}.
func (p *Pages) tags(entry string) (template.HTML, error) { return p.manifest.tags(entry) }
