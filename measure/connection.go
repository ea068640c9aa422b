package measure

import (
	"context"
	"slices"
)

var sqlConnectionFigures = mustSQL("connection_figures.sql")

// ConnectionFigures are an area's published figures for one connection
// type, as residents named it (fibre, cable, DSL, …): only where
// publishGroups allows (at least MinPublished measurements of that type,
// and nothing smaller told by subtraction).
type ConnectionFigures struct {
	Kind       string  `json:"kind"` // KindMunicipality or KindCounty
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Connection string  `json:"connection"`
	Figures    Figures `json:"figures"`
}

// ByConnection computes the period's figures per municipality and county
// and connection type, within an area (a county or municipality; the zero
// Area for the whole country).
func (s *Store) ByConnection(ctx context.Context, p Period, within Area) ([]ConnectionFigures, error) {
	rows, err := s.groupFigures(ctx, sqlConnectionFigures, "connection", p, within)
	if err != nil {
		return nil, err
	}
	out := []ConnectionFigures{}
	for _, g := range sortedGroups(rows, func(c string) int { return slices.Index(Connections, c) }) {
		out = append(out, ConnectionFigures{Kind: g.kind, Code: g.code, Name: areaName(g.kind, g.code),
			Connection: g.group, Figures: g.figures})
	}
	return out, nil
}

// areaName is a municipality's or county's name.
func areaName(kind, code string) string {
	if kind == KindCounty {
		name, _ := countyName(code)
		return name
	}
	m, _ := MunicipalityByCode(code)
	return m.Name
}
