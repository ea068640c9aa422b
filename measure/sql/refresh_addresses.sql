-- refresh_addresses.sql: rebuild the address suggestions from the latest
-- snapshot: one row per distinct street address (the lowest address_id
-- wins where several points share one), with its 250 m square and
-- municipality. No coverage figures. Runs in the caller's transaction, so
-- readers see the old rows until it commits.
DELETE FROM address_search;

INSERT INTO address_search (street, number, postcode, locality, label, search, keys,
                            square_e, square_n, municipality_code, snapshot_id)
SELECT a.street, a.number, a.postcode, a.locality, a.label,
       address_search_key(a.label),
       array_remove(ARRAY[
           address_search_key(a.label),
           address_search_key(concat_ws(' ', a.street, a.number, a.postcode)),
           address_search_key(concat_ws(' ', a.street, a.number, a.locality)),
           address_search_key(concat_ws(' ', a.street, a.number))], NULL),
       a.e, a.n, a.municipality_code, a.snapshot_id
FROM (
    SELECT DISTINCT ON (street, number, postcode, locality)
           street, number, postcode, locality,
           concat_ws(', ',
               concat_ws(' ', street, nullif(number, '')),
               nullif(concat_ws(' ',
                   CASE WHEN postcode <> '' THEN substr(postcode, 1, 3) || ' ' || substr(postcode, 4) END,
                   nullif(locality, '')), '')) AS label,
           (floor(ST_X(p.geom) / 250) * 250)::integer AS e,
           (floor(ST_Y(p.geom) / 250) * 250)::integer AS n,
           p.municipality_code, p.snapshot_id
    FROM (
        SELECT btrim(street) AS street, coalesce(btrim(number), '') AS number,
               coalesce(replace(postcode, ' ', ''), '') AS postcode, coalesce(btrim(locality), '') AS locality,
               geom, municipality_code, snapshot_id, address_id
        FROM address_points
        WHERE snapshot_id = (SELECT id FROM snapshots ORDER BY as_of DESC LIMIT 1)
          AND btrim(street) <> ''
    ) p
    ORDER BY street, number, postcode, locality, address_id
) a;

ANALYZE address_search;
