-- 0003_targets.sql: the broadband targets gigakoll follows (spec/targets.md).
-- Targets are data: a region adds its own with an INSERT, no release needed.
-- +goose Up
CREATE TABLE targets (
	id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
	owner       text NOT NULL,                     -- who set it
	year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	class_mbps  integer NOT NULL CHECK (class_mbps IN (10, 30, 100, 1000)),
	-- share of households and workplaces that must have access to the class;
	-- a decimal fraction in whole basis points, compared in exact arithmetic
	threshold   numeric(5, 4) NOT NULL CHECK (threshold > 0 AND threshold <= 1),
	county_code text CHECK (county_code ~ '^[0-9]{2}$'), -- a regional target's county; NULL: national
	title       text NOT NULL,                     -- English
	title_sv    text NOT NULL,                     -- Swedish, for the pages
	sort_order  integer NOT NULL DEFAULT 0
);

INSERT INTO targets (id, owner, year, class_mbps, threshold, county_code, title, title_sv, sort_order) VALUES
	('se-2020-100', 'National broadband strategy', 2020, 100, 0.95, NULL,
	 '95 % have access to at least 100 Mbit/s',
	 '95 % har tillgång till minst 100 Mbit/s', 10),
	('se-2025-1g', 'National broadband strategy "Sverige helt uppkopplat 2025"', 2025, 1000, 0.98, NULL,
	 '98 % have access to at least 1 Gbit/s',
	 '98 % har tillgång till minst 1 Gbit/s', 20),
	('se-2025-100', 'National broadband strategy "Sverige helt uppkopplat 2025"', 2025, 100, 0.999, NULL,
	 'a further 1.9 % have access to at least 100 Mbit/s (99.9 % in all)',
	 'ytterligare 1,9 % har tillgång till minst 100 Mbit/s (99,9 % totalt)', 30),
	('se-2025-30', 'National broadband strategy "Sverige helt uppkopplat 2025"', 2025, 30, 1.0, NULL,
	 'the last 0.1 % have access to at least 30 Mbit/s (100 % in all)',
	 'de sista 0,1 % har tillgång till minst 30 Mbit/s (100 % totalt)', 40),
	('kalmar-2025-1g', 'Region Kalmar län, digital agenda (insats 4.1.1)', 2025, 1000, 1.0, '08',
	 'all have access to at least 1 Gbit/s',
	 'alla har tillgång till minst 1 Gbit/s', 50);

-- +goose Down
DROP TABLE targets;
