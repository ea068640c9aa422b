-- 0002_boundaries.sql: Sweden's counties and municipalities in SWEREF 99 TM
-- (EPSG:3006), the statistical urban localities, and a record of which
-- embedded reference file was loaded (geo.LoadReference fills them on migrate).
-- +goose Up
CREATE TABLE counties (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'), -- länskod, "08"
	name text NOT NULL,                                -- "Kalmar län"
	geom geometry(MultiPolygon, 3006) NOT NULL
);
CREATE INDEX counties_geom_idx ON counties USING gist (geom);

CREATE TABLE municipalities (
	code        text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'), -- kommunkod, "0880"
	name        text NOT NULL,                                -- "Kalmar"
	county_code text NOT NULL REFERENCES counties (code),
	population  integer CHECK (population >= 0),              -- latest published, where known
	geom        geometry(MultiPolygon, 3006) NOT NULL,
	CHECK (left(code, 2) = county_code)
);
CREATE INDEX municipalities_geom_idx ON municipalities USING gist (geom);
CREATE INDEX municipalities_county_idx ON municipalities (county_code);

-- The boundaries cut into pieces of at most 256 vertices: point-in-polygon
-- tests against these are fast at millions of address points.
CREATE TABLE municipality_parts (
	municipality_code text NOT NULL REFERENCES municipalities (code) ON DELETE CASCADE,
	geom              geometry(Polygon, 3006) NOT NULL
);
CREATE INDEX municipality_parts_geom_idx ON municipality_parts USING gist (geom);

CREATE TABLE localities (
	code              text PRIMARY KEY,  -- SCB tätort code, "0880TC105"
	name              text NOT NULL,
	municipality_code text NOT NULL REFERENCES municipalities (code),
	population        integer NOT NULL CHECK (population >= 0),
	year              integer NOT NULL,
	geom              geometry(Point, 3006) NOT NULL
);
CREATE INDEX localities_geom_idx ON localities USING gist (geom);

CREATE TABLE reference_data (
	name      text PRIMARY KEY,  -- "municipalities.geojson"
	sha256    text NOT NULL,     -- of the embedded file that was loaded
	loaded_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE reference_data;
DROP TABLE localities;
DROP TABLE municipality_parts;
DROP TABLE municipalities;
DROP TABLE counties;
