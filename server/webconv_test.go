package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/mobile"
	"github.com/gigakoll/gigakoll/server"
)

// gunzip decodes a gzip body, failing the test when it is none.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAnswersAreGzippedForClientsThatTakeIt(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	for _, path := range []string{
		"/tiles/municipalities/8/139/78.mvt", // cached, gzipped once
		"/tiles/municipalities/8/139/78.mvt", // from the cache
		"/api/v1/targets",
		"/ogc/collections/municipalities/items?limit=5",
		"/tiles/municipalities.json",
	} {
		plainResp, plain := mapFetch(t, ts.URL+path, "Accept-Encoding", "identity")
		gzResp, gz := mapFetch(t, ts.URL+path, "Accept-Encoding", "gzip")
		if plainResp.StatusCode != 200 || gzResp.StatusCode != 200 {
			t.Fatalf("%s: %d and %d", path, plainResp.StatusCode, gzResp.StatusCode)
		}
		if plainResp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: compressed for a client that takes only identity", path)
		}
		if gzResp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(gzResp.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("%s: Content-Encoding %q, Vary %q; want gzip, varying on Accept-Encoding", path,
				gzResp.Header.Get("Content-Encoding"), gzResp.Header.Values("Vary"))
			continue
		}
		got := gunzip(t, gz)
		if strings.HasSuffix(path, ".mvt") {
			if !bytes.Equal(got, plain) {
				t.Errorf("%s: the gzipped tile is not the plain one", path)
			}
		} else if !json.Valid(got) {
			t.Errorf("%s: the gzipped answer is no JSON", path)
		}
		// One (weak) ETag serves both, and each answers 304 to it.
		etag := gzResp.Header.Get("ETag")
		if etag == "" || !strings.HasPrefix(etag, "W/") || etag != plainResp.Header.Get("ETag") {
			t.Errorf("%s: ETags %q and %q, want one weak ETag", path, etag, plainResp.Header.Get("ETag"))
		}
		if r, _ := mapFetch(t, ts.URL+path, "Accept-Encoding", "gzip", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: %d to its ETag, want 304", path, r.StatusCode)
		}
	}
}

func TestTileJSONDescribesEveryPublicLayer(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	for layer, want := range map[string]struct {
		minzoom int
		field   string
	}{"municipalities": {0, "met_<target>"}, "squares": {0, "cell"}, "measurements": {0, "median_down"}, "mobile": {mobile.TileMinZoom, "outdoor_mbps"}} {
		resp, b := mapFetch(t, ts.URL+"/tiles/"+layer+".json")
		var tj struct {
			TileJSON     string     `json:"tilejson"`
			Tiles        []string   `json:"tiles"`
			MinZoom      int        `json:"minzoom"`
			MaxZoom      int        `json:"maxzoom"`
			Bounds       [4]float64 `json:"bounds"`
			VectorLayers []struct {
				ID     string            `json:"id"`
				Fields map[string]string `json:"fields"`
			} `json:"vector_layers"`
		}
		if err := json.Unmarshal(b, &tj); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v %s", layer, resp.StatusCode, err, b)
		}
		if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.HasSuffix(tj.Tiles[0], "/tiles/"+layer+"/{z}/{x}/{y}.mvt") ||
			tj.MinZoom != want.minzoom || tj.MaxZoom != 14 || len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != layer {
			t.Errorf("%s: %s", layer, b)
		}
		if _, ok := tj.VectorLayers[0].Fields[want.field]; !ok {
			t.Errorf("%s: fields %v lack %s", layer, tj.VectorLayers[0].Fields, want.field)
		}
		// Kalmar län lies within the bounds.
		if b := tj.Bounds; !(b[0] < 16.3 && 16.4 < b[2] && b[1] < 56.6 && 56.7 < b[3]) {
			t.Errorf("%s: bounds %v do not hold Kalmar", layer, b)
		}
		// The template names tiles that exist: every zoom from the layer's minzoom.
		tile := strings.NewReplacer("{z}", "5", "{x}", "17", "{y}", "9").Replace(tj.Tiles[0])
		if tr, body := mapFetch(t, tile); tr.StatusCode != 200 && tr.StatusCode != 204 {
			t.Errorf("%s: %s = %d %s", layer, tile, tr.StatusCode, body)
		}
	}
	if resp, _ := mapFetch(t, ts.URL+"/tiles/squares.json?as_of=2023-10-01"); resp.StatusCode != 200 {
		t.Errorf("TileJSON of an older snapshot: %d", resp.StatusCode)
	}
	if resp, _ := mapFetch(t, ts.URL+"/tiles/squares.json?as_of=1999-10-01"); resp.StatusCode != 404 {
		t.Errorf("TileJSON of a date without a snapshot: %d, want 404", resp.StatusCode)
	}
	if resp, _ := mapFetch(t, ts.URL+"/tiles/addresses.json"); resp.StatusCode != 403 {
		t.Errorf("the addresses layer's TileJSON for the public: %d, want 403", resp.StatusCode)
	}
}

