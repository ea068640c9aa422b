package server_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"

	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/measure"
)

// The measurements layer has tiles at every zoom from 0, so a QGIS layer
// with zmin=0 and the map at county scale show them: from zoom 8 the
// 250 m squares with at least 5 measurements, below what those squares
// hold pooled in squares of 2 km (zoom 7), 5 km (6), 10 km (5) and 20 km
// (0-4). Counted here from the measurements the test inserts.
func TestMeasurementsHaveTilesAtEveryZoom(t *testing.T) {
	t.Parallel()
	pool := coverageFixture(t)
	ts, _ := mapServer(t, pool)
	muni, _ := measure.MunicipalityByCode("0880")
	squares := []struct {
		e, n  int64
		count int
	}{{582000, 6282000, 7}, {582250, 6282000, 5}, {583750, 6281750, 4}, {581000, 6279000, 6},
		// With the 4 above, Kalmar's squares below 5 hold 5: Kalmar less its
		// public squares tells no fewer (measure.decideAreas withholds none).
		{583500, 6281500, 1}}
	var ms []measure.Measurement
	downs := map[geo.Square][]float64{}
	for i, sq := range squares {
		for j := range sq.count {
			s := geo.Square{E: sq.e, N: sq.n, Size: geo.SquareSize}
			down := float64(40 + 37*i + 11*j)
			ms = append(ms, measure.Measurement{MeasuredAt: time.Date(2026, 5, 1, j, 0, 0, 0, time.UTC), Square: s,
				Municipality: muni, DownMbps: down, UpMbps: down / 2, Connection: "fiber", Source: "test"})
			downs[s] = append(downs[s], down)
		}
	}
	if _, err := measure.NewStore(pool).Load(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	sizes := map[int]int64{7: 2000, 6: 5000, 5: 10000}
	for z := range 11 { // from zoom 11, Kalmar's tile is smaller than the squares' spread
		size := int64(250)
		if z < 8 {
			size = sizes[z]
			if size == 0 {
				size = 20000
			}
		}
		// Expected: the public squares (5 or more), pooled in squares of size.
		want := map[string][]float64{}
		for sq, d := range downs {
			if len(d) >= 5 {
				id := fmt.Sprintf("%dm-E%d-N%d", size, sq.E/size*size, sq.N/size*size)
				want[id] = append(want[id], d...)
			}
		}
		x, y := kalmarTileAt(z)
		resp, body := mapFetch(t, ts.URL+"/tiles/measurements/"+itoa(z)+"/"+itoa(x)+"/"+itoa(y)+".mvt")
		if resp.StatusCode != 200 {
			t.Errorf("zoom %d: %d %s", z, resp.StatusCode, body)
			continue
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil || len(layers) != 1 {
			t.Errorf("zoom %d: %v, %d layers", z, err, len(layers))
			continue
		}
		got := map[string]bool{}
		for _, f := range layers[0].Features {
			id := f.Properties.MustString("square")
			got[id] = true
			d, ok := want[id]
			if !ok {
				t.Errorf("zoom %d: %s shown, want none", z, id)
				continue
			}
			sort.Float64s(d)
			median := (d[(len(d)-1)/2] + d[len(d)/2]) / 2
			if n := f.Properties.MustFloat64("measurements"); int(n) != len(d) ||
				math.Abs(f.Properties.MustFloat64("median_down")-median) > 1e-9 || int64(f.Properties.MustFloat64("size")) != size {
				t.Errorf("zoom %d: %s shows %v, want %d measurements, median %v, size %d", z, id, f.Properties, len(d), median, size)
			}
			if _, flagged := f.Properties["flagged"]; flagged != (z >= 8) {
				t.Errorf("zoom %d: %s has flagged: %v", z, id, flagged)
			}
		}
		if len(got) != len(want) {
			t.Errorf("zoom %d: %d squares shown, want %d: %v", z, len(got), len(want), want)
		}
	}
}
