package ogc

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
)

// selection is what an items request reads.
type selection struct {
	Snapshots      []int64
	BBox           *[4]float64
	Limit, Offset  int
	Key            string   // one feature's key (its id without the date); "": all
	Municipalities []string // nil: all (public collections, coordinators)
	Class          coverage.Class
	AsOf           time.Time // the latest of Snapshots' dates (the projects' figures)
}

// feature is one GeoJSON feature.
type feature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties any             `json:"properties"`
}

// collection is one feature collection and how its items are read.
type collection struct {
	ID, Title, Description string
	Protected              bool     // address-level: a token, scoped, audited
	Columns                []string // the properties the HTML table shows
	count                  func(ctx context.Context, sel selection) (int64, error)
	each                   func(ctx context.Context, sel selection, fn func(feature) error) (int64, error)
	// snapshots maps datetime to the collection's snapshots; nil: the
	// coverage snapshots (service.snapshots)
	snapshots func(ctx context.Context, datetime string) ([]snapshotRef, error)
}

func (s *service) newCollections() []*collection {
	return []*collection{
		{ID: "municipalities", Title: "Kommuner",
			Description: "Municipalities with their households and workplaces and how many have access to 1 Gbit/s, 100 Mbit/s and 30 Mbit/s (public aggregates).",
			Columns:     []string{"code", "name", "households", "workplaces", "share_ge_1000", "share_ge_100"},
			count:       s.countMunicipalities, each: s.eachMunicipality},
		{ID: "squares", Title: "Rutor 250 m",
			Description: "The public squares: 250 m squares of SWEREF 99 TM within a municipality with at least 5 households, and the pooled rest of a 1 km square where that makes at least 5 (size_m 1000): households, workplaces and access per speed class (public aggregates, the same cells as the map).",
			Columns:     []string{"e", "n", "municipality_code", "households", "workplaces", "share_ge_1000", "share_ge_100"},
			count:       s.countSquares, each: s.eachSquare},
		{ID: "gaps", Title: "Adresspunkter som saknar målets hastighet", Protected: true,
			Description: "Address points lacking a target's speed class (target=, default se-2025-1g), largest first, with the nearest point that has 1 Gbit/s. Needs a token; only the caller's municipalities.",
			Columns:     []string{"address_id", "street", "number", "households", "workplaces", "technology", "mbps", "nearest_gigabit_m"},
			count:       s.countPoints, each: s.eachPoint},
		{ID: "projects", Title: "Utbyggnadsprojekt",
			Description: "The build-out projects of the register in force: each project's area with its status, years, cost, funding and figures against the snapshot (address points, households, workplaces, the gap it addresses, cost per connection, delivered); household figures that would single out fewer than 5 households are null (public aggregates).",
			Columns:     []string{"id", "name", "status", "completion_year", "households", "gap_households", "cost_sek", "delivered"},
			count:       s.countProjects, each: s.eachProject},
		{ID: "addresses", Title: "Adresspunkter", Protected: true,
			Description: "Every address point with its households, workplaces and best fixed broadband today. Needs a token; only the caller's municipalities.",
			Columns:     []string{"address_id", "street", "number", "households", "workplaces", "technology", "mbps", "operator"},
			count:       s.countPoints, each: s.eachPoint},
		s.mobileCollection(), // ogc/mobile.go
	}
}

// collection returns the collection of the route's {id} that p may read:
// ErrNotFound for none, ErrUnauthenticated for a protected one without a
// token.
func (s *service) collection(r *http.Request) (*collection, error) {
	id := chi.URLParam(r, "id")
	for _, c := range s.collections {
		if c.ID == id {
			if c.Protected && auth.FromContext(r.Context()) == nil {
				return nil, auth.ErrUnauthenticated
			}
			return c, nil
		}
	}
	return nil, ErrNotFound
}

// visible lists the collections p may read: the protected ones only with a token.
func (s *service) visible(p *auth.Principal) []*collection {
	var out []*collection
	for _, c := range s.collections {
		if !c.Protected || p != nil {
			out = append(out, c)
		}
	}
	return out
}

// extent is a collection's spatial and temporal extent.
type extent struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
	Temporal struct {
		Interval [][2]*string `json:"interval"`
		TRS      string       `json:"trs"`
	} `json:"temporal"`
}

func (s *service) extent(ctx context.Context) (*extent, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	all, err := s.Coverage.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	e := &extent{}
	e.Spatial.CRS, e.Temporal.TRS = crs84, "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	e.Spatial.BBox = [][4]float64{{10.03, 55.33, 24.17, 69.06}} // Sweden, until a snapshot says better
	if len(all) == 0 {
		e.Temporal.Interval = [][2]*string{{nil, nil}}
		return e, nil
	}
	first, last := all[0].AsOf.Format(time.DateOnly), all[len(all)-1].AsOf.Format(time.DateOnly)
	e.Temporal.Interval = [][2]*string{{&first, &last}}
	b, ok, err := s.Coverage.Extent(ctx, []int64{all[len(all)-1].ID})
	if err != nil {
		return nil, err
	}
	if ok {
		e.Spatial.BBox = [][4]float64{b}
	}
	return e, nil
}

// collectionDoc is a collection's description.
type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Links       []link   `json:"links"`
	Extent      *extent  `json:"extent"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	StorageCRS  string   `json:"storageCrs"`
}

func (s *service) describe(r *http.Request, c *collection, e *extent, html bool) collectionDoc {
	path := "/collections/" + c.ID
	links := selfLinks(r, path, typeJSON, html)
	items := base(r) + path + "/items"
	links = append(links,
		link{Href: items + "?f=json", Rel: "items", Type: typeGeoJSON, Title: c.Title + " (GeoJSON)"},
		link{Href: items + "?f=html", Rel: "items", Type: typeHTML, Title: c.Title + " (HTML)"})
	return collectionDoc{ID: c.ID, Title: c.Title, Description: c.Description, Links: links, Extent: e,
		ItemType: "feature", CRS: []string{crs84}, StorageCRS: crs84}
}

func (s *service) listCollections(w http.ResponseWriter, r *http.Request) error {
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	e, err := s.extent(r.Context())
	if err != nil {
		return err
	}
	doc := struct {
		Links       []link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
	}{Links: selfLinks(r, "/collections", typeJSON, html), Collections: []collectionDoc{}}
	for _, c := range s.visible(auth.FromContext(r.Context())) {
		doc.Collections = append(doc.Collections, s.describe(r, c, e, false))
	}
	if html {
		return renderHTML(w, "collections", doc)
	}
	return writeJSON(w, typeJSON, doc)
}

func (s *service) getCollection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collection(r)
	if err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	e, err := s.extent(r.Context())
	if err != nil {
		return err
	}
	doc := s.describe(r, c, e, html)
	if html {
		return renderHTML(w, "collection", doc)
	}
	return writeJSON(w, typeJSON, doc)
}
