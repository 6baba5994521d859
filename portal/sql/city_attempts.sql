-- A city's attempts loaded without the portal (ufa ingest, ufa run),
-- newest first: the portal's uploads are listed from portal.uploads.
SELECT a.id, a.city_code, a.attempt, a.outcome_name, a.file_name, 0, a.month, a.received_at
FROM attempts a
WHERE a.city_code = ? AND NOT EXISTS (SELECT 1 FROM portal.uploads u WHERE u.submission_id = a.id)
ORDER BY a.id DESC
LIMIT 60;
