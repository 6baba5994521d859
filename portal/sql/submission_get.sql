-- One attempt as the warehouse recorded it (ufa ingest, ufa run or the
-- portal), with the workbook it replaced and the portal upload it came
-- from (0: none).
SELECT a.id, a.file_name, a.sha256, a.city_code, a.month, a.filed_on, a.received_at, a.outcome_name,
       a.errors, a.warnings, a.attempt, coalesce(a.superseded_by, 0), coalesce(r.file_name, ''),
       coalesce((SELECT min(u.id) FROM portal.uploads u WHERE u.submission_id = a.id), 0)
FROM attempts a
LEFT JOIN submissions r ON r.superseded_by = a.id AND r.id < a.id
WHERE a.id = ?;
