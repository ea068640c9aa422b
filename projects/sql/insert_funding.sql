-- insert_funding.sql: the staged projects' funding, in register version $1.
INSERT INTO project_funding (register_version, project_id, ord, source, programme, amount_sek)
SELECT $1, s.id, (f.ord - 1)::smallint, (f.v ->> 'source')::funding_source, f.v ->> 'programme', (f.v ->> 'amount_sek')::numeric
FROM project_staging s
CROSS JOIN LATERAL jsonb_array_elements(s.funding) WITH ORDINALITY AS f (v, ord);
