package server

import (
	"net/http"

	"github.com/gigakoll/gigakoll/measure"
)

// measurePageData is the .Page of matning.html.
type measurePageData struct {
	Operators []string // the known operators' names, for the field's list
}

// measurePage is the residents' speed test (Mätning).
func (s *Server) measurePage(w http.ResponseWriter, r *http.Request) error {
	var page measurePageData
	for _, op := range measure.Operators {
		if op.Key != measure.OperatorOther {
			page.Operators = append(page.Operators, op.Name)
		}
	}
	return s.render(w, r, "matning.html", page)
}
