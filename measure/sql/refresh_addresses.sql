-- refresh_addresses.sql: rebuild the address suggestions from the street
-- addresses of the latest snapshot, which coverage's COPY has just written
-- into address_search_points (one row per distinct street address, with its
-- 250 m square and municipality; coverage/sql/street_addresses.sql). No
-- coverage figures. Runs in the caller's transaction, so readers see the old
-- rows until it commits. %[1]d the snapshot id (formatted in).
--
-- For speed at a national scale (millions of address points): the rows go
-- into a new table whose GIN indexes are then built in bulk, and which
-- replaces the old one, instead of millions of deletes and index inserts;
-- and the search keys are composed from the keys of the parts, three calls
-- of address_search_key a row instead of five over whole labels.
-- address_search_key(label) equals concat_ws(' ', key(street), key(number),
-- postcode, key(locality)): the key lower-cases, turns every run of other
-- characters into one space and joins a postcode's "392 31", which the
-- digits of postcode are already.
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
       k.square_e, k.square_n, k.municipality_code, %[1]d
FROM (
    SELECT a.*,
           concat_ws(', ',
               concat_ws(' ', a.street, nullif(a.number, '')),
               nullif(concat_ws(' ',
                   CASE WHEN a.postcode <> '' THEN substr(a.postcode, 1, 3) || ' ' || substr(a.postcode, 4) END,
                   nullif(a.locality, '')), '')) AS label,
           concat_ws(' ', nullif(address_search_key(a.street), ''), nullif(address_search_key(a.number), '')) AS sn,
           nullif(address_search_key(a.locality), '') AS loc
    FROM address_search_points a
) k;

CREATE INDEX address_search_next_trgm_idx ON address_search_next USING gin (search gin_trgm_ops);
CREATE INDEX address_search_next_keys_idx ON address_search_next USING gin (keys);
DROP TABLE address_search;
ALTER TABLE address_search_next RENAME TO address_search;
ALTER INDEX address_search_next_trgm_idx RENAME TO address_search_trgm_idx;
ALTER INDEX address_search_next_keys_idx RENAME TO address_search_keys_idx;
ANALYZE address_search;
