-- claims.sql: the best class the operators claim outdoors in each given
-- 250 m square (spec/mobile.md, "Offered against experienced"): over the
-- snapshot's squares that overlap it (for a 100 m file, any of the 100 m
-- squares that share ground with it). $1 snapshot id, $2 and $3 the 250 m
-- squares' corners, $4 the snapshot's square size.
SELECT q.e, q.n, coalesce(max(s.outdoor), 0)::int
FROM unnest($2::int[], $3::int[]) AS q (e, n)
LEFT JOIN mobile_squares s
       ON s.snapshot_id = $1
      AND s.e > q.e - $4 AND s.e < q.e + 250
      AND s.n > q.n - $4 AND s.n < q.n + 250
GROUP BY q.e, q.n;
