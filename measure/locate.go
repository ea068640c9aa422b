package measure

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sync"

	"github.com/gigakoll/gigakoll/geo"
)

// Municipality is a kommun as the measurements name it.
type Municipality struct {
	Code       string `json:"code"` // kommunkod, "0880"
	Name       string `json:"name"` // "Kalmar"
	CountyCode string `json:"-"`    // länskod, "08"
}

// names are the municipalities and counties of the embedded reference data
// (geo/data/municipalities.csv), read once.
type names struct {
	municipalities map[string]Municipality
	counties       map[string]string // länskod → "Kalmar län"
}

var (
	refNames     names
	refNamesErr  error
	refNamesOnce sync.Once
)

func referenceNames() (names, error) {
	refNamesOnce.Do(func() { refNames, refNamesErr = readNames() })
	return refNames, refNamesErr
}

func readNames() (names, error) {
	n := names{municipalities: map[string]Municipality{}, counties: map[string]string{}}
	b, err := geo.ReferenceFile("municipalities.csv")
	if err != nil {
		return n, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) < 2 {
		return n, fmt.Errorf("measure: municipalities.csv: %v", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, k := range []string{"code", "name", "county_code", "county_name"} {
		if _, ok := col[k]; !ok {
			return n, fmt.Errorf("measure: municipalities.csv lacks the column %s", k)
		}
	}
	for _, rec := range recs[1:] {
		m := Municipality{Code: rec[col["code"]], Name: rec[col["name"]], CountyCode: rec[col["county_code"]]}
		n.municipalities[m.Code] = m
		n.counties[m.CountyCode] = rec[col["county_name"]]
	}
	return n, nil
}

// MunicipalityByCode returns the municipality with the code, from the
// embedded reference data.
func MunicipalityByCode(code string) (Municipality, bool) {
	n, err := referenceNames()
	if err != nil {
		return Municipality{}, false
	}
	m, ok := n.municipalities[code]
	return m, ok
}

// countyName returns the county's name from the embedded reference data.
func countyName(code string) (string, bool) {
	n, err := referenceNames()
	if err != nil {
		return "", false
	}
	name, ok := n.counties[code]
	return name, ok
}

// LocateSWEREF returns the municipality holding a SWEREF 99 TM position,
// computed in Go from the embedded boundaries (geo.Municipalities, which
// include lakes and the territorial sea), and false outside Sweden. A
// resident's exact position is placed here so that it never reaches SQL,
// where statement logs could record it.
func LocateSWEREF(p geo.SWEREF) (Municipality, bool, error) {
	if !geo.InSweden(p) {
		return Municipality{}, false, nil
	}
	ix, err := geo.LoadMunicipalities()
	if err != nil {
		return Municipality{}, false, err
	}
	code := ix.Locate(p)
	if code == "" {
		return Municipality{}, false, nil
	}
	m, ok := MunicipalityByCode(code)
	if !ok {
		return Municipality{}, false, fmt.Errorf("measure: municipality %s has no name in municipalities.csv", code)
	}
	return m, true, nil
}
