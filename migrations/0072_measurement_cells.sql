-- 0072_measurement_cells.sql: the measurements layer of the map's vector
-- tiles below zoom 8, where a 250 m square is smaller than a pixel: the
-- measurements of the public 250 m squares (at least 5 measurements)
-- pooled into squares of 2, 5, 10 and 20 km of SWEREF 99 TM, with their
-- count and the medians of the pooled values (measure/sql/build_cells.sql).
-- Measurements arrive all the time and a median cannot be updated a value
-- at a time, so the table is rebuilt whole, at most once per tile interval,
-- when a tile finds it older than that (measure.Store.RefreshCells);
-- measurement_cells_built says when. Only public squares are pooled: a
-- count here is the sum of counts the 250 m squares show already.
-- +goose Up
CREATE TABLE measurement_cells (
	size         integer NOT NULL CHECK (size IN (2000, 5000, 10000, 20000)),
	e            integer NOT NULL,  -- lower-left corner, SWEREF 99 TM
	n            integer NOT NULL,
	measurements bigint NOT NULL CHECK (measurements >= 5),
	median_down  double precision NOT NULL,
	median_up    double precision NOT NULL,
	geom_3857    geometry(Polygon, 3857) NOT NULL,
	PRIMARY KEY (size, e, n)
);
CREATE INDEX measurement_cells_tile_idx ON measurement_cells USING gist (size, geom_3857);

CREATE TABLE measurement_cells_built (
	one          boolean PRIMARY KEY DEFAULT true CHECK (one),
	built_at     timestamptz NOT NULL,
	measurements bigint NOT NULL  -- of the public squares, pooled
);

-- +goose Down
DROP TABLE measurement_cells_built;
DROP TABLE measurement_cells;
