package coverage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/cql"
)

var (
	sqlGapsPoints  = mustSQL("gaps_points.sql")
	sqlGapsCount   = mustSQL("gaps_count.sql")
	sqlPointCounts = mustSQL("point_counts.sql")
	sqlGapsSquares = mustSQL("gaps_squares.sql")
)

// FormatGeoJSON is the gap report as an RFC 7946 FeatureCollection (WGS 84).
const FormatGeoJSON = "geojson"

// DefaultGapTarget is the target of a CSV or GeoJSON gap report when none is
// asked for: the national 1 Gbit/s target. An XLSX report without a target
// has a sheet for each.
const DefaultGapTarget = "se-2025-1g"

// The levels of a gap report.
const (
	LevelAddress = "address" // every address point: municipality users and the coordinator only
	LevelSquare  = "square"  // by 250 m square: anyone (spec/product.md, "The municipality")
)

// ErrUnknownTarget says no target has the id asked for, or it does not
// concern the municipality's county.
var ErrUnknownTarget = errors.New("coverage: no such target for this municipality")

var municipalityCodeRE = regexp.MustCompile(`^[0-9]{4}$`)

// GapQuery selects a gap report.
type GapQuery struct {
	Municipality string    // kommunkod, "0880"
	AsOf         time.Time // zero: the latest snapshot
	Target       string    // "": DefaultGapTarget for CSV and GeoJSON, every target for XLSX
	Level        string    // LevelAddress or LevelSquare
}

// GapReport is a gap report ready to be written: the snapshot, the
// municipality's figures against its targets (the summary), and the targets
// that get a list of their own.
type GapReport struct {
	Query    GapQuery
	Snapshot Snapshot
	Area     AreaReport // the municipality: name, totals, a result per target
	Targets  []Target   // the targets listed, in their order
	all      []Target   // every target that concerns the municipality
	lookup   ProjectLookup
}

// GapReport checks what q asks for and returns the report to write:
// ErrNoSnapshot, ErrUnknownArea or ErrUnknownTarget when it names nothing.
// It reads only aggregates, in one transaction; WriteGaps streams the
// points. Call both in one View so that they read the same snapshot of the
// database (a re-import between them would leave the report empty).
func (s *Store) GapReport(ctx context.Context, q GapQuery, format string) (*GapReport, error) {
	if !municipalityCodeRE.MatchString(q.Municipality) {
		return nil, ErrUnknownArea
	}
	if q.Level != LevelSquare {
		q.Level = LevelAddress
	}
	switch format {
	case FormatCSV, FormatXLSX, FormatGeoJSON:
	default:
		return nil, fmt.Errorf("coverage: format %q: want csv, xlsx or geojson", format)
	}
	var g *GapReport
	err := s.View(ctx, func(ctx context.Context) error {
		var err error
		g, err = s.gapReport(ctx, q, format)
		return err
	})
	return g, err
}

func (s *Store) gapReport(ctx context.Context, q GapQuery, format string) (*GapReport, error) {
	rep, err := s.TargetsReport(ctx, ReportQuery{AsOf: q.AsOf, Municipality: q.Municipality})
	if err != nil {
		return nil, err
	}
	if len(rep.Areas) != 1 {
		return nil, ErrUnknownArea
	}
	snap, err := s.SnapshotAt(ctx, time.Time(rep.AsOf))
	if err != nil {
		return nil, err
	}
	targets, err := s.Targets(ctx)
	if err != nil {
		return nil, err
	}
	area := rep.Areas[0]
	applicable := slices.DeleteFunc(targets, func(t Target) bool { return t.Measure != MeasureFixed || !t.AppliesTo(area.CountyCode) })
	g := &GapReport{Query: q, Snapshot: snap, Area: area, all: applicable, lookup: s.projects}
	want := q.Target
	if want == "" && format != FormatXLSX {
		want = DefaultGapTarget
	}
	for _, t := range applicable {
		if want == "" || t.ID == want {
			g.Targets = append(g.Targets, t)
		}
	}
	if len(g.Targets) == 0 {
		return nil, ErrUnknownTarget
	}
	return g, nil
}

