package projects

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gigakoll/gigakoll/tabular"

	"github.com/jackc/pgx/v5"

	"github.com/gigakoll/gigakoll/auth"
	"github.com/gigakoll/gigakoll/geo"
	"github.com/gigakoll/gigakoll/replicas"
)

var (
	sqlStageCreate    = mustSQL("stage_create.sql")
	sqlStageGeom      = mustSQL("stage_geometry.sql")
	sqlStageOverlap   = mustSQL("stage_overlaps.sql")
	sqlStageLand      = mustSQL("stage_land.sql")
	sqlInsertProjects = mustSQL("insert_projects.sql")
	sqlInsertFunding  = mustSQL("insert_funding.sql")
)

// ImportOptions configure an import of a register.
type ImportOptions struct {
	Name  string       // the file's name, for messages and the register's record
	Limit int          // errors and warnings listed in detail; 0: DefaultProblemLimit
	Log   *slog.Logger // phases and timings; nil: silent
	// Audit says who imports: its Actor (and TokenID) are required. The
	// entry is written in the import's transaction; a refused file is
	// audited too.
	Audit auth.Entry
}

// ImportResult says what an import did.
type ImportResult struct {
	Register Register
	Problems *Problems   // the warnings (a refused file returns *ImportError)
	Built    []time.Time // the snapshots whose figures were built with it
	Duration time.Duration
}

// Import reads a register (a GeoJSON FeatureCollection, plain or gzip) and
// lands it as the next version, the one in force, with its figures against
// every coverage snapshot: all in one transaction, so that a file with any
// error, a cancelled context or a lost connection changes nothing. A file
// with errors returns an *ImportError listing every one, by feature and
// property.
func (s *Store) Import(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	if opt.Audit.Actor == "" {
		return ImportResult{}, errors.New("projects: import: who imports is not known (ImportOptions.Audit.Actor)")
	}
	if opt.Log == nil {
		opt.Log = s.log
	}
	res, err := s.importFile(ctx, src, opt)
	if err != nil {
		s.auditRefused(ctx, opt, err)
	}
	return res, err
}

func (s *Store) auditRefused(ctx context.Context, opt ImportOptions, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	e := opt.Audit
	e.Action = auth.ActionImportRefused
	e.Detail = fmt.Sprintf("project register %s: %s", opt.Name, err)
	var ie *ImportError
	if errors.As(err, &ie) {
		e.Rows = int64(ie.Problems.ErrorCount)
		e.Detail = fmt.Sprintf("project register %s: %d errors", opt.Name, ie.Problems.ErrorCount)
	}
	if aerr := auth.Record(ctx, s.pool, e); aerr != nil {
		opt.Log.Error("audit entry of a refused import lost", "file", opt.Name, "err", aerr)
	}
}

// plain undoes what a file may come wrapped in: gzip (by its magic bytes)
// and a UTF-8 byte order mark, which JSON does not allow but some Windows
// tools write.
func plain(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		return plain(zr)
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	return br, nil
}

