-- stage_create.sql: the staging table the reader's rows are copied into,
-- one row per file row. Temporary: never WAL-logged, gone with the
-- transaction whatever happens to the process.
CREATE TEMP TABLE staging (
	line              integer NOT NULL,
	address_id        text NOT NULL,
	municipality_code text NOT NULL,
	e                 float8 NOT NULL,
	n                 float8 NOT NULL,
	households        integer NOT NULL,
	workplaces        integer NOT NULL,
	holiday_homes     integer,
	technology        text NOT NULL,
	status            text,
	down_mbps         numeric NOT NULL,
	up_mbps           numeric,
	street            text,
	number            text,
	postcode          text,
	locality          text,
	operator          text,
	planned_year      smallint
) ON COMMIT DROP;
