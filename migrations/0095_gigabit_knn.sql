-- 0095_gigabit_knn.sql: the nearest point with 1 Gbit/s found on an index
-- of exact points (issue 21). The address-level gap report searches, for
-- each of its points, the nearest address point with >= 1 Gbit/s of the
-- same snapshot (coverage/sql/gaps_points.sql). On PostGIS's GiST index of
-- the geometries that search took about 1.2 ms a point at national size
-- (Stockholm's 11 820 points below 1 Gbit/s: 14 s): its keys are float4
-- boxes (0.5 m steps at SWEREF 99 TM's northings), so each candidate is
-- read back from the table to recheck its distance. A GiST index of the
-- same points as PostgreSQL points (float8, exact: no recheck) answers the
-- same search in about a quarter of the time, and builds as fast (sorted,
-- as the other): it replaces the GiST index of the geometries (nothing else
-- used it), so the import builds one index, as before. (An SP-GiST quadtree searched about twice as fast
-- again, but took 5-10 s longer to build at national size.)
-- +goose Up
CREATE INDEX address_points_gigabit_knn_idx ON address_points USING gist ((geom::point)) WHERE best_fixed_mbps >= 1000;
DROP INDEX address_points_gigabit_idx;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	ALTER TABLE address_points_loading DROP COLUMN offer_lines;
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist ((geom::point)) WHERE best_fixed_mbps >= 1000',
		part || '_gigabit_knn_idx', part);
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd

-- +goose Down
CREATE INDEX address_points_gigabit_idx ON address_points USING gist (geom) WHERE best_fixed_mbps >= 1000;
DROP INDEX address_points_gigabit_knn_idx;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION snapshot_points_attach(snap bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'address_points_s' || snap;
BEGIN
	ALTER TABLE address_points_loading DROP COLUMN offer_lines;
	EXECUTE format('ALTER TABLE address_points_loading RENAME TO %I', part);
	EXECUTE format('CREATE INDEX %I ON %I (snapshot_id, municipality_code)', part || '_municipality_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom)', part || '_geom_idx', part);
	EXECUTE format('CREATE INDEX %I ON %I USING gist (geom) WHERE best_fixed_mbps >= 1000', part || '_gigabit_idx', part);
	-- the CHECK constraint proves the partition bound: no validation scan
	EXECUTE format('ALTER TABLE address_points ATTACH PARTITION %I FOR VALUES IN (%s)', part, snap);
END $$;
-- +goose StatementEnd
