-- 0005_points_streamed.sql: the import now folds a point's rows in Go and
-- copies whole address points into the partition in one pass. Urban or rural
-- needs every point of a 1 km square, which is known only after the copy, so
-- it is computed with the aggregates (square_figures, size 1000) instead of
-- stored per point; the point keeps the line it starts on in the file.
-- The primary key is built on its own, so that a file whose point rows are
-- not together (a duplicate key) can be merged and keyed again.
-- +goose Up
ALTER TABLE address_points DROP COLUMN urban;
ALTER TABLE address_points ADD COLUMN line integer NOT NULL DEFAULT 0; -- first line of the point in the file

-- +goose StatementBegin
CREATE FUNCTION snapshot_points_key(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE address_points_loading ADD CONSTRAINT %I PRIMARY KEY (snapshot_id, address_id)',
		'address_points_s' || snap || '_pkey');
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (snapshot_id, address_id)', part, part || '_pkey');
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd
DROP FUNCTION snapshot_points_key(bigint);
ALTER TABLE address_points DROP COLUMN line;
ALTER TABLE address_points ADD COLUMN urban boolean NOT NULL DEFAULT false;
