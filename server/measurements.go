package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
	"github.com/gigakoll/gigakoll/measure/ndt7"
)

// maxMeasurementBody is the largest submission taken (spec/measurements.md):
// a measurement is a few hundred bytes.
const maxMeasurementBody = 16 << 10

// measureDeps builds the residents' measurement parts of the server: the
// store, the daily keys, the rate limiter and the speed test.
func (s *Server) measureDeps(d Deps) error {
	s.measurements = measure.NewStore(d.Pool)
	if d.Readers != nil && d.Readers.Replicas() {
		s.measurements.ReadFrom(d.Readers)
	}
	s.keys = measure.NewKeys()
	rate := d.MeasureRate
	if rate == (measure.Rate{}) {
		rate = measure.DefaultRate
	}
	if !rate.Off() {
		// A counter of our own: httprate then aligns its windows to the
		// clock, which is what submissionCounted needs to add to the window
		// httprate reads.
		s.rateCounter = httprate.NewLocalLimitCounter(rate.Per)
		s.limiter = httprate.NewRateLimiter(rate.N, rate.Per, httprate.WithLimitCounter(s.rateCounter))
		s.rate = rate
	}
	var err error
	s.ndt7, err = ndt7.New(ndt7.Config{MaxTests: d.SpeedTests, Registry: d.Registry, Log: d.Log})
	return err
}

// measureRateLimit limits submissions per client, keyed by a daily HMAC of
// its address (measure.Keys): 429 with Retry-After beyond the rate. Only
// stored submissions count: a resident whose form was refused (a typo, a
// position outside Sweden) may correct it and send it again.
func (s *Server) measureRateLimit(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := s.keys.RateKey(s.clientAddr(r)) // never the address itself
		if _, rate, err := s.limiter.Status(key); err == nil && math.Round(rate)+1 > float64(s.rate.N) {
			w.Header().Set("Retry-After", strconv.Itoa(int(s.rate.Per.Seconds())))
			writeJSON(w, http.StatusTooManyRequests, errorBody(errorItem{
				Message: "too many measurements from your connection; wait a while and send it again"}))
			return
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		if ww.Status() == http.StatusCreated && ww.Header().Get("Idempotent-Replayed") == "" {
			_ = s.rateCounter.IncrementBy(key, time.Now().UTC().Truncate(s.rate.Per), 1) // a local counter never fails
		}
	})
}

// postMeasurement stores a resident's measurement (spec/measurements.md):
// 201 with where it was placed, only once the row is committed.
func (s *Server) postMeasurement(w http.ResponseWriter, r *http.Request) error {
	if !isJSON(r.Header.Get("Content-Type")) {
		return &apiError{Status: http.StatusUnsupportedMediaType, Field: "Content-Type",
			Message: "send the measurement as application/json"}
	}
	tooLarge := &apiError{Status: http.StatusRequestEntityTooLarge, Message: "the body is larger than 16 KiB"}
	if r.ContentLength > maxMeasurementBody {
		return tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMeasurementBody))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return tooLarge
	case err != nil:
		return &apiError{Status: http.StatusBadRequest, Message: "the body could not be read"}
	}
	key := r.Header.Get("Idempotency-Key")
	if err := checkIdempotencyKey(key); err != nil {
		return err
	}
	c, err := measure.Parse(bytes.NewReader(body), time.Now(), "api")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	m, err := s.measurements.Place(ctx, c)
	if err != nil {
		return err
	}
	st, err := s.measurements.Submit(ctx, m, key)
	if err != nil {
		return err
	}
	if st.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, st)
	return nil
}

// isJSON accepts application/json, with charset utf-8 if any.
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// checkIdempotencyKey: 1 to 255 visible ASCII characters.
func checkIdempotencyKey(key string) error {
	if key == "" {
		return nil
	}
	ok := len(key) <= 255
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if !ok {
		return &apiError{Status: http.StatusBadRequest, Field: "Idempotency-Key",
			Message: "must be 1 to 255 visible ASCII characters, such as a UUID"}
	}
	return nil
}

