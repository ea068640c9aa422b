-- street_addresses.sql: the street addresses of a snapshot, for the
-- residents' address suggestions (package measure builds them): one row per
-- distinct street address (street, number, postcode without its space,
-- locality; trimmed), where the lowest address_id sharing it lies: its 250 m
-- square and its municipality. No coverage figures. Sorted byte-wise
-- (COLLATE "C": the same equality as the locale's, without its cost).
-- %[1]d the snapshot id (COPY takes no parameters; an integer formatted in).
COPY (
	SELECT DISTINCT ON (street COLLATE "C", number COLLATE "C", postcode COLLATE "C", locality COLLATE "C")
	       street, number, postcode, locality,
	       (floor(ST_X(geom) / 250) * 250)::integer AS e,
	       (floor(ST_Y(geom) / 250) * 250)::integer AS n,
	       municipality_code
	FROM (
		SELECT btrim(street) AS street, coalesce(btrim(number), '') AS number,
		       coalesce(replace(postcode, ' ', ''), '') AS postcode, coalesce(btrim(locality), '') AS locality,
		       geom, municipality_code, address_id
		FROM address_points
		WHERE snapshot_id = %[1]d AND btrim(street) <> ''
	) p
	ORDER BY street COLLATE "C", number COLLATE "C", postcode COLLATE "C", locality COLLATE "C", address_id
) TO STDOUT (FORMAT csv)
