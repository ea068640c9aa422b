package server

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
)

// The OpenAPI 3 document of /api/v1, served at /api/v1/openapi.json. It is
// assembled at start-up from fragments, one per area of the API, so that each
// area documents its own endpoints in its own file:
//
//	openapi/base.json      openapi, info, servers, tags and the shared
//	                       components (the error body, the as_of parameter)
//	openapi/<area>.json    "paths" and "components" (schemas, parameters,
//	                       responses, …) of one area, e.g. coverage.json
//
// A fragment may add paths and components but never redefine one another
// file defines: a duplicate fails start-up (and the tests) naming both files.
// TestOpenAPIMatchesTheRoutes checks every route under /api/v1 against the
// merged document, and every response of the tests against its schema.

//go:embed openapi/*.json
var openapiFS embed.FS

// openAPIDocument merges the fragments of fsys (base.json first, then the
// others by name) into one document.
func openAPIDocument(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Slice(names, func(i, j int) bool { // base.json first
		bi, bj := path.Base(names[i]) == "base.json", path.Base(names[j]) == "base.json"
		return bi && !bj || bi == bj && names[i] < names[j]
	})
	if len(names) == 0 || path.Base(names[0]) != "base.json" {
		return nil, fmt.Errorf("openapi: no base.json")
	}
	doc := map[string]any{}
	owner := map[string]string{} // "paths./snapshots" → the file that defines it
	for i, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", name, err)
		}
		if i == 0 {
			doc = frag
			for _, sec := range []string{"paths", "components"} {
				if _, ok := doc[sec]; !ok {
					doc[sec] = map[string]any{}
				}
			}
			recordOwners(owner, "paths", doc["paths"], name)
			if comps, ok := doc["components"].(map[string]any); ok {
				for kind, v := range comps {
					recordOwners(owner, "components."+kind, v, name)
				}
			}
			continue
		}
		for key, v := range frag {
			switch key {
			case "paths":
				if err := mergeInto(doc, []string{"paths"}, v, owner, name); err != nil {
					return nil, err
				}
			case "components":
				comps, ok := v.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("openapi: %s: components is not an object", name)
				}
				for kind, cv := range comps {
					if err := mergeInto(doc, []string{"components", kind}, cv, owner, name); err != nil {
						return nil, err
					}
				}
			case "tags":
				tags, ok := v.([]any)
				if !ok {
					return nil, fmt.Errorf("openapi: %s: tags is not a list", name)
				}
				prev, _ := doc["tags"].([]any)
				doc["tags"] = append(prev, tags...)
			default:
				return nil, fmt.Errorf("openapi: %s: a fragment holds paths, components and tags, not %q", name, key)
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func recordOwners(owner map[string]string, section string, v any, file string) {
	if m, ok := v.(map[string]any); ok {
		for k := range m {
			owner[section+"."+k] = file
		}
	}
}

// mergeInto adds the entries of v to the object at keys in doc, refusing
// one that another file already defines.
func mergeInto(doc map[string]any, keys []string, v any, owner map[string]string, file string) error {
	src, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("openapi: %s: %v is not an object", file, keys)
	}
	dst := doc
	for _, k := range keys {
		next, ok := dst[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			dst[k] = next
		}
		dst = next
	}
	section := keys[0]
	if len(keys) > 1 {
		section += "." + keys[1]
	}
	for k, e := range src {
		if prev, dup := owner[section+"."+k]; dup {
			return fmt.Errorf("openapi: %s defines %s %q, which %s already defines", file, section, k, prev)
		}
		owner[section+"."+k] = file
		dst[k] = e
	}
	return nil
}

// openAPI serves the merged document.
type openAPI struct {
	doc  []byte
	etag string
}

func newOpenAPI() (*openAPI, error) {
	doc, err := openAPIDocument(openapiFS)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(doc)
	return &openAPI{doc: doc, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

// getOpenAPI answers /api/v1/openapi.json.
func (s *Server) getOpenAPI(w http.ResponseWriter, r *http.Request) error {
	if notModified(w, r, s.openapi.etag, "public, max-age=300") {
		return nil
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(s.openapi.doc)
	return err
}
