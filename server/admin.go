package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

// The coordinator's administration page (/administration, Swedish): the API
// tokens (create, list, revoke), the snapshots (list, delete after a page
// that asks), and the audit log, filterable. Every change is written to the
// audit log in its own transaction (auth.Record through the stores).

// adminPageData is the .Page of admin.html.
type adminPageData struct {
	Notice    string // what was just done, in Swedish
	Error     string // what went wrong, in Swedish
	NewSecret string // a token just created: shown this once
	NewName   string
	Tokens    []adminToken
	Snapshots []adminSnapshot
	Audit     []adminAudit
	Filter    adminFilter
	Actions   []adminOption
}

type adminToken struct {
	ID                                      int64
	Name, Role, Municipalities, Hint, State string
	Created, Expires                        string
	Active                                  bool
}

type adminSnapshot struct {
	AsOf, Source, Imported               string
	Points, Rows, Households, Workplaces int64
	W                                    int
}

type adminAudit struct {
	At, Actor, Action, Municipality, Snapshot, Detail string
	Rows                                              int64
	DetailEN                                          bool // a detail of a form auditDetailsSV does not know: as written
}

type adminFilter struct{ Actor, Action, Municipality, From, To string }

type adminOption struct{ Value, Text string }

// actionsSV names the audit log's actions in Swedish.
var actionsSV = map[string]string{
	auth.ActionImport:        "Import",
	auth.ActionImportRefused: "Import avvisad",
	auth.ActionDeleteData:    "Läge raderat",
	auth.ActionGaps:          "Gaprapport nedladdad",
	auth.ActionAddresses:     "Adresspunkter lästa",
	auth.ActionCostModel:     "Kostnadsmodell ändrad",
	auth.ActionTokenCreate:   "Token skapad",
	auth.ActionTokenRevoke:   "Token återkallad",
}

var tokenStateSV = map[string]string{"active": "Gäller", "expired": "Har gått ut", "revoked": "Återkallad"}

const adminTime = "2006-01-02 15:04"

// adminPage is GET /administration.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAdmin(w, r, http.StatusOK, adminPageData{})
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, status int, page adminPageData) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	tokens, err := s.auth.Tokens(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for i := len(tokens) - 1; i >= 0; i-- { // newest first
		t := tokens[i]
		row := adminToken{ID: t.ID, Name: t.Name, Hint: t.Hint, State: tokenStateSV[t.Status(now)],
			Active: t.Status(now) == "active", Created: t.CreatedAt.Local().Format(adminTime),
			Municipalities: strings.Join(t.Municipalities, ", "), Role: "Kommun", Expires: "Aldrig"}
		if t.Role == auth.Coordinator {
			row.Role, row.Municipalities = "Samordnare", "Alla"
		}
		if t.ExpiresAt != nil {
			row.Expires = t.ExpiresAt.Local().Format(adminTime)
		}
		page.Tokens = append(page.Tokens, row)
	}
	snaps, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return err
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		sn := snaps[i]
		page.Snapshots = append(page.Snapshots, adminSnapshot{AsOf: sn.AsOf.Format(time.DateOnly), Source: sn.Source,
			Imported: sn.ImportedAt.Local().Format(adminTime), Points: sn.Points, Rows: sn.Rows,
			Households: sn.Households, Workplaces: sn.Workplaces, W: sn.Warnings})
	}
	q, f := auditQuery(r)
	page.Filter = f
	entries, err := s.auth.AuditLog(ctx, q)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := adminAudit{At: e.At.Local().Format("2006-01-02 15:04:05"), Actor: e.Actor, Action: actionsSV[e.Action],
			Municipality: e.Municipality, Rows: e.Rows}
		var known bool
		row.Detail, known = auditDetailSV(e.Action, e.Detail)
		row.DetailEN = !known
		if row.Action == "" {
			row.Action = e.Action
		}
		if e.SnapshotAsOf != nil {
			row.Snapshot = e.SnapshotAsOf.Format(time.DateOnly)
		}
		page.Audit = append(page.Audit, row)
	}
	for _, a := range auth.Actions {
		page.Actions = append(page.Actions, adminOption{Value: a, Text: actionsSV[a]})
	}
	return s.pages.Render(w, r, status, "admin.html", s.pageData(r, page))
}

// auditQuery reads the audit log's filter from the query: aktor, handelse,
// kommun, fran and till (dates, both included). A date that is no date is
// left out of the filter.
func auditQuery(r *http.Request) (auth.AuditQuery, adminFilter) {
	v := r.URL.Query()
	f := adminFilter{Actor: strings.TrimSpace(v.Get("aktor")), Action: v.Get("handelse"),
		Municipality: strings.TrimSpace(v.Get("kommun")), From: v.Get("fran"), To: v.Get("till")}
	q := auth.AuditQuery{Actor: f.Actor, Action: f.Action, Municipality: f.Municipality, Limit: 500}
	if d, err := coverage.ParseDate(f.From); err == nil {
		q.Since = d
	} else {
		f.From = ""
	}
	if d, err := coverage.ParseDate(f.To); err == nil {
		q.Until = d.AddDate(0, 0, 1)
	} else {
		f.To = ""
	}
	return q, f
}

