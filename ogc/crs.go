package ogc

import (
	"net/http"
	"strings"
)

// The coordinate reference systems served (OGC API – Features Part 2:
// Coordinate Reference Systems by Reference). CRS84 is WGS 84 longitude,
// latitude, the default of Part 1 and of GeoJSON; EPSG:3006 is SWEREF 99
// TM, what Swedish municipalities' GIS work in and what gigakoll stores. A
// position in EPSG:3006 is written in that CRS's own axis order, northing
// then easting, as Part 2 asks (QGIS from 3.28.7 and GDAL from 3.7 read it
// so), and a bbox in it is min northing, min easting, max northing, max
// easting.
const (
	crs84     = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	crsSWEREF = "http://www.opengis.net/def/crs/EPSG/0/3006"
)

// crsInfo is what a served CRS means for a request.
type crsInfo struct {
	URI       string
	SRID      int  // in PostGIS
	Northing1 bool // the first axis is northing (latitude)
}

var servedCRS = []crsInfo{{URI: crs84, SRID: 4326}, {URI: crsSWEREF, SRID: 3006, Northing1: true}}

// storageCRS is where the features' geometries are kept (Part 2's
// storageCrs): SWEREF 99 TM.
const storageCRS = crsSWEREF

func crsURIs() []string {
	var out []string
	for _, c := range servedCRS {
		out = append(out, c.URI)
	}
	return out
}

// parseCRS reads a crs or bbox-crs value: a served CRS's URI, also in its
// short forms ("EPSG:3006", "[EPSG:3006]", the OGC CRS84 CURIE, "CRS84").
func parseCRS(param, v string) (crsInfo, error) {
	if v == "" {
		return servedCRS[0], nil
	}
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "["), "]")
	switch strings.ToUpper(s) {
	case "CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", strings.ToUpper(crs84):
		return servedCRS[0], nil
	case "EPSG:3006", "URN:OGC:DEF:CRS:EPSG::3006", strings.ToUpper(crsSWEREF):
		return servedCRS[1], nil
	}
	return crsInfo{}, &ParamError{param, strings.Join(crsURIs(), " or ") + " (the CRSs served)"}
}

// setContentCRS names the CRS of a response's coordinates (Part 2's
// Content-Crs header).
func setContentCRS(w http.ResponseWriter, c crsInfo) {
	w.Header().Set("Content-Crs", "<"+c.URI+">")
}
