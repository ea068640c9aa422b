-- 0010_map_tiles.sql: what the map's vector tiles read (coverage/sql/tile_*.sql),
-- computed ahead so that a tile nobody asked for yet is still one indexed
-- query: municipality outlines in Web Mercator simplified per zoom band, and
-- per snapshot the public grid squares with their geometry. Both keep
-- themselves up to date through triggers: a reference-data load rewrites the
-- outlines, a coverage import's square figures build the public squares (in
-- the import's transaction), and deleting a snapshot cascades.
-- +goose Up
-- GiST over (snapshot_id, geom): one index finds a snapshot's squares in a tile.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The zoom band of a tile zoom: 0 for zoom 0–5, 1 for 6–7, 2 for 8–9, 3 for
-- 10–11, 4 for 12 and deeper.
CREATE FUNCTION map_shape_band(z integer) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN z <= 5 THEN 0 WHEN z <= 7 THEN 1 WHEN z <= 9 THEN 2 WHEN z <= 11 THEN 3 ELSE 4 END;

-- Municipality outlines in EPSG:3857, one per band, simplified by one unit of
-- a 4096-unit tile at the band's deepest zoom (invisible on the map); band 4
-- is the boundary as loaded.
CREATE TABLE map_municipality_shapes (
	municipality_code text NOT NULL REFERENCES municipalities (code) ON DELETE CASCADE,
	band              smallint NOT NULL CHECK (band BETWEEN 0 AND 4),
	geom              geometry(MultiPolygon, 3857) NOT NULL,
	PRIMARY KEY (municipality_code, band)
);
CREATE INDEX map_municipality_shapes_geom_idx ON map_municipality_shapes USING gist (band, geom);

-- +goose StatementBegin
CREATE FUNCTION map_municipality_shapes_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM map_municipality_shapes WHERE municipality_code = NEW.code;
	INSERT INTO map_municipality_shapes (municipality_code, band, geom)
	SELECT NEW.code, b.band, s.geom
	FROM (VALUES (0, 5), (1, 7), (2, 9), (3, 11), (4, NULL)) AS b (band, deepest),
	     LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(
	                 CASE WHEN b.deepest IS NULL THEN ST_Transform(NEW.geom, 3857)
	                      ELSE ST_SimplifyPreserveTopology(ST_Transform(NEW.geom, 3857),
	                                                       2 * pi() * 6378137 / 4096 / 2 ^ b.deepest)
	                 END), 3)) AS geom) AS s
	WHERE NOT ST_IsEmpty(s.geom);
	RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER map_municipality_shapes_refresh
AFTER INSERT OR UPDATE OF geom ON municipalities
FOR EACH ROW EXECUTE FUNCTION map_municipality_shapes_refresh();

-- the boundaries already loaded
UPDATE municipalities SET geom = geom;

-- The public grid squares of each snapshot (spec/product.md, "Access": the
-- public sees squares with at least 5 households). A 250 m square with at
-- least 5 households is shown as it is (summed over the municipalities it
-- spans). The households and workplaces of the 1 km square's other 250 m
-- squares are pooled: when they make at least 5 households, they are shown as
-- the 1 km square minus its shown 250 m squares (size 1000); otherwise they
-- are left out. So no square on the map holds fewer than 5 households.
CREATE TABLE map_squares (
	snapshot_id        bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	size               integer NOT NULL CHECK (size IN (250, 1000)),
	e                  integer NOT NULL,  -- lower-left corner, SWEREF 99 TM
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

-- +goose StatementBegin
CREATE FUNCTION map_squares_build(snap bigint) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM map_squares WHERE snapshot_id = snap;
	INSERT INTO map_squares (snapshot_id, size, e, n, points, households, workplaces,
		households_ge_1000, households_ge_100, households_ge_30,
		workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, geom)
	WITH sq AS ( -- one row per 250 m square, over the municipalities it spans
		SELECT e, n,
		       (floor(e / 1000.0) * 1000)::integer AS km_e,
		       (floor(n / 1000.0) * 1000)::integer AS km_n,
		       sum(points)::integer AS points, sum(households)::integer AS households,
		       sum(workplaces)::integer AS workplaces,
		       sum(households_ge_1000)::integer AS households_ge_1000,
		       sum(households_ge_100)::integer AS households_ge_100,
		       sum(households_ge_30)::integer AS households_ge_30,
		       sum(workplaces_ge_1000)::integer AS workplaces_ge_1000,
		       sum(workplaces_ge_100)::integer AS workplaces_ge_100,
		       sum(workplaces_ge_30)::integer AS workplaces_ge_30
		FROM square_figures
		WHERE snapshot_id = snap AND size = 250
		GROUP BY e, n
	), shown AS (
		SELECT * FROM sq WHERE households >= 5
	), pooled AS ( -- the rest of each 1 km square
		SELECT km_e, km_n,
		       sum(points)::integer AS points, sum(households)::integer AS households,
		       sum(workplaces)::integer AS workplaces,
		       sum(households_ge_1000)::integer AS households_ge_1000,
		       sum(households_ge_100)::integer AS households_ge_100,
		       sum(households_ge_30)::integer AS households_ge_30,
		       sum(workplaces_ge_1000)::integer AS workplaces_ge_1000,
		       sum(workplaces_ge_100)::integer AS workplaces_ge_100,
		       sum(workplaces_ge_30)::integer AS workplaces_ge_30
		FROM sq WHERE households < 5
		GROUP BY km_e, km_n
		HAVING sum(households) >= 5
	)
	SELECT snap, 250, e, n, points, households, workplaces,
	       households_ge_1000, households_ge_100, households_ge_30,
	       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30,
	       ST_Multi(ST_Transform(ST_MakeEnvelope(e, n, e + 250, n + 250, 3006), 3857))
	FROM shown
	UNION ALL
	SELECT snap, 1000, p.km_e, p.km_n, p.points, p.households, p.workplaces,
	       p.households_ge_1000, p.households_ge_100, p.households_ge_30,
	       p.workplaces_ge_1000, p.workplaces_ge_100, p.workplaces_ge_30,
	       ST_Multi(ST_Transform(ST_Segmentize(
	         coalesce(ST_Difference(ST_MakeEnvelope(p.km_e, p.km_n, p.km_e + 1000, p.km_n + 1000, 3006),
	                                (SELECT ST_Union(ST_MakeEnvelope(s.e, s.n, s.e + 250, s.n + 250, 3006))
	                                 FROM shown s WHERE s.km_e = p.km_e AND s.km_n = p.km_n)),
	                  ST_MakeEnvelope(p.km_e, p.km_n, p.km_e + 1000, p.km_n + 1000, 3006)),
	         250), 3857))
	FROM pooled p;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION map_squares_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	snap bigint;
BEGIN
	FOR snap IN SELECT DISTINCT snapshot_id FROM added LOOP
		PERFORM map_squares_build(snap);
	END LOOP;
	RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER map_squares_after_insert
AFTER INSERT ON square_figures
REFERENCING NEW TABLE AS added
FOR EACH STATEMENT EXECUTE FUNCTION map_squares_after_insert();

-- the snapshots already imported
SELECT map_squares_build(id) FROM snapshots;

-- +goose Down
DROP TRIGGER map_squares_after_insert ON square_figures;
DROP FUNCTION map_squares_after_insert();
DROP FUNCTION map_squares_build(bigint);
DROP TABLE map_squares;
DROP TRIGGER map_municipality_shapes_refresh ON municipalities;
DROP FUNCTION map_municipality_shapes_refresh();
DROP TABLE map_municipality_shapes;
DROP FUNCTION map_shape_band(integer);