// adminForm parses a form of the page and checks its token.
func adminForm(w http.ResponseWriter, r *http.Request) (*auth.Principal, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Message: "bad form"}
	}
	p := auth.FromContext(r.Context())
	if p.CSRF != "" && !p.CheckCSRF(r.PostForm.Get("csrf")) {
		return nil, &apiError{Status: http.StatusForbidden, Message: "bad form token"}
	}
	return p, nil
}

// adminCreateToken is POST /administration/tokens: the new token's secret
// is shown once, on the page this answers with.
func (s *Server) adminCreateToken(w http.ResponseWriter, r *http.Request) error {
	p, err := adminForm(w, r)
	if err != nil {
		return err
	}
	nt := auth.NewToken{Name: r.PostForm.Get("namn"), Role: auth.Role(r.PostForm.Get("roll")), By: p.Entry("")}
	for c := range strings.FieldsFuncSeq(r.PostForm.Get("kommuner"), func(r rune) bool { return r == ',' || r == ' ' }) {
		nt.Municipalities = append(nt.Municipalities, c)
	}
	if days, err := strconv.Atoi(r.PostForm.Get("dagar")); err == nil && days > 0 {
		t := time.Now().AddDate(0, 0, days)
		nt.ExpiresAt = &t
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	secret, t, err := s.auth.CreateToken(ctx, nt)
	if err != nil {
		w.Header().Set("Cache-Control", "no-store")
		return s.renderAdmin(w, r, http.StatusUnprocessableEntity, adminPageData{Error: tokenErrorSV(err)})
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderAdmin(w, r, http.StatusOK, adminPageData{NewSecret: secret, NewName: t.Name,
		Notice: fmt.Sprintf("Token %d för %s är skapad.", t.ID, t.Name)})
}

// tokenErrorSV says in Swedish why a token could not be created.
func tokenErrorSV(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "needs a name"):
		return "Ange vem som ska ha token (ett namn)."
	case strings.Contains(msg, "role"):
		return "Välj en roll: kommun eller samordnare."
	case strings.Contains(msg, "needs its municipality codes"):
		return "En kommuns token behöver kommunkoderna, till exempel 0880."
	case strings.Contains(msg, "coordinator token sees every municipality"):
		return "En samordnares token ser alla kommuner: ange inga kommunkoder."
	case strings.Contains(msg, "no municipality has the code"), strings.Contains(msg, "want four digits"):
		return "Någon av kommunkoderna finns inte. En kommunkod har fyra siffror, till exempel 0880."
	}
	return "Token kunde inte skapas. Försök igen."
}

// adminRevokeToken is POST /administration/tokens/{id}/aterkalla.
func (s *Server) adminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	p, err := adminForm(w, r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return &apiError{Status: http.StatusNotFound, Message: "no such token"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	t, err := s.auth.RevokeBy(ctx, id, p.Entry(""))
	if errors.Is(err, auth.ErrNoToken) {
		return &apiError{Status: http.StatusNotFound, Message: "no such token"}
	}
	if err != nil {
		return err
	}
	if t.ID == p.TokenID {
		// The coordinator revoked their own token: the session is gone.
		auth.ClearSessionCookie(w, r)
		http.Redirect(w, r, "/logga-in", http.StatusSeeOther)
		return nil
	}
	return s.renderAdmin(w, r, http.StatusOK, adminPageData{Notice: fmt.Sprintf("Token %d för %s är återkallad; dess inloggningar är avslutade.", t.ID, t.Name)})
}

// adminSnapshotDate reads {date} of a snapshot route.
func adminSnapshotDate(r *http.Request) (time.Time, error) {
	d, err := coverage.ParseDate(chi.URLParam(r, "date"))
	if err != nil {
		return d, &apiError{Status: http.StatusNotFound, Message: "no such snapshot"}
	}
	return d, nil
}

// adminConfirmDelete is GET /administration/lagen/{date}: what deleting the
// snapshot removes, and the button that does it.
func (s *Server) adminConfirmDelete(w http.ResponseWriter, r *http.Request) error {
	d, err := adminSnapshotDate(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	sn, err := s.coverage.SnapshotAt(ctx, d)
	if errors.Is(err, coverage.ErrNoSnapshot) {
		return &apiError{Status: http.StatusNotFound, Message: "no such snapshot"}
	}
	if err != nil {
		return err
	}
	return s.render(w, r, "admin-delete.html", adminSnapshot{AsOf: sn.AsOf.Format(time.DateOnly), Source: sn.Source,
		Imported: sn.ImportedAt.Local().Format(adminTime), Points: sn.Points, Rows: sn.Rows,
		Households: sn.Households, Workplaces: sn.Workplaces})
}

// adminDeleteSnapshot is POST /administration/lagen/{date}/radera.
func (s *Server) adminDeleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	p, err := adminForm(w, r)
	if err != nil {
		return err
	}
	d, err := adminSnapshotDate(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	sn, err := s.coverage.DeleteSnapshot(ctx, d, p.Entry(""))
	var fe *coverage.FollowUpError
	switch {
	case errors.Is(err, coverage.ErrNoSnapshot):
		return &apiError{Status: http.StatusNotFound, Message: "no such snapshot"}
	case errors.As(err, &fe):
		s.log.ErrorContext(ctx, "address suggestions not refreshed after a deletion", "err", err)
	case err != nil:
		return err
	}
	return s.renderAdmin(w, r, http.StatusOK, adminPageData{
		Notice: fmt.Sprintf("Läget per %s (%d adresspunkter, %s) är raderat.", d.Format(time.DateOnly), sn.Points, sn.Source)})
}
