package ogc

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/coverage"
	"github.com/gigakoll/gigakoll/cql"
	"github.com/gigakoll/gigakoll/projects"
)

// selection is what an items request reads.
type selection struct {
	Snapshots      []int64
	BBox           *[4]float64 // min x, min y, max x, max y in BBoxSRID
	BBoxSRID       int
	Limit, Offset  int
	Key            string   // one feature's key (its id without the date); "": all
	Municipalities []string // nil: all (public collections, coordinators)
	Class          coverage.Class
	Where          cql.Expr  // nil: every feature
	SRID           int       // of the geometries written: 4326, or 3006 as northing, easting
	AsOf           time.Time // the latest of Snapshots' dates (the projects' figures)
}

// feature is one GeoJSON feature.
type feature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties any             `json:"properties"`
}

// collection is one feature collection and how its items are read. To add
// one (a new domain's data), add an entry to newCollections.
type collection struct {
	ID, Title, Description string
	Protected              bool     // address-level: a token, scoped, audited
	Columns                []string // the properties the HTML table shows
	GeometryType           string   // of its features, as GeoJSON names it
	Properties             []property
	Queryables             []cql.Queryable // what filters may name: the owning store's
	count                  func(ctx context.Context, sel selection) (int64, error)
	each                   func(ctx context.Context, sel selection, fn func(feature) error) (int64, error)
	// snapshots maps datetime to the collection's snapshots; nil: the
	// coverage snapshots (service.snapshots)
	snapshots func(ctx context.Context, datetime string) ([]snapshotRef, error)
	// bbox is the WGS 84 box of what the snapshots hold that the caller
	// (municipalities: nil for all) may see; false for nothing.
	bbox func(ctx context.Context, snapshots []int64, municipalities []string) ([4]float64, bool, error)
	// stamp names what else than the snapshots its answers change with (the
	// projects' register), for their ETags; nil: nothing.
	stamp func(ctx context.Context) (string, error)
}

