package measure

import (
	"context"
	"fmt"
)

var sqlConnectionFigures = mustSQL("connection_figures.sql")

// ConnectionFigures are an area's published figures for one connection
// type, as residents named it (fibre, cable, DSL, …): only where at least
// MinPublished measurements of that type stand behind them.
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
	var county, municipality string
	switch within.Kind {
	case KindCounty:
		county = within.Code
	case KindMunicipality:
		municipality = within.Code
	case "":
	default:
		return nil, fmt.Errorf("measure: figures by connection within a %s", within.Kind)
	}
	rows, err := s.pool.Query(ctx, sqlConnectionFigures, p.From, p.To, MinPublished, county, municipality)
	if err != nil {
		return nil, unavailable(fmt.Errorf("measure: figures by connection: %w", err))
	}
	defer rows.Close()
	out := []ConnectionFigures{}
	for rows.Next() {
		var c ConnectionFigures
		var f Figures
		var dm, dp, um, up float64
		var lm, lp *float64
		var ge100, ge1000 int64
		if err := rows.Scan(&c.Kind, &c.Code, &c.Connection, &f.Count, &dm, &dp, &um, &up, &f.LatencyCount, &lm, &lp,
			&ge100, &ge1000); err != nil {
			return nil, fmt.Errorf("measure: figures by connection: %w", err)
		}
		f.DownMbps, f.UpMbps = Stat{dm, dp}, Stat{um, up}
		if f.LatencyCount >= MinPublished {
			f.LatencyMs = &Stat{*lm, *lp}
		}
		f.ShareGE100, f.ShareGE1000 = float64(ge100)/float64(f.Count), float64(ge1000)/float64(f.Count)
		c.Figures = f
		if c.Kind == KindCounty {
			c.Name, _ = countyName(c.Code)
		} else {
			m, _ := MunicipalityByCode(c.Code)
			c.Name = m.Name
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
