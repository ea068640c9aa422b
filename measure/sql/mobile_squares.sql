-- mobile_squares.sql: per 250 m square, the residents' measurements over a
-- mobile connection (connection = 'mobile') in a period, with at least $3 of
-- them: their count and median download (percentile_cont: interpolated).
-- What mobile coverage's offered-against-experienced check reads
-- (spec/mobile.md); nothing is published for a square with fewer.
-- $1 from, $2 to (NULL: open).
SELECT square_e, square_n, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps)
FROM measurements
WHERE connection = 'mobile'
  AND ($1::timestamptz IS NULL OR measured_at >= $1)
  AND ($2::timestamptz IS NULL OR measured_at < $2)
GROUP BY square_e, square_n
HAVING count(*) >= $3
ORDER BY square_e, square_n;
