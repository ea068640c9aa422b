-- 0006_square_classes.sql: the square figures carry every count the
-- municipality and county figures need (≥ 10 Mbit/s, access including
-- mobile and satellite), so that the import scans the address points once,
-- for the 250 m squares, and builds the 1 km squares and the area figures
-- from those.
-- +goose Up
ALTER TABLE square_figures
	ADD COLUMN households_ge_10       integer NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_ge_10       integer NOT NULL DEFAULT 0,
	ADD COLUMN households_any_ge_1000 integer NOT NULL DEFAULT 0,
	ADD COLUMN households_any_ge_100  integer NOT NULL DEFAULT 0,
	ADD COLUMN households_any_ge_30   integer NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_any_ge_1000 integer NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_any_ge_100  integer NOT NULL DEFAULT 0,
	ADD COLUMN workplaces_any_ge_30   integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE square_figures
	DROP COLUMN households_ge_10, DROP COLUMN workplaces_ge_10,
	DROP COLUMN households_any_ge_1000, DROP COLUMN households_any_ge_100, DROP COLUMN households_any_ge_30,
	DROP COLUMN workplaces_any_ge_1000, DROP COLUMN workplaces_any_ge_100, DROP COLUMN workplaces_any_ge_30;
