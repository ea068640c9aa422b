-- 0101_point_pages.sql: pages of address points that cost what the page
-- costs (issue 22). An OGC page of the addresses or gaps collection took
-- seconds: the nearest-gigabit search ran for every point before the page
-- was cut, every point was sorted, and numberMatched counted every point.
-- * address_points_size_idx: the points of a snapshot in the order of every
--   list of them (largest first: households + workplaces, then the id), so
--   a page is read off an index; a new snapshot's partition gets it when it
--   is attached.
-- * point_counts: per snapshot and municipality, the address points, and
--   those lacking each speed class (best fixed offer below it), built by
--   the import (coverage/sql/build_point_counts.sql): an OGC page's
--   numberMatched without a bounding box, and the gap report's summary,
--   read them instead of counting millions of points.
-- +goose Up
CREATE INDEX address_points_size_idx ON address_points (snapshot_id, (households + workplaces) DESC, address_id);

CREATE TABLE point_counts (
	snapshot_id       bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
	municipality_code text NOT NULL,
	points            bigint NOT NULL,
	lacking_10        bigint NOT NULL, -- best fixed offer below 10 Mbit/s
	lacking_30        bigint NOT NULL,
	lacking_100       bigint NOT NULL,
	lacking_1000      bigint NOT NULL,
	PRIMARY KEY (snapshot_id, municipality_code)
);

-- +goose Down
DROP TABLE point_counts;
DROP INDEX address_points_size_idx;