// getAddresses suggests street addresses for the form: at most 10, with
// their square, never coverage figures.
func (s *Server) getAddresses(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	switch {
	case q == "":
		return &apiError{Status: http.StatusBadRequest, Field: "q", Message: "required: the start of a street address"}
	case !utf8.ValidString(q) || utf8.RuneCountInString(q) > measure.MaxQueryLen:
		return &apiError{Status: http.StatusBadRequest, Field: "q", Message: "must be at most 100 characters of text"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	addrs, err := s.measurements.SuggestAddresses(ctx, q)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // what a resident typed stays out of caches
	writeJSON(w, http.StatusOK, map[string]any{"addresses": addrs})
	return nil
}

// getMeasurementSummary answers an area's figures in a period, published
// only with at least 5 measurements.
func (s *Server) getMeasurementSummary(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	area, err := measure.ParseArea(q.Get("area"))
	if err != nil {
		return &apiError{Status: http.StatusBadRequest, Field: "area",
			Message: "want square:<id> (250 m), municipality:<kommunkod> or county:<länskod> that exists"}
	}
	periodName := q.Get("period")
	if periodName == "" {
		periodName = "all"
	}
	period, err := measure.ParsePeriod(periodName)
	if err != nil {
		return &apiError{Status: http.StatusBadRequest, Field: "period",
			Message: "want all, a year such as 2026 or a month such as 2026-10"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	sum, err := s.measurements.Summary(ctx, area, period)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// measurementsTileLayer is the map's measurements layer (server/tiles.go
// lists it): from zoom 8 squares with at least 5 measurements, their
// medians, and the flag of experienced versus offered; below, what those
// squares hold pooled in squares of 2 to 20 km (measure.Store.Tile).
func (s *Server) measurementsTileLayer() tileLayer {
	return tileLayer{name: measure.TileLayer, public: true, minZoom: 0, maxZoom: 14,
		description: "Residents' measurements: from zoom 8 per 250 m square with at least 5 of them, against what the square is offered; " +
			"below, the measurements of those squares pooled in squares of 2 km (zoom 7), 5 km (6), 10 km (5) and 20 km (0–4)",
		fields: map[string]string{"size": "the square's side in metres: 250 from zoom 8, 2000 to 20000 below",
			"square":          "the grid square, e.g. 250m-E583000-N6280250, or 2000m-E582000-N6280000 below zoom 8",
			"measurements":    "measurements in it; below zoom 8 those of its 250 m squares with at least 5",
			"median_down":     "median download, Mbit/s (below zoom 8: of the pooled measurements)",
			"median_up":       "median upload, Mbit/s (below zoom 8: of the pooled measurements)",
			"offered_gigabit": "Boolean: the square is offered ≥ 1 Gbit/s (from zoom 8)",
			"flagged":         "Boolean: offered gigabit, median below 100 Mbit/s (from zoom 8)"},
		version: s.measurementsTileVersion,
		tile: func(ctx context.Context, v tileVersion, t geo.Tile) ([]byte, error) {
			return s.measurements.Tile(ctx, v.ID, t)
		}}
}

// measurementsTileVersion: the latest snapshot (what is offered) and the
// five minutes (measure.TileEvery) the tile belongs to.
func (s *Server) measurementsTileVersion(ctx context.Context, _ *http.Request) (tileVersion, error) {
	snaps, _, err := s.tiles.memo.read(ctx, s)
	if err != nil {
		return tileVersion{}, err
	}
	var id int64
	if len(snaps) > 0 {
		id = snaps[len(snaps)-1].ID
	}
	bucket := time.Now().Unix() / int64(measure.TileEvery/time.Second)
	return tileVersion{ID: id, Key: "s" + strconv.FormatInt(id, 10) + "-m" + strconv.FormatInt(bucket, 10)}, nil
}
