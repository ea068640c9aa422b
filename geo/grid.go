package geo

import (
	"fmt"
	"math"
)

// Grid square sizes in metres: the map and the residents' measurements use
// 250 m squares; the urban/rural stand-in rule uses 1 km squares
// (spec/targets.md).
const (
	SquareSize   = 250
	KmSquareSize = 1000
)

// Square is a grid square of SWEREF 99 TM named by its lower-left corner, in
// metres.
type Square struct {
	E, N int64 // lower-left corner
	Size int64 // side, metres
}

// SquareOf returns the size-metre square that holds p.
func SquareOf(p SWEREF, size int64) Square {
	return Square{E: floorTo(p.E, size), N: floorTo(p.N, size), Size: size}
}

// ID names the square by size and lower-left corner: "250m-E583000-N6280250".
func (s Square) ID() string {
	return fmt.Sprintf("%dm-E%d-N%d", s.Size, s.E, s.N)
}

// Center returns the middle of the square.
func (s Square) Center() SWEREF {
	return SWEREF{E: float64(s.E) + float64(s.Size)/2, N: float64(s.N) + float64(s.Size)/2}
}

// ParseSquareID is the inverse of Square.ID.
func ParseSquareID(id string) (Square, error) {
	var s Square
	if _, err := fmt.Sscanf(id, "%dm-E%d-N%d", &s.Size, &s.E, &s.N); err != nil {
		return Square{}, fmt.Errorf("geo: square id %q: want like 250m-E583000-N6280250", id)
	}
	if s.Size <= 0 || s.E%s.Size != 0 || s.N%s.Size != 0 || s.ID() != id {
		return Square{}, fmt.Errorf("geo: square id %q: corner is not on the %d m grid", id, s.Size)
	}
	return s, nil
}

// GeneralisedZoom is the zoom from which the map's square layers show 250 m
// squares. Below it a 250 m square is less than a pixel wide, and the layers
// show what falls in coarser squares of the same grid instead
// (GeneralisedSquareSize).
const GeneralisedZoom = 8

// GeneralisedSquareSize is the side, in metres, of the coarse squares the
// map's square layers show at zoom z below GeneralisedZoom: 2 km at zoom 7,
// 5 km at 6, 10 km at 5 and 20 km from 0 to 4. At Sweden's latitudes
// (55–69° N, a 256-pixel tile) that is 3–4 pixels a square at zooms 4 to 7:
// the smallest square that is still seen, so the map keeps as much detail as
// it can; it shrinks below a pixel further out, where the whole country is a
// few dozen pixels and a coarser square would hide the few places that have
// anything. Every size is a multiple of 250 m (and of 1 km), so a 250 m
// square lies in exactly one coarse square of each size: the one of its
// lower-left corner. 0 from GeneralisedZoom on.
func GeneralisedSquareSize(z int) int64 {
	switch {
	case z >= GeneralisedZoom:
		return 0
	case z == 7:
		return 2000
	case z == 6:
		return 5000
	case z == 5:
		return 10000
	default:
		return 20000
	}
}

// GeneralisedSquareSizes lists every side GeneralisedSquareSize returns,
// smallest first: what a layer precomputes for the zooms below
// GeneralisedZoom.
func GeneralisedSquareSizes() []int64 { return []int64{2000, 5000, 10000, 20000} }

func floorTo(v float64, size int64) int64 {
	return int64(math.Floor(v/float64(size))) * size
}
