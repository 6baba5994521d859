-- The inputs of every indicator for one month, as temporary tables of the
-- computing connection (m_params and m_city come first, from params.sql
-- and cities.sql). This file is the only one that knows the warehouse's
-- tables; the indicator files in sql/ read only the m_* tables below.
-- Statements end with ";" at the end of a line.
--
-- Small inputs are materialized once (temporary tables); the *_scope event
-- inputs are views, because copying their rows once per scope costs more
-- than joining them again in the few queries that read them (measured on
-- a province-sized year). The organizations, the one input that grows
-- with the province into the millions of rows, are views read in one pass
-- (m_org_agg); the representatives and participations are summed per
-- scope once (m_rep_agg, m_part_rep), so that every indicator of those
-- tables reads a row per scope rather than scanning them again (issue 16).
--
-- Scopes: a value is computed per scope, a city code or the province
-- code. m_scope maps each reporting city to itself and to the province, so
-- that one GROUP BY scope gives the cities' values and the province's value
-- over the union of their rows (distinct credit codes, distinct persons).

-- Cities with a current accepted workbook for the month.
CREATE OR REPLACE TEMP TABLE m_reporting AS
SELECT s.city_code, s.id AS submission_id
FROM cur_submissions s, m_params p
WHERE s.month = p.month;

-- The reporting cities' current accepted workbooks of every month the
-- windows and the previous month need. A city that did not report the
-- month is left out of everything, windows included.
CREATE OR REPLACE TEMP TABLE m_sub AS
SELECT s.city_code, s.month, s.id AS submission_id
FROM cur_submissions s JOIN m_reporting r ON r.city_code = s.city_code, m_params p
WHERE s.month BETWEEN p.first_month AND p.month;

CREATE OR REPLACE TEMP TABLE m_scope AS
SELECT city_code, city_code AS scope FROM m_reporting
UNION ALL
SELECT city_code, (SELECT province FROM m_params) FROM m_reporting;

CREATE OR REPLACE TEMP TABLE m_scopes AS
SELECT DISTINCT scope FROM m_scope;

-- Entries and exits need the previous month too: only cities with both.
CREATE OR REPLACE TEMP TABLE m_scope2 AS
SELECT s.city_code, s.scope
FROM m_scope s
WHERE s.city_code IN (SELECT city_code FROM m_sub WHERE month = (SELECT prev_month FROM m_params));

-- The month's organizations, with the flags the indicators count.
-- key_sector is §14 as metrics.md lists it. m_org and m_org_scope are
-- views: computing reads them once, through m_org_agg, and a drill-down
-- reads one scope of them; materializing the month's organizations twice
-- over (two rows each in m_org_scope) cost more time and memory than any
-- reader saved, and grew with the province.
CREATE OR REPLACE TEMP VIEW m_org AS
SELECT o.city_code, c.city_name, o.submission_id, o.credit_code, o.name, o.org_type, o.sector, o.county,
       coalesce(o.has_party_org, false) AS has_party_org, o.party_org_form,
       coalesce(o.has_liaison, false) AS has_liaison,
       o.staff_total, o.non_party_staff, o.non_party_leaders,
       coalesce(o.has_party_org OR o.has_liaison, false) AS covered,
       coalesce(o.sector IN ('律师', '公证', '会计', '资产评估', '行业协会商会')
                OR (o.org_type = '民办非企业单位' AND o.sector IN ('科技', '教育', '文化', '卫生', '体育')), false) AS key_sector,
       coalesce(o.non_party_leaders >= 1, false) AS npl
FROM cur_organizations o
JOIN m_reporting r ON r.submission_id = o.submission_id
JOIN m_city c ON c.city_code = o.city_code;

-- One row per scope and organization. An organization two cities report
-- has a flag when either reports it (the union of the cities' sets), and
-- the larger of the two staff figures.
CREATE OR REPLACE TEMP VIEW m_org_scope AS
SELECT s.scope, o.credit_code,
       bool_or(o.has_party_org) AS party, bool_or(o.covered) AS covered,
       bool_or(o.key_sector) AS key_sector, bool_or(o.npl) AS npl,
       max(o.staff_total) AS staff_total, max(o.non_party_staff) AS non_party_staff
FROM m_org o JOIN m_scope s ON s.city_code = o.city_code
GROUP BY s.scope, o.credit_code;

-- Every organization indicator's per-scope counts and sums, in one pass
-- over m_org_scope: the indicator files read this table of 15 rows rather
-- than each scanning the month's organizations again (at a national scale
-- the eleven scans of two rows per organization were most of the time).
CREATE OR REPLACE TEMP TABLE m_org_agg AS
SELECT sc.scope,
       count(o.credit_code) AS orgs, count(o.scope) AS org_rows,
       count(o.credit_code) FILTER (WHERE o.party) AS party,
       count(o.credit_code) FILTER (WHERE o.covered) AS covered,
       count(o.credit_code) FILTER (WHERE o.key_sector) AS key_sector,
       count(o.credit_code) FILTER (WHERE o.key_sector AND o.covered) AS key_sector_covered,
       count(o.credit_code) FILTER (WHERE o.npl) AS npl,
       coalesce(sum(o.staff_total), 0) AS staff_total,
       coalesce(sum(o.non_party_staff), 0) AS non_party_staff
