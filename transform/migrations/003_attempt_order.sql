-- 003: one order of attempts, and the words for their outcomes.
--
-- The order of attempts is the order in which ingest decided them, which
-- is the order of submissions.id: ingest inserts one attempt at a time, in
-- its deciding order (填报日期, then file name), and ids come from one
-- sequence. received_at is kept as information only (before this
-- migration it was taken when a file's check started, in file-name order,
-- and may disagree); nothing orders by it. Warehouses written before keep
-- their ids, which were already given in deciding order, so the views
-- below give their history the right order without rewriting it.
--
-- An attempt is a submission that was checked: the very same file sent
-- again (outcome unchanged) is not one. Attempts whose city or month could
-- not be read belong to no city-month and are left out.
--
-- outcome_name is the one set of words for outcomes (the portal
-- contract's): 已接收 the current workbook; 已接收（已被更正替换） accepted,
-- then replaced by a workbook filed later; 已接收（填报日期较早，未替换现行版本）
-- accepted after the current workbook but filed before it, so it did not
-- replace it; 被拒收 had errors, nothing of it was loaded.
CREATE VIEW attempts AS
SELECT s.id, s.file_name, s.sha256, s.city_code, s.city_name, s.month, s.filed_on, s.received_at,
       s.outcome, s.errors, s.warnings, s.superseded_by,
       row_number() OVER (PARTITION BY s.city_code, s.month ORDER BY s.id) AS attempt,
       s.outcome IN ('accepted', 'superseded') AS accepted,
       CASE
           WHEN s.outcome = 'accepted' THEN '已接收'
           WHEN s.outcome = 'superseded' AND r.id < s.id THEN '已接收（填报日期较早，未替换现行版本）'
           WHEN s.outcome = 'superseded' THEN '已接收（已被更正替换）'
           WHEN s.outcome = 'rejected' THEN '被拒收'
           ELSE s.outcome
       END AS outcome_name
FROM submissions s
LEFT JOIN submissions r ON r.id = s.superseded_by
WHERE s.outcome <> 'unchanged' AND s.city_code IS NOT NULL AND s.month IS NOT NULL;

-- The latest attempt of each city-month: error_count counts its errors,
-- the report and the named queries show its outcome and findings.
CREATE VIEW latest_attempts AS
SELECT * FROM attempts
QUALIFY row_number() OVER (PARTITION BY city_code, month ORDER BY id DESC) = 1;

-- The first accepted workbook of each city-month (even if replaced
-- since): on_time judges its 填报日期.
CREATE VIEW first_accepted AS
SELECT * FROM attempts
WHERE accepted
QUALIFY row_number() OVER (PARTITION BY city_code, month ORDER BY id) = 1;

-- The current workbook of each city-month stays cur_submissions (001):
-- the one accepted submission, which only a workbook filed on the same day
-- or later replaces.
