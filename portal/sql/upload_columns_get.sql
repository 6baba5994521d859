-- One upload, with the workbook its attempt replaced (one that came
-- before it: a workbook filed earlier that came later points to the
-- current one too, but did not get replaced by it).
SELECT u.id, u.sha256, u.file_name, u.size, coalesce(u.city_code, ''), coalesce(u.month, ''), u.account, u.received_at, u.state,
       coalesce(u.submission_id, 0), coalesce(u.outcome, ''), coalesce(u.errors, 0), coalesce(u.warnings, 0), coalesce(u.report, ''),
       coalesce(u.annotated, false), coalesce(u.note, ''), coalesce(s.city_code, ''), coalesce(s.month, ''), s.filed_on,
       coalesce(s.superseded_by, 0), coalesce(r.file_name, ''), coalesce(r.id, 0)
FROM portal.uploads u
LEFT JOIN submissions s ON s.id = u.submission_id
LEFT JOIN submissions r ON r.superseded_by = u.submission_id AND r.id < u.submission_id
WHERE u.id = ?;
