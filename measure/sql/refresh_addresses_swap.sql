-- refresh_addresses_swap.sql: the new table of address suggestions, its
-- indexes built, takes the place of address_search in one transaction:
-- readers see the old rows until it commits, then the new ones.
DROP TABLE address_search;
ALTER TABLE address_search_next RENAME TO address_search;
ALTER INDEX address_search_next_trgm_idx RENAME TO address_search_trgm_idx;
ALTER INDEX address_search_next_keys_idx RENAME TO address_search_keys_idx;
ANALYZE address_search;
