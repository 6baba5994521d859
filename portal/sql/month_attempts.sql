-- Every attempt of a month (the warehouse's attempts view, in the order
-- ingest decided them), with the portal upload it came from (0: loaded
-- with ufa ingest or ufa run).
SELECT a.id, a.city_code, a.attempt, a.outcome_name, a.file_name, coalesce(min(u.id), 0), a.month, a.received_at
FROM attempts a LEFT JOIN portal.uploads u ON u.submission_id = a.id
WHERE a.month = ?
GROUP BY ALL
ORDER BY a.id;
