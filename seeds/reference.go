package seeds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
)

// countyCode is Kalmar län, the county the demo data covers.
const countyCode = "08"

// municipality is one of the county's municipalities with its boundary in
// SWEREF 99 TM and the published population it is sized by.
type municipality struct {
	code, name string
	population int // population_2022 in municipalities.csv: one year for all twelve
	area       *area
	localities []*locality // by population, largest first: [0] is the main town
}

// contains reports whether p lies inside the boundary (which includes lakes
// and the territorial sea: the land mask keeps points ashore).
func (m *municipality) contains(p geo.SWEREF) bool {
	return m.area.contains(orb.Point{p.E, p.N})
}

// locality is an urban locality (tätort, SCB 2020) of localities.geojson.
type locality struct {
	index      int    // in the county, by population: a stable key for hashing
	code, name string // SCB tätort code "0880TC105", name
	muni       string // municipality code
	population int
	areaHa     float64
	at         geo.SWEREF
}

// loadReference reads the county's municipalities, their population and
// their localities from geo's embedded reference data, in code order.
func loadReference() ([]*municipality, error) {
	munis, err := loadMunicipalities()
	if err != nil {
		return nil, err
	}
	byCode := map[string]*municipality{}
	for _, m := range munis {
		byCode[m.code] = m
	}
	if err := loadPopulation(byCode); err != nil {
		return nil, err
	}
	locs, err := loadLocalities()
	if err != nil {
		return nil, err
	}
	for i, l := range locs {
		l.index = i
		m := byCode[l.muni]
		if m == nil {
			return nil, fmt.Errorf("seeds: locality %s %s: no municipality %s", l.code, l.name, l.muni)
		}
		m.localities = append(m.localities, l)
	}
	for _, m := range munis {
		if m.population <= 0 || len(m.localities) == 0 {
			return nil, fmt.Errorf("seeds: municipality %s %s: no population or no locality in the reference data", m.code, m.name)
		}
	}
	return munis, nil
}

func loadMunicipalities() ([]*municipality, error) {
	b, err := geo.ReferenceFile("municipalities.geojson")
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code, Name string
				CountyCode string `json:"county_code"`
			}
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("seeds: municipalities.geojson: %w", err)
	}
	var munis []*municipality
	for _, f := range fc.Features {
		if f.Properties.CountyCode != countyCode {
			continue
		}
		var mp orb.MultiPolygon
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			var p orb.Polygon
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			mp = orb.MultiPolygon{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &mp)
		default:
			err = fmt.Errorf("a %s", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("seeds: municipalities.geojson: %s: %w", f.Properties.Code, err)
		}
		mp = projectMultiPolygon(mp)
		munis = append(munis, &municipality{
			code: f.Properties.Code,
			name: f.Properties.Name,
			area: newArea(mp),
		})
	}
	if len(munis) != 12 {
		return nil, fmt.Errorf("seeds: municipalities.geojson: %d municipalities in county %s, want 12", len(munis), countyCode)
	}
	sort.Slice(munis, func(i, j int) bool { return munis[i].code < munis[j].code })
	return munis, nil
}

func projectMultiPolygon(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				s := geo.ToSWEREF(p)
				r[k] = orb.Point{s.E, s.N}
			}
			out[i][j] = r
		}
	}
	return out
}

// loadPopulation sets each municipality's population_2022, the one column
// that has all twelve of the county for the same date (geo/data/SOURCES.md).
func loadPopulation(byCode map[string]*municipality) error {
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("seeds: municipalities.csv: %w", err)
	}
	ci, pi := -1, -1
	for i, h := range header {
		switch strings.TrimSpace(h) {
		case "code":
			ci = i
		case "population_2022":
			pi = i
		}
	}
	if ci < 0 || pi < 0 {
		return fmt.Errorf("seeds: municipalities.csv: header lacks code or population_2022")
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("seeds: municipalities.csv: %w", err)
		}
		m := byCode[rec[ci]]
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(rec[pi])
		if err != nil {
			return fmt.Errorf("seeds: municipalities.csv: %s population_2022 %q: %w", rec[ci], rec[pi], err)
		}
		m.population = n
	}
}

// loadLocalities returns the county's localities, largest first (ties by
// code), so that big towns claim their grid squares before their neighbours.
func loadLocalities() ([]*locality, error) {
	b, err := geo.ReferenceFile("localities.geojson")
	if err != nil {
		return nil, err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Name, Code       string
				MunicipalityCode string `json:"municipality_code"`
				Population       int
				AreaHa           float64 `json:"area_ha"`
			}
			Geometry struct {
				Type        string
				Coordinates orb.Point
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("seeds: localities.geojson: %w", err)
	}
	var locs []*locality
	for _, f := range fc.Features {
		pr := f.Properties
		if !strings.HasPrefix(pr.MunicipalityCode, countyCode) {
			continue
		}
		if f.Geometry.Type != "Point" {
			return nil, fmt.Errorf("seeds: localities.geojson: %s is a %s, want a Point", pr.Code, f.Geometry.Type)
		}
		locs = append(locs, &locality{
			code:       pr.Code,
			muni:       pr.MunicipalityCode,
			name:       pr.Name,
			population: pr.Population,
			areaHa:     pr.AreaHa,
			at:         geo.ToSWEREF(f.Geometry.Coordinates),
		})
	}
	sort.Slice(locs, func(i, j int) bool {
		if locs[i].population != locs[j].population {
			return locs[i].population > locs[j].population
		}
		return locs[i].code < locs[j].code
	})
	return locs, nil
}
