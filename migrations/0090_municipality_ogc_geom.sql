-- 0090_municipality_ogc_geom.sql: each municipality's boundary simplified to
-- 10 m (topology kept), as OGC API – Features serves it
-- (coverage/sql/municipality_features.sql). Computed once when the
-- reference boundaries are loaded (geo.LoadReference), not on every
-- request: for the 290 of Sweden the simplification took 3 s a page.
-- +goose Up
ALTER TABLE municipalities
	ADD COLUMN geom_simplified geometry(MultiPolygon, 3006)
	GENERATED ALWAYS AS (ST_Multi(ST_SimplifyPreserveTopology(geom, 10))) STORED;

-- +goose Down
ALTER TABLE municipalities DROP COLUMN geom_simplified;
