package measure

import (
	"context"
	"slices"
)

var sqlOperatorFigures = mustSQL("operator_figures.sql")

// OperatorFigures are an area's published figures for one operator, as
// residents named it (Operators): only where publishGroups allows, as for
// the connection types.
type OperatorFigures struct {
	Kind         string  `json:"kind"` // KindMunicipality or KindCounty
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Operator     string  `json:"operator"`      // a key of Operators: "telia", "annan"
	OperatorName string  `json:"operator_name"` // "Telia", "Annan"
	Figures      Figures `json:"figures"`
}

// ByOperator computes the period's figures per municipality and county and
// operator, within an area (a county or municipality; the zero Area for the
// whole country). Measurements whose resident named no operator count
// towards the rest that publishGroups keeps at 0 or at least MinPublished,
// and are never shown as a group.
func (s *Store) ByOperator(ctx context.Context, p Period, within Area) ([]OperatorFigures, error) {
	rows, err := s.groupFigures(ctx, sqlOperatorFigures, "operator", p, within)
	if err != nil {
		return nil, err
	}
	order := func(key string) int {
		return slices.IndexFunc(Operators, func(o Operator) bool { return o.Key == key })
	}
	out := []OperatorFigures{}
	for _, g := range sortedGroups(rows, order) {
		out = append(out, OperatorFigures{Kind: g.kind, Code: g.code, Name: areaName(g.kind, g.code),
			Operator: g.group, OperatorName: OperatorName(g.group), Figures: g.figures})
	}
	return out, nil
}
