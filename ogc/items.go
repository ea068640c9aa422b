package ogc

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
func (s *service) scope(r *http.Request, c *collection, target string, sel *selection) error {
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
	id := target
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

// auditEntry starts the audit entry of a read of a protected collection.
func auditEntry(r *http.Request, c *collection, snaps []snapshotRef, format, detail string) auth.Entry {
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
	e.Format, e.Detail = format, "ogc "+c.ID+detail
	return e
}

// auditPage records a page of a protected collection as part of its
// download (auth.Store.AuditPage): the pages a client reads of one
// collection with the same token, snapshots and selection (every parameter
// but offset and limit), each within 10 minutes of the one before, are one
// entry, whose rows are the furthest the download reached.
func (s *service) auditPage(r *http.Request, c *collection, snaps []snapshotRef, iq itemsQuery, format string, n int64) {
	if !c.Protected {
		return
	}
	p := auth.FromContext(r.Context())
	var ids []string
	for _, sn := range snaps {
		ids = append(ids, strconv.FormatInt(sn.ID, 10))
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s\x00%s", p.TokenID, c.ID, strings.Join(ids, ","), iq.Selection)))
	detail := ""
	if iq.Selection != "" {
		detail = " " + iq.Selection
	}
	e := auditEntry(r, c, snaps, format, detail)
	if err := s.Auth.AuditPage(r.Context(), hex.EncodeToString(sum[:]), e, int64(iq.Offset)+n); err != nil {
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
	iq, err := parseItemsQuery(c, r.URL.Query())
	if err != nil {
		return err
	}
	snaps, err := s.snapshotsOf(c)(r.Context(), iq.Datetime)
	if err != nil {
		return err
	}
	sel := selection{BBox: iq.BBox, BBoxSRID: iq.BBoxCRS.SRID, Limit: iq.Limit, Offset: iq.Offset, Snapshots: []int64{},
		SRID: iq.CRS.SRID, Where: iq.Filter}
	for _, sn := range snaps {
		sel.Snapshots = append(sel.Snapshots, sn.ID)
	}
	sel.AsOf = latest(snaps)
	if err := s.scope(r, c, iq.Target, &sel); err != nil {
		return err
	}
	setContentCRS(w, iq.CRS)
	if c.Protected {
		w.Header().Set("Cache-Control", "private, no-store")
	} else {
		cacheHeaders(w, r)
		stamp := ""
		if c.stamp != nil {
			ctx, cancel := s.timeout(r.Context())
			stamp, err = c.stamp(ctx)
			cancel()
			if err != nil {
				return err
			}
		}
		if notModified(w, r, etagOf(s.Version, base(r), c.ID, fmt.Sprint(sel.Snapshots), stamp, r.URL.Query().Encode(), strconv.FormatBool(html))) {
			return nil
		}
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", map[bool]string{true: "text/html; charset=utf-8", false: typeGeoJSON}[html])
		return nil
	}
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	matched, err := c.count(ctx, sel)
	if err != nil {
		return err
	}
	returned := max(0, min(int64(iq.Limit), matched-int64(iq.Offset)))
	links := s.pageLinks(r, c, iq, matched, html)
	if html {
		var feats []feature
		n, err := c.each(ctx, sel, func(f feature) error { feats = append(feats, f); return nil })
		if err != nil {
			return err
		}
		s.auditPage(r, c, snaps, iq, "html", n)
		return s.renderHTML(w, r, "items", itemsPage{Collection: c, Features: feats, Matched: matched, Links: links, Columns: c.Columns})
	}

	// Stream: the head, then each feature as PostgreSQL sends it.
	w.Header().Set("Content-Type", typeGeoJSON)
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var head bytes.Buffer
	headEnc := json.NewEncoder(&head)
	headEnc.SetEscapeHTML(false)
	_ = headEnc.Encode(map[string]any{
		"type": "FeatureCollection", "timeStamp": time.Now().UTC().Format(time.RFC3339),
		"numberMatched": matched, "numberReturned": returned, "links": links,
	})
	bw.Write(bytes.TrimSuffix(bytes.TrimSpace(head.Bytes()), []byte("}")))
	bw.WriteString(`,"features":[`)
	first := true
	n, err := c.each(ctx, sel, func(f feature) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(f)
	})
	s.auditPage(r, c, snaps, iq, "geojson", n)
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

// pageLinks are an items page's self, alternate, next, prev and collection
// links. A GeoJSON page's next link asks for at least defaultLimit
// features: GDAL before 3.8 asks for 10 a page whatever the API document
// says, and follows the next links, so a download of 4 000 features takes
// 5 requests instead of 400. The HTML view keeps the page size asked for.
func (s *service) pageLinks(r *http.Request, c *collection, iq itemsQuery, matched int64, html bool) []link {
	path := base(r) + "/collections/" + c.ID + "/items"
	at := func(offset, limit int, f string) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			if k != "offset" && k != "f" {
				q[k] = v
			}
		}
		q.Set("f", f)
		q.Set("limit", strconv.Itoa(limit))
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return path + "?" + q.Encode()
	}
	self, other, selfType, otherType := "json", "html", typeGeoJSON, typeHTML
	next := max(iq.Limit, defaultLimit)
	if html {
		self, other, selfType, otherType = "html", "json", typeHTML, typeGeoJSON
		next = iq.Limit
	}
	links := []link{
		{Href: at(iq.Offset, iq.Limit, self), Rel: "self", Type: selfType, Title: "this page"},
		{Href: at(iq.Offset, iq.Limit, other), Rel: "alternate", Type: otherType, Title: "this page as " + strings.ToUpper(other)},
	}
	if int64(iq.Offset+iq.Limit) < matched {
		links = append(links, link{Href: at(iq.Offset+iq.Limit, next, self), Rel: "next", Type: selfType, Title: "the next page"})
	}
	if iq.Offset > 0 {
		links = append(links, link{Href: at(max(0, iq.Offset-iq.Limit), iq.Limit, self), Rel: "prev", Type: selfType, Title: "the previous page"})
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
	allowed := []string{"f", "crs"}
	if c.ID == "gaps" {
		allowed = append(allowed, "target")
	}
	if err := onlyParams(r, allowed...); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	crs, err := parseCRS("crs", r.URL.Query().Get("crs"))
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
	sel := selection{Snapshots: []int64{snaps[0].ID}, Limit: 1, Key: key, SRID: crs.SRID, AsOf: snaps[0].AsOf}
	if err := s.scope(r, c, r.URL.Query().Get("target"), &sel); err != nil {
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
	if c.Protected {
		e := auditEntry(r, c, snaps, map[bool]string{true: "html", false: "geojson"}[html], " feature "+found.ID)
		e.Rows = n
		if err := s.Auth.Audit(r.Context(), e); err != nil {
			s.Log.ErrorContext(r.Context(), "audit entry lost", "err", err)
		}
	}
	path := "/collections/" + c.ID + "/items/" + url.PathEscape(found.ID)
	links := append(selfLinks(r, path, typeGeoJSON, html),
		link{Href: base(r) + "/collections/" + c.ID, Rel: "collection", Type: typeJSON, Title: c.Title})
	if html {
		return s.renderHTML(w, r, "items", itemsPage{Collection: c, Features: []feature{*found}, Matched: 1, Links: links, Columns: c.Columns})
	}
	setContentCRS(w, crs)
	if c.Protected {
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("Content-Type", typeGeoJSON)
		return json.NewEncoder(w).Encode(struct {
			feature
			Links []link `json:"links"`
		}{*found, links})
	}
	return s.writeDoc(w, r, typeGeoJSON, struct {
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
