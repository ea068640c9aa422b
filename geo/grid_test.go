package geo_test

import (
	"testing"

	"github.com/gigakoll/gigakoll/geo"
)

func TestSquareOf(t *testing.T) {
	tests := []struct {
		name string
		p    geo.SWEREF
		size int64
		want geo.Square
	}{
		{"inside a square", geo.SWEREF{E: 583120.7, N: 6280410.2}, 250, geo.Square{E: 583000, N: 6280250, Size: 250}},
		{"on the lower-left corner", geo.SWEREF{E: 583000, N: 6280250}, 250, geo.Square{E: 583000, N: 6280250, Size: 250}},
		{"a hair below the next corner", geo.SWEREF{E: 583249.999, N: 6280499.999}, 250, geo.Square{E: 583000, N: 6280250, Size: 250}},
		{"1 km square", geo.SWEREF{E: 583999.9, N: 6280000}, 1000, geo.Square{E: 583000, N: 6280000, Size: 1000}},
		{"negative easting floors down", geo.SWEREF{E: -0.5, N: 10}, 250, geo.Square{E: -250, N: 0, Size: 250}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := geo.SquareOf(tt.p, tt.size); got != tt.want {
				t.Errorf("SquareOf(%v, %d) = %v, want %v", tt.p, tt.size, got, tt.want)
			}
		})
	}
}

func TestSquareIDRoundTrip(t *testing.T) {
	s := geo.Square{E: 583000, N: 6280250, Size: 250}
	if got := s.ID(); got != "250m-E583000-N6280250" {
		t.Errorf("ID = %q", got)
	}
	back, err := geo.ParseSquareID(s.ID())
	if err != nil || back != s {
		t.Errorf("ParseSquareID(%q) = %v, %v", s.ID(), back, err)
	}
	for _, bad := range []string{"", "250m-E583010-N6280250", "250m-E583000", "0m-E0-N0", "250m-E583000-N6280250x", "x"} {
		if _, err := geo.ParseSquareID(bad); err == nil {
			t.Errorf("ParseSquareID(%q) accepted", bad)
		}
	}
}