FROM m_scopes sc LEFT JOIN m_org_scope o ON o.scope = sc.scope
GROUP BY sc.scope;

-- The month's representatives.
CREATE OR REPLACE TEMP TABLE m_rep AS
SELECT r.city_code, c.city_name, r.submission_id, r.id_hash, r.id_masked, r.name, r.political_status,
       r.org_credit_code, r.listed_on, r.npc_level, r.cppcc_level,
       coalesce(r.in_talent_pool, false) AS in_talent_pool,
       coalesce(r.key_contact, false) AS key_contact,
       coalesce(r.is_new_media, false) AS is_new_media,
       coalesce(r.npc_level, '无') <> '无' OR coalesce(r.cppcc_level, '无') <> '无' AS office
FROM cur_representatives r
JOIN m_reporting m ON m.submission_id = r.submission_id
JOIN m_city c ON c.city_code = r.city_code;

-- One row per scope and person (keyed hash of the ID), flags OR-ed.
CREATE OR REPLACE TEMP TABLE m_rep_scope AS
SELECT s.scope, r.id_hash,
       bool_or(r.in_talent_pool) AS in_talent_pool, bool_or(r.key_contact) AS key_contact,
       bool_or(r.is_new_media) AS is_new_media, bool_or(r.office) AS office
FROM m_rep r JOIN m_scope s ON s.city_code = r.city_code
GROUP BY s.scope, r.id_hash;

-- The previous month's representatives of the reporting cities.
CREATE OR REPLACE TEMP TABLE m_prev_rep AS
SELECT r.city_code, c.city_name, r.id_hash, r.id_masked, r.name, r.org_credit_code
FROM cur_representatives r
JOIN m_sub s ON s.submission_id = r.submission_id
JOIN m_city c ON c.city_code = r.city_code
WHERE s.month = (SELECT prev_month FROM m_params);

-- Activities of the windows' workbooks. An event counts in a window when
-- its workbook's month and its date are both inside it (the reader refuses
-- dates outside the workbook's month, so the two agree).
CREATE OR REPLACE TEMP TABLE m_act AS
SELECT a.city_code, c.city_name, a.submission_id, a.month, a.activity_id, a."date" AS date, a."type" AS type,
       a.title, coalesce(a.leader_attended, false) AS leader_attended,
       a.month = p.month AND a."date" >= p.month_start AND a."date" < p.next_start AS in_month,
       a.month >= p.w3_month AND a."date" >= p.w3_start AND a."date" < p.next_start AS in_3m,
       a.month >= p.ytd_month AND a."date" >= p.ytd_start AND a."date" < p.next_start AS in_ytd
FROM cur_activities a
JOIN m_sub s ON s.submission_id = a.submission_id
JOIN m_city c ON c.city_code = a.city_code, m_params p;

CREATE OR REPLACE TEMP VIEW m_act_scope AS
SELECT s.scope, a.*
FROM m_act a JOIN m_scope s ON s.city_code = a.city_code;

-- Participations (one row per person and activity) with their activity.
CREATE OR REPLACE TEMP VIEW m_part_scope AS
SELECT s.scope, a.city_code, a.city_name, a.submission_id, a.month, a.activity_id, a.date, a.type,
       a.in_3m, a.in_ytd, t.id_hash, t.id_masked
FROM cur_participants t
JOIN m_act a ON a.submission_id = t.submission_id AND a.activity_id = t.activity_id
JOIN m_scope s ON s.city_code = a.city_code;

-- Per scope and person, what the participations of the windows say: how
-- often the person took part in a 走访 of the 3m window, and whether in a
-- 培训 or 研讨学习 of the year to date. One pass over the participations
-- for the three indicators that read them.
CREATE OR REPLACE TEMP TABLE m_part_rep AS
SELECT scope, id_hash,
       count(*) FILTER (WHERE in_3m AND type = '走访') AS visits_3m,
       bool_or(in_ytd AND type IN ('培训', '研讨学习')) AS trained_ytd
