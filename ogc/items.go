package ogc

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

// scope fills in whose address points a protected collection may show and
// which class the gaps lack.
func (s *service) scope(r *http.Request, c *collection, iq itemsQuery, sel *selection) error {
	if !c.Protected {
		return nil
	}
	p := auth.FromContext(r.Context())
	if p == nil {
		return auth.ErrUnauthenticated
	}
	all, codes := p.Scope()
	if !all {
		sel.Municipalities = codes
		if sel.Municipalities == nil {
			sel.Municipalities = []string{}
		}
	}
	if c.ID != "gaps" {
		return nil
	}
	id := iq.Target
	if id == "" {
		id = coverage.DefaultGapTarget
	}
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	targets, err := s.Coverage.Targets(ctx)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if t.ID == id && t.Measure == coverage.MeasureFixed {
			sel.Class = t.Class
			return nil
		}
	}
	return &ParamError{"target", "a target id such as " + coverage.DefaultGapTarget}
}

// audit records a read of address-level data.
func (s *service) audit(r *http.Request, c *collection, snaps []snapshotRef, format string, rows int64, detail string) {
	if !c.Protected {
		return
	}
	p := auth.FromContext(r.Context())
	e := p.Entry(auth.ActionAddresses)
	if c.ID == "gaps" {
		e.Action = auth.ActionGaps
	}
	if _, codes := p.Scope(); len(codes) > 0 {
		e.Municipality = strings.Join(codes, ",")
	}
	if len(snaps) > 0 {
		day := snaps[0].AsOf
		e.SnapshotAsOf = &day
	}
	e.Format, e.Rows, e.Detail = format, rows, "ogc "+c.ID+" "+detail
	if err := s.Auth.Audit(r.Context(), e); err != nil {
		s.Log.ErrorContext(r.Context(), "audit entry lost", "err", err)
	}
}

// getItems is GET /collections/{id}/items: a page of features, streamed,
// with numberMatched, numberReturned and next/prev links for paging, all
// read in one transaction (coverage.Store.View): the page, its count and
// its snapshot agree whatever is imported meanwhile.
func (s *service) getItems(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	return s.Coverage.View(ctx, func(ctx context.Context) error { return s.items(w, r.WithContext(ctx)) })
}

