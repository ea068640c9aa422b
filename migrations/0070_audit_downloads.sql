-- 0070_audit_downloads.sql: one audit entry per download of address-level
-- data, however many pages a GIS client reads it in (auth.Store.AuditPage):
-- the first page writes the entry, later pages of the same download update
-- it. download_key names the download (the token, the collection, the
-- snapshots and the filter: everything but the page), last_at the time of
-- its last page, pages how many were read.
-- +goose Up
ALTER TABLE audit_log
	ADD COLUMN download_key text,
	ADD COLUMN pages        integer NOT NULL DEFAULT 1,
	ADD COLUMN last_at      timestamptz;
CREATE INDEX audit_log_download_idx ON audit_log (download_key, last_at) WHERE download_key IS NOT NULL;

-- +goose Down
DROP INDEX audit_log_download_idx;
ALTER TABLE audit_log DROP COLUMN download_key, DROP COLUMN pages, DROP COLUMN last_at;