FROM m_part_scope
WHERE (in_3m AND type = '走访') OR (in_ytd AND type IN ('培训', '研讨学习'))
GROUP BY scope, id_hash;

-- Every representative indicator's per-scope counts, in one pass over
-- m_rep_scope (and m_part_rep): see m_org_agg.
CREATE OR REPLACE TEMP TABLE m_rep_agg AS
SELECT sc.scope,
       count(r.id_hash) AS reps, count(r.scope) AS rep_rows,
       count(r.id_hash) FILTER (WHERE r.in_talent_pool) AS talent_pool,
       count(r.id_hash) FILTER (WHERE r.key_contact) AS key_contact,
       count(r.scope) FILTER (WHERE r.key_contact) AS key_contact_rows,
       count(r.id_hash) FILTER (WHERE r.is_new_media) AS new_media,
       count(r.id_hash) FILTER (WHERE r.office) AS office,
       count(r.id_hash) FILTER (WHERE r.key_contact AND p.visits_3m > 0) AS key_contact_visited_3m,
       coalesce(sum(p.visits_3m) FILTER (WHERE r.key_contact), 0) AS key_contact_visits_3m,
       count(r.id_hash) FILTER (WHERE p.trained_ytd) AS trained_ytd
FROM m_scopes sc
LEFT JOIN m_rep_scope r ON r.scope = sc.scope
LEFT JOIN m_part_rep p ON p.scope = r.scope AND p.id_hash = r.id_hash
GROUP BY sc.scope;

CREATE OR REPLACE TEMP VIEW m_sugg_scope AS
SELECT s.scope, g.city_code, c.city_name, g.submission_id, g.month, g."date" AS date, g.id_hash, g.id_masked,
       g.title, g.channel, coalesce(g.adopted, false) AS adopted,
       g.month >= p.ytd_month AND g."date" >= p.ytd_start AND g."date" < p.next_start AS in_ytd
FROM cur_suggestions g
JOIN m_sub u ON u.submission_id = g.submission_id
JOIN m_scope s ON s.city_code = g.city_code
JOIN m_city c ON c.city_code = g.city_code, m_params p;

CREATE OR REPLACE TEMP VIEW m_nom_scope AS
SELECT s.scope, g.city_code, c.city_name, g.submission_id, g.month, g."date" AS date, g.id_hash, g.id_masked,
       g.target, g."level" AS level, g.outcome,
       g.month >= p.ytd_month AND g."date" >= p.ytd_start AND g."date" < p.next_start AS in_ytd
FROM cur_nominations g
JOIN m_sub u ON u.submission_id = g.submission_id
JOIN m_scope s ON s.city_code = g.city_code
JOIN m_city c ON c.city_code = g.city_code, m_params p;

-- The mechanisms sheet of the windows' workbooks (one row per workbook).
CREATE OR REPLACE TEMP TABLE m_mech AS
SELECT m.city_code, c.city_name, m.submission_id, m.month,
       m.sys_friendship, m.sys_visits, m.sys_information, m.sys_training, m.sys_role, m.sys_commendation,
       (coalesce(m.sys_friendship, false)::INT + coalesce(m.sys_visits, false)::INT
        + coalesce(m.sys_information, false)::INT + coalesce(m.sys_training, false)::INT
        + coalesce(m.sys_role, false)::INT + coalesce(m.sys_commendation, false)::INT) AS sys_count,
       m.joint_meetings, m.budget_included, m.fulltime_cadres, m.federation_established, m.typical_cases,
       m.month >= p.ytd_month AS in_ytd
FROM cur_mechanisms m
JOIN m_sub s ON s.submission_id = m.submission_id
JOIN m_city c ON c.city_code = m.city_code, m_params p;

-- Every attempt of every city for the month, in the order ingest decided
-- them (the warehouse's attempts view: sending the very same file again is
-- not an attempt of its own), with the warehouse's words for outcomes.
CREATE OR REPLACE TEMP TABLE m_attempt AS
SELECT s.city_code, c.city_name, s.id AS submission_id, s.attempt AS seq,
       s.outcome, s.accepted, s.outcome_name,
       s.filed_on, s.errors, s.warnings, s.file_name, s.received_at
FROM attempts s JOIN m_city c ON c.city_code = s.city_code, m_params p
WHERE s.month = p.month;
