-- tile_municipalities.sql: the map's municipalities layer as a Mapbox Vector
-- Tile. Every municipality in the tile, with its outline simplified for the
-- zoom (map_municipality_shapes), and, for those the snapshot covers, its
-- figures: households and workplaces, the share of households with access to
-- each class, which the map is coloured by (spec/product.md), the combined
-- share the targets count (spec/targets.md: (households + workplaces with
-- access) / (households + workplaces)), and met_<target id, - as _> for every target
-- that applies, decided in exact integers. A municipality the snapshot does not cover carries no
-- figures. $1 zoom, $2 column, $3 row (Web Mercator XYZ), $4 snapshot id.
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS wide
), features AS (
	SELECT ST_AsMVTGeom(s.geom, tile.env, 4096, 64, true) AS geom,
	       m.code, m.name, m.county_code,
	       a.households, a.workplaces,
	       (a.households_ge_1000 + a.workplaces_ge_1000)::float8 / nullif(a.households + a.workplaces, 0) AS share_1000,
	       (a.households_ge_100 + a.workplaces_ge_100)::float8 / nullif(a.households + a.workplaces, 0) AS share_100,
	       (a.households_ge_30 + a.workplaces_ge_30)::float8 / nullif(a.households + a.workplaces, 0) AS share_30,
	       a.households_ge_1000::float8 / nullif(a.households, 0) AS households_share_1000,
	       a.households_ge_100::float8 / nullif(a.households, 0) AS households_share_100,
	       a.households_ge_30::float8 / nullif(a.households, 0) AS households_share_30,
	       met.targets
	FROM tile
	JOIN map_municipality_shapes s ON s.band = map_shape_band($1) AND s.geom && tile.wide
	JOIN municipalities m ON m.code = s.municipality_code
	LEFT JOIN area_figures a
	       ON a.snapshot_id = $4 AND a.kind = 'municipality' AND a.code = m.code AND a.part = 'all'
	LEFT JOIN LATERAL (
		SELECT jsonb_object_agg('met_' || replace(t.id, '-', '_'), -- no quoting needed in QGIS expressions
		         a.households + a.workplaces > 0
		         AND 10000 * CASE t.class_mbps
		                       WHEN 1000 THEN a.households_ge_1000 + a.workplaces_ge_1000
		                       WHEN 100 THEN a.households_ge_100 + a.workplaces_ge_100
		                       WHEN 30 THEN a.households_ge_30 + a.workplaces_ge_30
		                       ELSE a.households_ge_10 + a.workplaces_ge_10
		                     END >= (t.threshold * 10000)::bigint * (a.households + a.workplaces)) AS targets
		FROM targets t
		WHERE t.county_code IS NULL OR t.county_code = m.county_code
	) met ON a.snapshot_id IS NOT NULL
)
SELECT ST_AsMVT(features, 'municipalities', 4096, 'geom')
FROM features
WHERE geom IS NOT NULL;
