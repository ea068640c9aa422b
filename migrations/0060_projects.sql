-- 0060_projects.sql: the build-out project register (spec/projects.md), its
-- figures against the coverage snapshots, and the cost model. Package
-- projects owns every table here.
--
-- * A register is one imported GeoJSON file; each import is a new version,
--   the latest is in force, earlier ones stay.
-- * Figures are built per (register version, snapshot) in Go from what
--   coverage.Store streams (points in the project areas, points lacking
--   1 Gbit/s with the distance to the nearest point that has it), when a
--   register or a snapshot is imported and when the cost model changes;
--   project_builds says which pairs are built. There is no foreign key to
--   coverage's snapshots: projects.Store.Sync drops the figures of snapshots
--   that are gone.
-- * The cost model is data: defaults, each labelled as an assumption, that
--   the coordinator changes (gigakoll projects cost-model set).
-- +goose Up
CREATE TYPE project_status AS ENUM ('planned', 'in_progress', 'completed', 'cancelled');
CREATE TYPE funding_source AS ENUM ('regional', 'national', 'eu', 'municipal', 'private', 'other');

CREATE TABLE project_registers (
	version     integer PRIMARY KEY,              -- 1, 2, …: the next under the import's lock
	source      text NOT NULL,                  -- the file's name as imported
	sha256      text NOT NULL,                  -- of the file as read
	imported_at timestamptz NOT NULL DEFAULT now(),
	actor       text NOT NULL,                  -- who imported it (the audit log has the rest)
	projects    integer NOT NULL,
	warnings    integer NOT NULL
);

CREATE TABLE projects (
	register_version   integer NOT NULL REFERENCES project_registers (version) ON DELETE CASCADE,
	id                 text NOT NULL CHECK (char_length(id) BETWEEN 1 AND 64),
	feature            integer NOT NULL,        -- its index in the file's features, from 0
	name               text NOT NULL,
	owner              text,
	status             project_status NOT NULL,
	start_year         smallint,
	completion_year    smallint CHECK (completion_year IS NOT NULL OR status = 'cancelled'),
	down_mbps          numeric NOT NULL CHECK (down_mbps > 0),
	cost_sek           numeric CHECK (cost_sek >= 0),
	funding_sek        numeric NOT NULL,        -- the sum of its funding
	public_funding_sek numeric NOT NULL,        -- regional + national + eu + municipal
	municipalities     text[] NOT NULL,         -- the municipalities its area reaches into
	geom               geometry(MultiPolygon, 3006) NOT NULL,
	geom_wgs84         geometry(MultiPolygon, 4326) NOT NULL, -- as drawn, for GeoJSON
	label              geometry(Point, 4326) NOT NULL,        -- a point on its surface, for the map's label
	PRIMARY KEY (register_version, id)
);
CREATE INDEX projects_geom_idx ON projects USING gist (geom);
CREATE INDEX projects_wgs84_idx ON projects USING gist (geom_wgs84);

CREATE TABLE project_funding (
	register_version integer NOT NULL,
	project_id       text NOT NULL,
	ord              smallint NOT NULL,         -- its place in the file's list
	source           funding_source NOT NULL,
	programme        text,
	amount_sek       numeric NOT NULL CHECK (amount_sek >= 0),
	PRIMARY KEY (register_version, project_id, ord),
	FOREIGN KEY (register_version, project_id) REFERENCES projects (register_version, id) ON DELETE CASCADE
);

-- The cost to close the gap: per address point connection_sek +
-- trench_sek_per_m × min(distance to the nearest gigabit point, max_trench_m),
-- urban and rural apart.
CREATE TABLE project_cost_model (
	key           text PRIMARY KEY,
	value         numeric NOT NULL CHECK (value >= 0),
	default_value numeric NOT NULL,
	unit          text NOT NULL,
	assumption    text NOT NULL,                -- English
	assumption_sv text NOT NULL,                -- Swedish, for the pages
	sort_order    integer NOT NULL,
	updated_at    timestamptz,
	updated_by    text
);
INSERT INTO project_cost_model (key, value, default_value, unit, assumption, assumption_sv, sort_order) VALUES
	('connection_sek.urban', 25000, 25000, 'SEK',
	 'connecting one urban address point: the drop, the customer equipment and the work, before any trench',
	 'anslutning av en adresspunkt i tätort: servis, kundutrustning och arbete, utöver grävning', 10),
	('connection_sek.rural', 25000, 25000, 'SEK',
	 'connecting one rural address point: the drop, the customer equipment and the work, before any trench',
	 'anslutning av en adresspunkt på landsbygden: servis, kundutrustning och arbete, utöver grävning', 20),
	('trench_sek_per_m.urban', 1000, 1000, 'SEK/m',
	 'trenching and ducting one metre in a town: asphalt, other cables, restoration',
	 'grävning och kanalisation per meter i tätort: asfalt, andra ledningar, återställning', 30),
	('trench_sek_per_m.rural', 300, 300, 'SEK/m',
	 'trenching or ploughing one metre in the country',
	 'grävning eller plöjning per meter på landsbygden', 40),
	('max_trench_m', 5000, 5000, 'm',
	 'the longest trench counted for one address point: beyond it the point is reached another way (a shared route, radio)',
	 'längsta grävsträcka som räknas för en adresspunkt: längre bort nås den på annat sätt (gemensam sträckning, radio)', 50);

