-- 0071_public_square_sums.sql: the squares layer of the map's vector tiles
-- below zoom 8, where a 250 m square is smaller than a pixel: per snapshot,
-- the public squares (public_squares) summed into coarser squares of
-- SWEREF 99 TM, 2, 5, 10 and 20 km (coverage/sql/build_public_square_sums.sql
-- builds them in the import's publish step). Each is a sum of public cells,
-- never anything finer: whatever it tells, the public cells told already.
-- +goose Up
CREATE TABLE public_square_sums (
	snapshot_id        bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	size               integer NOT NULL CHECK (size IN (2000, 5000, 10000, 20000)),
	e                  integer NOT NULL,  -- lower-left corner, SWEREF 99 TM
	n                  integer NOT NULL,
	cells              integer NOT NULL,  -- the public cells summed
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
	geom_3857          geometry(Polygon, 3857) NOT NULL,
	PRIMARY KEY (snapshot_id, size, e, n)
);
CREATE INDEX public_square_sums_tile_idx ON public_square_sums USING gist (snapshot_id, size, geom_3857);

-- +goose Down
DROP TABLE public_square_sums;