// FileName is the report's file name, in Swedish as the people who save it:
// gap-0880-se-2025-1g-2024-10-01.xlsx, gap-rutor-0880-… by square.
func (g *GapReport) FileName(format string) string {
	kind := "gap"
	if g.Query.Level == LevelSquare {
		kind = "gap-rutor"
	}
	target := ""
	if len(g.Targets) == 1 {
		target = "-" + g.Targets[0].ID
	}
	return fmt.Sprintf("%s-%s%s-%s.%s", kind, g.Query.Municipality, target, g.Snapshot.AsOf.Format(time.DateOnly), format)
}

// TargetIDs lists the ids of the targets listed, comma-separated.
func (g *GapReport) TargetIDs() string {
	ids := make([]string, len(g.Targets))
	for i, t := range g.Targets {
		ids[i] = t.ID
	}
	return strings.Join(ids, ",")
}

// GapPoint is an address point lacking a speed class, or any address point
// (GapFilter.Class 0): what a municipality needs to plan the next build.
type GapPoint struct {
	AsOf         time.Time // the snapshot's date
	AddressID    string
	Municipality string
	Street       string
	Number       string
	Postcode     string
	Locality     string
	Households   int64
	Workplaces   int64
	HolidayHomes *int64 // nil: not given
	Technology   string // the best fixed technology with access today; "" for none
	Mbps         float64
	Operator     string
	PlannedMbps  *float64 // the best planned fixed build, if any
	PlannedYear  *int     // its year, if given
	E, N         float64  // SWEREF 99 TM, metres
	Geometry     json.RawMessage
	Nearest      *NearestGigabit // nil when no point of the snapshot has 1 Gbit/s
	Project      *ProjectRef     // the build-out project it is in (SetProjectLookup); nil: none
}

// ProjectRef names the build-out project an address point is in.
type ProjectRef struct {
	ID   string
	Name string
}

// PointRef is an address point as a ProjectLookup is asked about it.
type PointRef struct {
	AddressID string
	E, N      float64 // SWEREF 99 TM
}

// ProjectLookup tells which build-out project each of points is in (package
// projects owns the register and its rule for a point in several projects);
// a point in none is left out of the answer.
type ProjectLookup func(ctx context.Context, points []PointRef) (map[string]ProjectRef, error)

// SetProjectLookup makes the gap reports (CSV, XLSX, GeoJSON, OGC gaps)
// name the project each address point is in; without it they name none.
func (s *Store) SetProjectLookup(fn ProjectLookup) { s.projects = fn }

// lookupBatch is how many points are asked about at once: the report still
// streams, a batch at a time.
const lookupBatch = 500

// NearestGigabit is the nearest address point with access to ≥ 1 Gbit/s: a
// rough measure of how far fibre is. Its address is given only when it lies
// in the same municipality.
type NearestGigabit struct {
	Municipality string
	AddressID    string // "" when in another municipality
	Street       string
	Number       string
	DistanceM    float64
}

// GapFilter selects address points for EachGapPoint.
type GapFilter struct {
	Snapshots      []int64  // snapshot ids
	Municipalities []string // nil: every municipality
	Class          Class    // lacking this class; 0: every point
	BBox           *[4]float64
	BBoxSRID       int      // of BBox: 4326 (lon, lat: the default) or 3006 (easting, northing)
	Where          cql.Expr // a filter on PointQueryables; nil: none
	Limit          int      // 0: all
	Offset         int
	AddressID      string // "": every point
	SRID           int    // of the geometries: 4326 (the default), or 3006 as northing, easting (FeatureFilter.SRID)
}

// args are gaps_points.sql's: its $1 is f's first snapshot (EachGapPoint
// reads one snapshot at a time).
func (f GapFilter) args() []any {
	var class, limit any
	if f.Class > 0 {
		class = int(f.Class)
	}
	if f.Limit > 0 {
		limit = f.Limit
	}
	var id any
	if f.AddressID != "" {
		id = f.AddressID
	}
	var snapshot any
	if len(f.Snapshots) > 0 {
		snapshot = f.Snapshots[0]
	}
	a := []any{snapshot, f.Municipalities, class, nil, nil, nil, nil, limit, f.Offset, id, sridOr4326(f.SRID), sridOr4326(f.BBoxSRID)}
	if f.Municipalities == nil {
		a[1] = nil
	}
	if f.BBox != nil {
		a[3], a[4], a[5], a[6] = f.BBox[0], f.BBox[1], f.BBox[2], f.BBox[3]
	}
	return a
}

