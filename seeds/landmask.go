package seeds

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"math"

	"github.com/gigakoll/gigakoll/geo"
)

// The municipality polygons include lakes and the territorial sea, so a point
// inside its municipality may still be in Kalmarsund. landmask.bin.gz is a
// land/water raster of the county from GSHHG's full-resolution shorelines,
// lakes as water (data/SOURCES.md says how it was made): one bit per cell,
// rows from north to south, each row padded to whole bytes.
//
//go:embed data/landmask.bin.gz
var landmaskGz []byte

// The raster's grid (GMT pixel registration, WGS 84 degrees): cell (r, c)
// covers lon maskWest + c·maskDLon … +maskDLon, lat maskNorth − (r+1)·maskDLat
// … maskNorth − r·maskDLat. About 90 m by 90 m at 57° N.
const (
	maskWest  = 15.3
	maskNorth = 58.166
	maskDLon  = 0.0015
	maskDLat  = 0.0008
	maskCols  = 1270
	maskRows  = 2520
)

// landMask answers whether a position is on land.
type landMask struct {
	bits     []byte
	rowBytes int
}

func loadLandMask() (*landMask, error) {
	zr, err := gzip.NewReader(bytes.NewReader(landmaskGz))
	if err != nil {
		return nil, fmt.Errorf("seeds: land mask: %w", err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("seeds: land mask: %w", err)
	}
	rowBytes := (maskCols + 7) / 8
	if len(bits) != rowBytes*maskRows {
		return nil, fmt.Errorf("seeds: land mask: %d bytes, want %d", len(bits), rowBytes*maskRows)
	}
	return &landMask{bits: bits, rowBytes: rowBytes}, nil
}

// land reports whether p lies on land; outside the raster is water.
func (m *landMask) land(p geo.SWEREF) bool {
	ll := geo.ToWGS84(p)
	c := int(math.Floor((ll.Lon() - maskWest) / maskDLon))
	r := int(math.Floor((maskNorth - ll.Lat()) / maskDLat))
	if c < 0 || c >= maskCols || r < 0 || r >= maskRows {
		return false
	}
	return m.bits[r*m.rowBytes+c/8]&(0x80>>(c%8)) != 0
}

// nearWater reports whether water lies within about d metres of p, looking
// in eight directions: holiday homes favour the shore.
func (m *landMask) nearWater(p geo.SWEREF, d float64) bool {
	for i := range 8 {
		a := float64(i) * math.Pi / 4
		if !m.land(geo.SWEREF{E: p.E + d*math.Cos(a), N: p.N + d*math.Sin(a)}) {
			return true
		}
	}
	return false
}
