package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
)

// tileJSON is a layer's TileJSON 3.0.0 document (github.com/mapbox/tilejson-spec):
// what a client needs to draw it without being told: where the tiles are,
// their zooms, where there is data, and the features' attributes.
type tileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Version      string        `json:"version"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []vectorLayer `json:"vector_layers"`
}

type vectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// getTileJSON answers /tiles/{layer}.json: the layer's TileJSON, its tiles
// of ?as_of= when given (the latest snapshot otherwise), its bounds the
// counties the latest snapshot covers.
func (s *Server) getTileJSON(w http.ResponseWriter, r *http.Request) error {
	l, ok := s.tiles.layers[chi.URLParam(r, "layer")]
	if !ok {
		return &apiError{Status: http.StatusNotFound, Field: "layer", Message: "no such layer; there are " + s.tiles.layerNames()}
	}
	for k := range r.URL.Query() {
		if k != "as_of" {
			return &apiError{Status: http.StatusBadRequest, Field: k, Message: "no such parameter; there is as_of"}
		}
	}
	if l.allow != nil {
		if err := l.allow(r); err != nil {
			return err
		}
	}
	if _, err := l.version(r.Context(), r); err != nil { // a bad or unknown as_of
		return err
	}
	bounds, err := s.coverage.MapBounds(r.Context())
	if err != nil {
		return err
	}
	scheme := "http"
	if auth.Secure(r) {
		scheme = "https"
	}
	tiles := scheme + "://" + r.Host + "/tiles/" + l.name + "/{z}/{x}/{y}.mvt"
	if asOf := r.URL.Query().Get("as_of"); asOf != "" {
		tiles += "?as_of=" + url.QueryEscape(asOf)
	}
	doc := tileJSON{
		TileJSON: "3.0.0", Name: "gigakoll " + l.name, Description: l.description, Version: "1.0.0",
		Attribution: "gigakoll; gränser: Lantmäteriet (CC0)", Scheme: "xyz", Tiles: []string{tiles},
		MinZoom: l.minZoom, MaxZoom: l.maxZoom, Bounds: bounds,
		Center:       [3]float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 7},
		VectorLayers: []vectorLayer{{ID: l.name, Description: l.description, MinZoom: l.minZoom, MaxZoom: l.maxZoom, Fields: l.fields}},
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(append([]byte(s.version+"\x00"), body...))
	cacheControl := tileCacheControl
	if !l.public {
		cacheControl = "private, no-cache"
	}
	if notModified(w, r, `"`+hex.EncodeToString(sum[:12])+`"`, cacheControl) {
		return nil
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(body)
	return err
}