func TestSquaresHaveTilesAtEveryZoom(t *testing.T) {
	t.Parallel()
	ts, _ := mapServer(t, coverageFixture(t))
	// Kalmar (E 582000, N 6282000) at every zoom from 0: a QGIS layer with
	// zmin=0 is never blank at county scale.
	for z := range 15 {
		x, y := kalmarTileAt(z)
		resp, body := mapFetch(t, ts.URL+"/tiles/squares/"+itoa(z)+"/"+itoa(x)+"/"+itoa(y)+".mvt")
		if resp.StatusCode != 200 {
			t.Errorf("zoom %d: %d %s", z, resp.StatusCode, body)
			continue
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil || len(layers) != 1 || len(layers[0].Features) == 0 {
			t.Errorf("zoom %d: %v, %d layers", z, err, len(layers))
			continue
		}
		for _, f := range layers[0].Features {
			if h := f.Properties.MustFloat64("households"); h < 5 {
				t.Errorf("zoom %d: %s shows %v households", z, f.Properties.MustString("square"), h)
			}
			if size := f.Properties.MustFloat64("size"); (z < 8) != (size >= 2000) {
				t.Errorf("zoom %d: a square of %v m", z, size)
			}
		}
	}
}

func TestPublicReadsAreOpenToOtherSitesPagesAndWritesAreNot(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	for _, tc := range []struct {
		origins []string
		want    string // Access-Control-Allow-Origin for a page of https://kommun.example
	}{{[]string{"*"}, "*"}, {[]string{"https://kommun.example"}, "https://kommun.example"}, {[]string{"https://other.example"}, ""}, {nil, ""}} {
		h, err := server.New(server.Deps{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
			QueryTimeout: 10 * time.Second, Version: "test", CORSOrigins: tc.origins})
		if err != nil {
			t.Fatal(err)
		}
		ts := serveHandler(t, h)
		for _, path := range []string{"/tiles/municipalities/8/139/78.mvt", "/ogc/collections", "/api/v1/targets", "/tiles/squares.json"} {
			resp, _ := mapFetch(t, ts.URL+path, "Origin", "https://kommun.example")
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.want {
				t.Errorf("origins %v, GET %s: Access-Control-Allow-Origin %q, want %q", tc.origins, path, got, tc.want)
			}
		}
		// A preflight for a read with a token: allowed where the origin is.
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/ogc/collections/gaps/items", nil)
		req.Header.Set("Origin", "https://kommun.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "authorization")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.want {
			t.Errorf("origins %v, preflight: %q, want %q", tc.origins, got, tc.want)
		}
		// Writing is never opened: a preflight for a POST gets no permission.
		req, _ = http.NewRequest(http.MethodOptions, ts.URL+"/api/v1/measurements", nil)
		req.Header.Set("Origin", "https://kommun.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("origins %v: a POST is allowed from another site (%q)", tc.origins, got)
		}
	}
}

// kalmarTileAt is the tile of zoom z that holds the fixture's Kalmar square
// (SWEREF 99 TM E 582100, N 6282100).
func kalmarTileAt(z int) (int, int) {
	t := maptile.At(geo.ToWGS84(geo.SWEREF{E: 582100, N: 6282100}), maptile.Zoom(z))
	return int(t.X), int(t.Y)
}

func itoa(i int) string { return strconv.Itoa(i) }