func (s *Store) importFile(ctx context.Context, src io.Reader, opt ImportOptions) (ImportResult, error) {
	start := time.Now()
	log := opt.Log
	problems := newProblems(opt.Limit)
	res := ImportResult{Problems: problems}
	ctx = replicas.OnPrimary(ctx) // the figures are built from the primary's snapshots
	snaps, err := s.coverage.Snapshots(ctx)
	if err != nil {
		return res, err
	}
	// The gap points of each snapshot do not depend on the register: kept
	// from an earlier build, or made now, outside the import's transaction.
	if err := s.ensureGapSets(ctx, snaps); err != nil {
		return res, err
	}
	digest := sha256.New()
	in, err := plain(io.TeeReader(src, digest))
	if err != nil {
		problems.add(Problem{File: opt.Name, Feature: -1, Message: fmt.Sprintf("a gzip file that cannot be read: %v", err), Code: "gzip-damaged"})
		return res, &ImportError{File: opt.Name, Problems: problems}
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB';
			SELECT pg_advisory_xact_lock(hashtext('gigakoll projects import'))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlStageCreate); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		fr := newFeatureReader(in, opt.Name, problems)
		stage := &stageSource{fr: fr, file: opt.Name, p: problems, ids: map[string]int{}, unknown: map[string]bool{}}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"project_staging"}, stagedColumns, stage)
		if err != nil {
			return fmt.Errorf("stage the features: %w", err)
		}
		fr.finish()
		if fr.fatal || fr.index == 0 && problems.ErrorCount == 0 {
			if fr.index == 0 && problems.ErrorCount == 0 {
				problems.add(Problem{File: opt.Name, Feature: -1, Property: "features", Message: "empty: a register needs at least one project", Code: "p-no-projects"})
			}
			return &ImportError{File: opt.Name, Problems: problems}
		}
		if len(stage.unknown) > 0 {
			names := make([]string, 0, len(stage.unknown))
			for k := range stage.unknown {
				names = append(names, k)
			}
			slices.Sort(names)
			problems.warn(Problem{File: opt.Name, Feature: -1, Message: "properties the register does not know, ignored: " + strings.Join(names, ", "),
				Code: "p-unknown-properties", Params: tabular.P("names", strings.Join(names, ", "))})
		}
		log.Info("read the register", "features", fr.index, "staged", n, "errors", problems.ErrorCount)
		if err := checkGeometries(ctx, tx, opt.Name, problems); err != nil {
			return err
		}
		if problems.ErrorCount > 0 {
			return &ImportError{File: opt.Name, Problems: problems}
		}
		if err := overlaps(ctx, tx, opt.Name, problems); err != nil {
			return err
		}
		var reg Register
		err = tx.QueryRow(ctx, `INSERT INTO project_registers (version, source, sha256, actor, projects, warnings)
			SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5 FROM project_registers RETURNING `+registerColumns,
			opt.Name, hex.EncodeToString(digest.Sum(nil)), opt.Audit.Actor, n, problems.WarningCount).Scan(registerDest(&reg)...)
		if err != nil {
			return fmt.Errorf("record the register: %w", err)
		}
		if _, err := tx.Exec(ctx, sqlInsertProjects, reg.Version); err != nil {
			return fmt.Errorf("store the projects: %w", err)
		}
		if _, err := tx.Exec(ctx, sqlInsertFunding, reg.Version); err != nil {
			return fmt.Errorf("store the funding: %w", err)
		}
		for _, sn := range snaps {
			if err := s.build(ctx, tx, reg.Version, sn, log); err != nil {
				return fmt.Errorf("figures against the snapshot of %s: %w", sn.AsOf.Format(time.DateOnly), err)
			}
			res.Built = append(res.Built, sn.AsOf)
		}
		// Earlier versions keep their projects (the history), not their
		// figures: only the register in force is read.
		if _, err := tx.Exec(ctx, "DELETE FROM project_builds WHERE register_version < $1", reg.Version); err != nil {
			return fmt.Errorf("drop earlier figures: %w", err)
		}
		e := opt.Audit
		e.Action, e.Rows = auth.ActionImport, n
		e.Detail = fmt.Sprintf("project register version %d from %s: %d projects, %d warnings", reg.Version, opt.Name, n, problems.WarningCount)
		if err := auth.Record(ctx, tx, e); err != nil {
			return err
		}
		res.Register = reg
		return nil
	})
	res.Duration = time.Since(start)
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return res, err
		}
		return res, fmt.Errorf("import %s: %w", opt.Name, err)
	}
	log.Info("project register committed", "version", res.Register.Version, "projects", res.Register.Projects,
		"snapshots", len(res.Built), "seconds", res.Duration.Seconds())
	return res, nil
}

var stagedColumns = []string{"feature", "id", "name", "owner", "status", "start_year", "completion_year",
	"down_mbps", "cost_sek", "funding", "funding_sek", "public_sek", "geojson"}

// stageSource feeds COPY the features that pass the checks made in Go, as
// the file is read; a feature with an error is listed and left out (the
// import fails at the end, after every feature was checked).
type stageSource struct {
	fr      *featureReader
	file    string
	p       *Problems
	ids     map[string]int
	unknown map[string]bool
	row     []any
}

