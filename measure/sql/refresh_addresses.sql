-- refresh_addresses.sql: rebuild the address suggestions from the latest
-- snapshot: one row per distinct street address (the lowest address_id
-- wins where several points share one), with its 250 m square and
-- municipality. No coverage figures. Runs in the caller's transaction, so
-- readers see the old rows until it commits.
--
-- For speed at a national scale (millions of address points): the rows go
-- into a new table whose GIN indexes are then built in bulk, and which
-- replaces the old one, instead of millions of deletes and index inserts;
-- the distinct addresses are sorted byte-wise (COLLATE "C": the same
-- equality, without the locale's cost); and the search keys are composed
-- from the keys of the parts, three calls of address_search_key a row
-- instead of five over whole labels. address_search_key(label) equals
-- concat_ws(' ', key(street), key(number), postcode, key(locality)): the key
-- lower-cases, turns every run of other characters into one space and joins
-- a postcode's "392 31", which the digits of postcode are already.
SELECT pg_advisory_xact_lock(hashtext('gigakoll address_search refresh'));
SET LOCAL maintenance_work_mem = '256MB';
DROP TABLE IF EXISTS address_search_next;
CREATE TABLE address_search_next (LIKE address_search INCLUDING DEFAULTS);

INSERT INTO address_search_next (street, number, postcode, locality, label, search, keys,
                                 square_e, square_n, municipality_code, snapshot_id)
SELECT k.street, k.number, k.postcode, k.locality, k.label,
       concat_ws(' ', k.sn, nullif(k.postcode, ''), k.loc),
       array_remove(ARRAY[
           concat_ws(' ', k.sn, nullif(k.postcode, ''), k.loc),
           concat_ws(' ', k.sn, nullif(k.postcode, '')),
           concat_ws(' ', k.sn, k.loc),
           k.sn], ''),
       k.e, k.n, k.municipality_code, k.snapshot_id
FROM (
    SELECT a.*,
           concat_ws(' ', nullif(address_search_key(a.street), ''), nullif(address_search_key(a.number), '')) AS sn,
           nullif(address_search_key(a.locality), '') AS loc
    FROM (
        SELECT DISTINCT ON (street COLLATE "C", number COLLATE "C", postcode COLLATE "C", locality COLLATE "C")
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
        ORDER BY street COLLATE "C", number COLLATE "C", postcode COLLATE "C", locality COLLATE "C", address_id
    ) a
) k;

CREATE INDEX address_search_next_trgm_idx ON address_search_next USING gin (search gin_trgm_ops);
CREATE INDEX address_search_next_keys_idx ON address_search_next USING gin (keys);
DROP TABLE address_search;
ALTER TABLE address_search_next RENAME TO address_search;
ALTER INDEX address_search_next_trgm_idx RENAME TO address_search_trgm_idx;
ALTER INDEX address_search_next_keys_idx RENAME TO address_search_keys_idx;
ANALYZE address_search;