// EachGapPoint calls fn for every point f selects, the latest snapshot
// first, then largest first (households + workplaces), as PostgreSQL sends
// them: the points are never held in memory together. It returns how many
// there were. A page (Limit) costs what its points cost: the nearest point
// with 1 Gbit/s is searched for the page's points only.
func (s *Store) EachGapPoint(ctx context.Context, f GapFilter, fn func(*GapPoint) error) (int64, error) {
	if err := s.pinPoints(ctx, f.Snapshots); err != nil {
		return 0, err
	}
	ids, err := s.newestFirst(ctx, f.Snapshots)
	if err != nil {
		return 0, err
	}
	var n int64
	offset, limit := int64(f.Offset), int64(f.Limit)
	for _, id := range ids {
		one := f
		one.Snapshots = []int64{id}
		if offset > 0 && len(ids) > 1 { // the page may begin in a later snapshot
			c, err := s.CountGapPoints(ctx, one)
			if err != nil {
				return n, err
			}
			if offset >= c {
				offset -= c
				continue
			}
		}
		one.Offset, one.Limit = int(offset), int(limit)
		k, err := eachGapPoint(ctx, s.reader(ctx), one, s.projects, fn)
		n += k
		if err != nil {
			return n, err
		}
		offset = 0
		if limit > 0 {
			if limit -= k; limit <= 0 {
				break
			}
		}
	}
	return n, nil
}

// newestFirst orders snapshot ids by their date, the latest first.
func (s *Store) newestFirst(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) < 2 {
		return ids, nil
	}
	rows, err := s.reader(ctx).Query(ctx, "SELECT id FROM snapshots WHERE id = ANY ($1) ORDER BY as_of DESC", ids)
	if err != nil {
		return nil, fmt.Errorf("order snapshots: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("order snapshots: %w", err)
	}
	return out, nil
}

// CountGapPoints returns how many points f selects, limit and offset aside:
// from the counts the import made (point_counts) unless f has a bounding
// box, a filter or names a point, which only the points can answer.
func (s *Store) CountGapPoints(ctx context.Context, f GapFilter) (int64, error) {
	if err := s.pinPoints(ctx, f.Snapshots); err != nil {
		return 0, err
	}
	a := f.args()
	a[0] = f.Snapshots
	var n int64
	q, args, err := withFilter(sqlGapsCount, f.Where, PointQueryables, append(a[:7:7], a[11]))
	if err != nil {
		return 0, err
	}
	if f.BBox == nil && f.AddressID == "" && f.Where == nil {
		q, args = sqlPointCounts, a[:3]
	}
	if err := s.reader(ctx).QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count address points: %w", err)
	}
	return n, nil
}

