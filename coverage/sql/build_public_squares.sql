-- build_public_squares.sql: the public squares of a snapshot (spec/product.md,
-- "Access": the public sees squares with at least 5 households), the one
-- definition that the map's tiles, OGC's squares, the public gap report and
-- the measurements' offered figures all read. $1 snapshot id; after the
-- square figures and the area figures.
--
-- A cell is a 250 m square of SWEREF 99 TM within one municipality (a square
-- on a border is a cell per municipality, its shape clipped to the
-- municipality), so that every channel publishes the same cells and the
-- municipality's own figures are the sum of its cells and the rest.
--  1. A cell with at least 5 households is public as it is (size 250).
--  2. The other cells of the municipality in the same 1 km square are pooled:
--     at least 5 households together, and they are public as one cell (size
--     1000: the 1 km square minus the municipality's public 250 m cells);
--     fewer, and they are withheld.
--  3. The households withheld are what a municipality's figures minus its
--     public cells reveal, for all its points and for the urban and rural
--     ones (both published): where that rest is 1–4 households, the smallest
--     public cell of that part is withheld too, which makes the rest at least
--     6 (secondary suppression). A county's rest is the sum of its
--     municipalities' rests, so it is 0 or at least 5 as well.
-- The 1 km square of a corner is floor(e / 1000) in float8, as in
-- build_square_figures.sql (the same integer as in numeric, without numeric
-- arithmetic).
WITH cell AS (
	SELECT q.*,
	       (floor(q.e::float8 / 1000) * 1000)::integer AS km_e,
	       (floor(q.n::float8 / 1000) * 1000)::integer AS km_n,
	       count(*) OVER (PARTITION BY q.e, q.n) > 1 AS shared -- the square spans municipalities
	FROM square_figures q
	WHERE q.snapshot_id = $1 AND q.size = 250
), km_shared AS ( -- 1 km squares that span municipalities
	SELECT km_e, km_n FROM cell GROUP BY km_e, km_n HAVING count(DISTINCT municipality_code) > 1
), candidate AS (
	SELECT 250 AS size, municipality_code, e, n, urban, points, households, workplaces, holiday_homes,
	       households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10, best_fixed_mbps, shared
	FROM cell
	WHERE households >= 5
	UNION ALL
	SELECT 1000, c.municipality_code, c.km_e, c.km_n, bool_or(c.urban), sum(c.points), sum(c.households),
	       sum(c.workplaces), sum(c.holiday_homes),
	       sum(c.households_ge_1000), sum(c.households_ge_100), sum(c.households_ge_30), sum(c.households_ge_10),
	       sum(c.workplaces_ge_1000), sum(c.workplaces_ge_100), sum(c.workplaces_ge_30), sum(c.workplaces_ge_10),
	       max(c.best_fixed_mbps), k.km_e IS NOT NULL
	FROM cell c
	LEFT JOIN km_shared k USING (km_e, km_n) -- a join, not EXISTS per group: once, not once per 1 km cell
	WHERE c.households < 5
	GROUP BY c.municipality_code, c.km_e, c.km_n, k.km_e
	HAVING sum(c.households) >= 5
), rest AS ( -- households of each municipality and part in no candidate cell
	SELECT f.code, f.part, f.households - coalesce(sum(c.households), 0) AS households
	FROM area_figures f
	LEFT JOIN candidate c ON c.municipality_code = f.code AND (f.part = 'urban') = c.urban
	WHERE f.snapshot_id = $1 AND f.kind = 'municipality' AND f.part IN ('urban', 'rural')
	GROUP BY f.code, f.part, f.households
), withheld AS ( -- the smallest cell of each part whose rest is 1–4
	SELECT DISTINCT ON (c.municipality_code, c.urban) c.municipality_code, c.size, c.e, c.n
	FROM candidate c
	JOIN rest r ON r.code = c.municipality_code AND (r.part = 'urban') = c.urban
	WHERE r.households BETWEEN 1 AND 4
	ORDER BY c.municipality_code, c.urban, c.households, c.size DESC, c.e, c.n
), public AS (
	SELECT c.*, ST_MakeEnvelope(c.e, c.n, c.e + c.size, c.n + c.size, 3006) AS square
	FROM candidate c
	WHERE NOT EXISTS (SELECT FROM withheld w
	                  WHERE (w.municipality_code, w.size, w.e, w.n) = (c.municipality_code, c.size, c.e, c.n))
), holes AS ( -- the public 250 m cells inside each pooled 1 km cell
	SELECT s.municipality_code, (floor(s.e::float8 / 1000) * 1000)::integer AS e, (floor(s.n::float8 / 1000) * 1000)::integer AS n,
	       ST_Union(s.square) AS geom
	FROM public s
	WHERE s.size = 250
	  AND EXISTS (SELECT FROM candidate k WHERE k.size = 1000 AND k.municipality_code = s.municipality_code
	                AND k.e = (floor(s.e::float8 / 1000) * 1000)::integer AND k.n = (floor(s.n::float8 / 1000) * 1000)::integer)
	GROUP BY 1, 2, 3
), shaped AS (
	SELECT p.*, CASE WHEN h.geom IS NULL THEN p.square ELSE ST_Difference(p.square, h.geom) END AS shape
	FROM public p
	LEFT JOIN holes h ON p.size = 1000 AND (h.municipality_code, h.e, h.n) = (p.municipality_code, p.e, p.n)
), clipped AS (
	SELECT s.*,
	       ST_Multi(CASE WHEN NOT s.shared OR ST_IsEmpty(x.part) THEN ST_CollectionExtract(s.shape, 3)
	                     ELSE x.part END) AS geom
	FROM shaped s
	JOIN municipalities m ON m.code = s.municipality_code
	CROSS JOIN LATERAL (
		SELECT CASE WHEN s.shared THEN ST_CollectionExtract(ST_Intersection(s.shape, m.geom), 3) END AS part
	) x
)
INSERT INTO public_squares (snapshot_id, municipality_code, size, e, n, urban, points, households, workplaces,
	holiday_homes, households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
	workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10, best_fixed_mbps, geom, geom_3857)
SELECT $1, municipality_code, size, e, n, urban, points, households, workplaces, holiday_homes,
       households_ge_1000, households_ge_100, households_ge_30, households_ge_10,
       workplaces_ge_1000, workplaces_ge_100, workplaces_ge_30, workplaces_ge_10, best_fixed_mbps,
       geom, ST_Multi(ST_Transform(ST_Segmentize(geom, 250), 3857))
FROM clipped;
