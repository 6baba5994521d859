-- The attempt a given upload became (crash recovery): same file, same
-- reception time, not already the result of another upload.
SELECT id, outcome, errors, warnings, coalesce(city_code, ''), coalesce(month, '')
FROM submissions
WHERE sha256 = ? AND received_at = ?
  AND id NOT IN (SELECT submission_id FROM portal.uploads WHERE submission_id IS NOT NULL)
ORDER BY id LIMIT 1;
