-- 0040_coverage_rules.sql: schema for rules that now live in package
-- coverage, one implementation each (issue 16).
--
-- * The public squares are built by the import's publish step
--   (coverage/sql/build_public_squares.sql), no longer by a trigger on
--   square_figures: map_squares and its trigger go, public_squares replaces
--   them. A public square is a cell of one municipality (a square on a border
--   is a cell per municipality, clipped to it), so the map, OGC and the public
--   gap report publish the same cells and no difference of two answers
--   reveals fewer than 5 households.
-- * The urban flag of a 250 m square is stored once, where the square figures
--   are built, and read by the area figures and the public squares.
-- * Access including mobile and satellite at >= 10 Mbit/s, missing until now.
-- * snapshots.figures_version: the version of the rules a snapshot's derived
--   tables were built with; gigakoll migrate rebuilds older ones in Go.
-- * The loading table keeps each offer's line in the file (offer_lines, NULL
--   when the offers are on consecutive lines), so that the pieces of an
--   address point listed apart are checked with their own lines; the column
--   is dropped before the partition is attached.
-- +goose Up
DROP TRIGGER map_squares_after_insert ON square_figures;
DROP FUNCTION map_squares_after_insert();
DROP FUNCTION map_squares_build(bigint);
DROP TABLE map_squares;

ALTER TABLE square_figures
	ADD COLUMN urban                 boolean NOT NULL DEFAULT false,
	ADD COLUMN households_any_ge_10  integer NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_any_ge_10  integer NOT NULL DEFAULT 0;
ALTER TABLE area_figures
	ADD COLUMN households_any_ge_10  bigint NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_any_ge_10  bigint NOT NULL DEFAULT 0;
ALTER TABLE snapshots ADD COLUMN figures_version integer NOT NULL DEFAULT 0;

CREATE TABLE public_squares (
	snapshot_id        bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	municipality_code  text NOT NULL,
	size               integer NOT NULL CHECK (size IN (250, 1000)),
	e                  integer NOT NULL,  -- lower-left corner, SWEREF 99 TM
	n                  integer NOT NULL,
	urban              boolean NOT NULL,
	points             integer NOT NULL,
	households         integer NOT NULL CHECK (households >= 5),
	workplaces         integer NOT NULL,
	holiday_homes      integer NOT NULL,
	households_ge_1000 integer NOT NULL,
	households_ge_100  integer NOT NULL,
	households_ge_30   integer NOT NULL,
	households_ge_10   integer NOT NULL,
	workplaces_ge_1000 integer NOT NULL,
	workplaces_ge_100  integer NOT NULL,
	workplaces_ge_30   integer NOT NULL,
	workplaces_ge_10   integer NOT NULL,
	best_fixed_mbps    numeric NOT NULL,
	geom               geometry(MultiPolygon, 3006) NOT NULL,
	geom_3857          geometry(MultiPolygon, 3857) NOT NULL,
	PRIMARY KEY (snapshot_id, municipality_code, size, e, n)
);
CREATE INDEX public_squares_geom_idx ON public_squares USING gist (snapshot_id, geom);
CREATE INDEX public_squares_tile_idx ON public_squares USING gist (snapshot_id, geom_3857);
CREATE INDEX public_squares_square_idx ON public_squares (snapshot_id, e, n);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_prepare(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DROP TABLE IF EXISTS address_points_loading;
	CREATE TABLE address_points_loading (LIKE address_points INCLUDING DEFAULTS);
	ALTER TABLE address_points_loading ADD COLUMN offer_lines integer[];
	EXECUTE format('ALTER TABLE address_points_loading ADD CONSTRAINT %I CHECK (snapshot_id = %s)',
		'address_points_s' || snap || '_snapshot', snap);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	ALTER TABLE address_points_loading DROP COLUMN offer_lines;
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_prepare(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	DROP TABLE IF EXISTS address_points_loading;
	CREATE TABLE address_points_loading (LIKE address_points INCLUDING DEFAULTS);
	EXECUTE format('ALTER TABLE address_points_loading ADD CONSTRAINT %I CHECK (snapshot_id = %s)',
		'address_points_s' || snap || '_snapshot', snap);
END $$;
-- +goose StatementEnd
DROP TABLE public_squares;
ALTER TABLE snapshots DROP COLUMN figures_version;
ALTER TABLE area_figures DROP COLUMN households_any_ge_10, DROP COLUMN workplaces_any_ge_10;
ALTER TABLE square_figures DROP COLUMN urban, DROP COLUMN households_any_ge_10, DROP COLUMN workplaces_any_ge_10;
-- the map squares of 0010 come back empty: gigakoll migrate of the older
-- binary does not rebuild them; re-import to see squares on the map
CREATE TABLE map_squares (
	snapshot_id        bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	size               integer NOT NULL CHECK (size IN (250, 1000)),
	e                  integer NOT NULL,
	n                  integer NOT NULL,
	points             integer NOT NULL,
	households         integer NOT NULL CHECK (households >= 5),
	workplaces         integer NOT NULL,
	households_ge_1000 integer NOT NULL,
	households_ge_100  integer NOT NULL,
	households_ge_30   integer NOT NULL,
	workplaces_ge_1000 integer NOT NULL,
	workplaces_ge_100  integer NOT NULL,
	workplaces_ge_30   integer NOT NULL,
	geom               geometry(MultiPolygon, 3857) NOT NULL,
	PRIMARY KEY (snapshot_id, size, e, n)
);
CREATE INDEX map_squares_geom_idx ON map_squares USING gist (snapshot_id, geom);
