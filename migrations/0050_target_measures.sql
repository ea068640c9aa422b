-- 0050_target_measures.sql: a target has a measure and a population
-- (spec/targets.md, spec/mobile.md): what counts as covered (fixed access at
-- a class, mobile coverage outdoors at a class, 5G) and over whom the share,
-- met and the gaps are computed (households and workplaces; households;
-- households, workplaces and holiday homes). Adding a target of any measure
-- is an INSERT; coverage computes the fixed ones, mobile the others, with
-- one rule for met and gaps over a population (coverage.Target.Evaluate).
-- The 2023 mobile target and the EU's 2030 targets join the table.
-- +goose Up
ALTER TABLE targets
	ADD COLUMN measure    text NOT NULL DEFAULT 'fixed'
		CHECK (measure IN ('fixed', 'mobile_outdoor', 'fiveg')),
	ADD COLUMN population text NOT NULL DEFAULT 'households_workplaces'
		CHECK (population IN ('households_workplaces', 'households', 'households_workplaces_holiday_homes')),
	-- how gigakoll reads a target whose wording gives no figure, shown beside it
	ADD COLUMN reading    text NOT NULL DEFAULT '',
	ADD COLUMN reading_sv text NOT NULL DEFAULT '';
ALTER TABLE targets ALTER COLUMN class_mbps DROP NOT NULL;
ALTER TABLE targets DROP CONSTRAINT targets_class_mbps_check;
ALTER TABLE targets ADD CONSTRAINT targets_class_of_measure CHECK (
	measure = 'fixed' AND class_mbps IN (10, 30, 100, 1000)
	OR measure = 'mobile_outdoor' AND class_mbps IN (10, 30, 100)
	OR measure = 'fiveg' AND class_mbps IS NULL);
-- the coverage snapshots count no holiday homes per speed class
ALTER TABLE targets ADD CONSTRAINT targets_population_of_measure CHECK (
	measure <> 'fixed' OR population IN ('households_workplaces', 'households'));

INSERT INTO targets (id, owner, year, measure, class_mbps, population, threshold, county_code, title, title_sv,
                     reading, reading_sv, sort_order) VALUES
	('se-2023-mobile', 'National broadband strategy "Sverige helt uppkopplat 2025"', 2023, 'mobile_outdoor', 10,
	 'households_workplaces_holiday_homes', 1.0, NULL,
	 'all of Sweden has access to stable mobile services of good quality',
	 'hela Sverige har tillgång till stabila mobila tjänster av god kvalitet',
	 'gigakoll''s reading of the regulator''s follow-up: 100 % of households, workplaces and holiday homes in squares with at least 10 Mbit/s outdoors',
	 'gigakolls tolkning av PTS uppföljning: 100 % av hushåll, arbetsställen och fritidshus i rutor med minst 10 Mbit/s utomhus', 60),
	('eu-2030-5g', 'EU Digital Decade', 2030, 'fiveg', NULL, 'households', 1.0, NULL,
	 'all populated areas are covered by 5G',
	 'alla befolkade områden täcks av 5G',
	 '100 % of households in squares with 5G coverage',
	 '100 % av hushållen i rutor med 5G-täckning', 70),
	('eu-2030-1g', 'EU Digital Decade (the Gigabit target)', 2030, 'fixed', 1000, 'households', 1.0, NULL,
	 'every household has access to a gigabit network',
	 'alla hushåll har tillgång till ett gigabitnät', '', '', 80);

-- +goose Down
DELETE FROM targets WHERE measure <> 'fixed' OR population <> 'households_workplaces';
ALTER TABLE targets DROP CONSTRAINT targets_population_of_measure;
ALTER TABLE targets DROP CONSTRAINT targets_class_of_measure;
ALTER TABLE targets ALTER COLUMN class_mbps SET NOT NULL;
ALTER TABLE targets ADD CONSTRAINT targets_class_mbps_check CHECK (class_mbps IN (10, 30, 100, 1000));
ALTER TABLE targets DROP COLUMN reading_sv, DROP COLUMN reading, DROP COLUMN population, DROP COLUMN measure;