func (s *service) newCollections() []*collection {
	c := s.Coverage
	return []*collection{
		{ID: "municipalities", Title: "Kommuner", GeometryType: "MultiPolygon",
			Description: "Municipalities with their households and workplaces and how many have access to 1 Gbit/s, 100 Mbit/s and 30 Mbit/s (public aggregates).",
			Columns:     []string{"code", "name", "households", "workplaces", "share_ge_1000", "share_ge_100"},
			Properties:  municipalityProperties, Queryables: coverage.MunicipalityQueryables,
			count: s.countMunicipalities, each: s.eachMunicipality,
			bbox: func(ctx context.Context, snaps []int64, _ []string) ([4]float64, bool, error) {
				return c.Extent(ctx, snaps)
			}},
		{ID: "squares", Title: "Rutor 250 m", GeometryType: "MultiPolygon",
			Description: "The public squares: 250 m squares of SWEREF 99 TM within a municipality with at least 5 households, and the pooled rest of a 1 km square where that makes at least 5 (size_m 1000): households, workplaces and access per speed class (public aggregates, the same cells as the map).",
			Columns:     []string{"e", "n", "municipality_code", "households", "workplaces", "share_ge_1000", "share_ge_100"},
			Properties:  squareProperties, Queryables: coverage.SquareQueryables,
			count: s.countSquares, each: s.eachSquare,
			bbox: func(ctx context.Context, snaps []int64, _ []string) ([4]float64, bool, error) {
				return c.SquaresExtent(ctx, snaps)
			}},
		{ID: "gaps", Title: "Adresspunkter som saknar målets hastighet", Protected: true, GeometryType: "Point",
			Description: "Address points lacking a target's speed class (target=, default se-2025-1g), largest first, with the nearest point that has 1 Gbit/s. Needs a token; only the caller's municipalities.",
			Columns:     []string{"address_id", "street", "number", "households", "workplaces", "technology", "mbps", "nearest_gigabit_m"},
			Properties:  pointProperties, Queryables: coverage.PointQueryables,
			count: s.countPoints, each: s.eachPoint, bbox: c.PointsExtent},
		{ID: "projects", Title: "Utbyggnadsprojekt", GeometryType: "MultiPolygon",
			Description: "The build-out projects of the register in force: each project's area with its status, years, cost, funding and figures against the snapshot (address points, households, workplaces, the gap it addresses, cost per connection, delivered); household figures that would single out fewer than 5 households are left out (public aggregates).",
			Columns:     []string{"id", "name", "status", "completion_year", "households", "gap_households", "cost_sek", "delivered"},
			Properties:  projectProperties, Queryables: projects.Queryables,
			count: s.countProjects, each: s.eachProject, bbox: s.projectsExtent, stamp: s.projectsStamp},
		{ID: "addresses", Title: "Adresspunkter", Protected: true, GeometryType: "Point",
			Description: "Every address point with its households, workplaces and best fixed broadband today. Needs a token; only the caller's municipalities.",
			Columns:     []string{"address_id", "street", "number", "households", "workplaces", "technology", "mbps", "operator"},
			Properties:  pointProperties, Queryables: coverage.PointQueryables,
			count: s.countPoints, each: s.eachPoint, bbox: c.PointsExtent},
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
	Spatial *struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial,omitempty"`
	Temporal struct {
		Interval [][2]*string `json:"interval"`
		TRS      string       `json:"trs"`
	} `json:"temporal"`
}

// extent is what c holds that the request's caller may see: every
// snapshot's date, and the box around the latest snapshot's features (for
// address points, those of the caller's municipalities).
func (s *service) extent(r *http.Request, c *collection) (*extent, error) {
	ctx, cancel := s.timeout(r.Context())
	defer cancel()
	var all []snapshotRef
	if c.snapshots != nil { // the collection's own snapshots (mobile)
		refs, err := c.snapshots(ctx, "../..")
		if err != nil {
			return nil, err
		}
		all = refs
	} else {
		snaps, err := s.Coverage.Snapshots(ctx)
		if err != nil {
			return nil, err
		}
		for _, sn := range snaps {
			all = append(all, snapshotRef{sn.ID, sn.AsOf})
		}
	}
	e := &extent{}
	e.Temporal.TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	if len(all) == 0 {
		e.Temporal.Interval = [][2]*string{{nil, nil}}
		return e, nil
	}
	first, last := all[0].AsOf.Format(time.DateOnly), all[len(all)-1].AsOf.Format(time.DateOnly)
	e.Temporal.Interval = [][2]*string{{&first, &last}}
	// The box of the latest snapshot, what items shows without datetime:
	// address points and squares move little from one year to the next.
	ids := []int64{all[len(all)-1].ID}
	var municipalities []string
	if c.Protected {
		all, codes := auth.FromContext(r.Context()).Scope()
		if !all {
			municipalities = append([]string{}, codes...)
		}
	}
	b, ok, err := c.bbox(ctx, ids, municipalities)
	if err != nil {
		return nil, err
	}
	if ok {
		e.Spatial = &struct {
			BBox [][4]float64 `json:"bbox"`
			CRS  string       `json:"crs"`
		}{BBox: [][4]float64{b}, CRS: crs84}
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

func (s *service) describe(r *http.Request, c *collection, html bool) (collectionDoc, error) {
	e, err := s.extent(r, c)
	if err != nil {
		return collectionDoc{}, err
	}
	path := "/collections/" + c.ID
	links := selfLinks(r, path, typeJSON, html)
	coll := base(r) + path
	links = append(links,
		link{Href: coll + "/items?f=json", Rel: "items", Type: typeGeoJSON, Title: c.Title + " (GeoJSON)"},
		link{Href: coll + "/items?f=html", Rel: "items", Type: typeHTML, Title: c.Title + " (HTML)"},
		link{Href: coll + "/schema", Rel: "describedby", Type: typeSchema, Title: "the features' properties (JSON Schema)"},
		// GDAL before 3.7 looks for this spelling (link relations are case-insensitive).
		link{Href: coll + "/schema", Rel: "describedBy", Type: typeSchema, Title: "the features' properties (JSON Schema)"},
		link{Href: coll + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: typeSchema, Title: "what a filter may name"},
		link{Href: coll + "/queryables", Rel: "queryables", Type: typeSchema, Title: "what a filter may name"})
	return collectionDoc{ID: c.ID, Title: c.Title, Description: c.Description, Links: links, Extent: e,
		ItemType: "feature", CRS: crsURIs(), StorageCRS: storageCRS}, nil
}

func (s *service) listCollections(w http.ResponseWriter, r *http.Request) error {
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	doc := struct {
		Links       []link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
		CRS         []string        `json:"crs"`
	}{Links: selfLinks(r, "/collections", typeJSON, html), Collections: []collectionDoc{}, CRS: crsURIs()}
	for _, c := range s.visible(auth.FromContext(r.Context())) {
		d, err := s.describe(r, c, false)
		if err != nil {
			return err
		}
		doc.Collections = append(doc.Collections, d)
	}
	if html {
		return s.renderHTML(w, r, "collections", doc)
	}
	return s.writeDoc(w, r, typeJSON, doc)
}

func (s *service) getCollection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collection(r)
	if err != nil {
		return err
	}
	if err := onlyParams(r, "f"); err != nil {
		return err
	}
	html, err := wantsHTML(r)
	if err != nil {
		return err
	}
	doc, err := s.describe(r, c, html)
	if err != nil {
		return err
	}
	if html {
		return s.renderHTML(w, r, "collection", doc)
	}
	return s.writeDoc(w, r, typeJSON, doc)
}
