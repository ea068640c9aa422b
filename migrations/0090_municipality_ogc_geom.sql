-- 0090_municipality_ogc_geom.sql: each municipality's boundary simplified to
-- 10 m (topology kept), as OGC API – Features serves it
-- (coverage/sql/municipality_features.sql). Computed once when the
-- reference boundaries are loaded (geo.LoadReference), not on every
-- request: for the 290 of Sweden the simplification took 3 s a page.
-- +goose Up
-- Of any type, as the simplification gives it: a boundary of one part is a
-- Polygon, as OGC has always served it.
ALTER TABLE municipalities
	ADD COLUMN geom_simplified geometry(Geometry, 3006)
	GENERATED ALWAYS AS (ST_SimplifyPreserveTopology(geom, 10)) STORED;

-- +goose Down
ALTER TABLE municipalities DROP COLUMN geom_simplified;
