package seeds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/gigakoll/gigakoll/geo"
)

// countyCode is Kalmar län, the county the demo data covers.
const countyCode = "08"

// municipality is one of the county's municipalities, sized by its
// published population.
type municipality struct {
	code, name string
	population int // population_2022 in municipalities.csv: one year for all twelve
	bounds     *geo.Municipalities
	localities []*locality // by population, largest first: [0] is the main town
}

// contains reports whether p lies inside the boundary (which includes lakes
// and the territorial sea: the land mask keeps points ashore).
func (m *municipality) contains(p geo.SWEREF) bool { return m.bounds.Contains(m.code, p) }

// locality is an urban locality (tätort, SCB 2020) of localities.geojson.
type locality struct {
	index      int    // in the county, by population: a stable key for hashing
	code, name string // SCB tätort code "0880TC105", name
	muni       string // municipality code
	population int
	areaHa     float64
	at         geo.SWEREF
}

// loadReference reads the county's municipalities with their population
// and their localities from geo's embedded reference data, in code order.
func loadReference() ([]*municipality, error) {
	bounds, err := geo.LoadMunicipalities()
	if err != nil {
		return nil, err
	}
	munis, err := loadMunicipalities(bounds)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*municipality{}
	for _, m := range munis {
		byCode[m.code] = m
	}
	locs, err := loadLocalities(countyCode)
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
		if len(m.localities) == 0 {
			return nil, fmt.Errorf("seeds: municipality %s %s: no locality in the reference data", m.code, m.name)
		}
	}
	return munis, nil
}

// loadMunicipalities reads the county's rows of municipalities.csv with
// population_2022, the one column that has all twelve for the same date
// (geo/data/SOURCES.md).
func loadMunicipalities(bounds *geo.Municipalities) ([]*municipality, error) {
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		return nil, fmt.Errorf("seeds: municipalities.csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range []string{"code", "name", "county_code", "population_2022"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("seeds: municipalities.csv: header lacks %s", c)
		}
	}
	var munis []*municipality
	for _, rec := range recs[1:] {
		if rec[col["county_code"]] != countyCode {
			continue
		}
		n, err := strconv.Atoi(rec[col["population_2022"]])
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("seeds: municipalities.csv: %s population_2022 %q", rec[col["code"]], rec[col["population_2022"]])
		}
		munis = append(munis, &municipality{code: rec[col["code"]], name: rec[col["name"]], population: n, bounds: bounds})
	}
	if len(munis) != 12 {
		return nil, fmt.Errorf("seeds: municipalities.csv: %d municipalities in county %s, want 12", len(munis), countyCode)
	}
	sort.Slice(munis, func(i, j int) bool { return munis[i].code < munis[j].code })
	return munis, nil
}

// loadLocalities returns the localities of the county (every one for ""),
// largest first (ties by code), so that big towns claim their grid squares
// before their neighbours.
func loadLocalities(county string) ([]*locality, error) {
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
		if !strings.HasPrefix(pr.MunicipalityCode, county) {
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
