-- The latest rejected attempt of the same file (same SHA-256 and same file
-- name: the name takes part in validation, so a renamed file is checked
-- again).
SELECT id, coalesce(city_code, ''), coalesce(city_name, ''), coalesce(month, ''), filed_on, errors
FROM submissions
WHERE sha256 = ? AND file_name = ? AND outcome = 'rejected'
ORDER BY id DESC
LIMIT 1;
