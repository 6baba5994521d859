-- The attempt a given upload became (crash recovery): same file, same reception time.
SELECT id, outcome, errors, warnings, coalesce(city_code, ''), coalesce(month, '') FROM submissions WHERE sha256 = ? AND received_at = ? ORDER BY id LIMIT 1;
