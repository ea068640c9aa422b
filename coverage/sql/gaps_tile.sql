-- gaps_tile.sql: the map's addresses layer as a Mapbox Vector Tile: the
-- snapshot's address points at street level, with households, workplaces
-- and the best fixed speed today, for signed-in users of their own
-- municipalities only. $1 zoom, $2 column, $3 row (Web Mercator XYZ), $4
-- snapshot id, $5 municipality codes (NULL: all, for the coordinator).
-- Returns the tile and how many points it holds (for the audit log).
WITH tile AS (
	SELECT ST_TileEnvelope($1, $2, $3) AS env,
	       ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 16.0 / 4096), 3006) AS wide
), features AS (
	SELECT ST_AsMVTGeom(ST_Transform(p.geom, 3857), tile.env, 4096, 16, true) AS geom,
	       p.address_id, coalesce(p.street, '') AS street, coalesce(p.number, '') AS number,
	       p.municipality_code, p.households, p.workplaces,
	       p.best_fixed_mbps::float8 AS mbps, coalesce(p.best_fixed_technology::text, 'none') AS technology,
	       p.planned_mbps::float8 AS planned_mbps, p.planned_year
	FROM tile
	JOIN address_points p ON p.snapshot_id = $4 AND p.geom && tile.wide
	WHERE $5::text[] IS NULL OR p.municipality_code = ANY ($5)
)
SELECT ST_AsMVT(features, 'addresses', 4096, 'geom'), count(*)
FROM features
WHERE geom IS NOT NULL;