-- Which (register version, snapshot) pairs have figures, built by which
-- rules (projects.RulesVersion) and cost model (its digest).
CREATE TABLE project_builds (
	register_version integer NOT NULL REFERENCES project_registers (version) ON DELETE CASCADE,
	snapshot_id      bigint NOT NULL,
	snapshot_as_of   date NOT NULL,
	rules_version    integer NOT NULL,
	cost_model       text NOT NULL,
	built_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (register_version, snapshot_id)
);

-- Per project, over its whole area (municipality_code '') and per
-- municipality it reaches: every address point in its area, however many
-- projects it is in. withheld: its household figures are not published
-- (projects/privacy.go).
CREATE TABLE project_figures (
	register_version  integer NOT NULL,
	snapshot_id       bigint NOT NULL,
	project_id        text NOT NULL,
	municipality_code text NOT NULL,
	points            bigint NOT NULL,
	households        bigint NOT NULL,
	workplaces        bigint NOT NULL,
	holiday_homes     bigint NOT NULL,
	gap_points        bigint NOT NULL,        -- lacking the project's class at the snapshot
	gap_households    bigint NOT NULL,
	gap_workplaces    bigint NOT NULL,
	points_with_class bigint NOT NULL,        -- having it: what delivered counts
	withheld          boolean NOT NULL,
	PRIMARY KEY (register_version, snapshot_id, project_id, municipality_code),
	FOREIGN KEY (register_version, snapshot_id) REFERENCES project_builds ON DELETE CASCADE
);

-- Per municipality and county, for the public (withheld projects left
-- out) and in full (the coordinator's): white spots, the estimated cost to
-- close the gap, and the cost curve.
CREATE TABLE project_area_figures (
	register_version      integer NOT NULL,
	snapshot_id           bigint NOT NULL,
	audience              text NOT NULL CHECK (audience IN ('public', 'full')),
	kind                  text NOT NULL CHECK (kind IN ('municipality', 'county')),
	code                  text NOT NULL,
	projects              integer NOT NULL,   -- active projects reaching into the area
	white_spot_points     bigint NOT NULL,
	white_spot_households bigint NOT NULL,
	white_spot_workplaces bigint NOT NULL,
	estimated_cost_sek    numeric NOT NULL,
	curve                 jsonb NOT NULL,     -- the cost curve, cheapest first (projects.Curve)
	PRIMARY KEY (register_version, snapshot_id, audience, kind, code),
	FOREIGN KEY (register_version, snapshot_id) REFERENCES project_builds ON DELETE CASCADE
);

-- What the projects would add to each class by each year: the households
-- and workplaces lacking the class at the snapshot that an active project
-- with that class completes by then (each point once, for the earliest).
CREATE TABLE project_area_gains (
	register_version integer NOT NULL,
	snapshot_id      bigint NOT NULL,
	audience         text NOT NULL,
	kind             text NOT NULL,
	code             text NOT NULL,
	class_mbps       integer NOT NULL,
	year             smallint NOT NULL,
	households       bigint NOT NULL,
	workplaces       bigint NOT NULL,
	PRIMARY KEY (register_version, snapshot_id, audience, kind, code, class_mbps, year),
	FOREIGN KEY (register_version, snapshot_id) REFERENCES project_builds ON DELETE CASCADE
);

-- Per snapshot, whatever the register: coverage's address points lacking
-- 1 Gbit/s, with the distance to the nearest point that has it
-- (coverage.Store.EachGigabitGapPoint), kept so that a new register or cost
-- model needs no nearest-neighbour search again.
CREATE TABLE project_gap_points (
	snapshot_id       bigint NOT NULL,
	address_id        text NOT NULL,
	municipality_code text NOT NULL,
	households        integer NOT NULL,
	workplaces        integer NOT NULL,
	urban             boolean NOT NULL,
	distance_m        double precision,       -- NULL: no point of the snapshot has 1 Gbit/s
	PRIMARY KEY (snapshot_id, address_id)
);
-- The snapshots whose gap points are kept (a snapshot may have none).
CREATE TABLE project_gap_sets (
	snapshot_id bigint PRIMARY KEY,
	points      bigint NOT NULL,
	built_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE project_gap_sets;
DROP TABLE project_gap_points;
DROP TABLE project_area_gains;
DROP TABLE project_area_figures;
DROP TABLE project_figures;
DROP TABLE project_builds;
DROP TABLE project_cost_model;
DROP TABLE project_funding;
DROP TABLE projects;
DROP TABLE project_registers;
DROP TYPE funding_source;
DROP TYPE project_status;
