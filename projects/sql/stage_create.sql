-- stage_create.sql: the import's staging table, in its transaction only:
-- the features that passed the checks made in Go, as COPY sends them.
CREATE TEMP TABLE project_staging (
	feature         integer NOT NULL,
	id              text NOT NULL,
	name            text NOT NULL,
	owner           text,
	status          text NOT NULL,
	start_year      integer,
	completion_year integer,
	down_mbps       text NOT NULL,
	cost_sek        text,
	funding         jsonb NOT NULL,
	funding_sek     text NOT NULL,
	public_sek      text NOT NULL,
	geojson         text NOT NULL,
	geom_wgs84      geometry,
	geom            geometry,
	municipalities  text[]
) ON COMMIT DROP;
