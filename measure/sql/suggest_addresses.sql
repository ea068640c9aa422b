-- suggest_addresses.sql: at most 10 street addresses for what a resident
-- has typed ($1): those that start with it first, then the most alike
-- (pg_trgm word similarity). Where they are (the square), never what is
-- offered there.
WITH q AS (SELECT address_search_key($1) AS k)
SELECT a.street, a.number, a.postcode, a.locality, a.label, a.square_e, a.square_n
FROM address_search a, q
WHERE a.search LIKE q.k || '%' OR q.k <% a.search
ORDER BY a.search LIKE q.k || '%' DESC, q.k <<-> a.search, a.label
LIMIT 10;
