-- 0051_mobile.sql: mobile coverage snapshots (spec/mobile.md), package mobile,
-- and the grid squares of each municipality (package geo).
--
-- A mobile snapshot is one operators' file as of one date: rows per grid
-- square, operator and technology. The rows are checked, copied and keyed
-- in the import's transaction and folded into one row per square (its best
-- class outdoors and indoors, 5G, how many operators cover it, and the same
-- per operator), kept in a partition of the snapshot's own, so that
-- replacing a snapshot drops a table. The squares carry no address data and
-- are public. Their figures per area: the squares covered (computed at
-- import), and the households, workplaces and holiday homes in covered
-- squares, computed against the coverage snapshot in force and computed
-- again when that changes (people_coverage_id says against which).
-- +goose Up
CREATE TABLE mobile_snapshots (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	as_of              date NOT NULL,
	source             text NOT NULL,     -- the file's name as given to the import
	sha256             text NOT NULL,     -- of the file as read
	imported_at        timestamptz NOT NULL DEFAULT now(),
	size               integer NOT NULL CHECK (size IN (100, 250)), -- the squares' side, metres
	rows               bigint NOT NULL,   -- rows of the file (square × operator × technology)
	squares            bigint NOT NULL,   -- squares in the file
	operators          text[] NOT NULL,   -- the operators; operator k of a square's ops is operators[k]
	counties           text[] NOT NULL,   -- counties holding the centre of a square of the file
	warnings           integer NOT NULL,
	figures_version    integer NOT NULL DEFAULT 0,
	-- the coverage snapshot the people figures were computed against: 0 when
	-- there was none, NULL when they were never computed
	people_coverage_id bigint,
	people_coverage_as_of date,
	-- deferred: a re-import inserts the new snapshot, then deletes the old
	-- one, in one transaction
	CONSTRAINT mobile_snapshots_as_of_key UNIQUE (as_of) DEFERRABLE INITIALLY DEFERRED
);

-- One row per square of the file. Classes are in Mbit/s: 0 (below 10), 10,
-- 30, 100; decided exactly in Go (mobile.ClassOf) from the file's decimals.
-- ops holds one code per operator with a row in the square:
-- operator × 1000 + fiveg × 100 + (indoor class index + 1) × 10 + outdoor
-- class index, where a class index is 0 (below 10), 1 (10), 2 (30), 3 (100)
-- and an indoor index of -1 means no indoor speed was given (mobile/sql
-- decodes it; mobile.opCode encodes it).
CREATE TABLE mobile_squares (
	snapshot_id       bigint NOT NULL,
	e                 integer NOT NULL,  -- lower-left corner, SWEREF 99 TM
	n                 integer NOT NULL,
	municipality_code text,              -- the municipality whose boundary holds the centre; NULL: none
	outdoor           smallint NOT NULL, -- best class outdoors over every operator and technology
	indoor            smallint,          -- the same indoors; NULL: no indoor speed given
	fiveg             boolean NOT NULL,  -- a 5g row with more than 0 Mbit/s outdoors
	operators         smallint NOT NULL, -- operators with at least 10 Mbit/s outdoors
	best_outdoor_mbps numeric NOT NULL,
	ops               integer[] NOT NULL
) PARTITION BY LIST (snapshot_id);

-- The figures of an area (municipality, county, country 'SE') per operator
-- ('' for all together): measure 'total' (class 0), 'outdoor' and 'indoor'
-- (class 10, 30, 100), 'fiveg' (class 0), 'operators' (class k: squares
-- covered at 10 Mbit/s outdoors by exactly k operators).
CREATE TABLE mobile_area_squares (
	snapshot_id bigint NOT NULL REFERENCES mobile_snapshots (id) ON DELETE CASCADE,
	kind        text NOT NULL CHECK (kind IN ('municipality', 'county', 'country')),
	code        text NOT NULL,
	operator    text NOT NULL,
	measure     text NOT NULL CHECK (measure IN ('total', 'outdoor', 'indoor', 'fiveg', 'operators')),
	class_mbps  integer NOT NULL,
	squares     bigint NOT NULL,
	PRIMARY KEY (snapshot_id, kind, code, operator, measure, class_mbps)
);

