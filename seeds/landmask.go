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
// inside its municipality may still be in Kalmarsund or Vänern. The land
// masks are land/water rasters from GSHHG's full-resolution shorelines,
// lakes as water (data/SOURCES.md says how they were made): one bit per
// cell, rows from north to south, each row padded to whole bytes.
var (
	//go:embed data/landmask.bin.gz
	landmaskKalmarGz []byte
	//go:embed data/landmask-sweden.bin.gz
	landmaskSwedenGz []byte
)

// maskGrid is a raster's grid (GMT pixel registration, WGS 84 degrees):
// cell (r, c) covers lon west + c·dLon … +dLon, lat north − (r+1)·dLat …
// north − r·dLat.
type maskGrid struct {
	west, north, dLon, dLat float64
	cols, rows              int
}

var (
	// kalmarGrid: Kalmar län, about 90 m by 90 m at 57° N.
	kalmarGrid = maskGrid{west: 15.3, north: 58.166, dLon: 0.0015, dLat: 0.0008, cols: 1270, rows: 2520}
	// swedenGrid: all of Sweden, about 140 m (north–south) by 160 m at 55° N
	// to 90 m at 69° N (east–west).
	swedenGrid = maskGrid{west: 10.9, north: 69.1, dLon: 0.0025, dLat: 0.00125, cols: 5320, rows: 11040}
)

// landMask answers whether a position is on land.
type landMask struct {
	maskGrid
	bits     []byte
	rowBytes int
}

// loadLandMask unpacks the Kalmar län mask (the demo's).
func loadLandMask() (*landMask, error) { return unpackLandMask(landmaskKalmarGz, kalmarGrid) }

// loadSwedenMask unpacks the mask of all of Sweden (7 MB unpacked).
func loadSwedenMask() (*landMask, error) { return unpackLandMask(landmaskSwedenGz, swedenGrid) }

func unpackLandMask(gz []byte, g maskGrid) (*landMask, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("seeds: land mask: %w", err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("seeds: land mask: %w", err)
	}
	rowBytes := (g.cols + 7) / 8
	if len(bits) != rowBytes*g.rows {
		return nil, fmt.Errorf("seeds: land mask: %d bytes, want %d", len(bits), rowBytes*g.rows)
	}
	return &landMask{maskGrid: g, bits: bits, rowBytes: rowBytes}, nil
}

// land reports whether p lies on land; outside the raster is water.
func (m *landMask) land(p geo.SWEREF) bool {
	ll := geo.ToWGS84(p)
	c := int(math.Floor((ll.Lon() - m.west) / m.dLon))
	r := int(math.Floor((m.north - ll.Lat()) / m.dLat))
	if c < 0 || c >= m.cols || r < 0 || r >= m.rows {
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