func eachGapPoint(ctx context.Context, q querier, f GapFilter, lookup ProjectLookup, fn func(*GapPoint) error) (int64, error) {
	if lookup == nil {
		return eachGapPointRow(ctx, q, f, fn)
	}
	// A batch of points, then the projects they are in, then the batch out.
	var batch []GapPoint
	var n int64
	flush := func() error {
		refs := make([]PointRef, len(batch))
		for i, p := range batch {
			refs[i] = PointRef{AddressID: p.AddressID, E: p.E, N: p.N}
		}
		in, err := lookup(ctx, refs)
		if err != nil {
			return fmt.Errorf("the projects the points are in: %w", err)
		}
		for i := range batch {
			if ref, ok := in[batch[i].AddressID]; ok {
				batch[i].Project = &ref
			}
			if err := fn(&batch[i]); err != nil {
				return err
			}
			n++
		}
		batch = batch[:0]
		return nil
	}
	_, err := eachGapPointRow(ctx, q, f, func(p *GapPoint) error {
		batch = append(batch, *p)
		if len(batch) == lookupBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if len(batch) > 0 {
		err = flush()
	}
	return n, err
}

func eachGapPointRow(ctx context.Context, q querier, f GapFilter, fn func(*GapPoint) error) (int64, error) {
	query, args, err := withFilter(sqlGapsPoints, f.Where, PointQueryables, f.args())
	if err != nil {
		return 0, err
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("read address points: %w", err)
	}
	defer rows.Close()
	var (
		n                                        int64
		p                                        GapPoint
		geom                                     string
		nearMuni, nearID, nearStreet, nearNumber *string
		nearDist                                 *float64
	)
	for rows.Next() {
		p = GapPoint{}
		if err := rows.Scan(&p.AsOf, &p.AddressID, &p.Municipality, &p.Street, &p.Number, &p.Postcode, &p.Locality,
			&p.Households, &p.Workplaces, &p.HolidayHomes, &p.Technology, &p.Mbps, &p.Operator,
			&p.PlannedMbps, &p.PlannedYear, &p.E, &p.N, &geom,
			&nearMuni, &nearID, &nearStreet, &nearNumber, &nearDist); err != nil {
			return n, fmt.Errorf("read address points: %w", err)
		}
		p.Geometry = json.RawMessage(geom)
		if nearDist != nil {
			p.Nearest = &NearestGigabit{Municipality: deref(nearMuni), AddressID: deref(nearID),
				Street: deref(nearStreet), Number: deref(nearNumber), DistanceM: *nearDist}
		}
		if err := fn(&p); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read address points: %w", err)
	}
	return n, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// GapSquare is a square of the public gap report: a 250 m square with at
// least 5 households, or the other small squares of a 1 km square merged.
type GapSquare struct {
	Size                   int // 250, or 1000 for merged small squares
	E, N                   int // the lower-left corner, SWEREF 99 TM
	Households, Workplaces int64
	HolidayHomes           int64
	HouseholdsLacking      int64
	WorkplacesLacking      int64
	BestMbps               float64 // the best offer in the square
	Geometry               json.RawMessage
}

func eachGapSquare(ctx context.Context, q querier, snapshot int64, code string, class Class, fn func(*GapSquare) error) (int64, error) {
	rows, err := q.Query(ctx, sqlGapsSquares, snapshot, code, int(class))
	if err != nil {
		return 0, fmt.Errorf("read squares: %w", err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var sq GapSquare
		var geom string
		if err := rows.Scan(&sq.Size, &sq.E, &sq.N, &sq.Households, &sq.Workplaces, &sq.HolidayHomes,
			&sq.HouseholdsLacking, &sq.WorkplacesLacking, &sq.BestMbps, &geom); err != nil {
			return n, fmt.Errorf("read squares: %w", err)
		}
		sq.Geometry = json.RawMessage(geom)
		if err := fn(&sq); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read squares: %w", err)
	}
	return n, nil
}

// lackingPoints is how many of the municipality's address points lack each
// class, as the import counted them (point_counts).
func lackingPoints(ctx context.Context, q querier, snapshot int64, code string) (map[Class]int64, error) {
	var c1000, c100, c30 int64
	err := q.QueryRow(ctx, `SELECT coalesce(sum(lacking_1000), 0), coalesce(sum(lacking_100), 0), coalesce(sum(lacking_30), 0)
		FROM point_counts WHERE snapshot_id = $1 AND municipality_code = $2`, snapshot, code).Scan(&c1000, &c100, &c30)
	if err != nil {
		return nil, fmt.Errorf("count address points lacking each class: %w", err)
	}
	return map[Class]int64{Class1G: c1000, Class100M: c100, Class30M: c30}, nil
}

// MunicipalityRef names a municipality.
type MunicipalityRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// GapMunicipalities lists the municipalities of the latest snapshot that
// have gap reports: every one (all) or those of codes, by code.
func (s *Store) GapMunicipalities(ctx context.Context, all bool, codes []string) ([]MunicipalityRef, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rows, err := s.reader(ctx).Query(ctx, `SELECT m.code, m.name FROM municipalities m
		WHERE ($1 OR m.code = ANY ($2::text[]))
		  AND m.county_code IN (SELECT f.code FROM area_figures f WHERE f.kind = 'county' AND f.part = 'all'
		                        AND f.snapshot_id = (SELECT id FROM snapshots ORDER BY as_of DESC LIMIT 1))
		ORDER BY m.code`, all, codes)
	if err != nil {
		return nil, fmt.Errorf("list municipalities: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MunicipalityRef, error) {
		var m MunicipalityRef
		return m, r.Scan(&m.Code, &m.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("list municipalities: %w", err)
	}
	return out, nil
}