func (s *service) items(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collection(r)
	if err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	iq, err := parseItemsQuery(r.URL.Query())
	if err != nil {
		return err
	}
	snaps, err := s.snapshotsOf(c)(r.Context(), iq.Datetime)
	if err != nil {
		return err
	}
	sel := selection{BBox: iq.BBox, Limit: iq.Limit, Offset: iq.Offset, Snapshots: []int64{}}
	for _, sn := range snaps {
		sel.Snapshots = append(sel.Snapshots, sn.ID)
	}
	sel.AsOf = latest(snaps)
	if err := s.scope(r, c, iq, &sel); err != nil {
		return err
	}
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	matched, err := c.count(ctx, sel)
	if err != nil {
		return err
	}
	returned := max(0, min(int64(iq.Limit), matched-int64(iq.Offset)))
	links := s.pageLinks(r, c, iq, matched, html)
	detail := "offset " + strconv.Itoa(iq.Offset)
	if html {
		var feats []feature
		n, err := c.each(ctx, sel, func(f feature) error { feats = append(feats, f); return nil })
		s.audit(r, c, snaps, "html", n, detail)
		if err != nil {
			return err
		}
		return renderHTML(w, "items", itemsPage{Collection: c, Features: feats, Matched: matched, Links: links, Columns: c.Columns})
	}

	// Stream: the head, then each feature as PostgreSQL sends it.
	w.Header().Set("Content-Type", typeGeoJSON)
	if c.Protected {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 32<<10)
	head, _ := json.Marshal(map[string]any{
		"type": "FeatureCollection", "timeStamp": time.Now().UTC().Format(time.RFC3339),
		"numberMatched": matched, "numberReturned": returned, "links": links,
	})
	bw.Write(head[:len(head)-1])
	bw.WriteString(`,"features":[`)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	first := true
	n, err := c.each(ctx, sel, func(f feature) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(f)
	})
	s.audit(r, c, snaps, "geojson", n, detail)
	if err != nil && cw.n == 0 {
		return err // nothing sent yet: the client gets an error answer
	}
	if err != nil {
		s.Log.WarnContext(r.Context(), "items broke off", "collection", c.ID, "features", n, "err", err)
		return nil // half a page is out: the client sees broken JSON
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// pageLinks are an items page's self, alternate, next, prev and collection links.
func (s *service) pageLinks(r *http.Request, c *collection, iq itemsQuery, matched int64, html bool) []link {
	path := base(r) + "/collections/" + c.ID + "/items"
	at := func(offset int, f string) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			if k != "offset" && k != "f" {
				q[k] = v
			}
		}
		q.Set("f", f)
		q.Set("limit", strconv.Itoa(iq.Limit))
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return path + "?" + q.Encode()
	}
	self, other, selfType, otherType := "json", "html", typeGeoJSON, typeHTML
	if html {
		self, other, selfType, otherType = "html", "json", typeHTML, typeGeoJSON
	}
	links := []link{
		{Href: at(iq.Offset, self), Rel: "self", Type: selfType, Title: "this page"},
		{Href: at(iq.Offset, other), Rel: "alternate", Type: otherType, Title: "this page as " + strings.ToUpper(other)},
	}
	if int64(iq.Offset+iq.Limit) < matched {
		links = append(links, link{Href: at(iq.Offset+iq.Limit, self), Rel: "next", Type: selfType, Title: "the next page"})
	}
	if iq.Offset > 0 {
		links = append(links, link{Href: at(max(0, iq.Offset-iq.Limit), self), Rel: "prev", Type: selfType, Title: "the previous page"})
	}
	links = append(links, link{Href: base(r) + "/collections/" + c.ID, Rel: "collection", Type: typeJSON, Title: c.Title})
	return links
}

// getItem is GET /collections/{id}/items/{fid}: one feature, its id being
// "<as_of>.<key>", read in one transaction with its snapshot. A feature
// outside the caller's municipalities is not found (404), which tells
// nothing about whether it exists.
func (s *service) getItem(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	return s.Coverage.View(ctx, func(ctx context.Context) error { return s.item(w, r.WithContext(ctx)) })
}

func (s *service) item(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collection(r)
	if err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	day, key, ok := strings.Cut(chi.URLParam(r, "fid"), ".")
	if !ok || key == "" {
		return ErrNotFound
	}
	asOf, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ErrNotFound
	}
	snaps, err := s.snapshotsOf(c)(r.Context(), day)
	if err != nil {
		return err
	}
	if len(snaps) == 0 || !snaps[0].AsOf.Equal(asOf) {
		return ErrNotFound
	}
	sel := selection{Snapshots: []int64{snaps[0].ID}, Limit: 1, Key: key, AsOf: snaps[0].AsOf}
	iq, err := parseItemsQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if err := s.scope(r, c, iq, &sel); err != nil {
		return err
	}
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	var found *feature
	n, err := c.each(ctx, sel, func(f feature) error { found = &f; return nil })
	if err != nil {
		return err
	}
	if found == nil {
		return ErrNotFound
	}
	s.audit(r, c, snaps, map[bool]string{true: "html", false: "geojson"}[html], n, "feature "+found.ID)
	path := "/collections/" + c.ID + "/items/" + url.PathEscape(found.ID)
	links := append(selfLinks(r, path, typeGeoJSON, html),
		link{Href: base(r) + "/collections/" + c.ID, Rel: "collection", Type: typeJSON, Title: c.Title})
	if html {
		return renderHTML(w, "items", itemsPage{Collection: c, Features: []feature{*found}, Matched: 1, Links: links, Columns: c.Columns})
	}
	if c.Protected {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	return writeJSON(w, typeGeoJSON, struct {
		feature
		Links []link `json:"links"`
	}{*found, links})
}

// countWriter counts the bytes that went out.
type countWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
