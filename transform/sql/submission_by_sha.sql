-- The first loaded submission of a file with this SHA-256, if any: a file
-- that was accepted once (and maybe superseded since) is not loaded again.
SELECT id, coalesce(city_code, ''), coalesce(city_name, ''), coalesce(month, ''), filed_on
FROM submissions
WHERE sha256 = ? AND outcome IN ('accepted', 'superseded')
ORDER BY id
LIMIT 1;
