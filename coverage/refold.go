package coverage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/geo"
)

// refoldBatch is how many pieces refold reads at a time: its memory, however
// many points are split.
const refoldBatch = 20_000

// refold merges the pieces of the address points whose rows were not
// together in the file (a file sorted by technology or operator, or
// shuffled): it reads the pieces back in file order, point by point, and
// folds their rows with the same code as adjacent rows (newPoint, addRow,
// finish), so that a point is checked and computed the same whatever the
// order of its rows. Disagreements are reported at their lines; the merged
// points replace their pieces in address_points_loading.
func refold(ctx context.Context, tx pgx.Tx, f *folder, snapshot int64) error {
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE split_points ON COMMIT DROP AS
			SELECT address_id FROM address_points_loading GROUP BY address_id HAVING count(*) > 1;
		CREATE TEMP TABLE merged_points (LIKE address_points_loading) ON COMMIT DROP;
		DECLARE split_pieces NO SCROLL CURSOR FOR
			SELECT l.address_id, l.line, l.offer_lines, l.municipality_code, ST_X(l.geom), ST_Y(l.geom),
			       l.households, l.workplaces, l.holiday_homes, coalesce(l.street, ''), coalesce(l.number, ''),
			       coalesce(l.postcode, ''), coalesce(l.locality, ''),
			       o.technologies, o.statuses, o.downs, o.ups, o.operators, o.years
			FROM address_points_loading l
			JOIN split_points USING (address_id)
			CROSS JOIN LATERAL (
				SELECT array_agg(technology::text ORDER BY ord) AS technologies,
				       array_agg(coalesce(status::text, '') ORDER BY ord) AS statuses,
				       array_agg(down_mbps ORDER BY ord) AS downs, array_agg(up_mbps ORDER BY ord) AS ups,
				       array_agg(coalesce(operator, '') ORDER BY ord) AS operators,
				       array_agg(planned_year ORDER BY ord) AS years
				FROM unnest(l.offers) WITH ORDINALITY AS o (technology, status, down_mbps, up_mbps, operator, planned_year, ord)
			) o
			ORDER BY l.address_id, l.line`); err != nil {
		return fmt.Errorf("read the pieces of scattered address points: %w", err)
	}
	m := merger{f: f}
	for {
		n, err := m.fetch(ctx, tx)
		if err != nil {
			return err
		}
		if n < refoldBatch {
			m.flushPoint()
		}
		if len(m.merged) > 0 {
			if _, err := copyBinary(ctx, tx, "merged_points", pointColumns, m.source(snapshot), "FORMAT binary"); err != nil {
				return fmt.Errorf("write merged address points: %w", err)
			}
			m.merged = m.merged[:0]
		}
		if n < refoldBatch {
			break
		}
	}
	if _, err := tx.Exec(ctx, `
		CLOSE split_pieces;
		DELETE FROM address_points_loading l USING split_points s WHERE l.address_id = s.address_id;
		INSERT INTO address_points_loading SELECT * FROM merged_points;
		DROP TABLE merged_points, split_points`); err != nil {
		return fmt.Errorf("replace the pieces of scattered address points: %w", err)
	}
	return nil
}

// merger folds the pieces of one point at a time.
type merger struct {
	f      *folder
	cur    *Point // the point being merged
	pieces int    // its pieces
	out    int    // of which outside their municipality
	merged []*Point
}

// piece is one piece of a scattered point, as copied.
type piece struct {
	addressID, code                    string
	line                               int32
	lines                              []int32 // nil: consecutive from line
	e, n                               float64
	households, workplaces             int32
	holidayHomes                       *int32
	street, number, postcode, locality string
	techs, statuses, operators         []string
	downs, ups                         []Speed
	years                              []*int16
}

// fetch reads the next batch of pieces and folds them; it returns how many
// it read.
func (m *merger) fetch(ctx context.Context, tx pgx.Tx) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	rows, err := tx.Query(ctx, fmt.Sprintf("FETCH %d FROM split_pieces", refoldBatch))
	if err != nil {
		return 0, fmt.Errorf("read the pieces of scattered address points: %w", err)
	}
	defer rows.Close()
	n := 0
	var pc piece
	for rows.Next() {
		pc = piece{}
		if err := rows.Scan(&pc.addressID, &pc.line, &pc.lines, &pc.code, &pc.e, &pc.n,
			&pc.households, &pc.workplaces, &pc.holidayHomes, &pc.street, &pc.number, &pc.postcode, &pc.locality,
			&pc.techs, &pc.statuses, &pc.downs, &pc.ups, &pc.operators, &pc.years); err != nil {
			return n, fmt.Errorf("read the pieces of scattered address points: %w", err)
		}
		m.add(&pc)
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read the pieces of scattered address points: %w", err)
	}
	return n, nil
}

// add folds a piece's rows into the current point, or finishes the current
// point and starts the next.
func (m *merger) add(pc *piece) {
	if m.cur != nil && m.cur.AddressID != pc.addressID {
		m.flushPoint()
	}
	m.pieces++
	if !m.f.ix.Contains(pc.code, geo.SWEREF{E: pc.e, N: pc.n}) {
		m.out++
	}
	for i := range pc.techs {
		r := &Row{
			Line: int(pc.line) + i, AddressID: pc.addressID, MunicipalityCode: pc.code, E: pc.e, N: pc.n,
			Households: pc.households, Workplaces: pc.workplaces, HolidayHomes: pc.holidayHomes,
			Technology: Technology(pc.techs[i]), Status: Status(pc.statuses[i]), DownMbps: pc.downs[i], UpMbps: pc.ups[i],
			Street: pc.street, Number: pc.number, Postcode: pc.postcode, Locality: pc.locality,
			Operator: pc.operators[i], PlannedYear: pc.years[i],
		}
		if pc.lines != nil {
			r.Line = int(pc.lines[i])
		}
		if m.cur == nil {
			m.cur = newPoint(r)
			continue
		}
		m.cur.addRow(r, m.f.problems, m.f.name)
	}
}

// flushPoint finishes the current point: its best offers, its place, and
// the outside count corrected from its pieces to the one point.
func (m *merger) flushPoint() {
	p := m.cur
	if p == nil {
		return
	}
	m.f.settle(p)
	if m.out > 0 { // the pieces were counted and listed: the point is, below
		m.f.outside -= m.out
		kept := m.f.outsideList[:0]
		for _, o := range m.f.outsideList {
			if o.addressID != p.AddressID {
				kept = append(kept, o)
			}
		}
		m.f.outsideList = kept
	}
	if !p.Inside {
		m.f.addOutside(p)
	}
	m.merged = append(m.merged, p)
	m.cur, m.pieces, m.out = nil, 0, 0
}

func (m *merger) source(snapshot int64) *pointSource {
	i := 0
	return &pointSource{snapshot: snapshot, next: func() *Point {
		if i == len(m.merged) {
			return nil
		}
		i++
		return m.merged[i-1]
	}}
}
