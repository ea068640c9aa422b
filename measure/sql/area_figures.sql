-- area_figures.sql: the figures of one area and period (spec/targets.md,
-- "Experienced versus offered"): count, median and 10th percentile of down,
-- up and latency (percentile_cont: interpolated; NULL latencies left out),
-- and how many measured >= 100 Mbit/s and >= 1 Gbit/s down. The caller
-- publishes them only with at least 5 measurements.
-- $1 from, $2 to (NULL: open), $3 kind ('square', 'municipality', 'county'),
-- $4 square_e, $5 square_n, $6 municipality or county code.
SELECT count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY down_mbps),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY up_mbps),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY up_mbps),
       count(latency_ms),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.1) WITHIN GROUP (ORDER BY latency_ms),
       count(*) FILTER (WHERE down_mbps >= 100),
       count(*) FILTER (WHERE down_mbps >= 1000)
FROM measurements
WHERE ($1::timestamptz IS NULL OR measured_at >= $1)
  AND ($2::timestamptz IS NULL OR measured_at < $2)
  AND CASE $3::text
          WHEN 'square' THEN square_e = $4 AND square_n = $5
          WHEN 'municipality' THEN municipality_code = $6
          WHEN 'county' THEN county_code = $6
      END;
