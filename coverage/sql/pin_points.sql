-- pin_points.sql: in a View (a REPEATABLE READ transaction), take the
-- address points of snapshots $1 for the rest of it, and count the
-- snapshots that are gone: deleted before the View began (the caller found
-- them in an earlier read), or replaced since. Reading address_points takes
-- ACCESS SHARE on its partitions, so a re-import's DROP of them waits for
-- the View; but a DROP that committed after the View began is not undone by
-- MVCC: the View still sees the snapshot's row, with its points, and its
-- partition holds none. Either way the answer must be read again
-- (ErrSnapshotReplaced).
SELECT count(*)
FROM unnest($1::int8[]) AS i (id)
LEFT JOIN snapshots s ON s.id = i.id
WHERE s.id IS NULL
   OR (s.points > 0 AND NOT EXISTS (SELECT 1 FROM address_points p WHERE p.snapshot_id = s.id));
