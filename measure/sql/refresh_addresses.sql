-- refresh_addresses.sql: the new table of address suggestions, without its
-- indexes, from the street addresses of the latest snapshot, which
-- coverage's COPY has just written into address_search_points (one row per
-- distinct street address, with its 250 m square and municipality;
-- coverage/sql/street_addresses.sql). No coverage figures. measure.
-- RefreshAddresses then builds its indexes and puts it in the place of
-- address_search (refresh_addresses_swap.sql). %[1]d the snapshot id
-- (formatted in).
--
-- For speed at a national scale (millions of address points): the rows go
-- into a new table whose GIN indexes are then built in bulk, and which
-- replaces the old one, instead of millions of deletes and index inserts;
-- the search keys are composed from the keys of the parts, and the key of
-- each distinct street, number and locality is computed once (Sweden's 2.3
-- million street addresses have a few thousand of each): 6 s instead of
-- 22 s of address_search_key. address_search_key(label) equals
-- concat_ws(' ', key(street), key(number), postcode, key(locality)): the key
-- lower-cases, turns every run of other characters into one space and
-- joins a postcode's "392 31", which the digits of postcode are already.
DROP TABLE IF EXISTS address_search_next;
CREATE TABLE address_search_next (LIKE address_search INCLUDING DEFAULTS);

INSERT INTO address_search_next (street, number, postcode, locality, label, search, keys,
                                 square_e, square_n, municipality_code, snapshot_id)
WITH street_keys AS (SELECT street, address_search_key(street) AS k FROM address_search_points GROUP BY street),
     number_keys AS (SELECT number, address_search_key(number) AS k FROM address_search_points GROUP BY number),
     locality_keys AS (SELECT locality, address_search_key(locality) AS k FROM address_search_points GROUP BY locality)
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
           concat_ws(' ', nullif(s.k, ''), nullif(n.k, '')) AS sn,
           nullif(l.k, '') AS loc
    FROM address_search_points a
    JOIN street_keys s ON s.street = a.street
    JOIN number_keys n ON n.number = a.number
    JOIN locality_keys l ON l.locality = a.locality
) k;
