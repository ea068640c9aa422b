-- 0080_measurement_operator.sql: the resident's internet provider on a
-- measurement (issue 20), optional. Stored as a key of measure.Operators
-- ("telia", "tele2", …, "annan" for one not on the list), never as the text
-- typed: the text is folded to a key in Go before anything is written, so
-- "TELIA", "Telia Sverige AB" and "telia" are one group, and nothing a
-- resident typed (a name, an address) can end up in the table. The list
-- lives in Go, so a new operator needs no migration.
-- NULL: the resident did not say.
-- +goose Up
ALTER TABLE measurements ADD COLUMN operator text;
-- NOT VALID: every existing row is NULL, and checking them would scan the
-- table under a lock that stops submissions; new rows are checked.
ALTER TABLE measurements ADD CONSTRAINT measurements_operator_key
	CHECK (operator ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(operator) <= 32) NOT VALID;

-- +goose Down
ALTER TABLE measurements DROP COLUMN operator;
