-- resolve_address.sql: the squares an address field ($1) names exactly:
-- "Storgatan 12, 392 31 Kalmar", "Storgatan 12, 392 31", "Storgatan 12
-- Kalmar" or, where only one street has it, "Storgatan 12". More than one
-- row: the address is ambiguous.
SELECT DISTINCT a.square_e, a.square_n, a.municipality_code
FROM address_search a
WHERE a.keys @> ARRAY[address_search_key($1)]
LIMIT 2;