CREATE TABLE mobile_area_people (
	snapshot_id   bigint NOT NULL REFERENCES mobile_snapshots (id) ON DELETE CASCADE,
	kind          text NOT NULL CHECK (kind IN ('municipality', 'county', 'country')),
	code          text NOT NULL,
	operator      text NOT NULL,
	measure       text NOT NULL CHECK (measure IN ('total', 'outdoor', 'indoor', 'fiveg', 'operators')),
	class_mbps    integer NOT NULL,
	households    bigint NOT NULL,
	workplaces    bigint NOT NULL,
	holiday_homes bigint NOT NULL,
	PRIMARY KEY (snapshot_id, kind, code, operator, measure, class_mbps)
);

-- The partition dance, as for the address points: the import fills
-- mobile_squares_loading (created in its transaction, invisible to everyone
-- else), keys it and attaches it as mobile_squares_s<id>.
-- +goose StatementBegin
CREATE FUNCTION mobile_squares_prepare(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DROP TABLE IF EXISTS mobile_squares_loading;
	CREATE TABLE mobile_squares_loading (LIKE mobile_squares INCLUDING DEFAULTS);
	EXECUTE format('ALTER TABLE mobile_squares_loading ADD CONSTRAINT %I CHECK (snapshot_id = %s)',
		'mobile_squares_s' || snap || '_snapshot', snap);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION mobile_squares_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'mobile_squares_s' || snap;
BEGIN
	EXECUTE format('ALTER TABLE mobile_squares_loading RENAME TO %I', part);
	EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (snapshot_id, e, n)', part, part || '_pkey');
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE mobile_squares ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION mobile_squares_drop(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('DROP TABLE IF EXISTS %I', 'mobile_squares_s' || snap);
END $$;
-- +goose StatementEnd

-- The grid squares of a size whose centre lies inside each municipality's
-- boundary (spec/mobile.md, "Area"), computed by PostGIS from the boundaries
-- (geo/sql/grid_runs.sql) the first time a size and municipality are asked
-- for, and kept: as runs of consecutive squares along each row of the grid
-- (n, e_from … e_to, every size metres), a few hundred thousand rows for
-- all of Sweden at 100 m where the squares themselves would be 53 million.
-- reference is the boundaries' digest (geo.ReferenceDigest): new boundaries
-- make the sets computed from the old ones stale.
CREATE TABLE grid_sets (
	size              integer NOT NULL CHECK (size > 0),
	municipality_code text NOT NULL REFERENCES municipalities (code) ON DELETE CASCADE,
	reference         text NOT NULL,
	squares           bigint NOT NULL,
	PRIMARY KEY (size, municipality_code)
);
CREATE TABLE grid_runs (
	size              integer NOT NULL,
	municipality_code text NOT NULL,
	n                 integer NOT NULL,
	e_from            integer NOT NULL,
	e_to              integer NOT NULL CHECK (e_to >= e_from),
	FOREIGN KEY (size, municipality_code) REFERENCES grid_sets ON DELETE CASCADE
);
CREATE INDEX grid_runs_set_idx ON grid_runs (size, municipality_code);

-- +goose Down
DROP TABLE grid_runs;
DROP TABLE grid_sets;
DROP FUNCTION mobile_squares_drop(bigint);
DROP FUNCTION mobile_squares_attach(bigint);
DROP FUNCTION mobile_squares_prepare(bigint);
DROP TABLE mobile_area_people;
DROP TABLE mobile_area_squares;
DROP TABLE mobile_squares;
DROP TABLE mobile_snapshots;
