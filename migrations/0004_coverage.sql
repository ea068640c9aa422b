-- 0004_coverage.sql: coverage snapshots (spec/coverage-format.md) and their
-- aggregates (spec/targets.md). One snapshot per as_of date; its address
-- points live in a partition of their own, so that replacing or deleting a
-- snapshot drops a table instead of deleting millions of rows.
-- +goose Up
CREATE TYPE technology AS ENUM ('fiber', 'cable', 'dsl', 'fixed_wireless', 'mobile', 'satellite', 'other', 'none');
CREATE TYPE offer_status AS ENUM ('connected', 'passed', 'planned');

-- One row of the imported file: an offer over one technology at the point.
CREATE TYPE offer AS (
	technology   technology,
	status       offer_status, -- NULL for technology none
	down_mbps    numeric,
	up_mbps      numeric,      -- NULL when not given
	operator     text,
	planned_year smallint      -- for planned offers: the year the build is due
);

CREATE TABLE snapshots (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	as_of         date NOT NULL,     -- the survey date, e.g. 2024-10-01
	source        text NOT NULL,     -- the file's name as given to the import
	sha256        text NOT NULL,     -- of the file as read
	imported_at   timestamptz NOT NULL DEFAULT now(),
	rows          bigint NOT NULL,   -- rows of the file (address point × technology)
	points        bigint NOT NULL,   -- address points
	households    bigint NOT NULL,
	workplaces    bigint NOT NULL,
	holiday_homes bigint NOT NULL,
	warnings      integer NOT NULL,  -- imported, counted and listed at import
	outside       integer NOT NULL,  -- points outside their municipality's boundary
	-- deferred: a re-import inserts the new snapshot, then deletes the old one,
	-- in one transaction
	CONSTRAINT snapshots_as_of_key UNIQUE (as_of) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE address_points (
	snapshot_id           bigint NOT NULL,
	address_id            text NOT NULL,
	municipality_code     text NOT NULL,
	geom                  geometry(Point, 3006) NOT NULL,
	households            integer NOT NULL,
	workplaces            integer NOT NULL,
	holiday_homes         integer,             -- NULL: not given
	street                text,
	number                text,
	postcode              text,                -- five digits
	locality              text,
	-- the best connected or passed offer over a fixed technology (not mobile,
	-- satellite or planned): its download speed (0 without any), technology
	-- and operator
	best_fixed_mbps       numeric NOT NULL,
	best_fixed_technology technology,
	best_fixed_operator   text,
	best_any_mbps         numeric NOT NULL,    -- the same including mobile and satellite
	planned_mbps          numeric,             -- the best planned fixed build, if any
	planned_year          smallint,            -- its year (the earliest of the best)
	urban                 boolean NOT NULL,    -- its 1 km square holds >= 100 households
	inside_municipality   boolean NOT NULL,    -- inside its municipality's boundary
	offers                offer[] NOT NULL,    -- every row of the file for the point
	PRIMARY KEY (snapshot_id, address_id)
) PARTITION BY LIST (snapshot_id);
CREATE INDEX address_points_municipality_idx ON address_points (snapshot_id, municipality_code);
CREATE INDEX address_points_geom_idx ON address_points USING gist (geom);
-- the nearest point with >= 1 Gbit/s (gap reports: how far fibre is)
CREATE INDEX address_points_gigabit_idx ON address_points USING gist (geom) WHERE best_fixed_mbps >= 1000;

-- Figures per municipality and county, for all points and for the urban and
-- rural ones: what every report reads instead of the points.
CREATE TABLE area_figures (
	snapshot_id            bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	kind                   text NOT NULL CHECK (kind IN ('county', 'municipality')),
	code                   text NOT NULL,
	part                   text NOT NULL CHECK (part IN ('all', 'urban', 'rural')),
	points                 bigint NOT NULL,
	households             bigint NOT NULL,
	workplaces             bigint NOT NULL,
	holiday_homes          bigint NOT NULL,
	households_ge_1000     bigint NOT NULL,
	households_ge_100      bigint NOT NULL,
	households_ge_30       bigint NOT NULL,
	households_ge_10       bigint NOT NULL,
	workplaces_ge_1000     bigint NOT NULL,
	workplaces_ge_100      bigint NOT NULL,
	workplaces_ge_30       bigint NOT NULL,
	workplaces_ge_10       bigint NOT NULL,
	-- including mobile and satellite (a separate figure, never for targets)
	households_any_ge_1000 bigint NOT NULL,
	households_any_ge_100  bigint NOT NULL,
	households_any_ge_30   bigint NOT NULL,
	workplaces_any_ge_1000 bigint NOT NULL,
	workplaces_any_ge_100  bigint NOT NULL,
	workplaces_any_ge_30   bigint NOT NULL,
	PRIMARY KEY (snapshot_id, kind, code, part)
);

-- Planned builds: the households and workplaces that gain access to a class
-- by a year if the planned builds are made (year 0: planned without a year,
-- counted for every target). The forecast for a target due in year Y is
-- today's figure plus the gains with year <= Y.
CREATE TABLE area_gains (
	snapshot_id bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	kind        text NOT NULL CHECK (kind IN ('county', 'municipality')),
	code        text NOT NULL,
	class_mbps  integer NOT NULL,
	year        smallint NOT NULL,
	households  bigint NOT NULL,
	workplaces  bigint NOT NULL,
	PRIMARY KEY (snapshot_id, kind, code, class_mbps, year)
);

-- Figures per grid square (SWEREF 99 TM, named by the lower-left corner) and
-- municipality: a square on a border has a row per municipality.
CREATE TABLE square_figures (
	snapshot_id        bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	size               integer NOT NULL CHECK (size IN (250, 1000)),
	e                  integer NOT NULL,
	n                  integer NOT NULL,
	municipality_code  text NOT NULL,
	points             integer NOT NULL,
	households         integer NOT NULL,
	workplaces         integer NOT NULL,
	holiday_homes      integer NOT NULL,
	households_ge_1000 integer NOT NULL,
	households_ge_100  integer NOT NULL,
	households_ge_30   integer NOT NULL,
	workplaces_ge_1000 integer NOT NULL,
	workplaces_ge_100  integer NOT NULL,
	workplaces_ge_30   integer NOT NULL,
	best_fixed_mbps    numeric NOT NULL,   -- the best offer in the square
	PRIMARY KEY (snapshot_id, size, e, n, municipality_code)
);
CREATE INDEX square_figures_municipality_idx ON square_figures (snapshot_id, municipality_code, size);

-- The partition dance: the import fills address_points_loading (created in
-- its transaction, invisible to everyone else), builds the indexes in bulk
-- and attaches it as address_points_s<id>. Dynamic names live only here.
-- +goose StatementBegin
CREATE FUNCTION snapshot_points_prepare(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DROP TABLE IF EXISTS address_points_loading;
	CREATE TABLE address_points_loading (LIKE address_points INCLUDING DEFAULTS);
	EXECUTE format('ALTER TABLE address_points_loading ADD CONSTRAINT %I CHECK (snapshot_id = %s)',
		'address_points_s' || snap || '_snapshot', snap);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (snapshot_id, address_id)', part, part || '_pkey');
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION snapshot_points_drop(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('DROP TABLE IF EXISTS %I', 'address_points_s' || snap);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION snapshot_points_drop(bigint);
DROP FUNCTION snapshot_points_attach(bigint);
DROP FUNCTION snapshot_points_prepare(bigint);
DROP TABLE square_figures;
DROP TABLE area_gains;
DROP TABLE area_figures;
DROP TABLE address_points;
DROP TABLE snapshots;
DROP TYPE offer;
DROP TYPE offer_status;
DROP TYPE technology;
