-- 0091_address_keys_bytewise.sql: the exact-match keys of the address
-- suggestions compare byte-wise (COLLATE "C"). Equality is the same under
-- every deterministic collation, so the addresses an address field
-- resolves to are the same; building the GIN index of the keys of Sweden's
-- 2.3 million street addresses takes 37 s instead of 52-66 s
-- (measure.RefreshAddresses, whose new table copies this column's type).
-- +goose Up
ALTER TABLE address_search ALTER COLUMN keys TYPE text[] COLLATE "C";

-- +goose Down
ALTER TABLE address_search ALTER COLUMN keys TYPE text[] COLLATE "default";