func (s *stageSource) Next() bool {
	for {
		raw, i, ok := s.fr.next()
		if !ok {
			return false
		}
		c, good := checkFeature(s.file, i, raw, s.p, s.unknown)
		if c.ID != "" {
			if prev, dup := s.ids[c.ID]; dup {
				s.p.add(Problem{File: s.file, Feature: i, ID: c.ID, Property: "id", Value: c.ID,
					Message: fmt.Sprintf("also the id of feature %d: ids must be unique in the file", prev),
					Code:    "p-id-twice", Params: tabular.P("other", fmt.Sprint(prev))})
				good = false
			} else {
				s.ids[c.ID] = i
			}
		}
		if !good {
			continue
		}
		funding, _ := json.Marshal(c.funding)
		if c.funding == nil {
			funding = []byte("[]")
		}
		s.row = []any{int32(i), c.ID, c.Name, nullText(c.Owner), string(c.Status), c.StartYear, c.CompletionYear,
			c.down, nullText(c.cost), string(funding), ratText(c.FundingSEK), ratText(c.PublicSEK), c.geometry}
		return true
	}
}

func (s *stageSource) Values() ([]any, error) { return s.row, nil }
func (s *stageSource) Err() error             { return nil }

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// checkGeometries asks PostGIS about each staged area: valid (no
// self-intersection, no ring crossing another), and inside Sweden (it
// reaches into a municipality); it stores the area in SWEREF 99 TM and the
// municipalities it reaches.
func checkGeometries(ctx context.Context, tx pgx.Tx, file string, p *Problems) error {
	rows, err := tx.Query(ctx, sqlStageGeom)
	if err != nil {
		return fmt.Errorf("check the areas: %w", err)
	}
	type staged struct {
		feature int32
		id      string
		valid   bool
		reason  string
		wkb     []byte
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (staged, error) {
		var st staged
		return st, r.Scan(&st.feature, &st.id, &st.valid, &st.reason, &st.wkb)
	})
	if err != nil {
		return fmt.Errorf("check the areas: %w", err)
	}
	var features []int32
	var areas [][]byte
	for _, st := range all {
		if !st.valid {
			p.add(Problem{File: file, Feature: int(st.feature), ID: st.id, Property: "geometry",
				Message: "not a valid polygon (PostGIS: " + st.reason + "): fix it in QGIS with Vector → Geometry Tools → Check Validity or Fix Geometries",
				Code:    "p-invalid-polygon", Params: tabular.P("reason", st.reason)})
			continue
		}
		features, areas = append(features, st.feature), append(areas, st.wkb)
	}
	reached, err := geo.MunicipalitiesReached(ctx, tx, areas)
	if err != nil {
		return err
	}
	codes := make([]string, len(reached))
	for i, r := range reached {
		if len(r) == 0 {
			st := all[slices.IndexFunc(all, func(x staged) bool { return x.feature == features[i] })]
			p.add(Problem{File: file, Feature: int(st.feature), ID: st.id, Property: "geometry",
				Message: "lies outside Sweden: it reaches into no Swedish municipality (is it in WGS 84 longitude, latitude?)", Code: "p-outside-sweden"})
		}
		codes[i] = "{" + strings.Join(r, ",") + "}"
	}
	if _, err := tx.Exec(ctx, sqlStageLand, features, codes); err != nil {
		return fmt.Errorf("record the municipalities: %w", err)
	}
	return nil
}

// overlaps warns of every pair of areas that overlap, naming both.
func overlaps(ctx context.Context, tx pgx.Tx, file string, p *Problems) error {
	rows, err := tx.Query(ctx, sqlStageOverlap)
	if err != nil {
		return fmt.Errorf("find overlaps: %w", err)
	}
	var (
		fa, fb   int32
		ida, idb string
		m2       float64
	)
	_, err = pgx.ForEachRow(rows, []any{&fa, &ida, &fb, &idb, &m2}, func() error {
		p.warn(Problem{File: file, Feature: int(fa), ID: ida, Property: "geometry",
			Message: fmt.Sprintf("overlaps feature %d (id %s) by %s: an address point in both counts once, for the earliest completion_year",
				fb, quote(idb), areaText(m2)),
			Code: "p-overlaps", Params: tabular.P("other", fmt.Sprint(fb), "other_id", tabular.Printable(idb, tabular.ValueRunes), "area", areaText(m2))})
		return nil
	})
	if err != nil {
		return fmt.Errorf("find overlaps: %w", err)
	}
	return nil
}

// areaText writes an area as a GIS officer reads it: m² or hectares.
func areaText(m2 float64) string {
	if m2 < 10_000 {
		return fmt.Sprintf("%.0f m²", m2)
	}
	return fmt.Sprintf("%.1f ha", m2/10_000)
}
