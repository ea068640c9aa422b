-- 0102_backup_marks.sql: the tables a backup must hold (issue 22). The
-- coverage snapshots can be imported again from their files, the boundaries
-- come with the binary, and the rest is derived; these cannot be made again
-- and are what scripts/backup.sh dumps: every table whose comment begins
-- with "backup:". A domain that adds such a table marks it in its own
-- migration, and the README lists it (a test holds the two together).
-- +goose Up
COMMENT ON TABLE measurements IS 'backup: the residents'' measurements: nobody can submit them again';
COMMENT ON TABLE audit_log IS 'backup: who imported and downloaded what: a record, not data';
COMMENT ON TABLE api_tokens IS 'backup: the municipalities'' and the coordinator''s tokens (digests), so that theirs go on working';

-- +goose Down
COMMENT ON TABLE measurements IS NULL;
COMMENT ON TABLE audit_log IS NULL;
COMMENT ON TABLE api_tokens IS NULL;
