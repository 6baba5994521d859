-- 001: the warehouse as the ingest of monthly workbooks fills it.
--
-- submissions: every attempt to load a workbook, whatever its outcome.
--   outcome accepted   the city-month's current workbook (at most one per city and month)
--           superseded was accepted, then replaced by a newer one (superseded_by)
--           rejected   had errors; nothing but the attempt and its findings was stored
--           unchanged  the same file (SHA-256) had been loaded before (same_as)
-- received_at is UTC, when ufa ingest took the file.
CREATE SEQUENCE submission_ids START 1;

CREATE TABLE submissions (
    id            BIGINT PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    city_code     VARCHAR,
    city_name     VARCHAR,
    month         VARCHAR,
    filed_on      DATE,
    received_at   TIMESTAMP NOT NULL,
    outcome       VARCHAR NOT NULL CHECK (outcome IN ('accepted', 'superseded', 'rejected', 'unchanged')),
    errors        INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    superseded_by BIGINT,
    same_as       BIGINT
);

-- findings of every attempt, ID numbers masked.
CREATE TABLE findings (
    submission_id BIGINT NOT NULL,
    seq           INTEGER NOT NULL,
    severity      VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    sheet         VARCHAR,
    excel_row     INTEGER,
    excel_column  VARCHAR,
    field         VARCHAR,
    value         VARCHAR,
    message       VARCHAR NOT NULL
);

-- meta: facts about the warehouse itself (key_fingerprint).
CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One table per sheet, rows keyed by submission, columns as ingest.Fields
-- makes them from the spec (a test keeps the two in step). Every row
-- carries its city's code and month so that a table reads, and exports,
-- on its own.
CREATE TABLE cover (
    submission_id    BIGINT NOT NULL,
    city_code        VARCHAR NOT NULL,
    city_name        VARCHAR,
    month            VARCHAR NOT NULL,
    filled_by        VARCHAR,
    phone            VARCHAR,
    filled_on        DATE,
    template_version VARCHAR
);

CREATE TABLE organizations (
    submission_id     BIGINT NOT NULL,
    city_code         VARCHAR NOT NULL,
    month             VARCHAR NOT NULL,
    excel_row         INTEGER NOT NULL,
    credit_code       VARCHAR,
    name              VARCHAR,
    org_type          VARCHAR,
    sector            VARCHAR,
    county            VARCHAR,
    reg_level         VARCHAR,
    staff_total       BIGINT,
    party_members     BIGINT,
    non_party_staff   BIGINT,
    has_party_org     BOOLEAN,
    party_org_form    VARCHAR,
    has_liaison       BOOLEAN,
    non_party_leaders BIGINT,
    founded_on        DATE
);

CREATE TABLE representatives (
    submission_id    BIGINT NOT NULL,
    city_code        VARCHAR NOT NULL,
    month            VARCHAR NOT NULL,
    excel_row        INTEGER NOT NULL,
    id_hash          VARCHAR,
    id_masked        VARCHAR,
    birth_year       INTEGER,
    name             VARCHAR,
    gender           VARCHAR,
    political_status VARCHAR,
    education        VARCHAR,
    org_credit_code  VARCHAR,
    "position"       VARCHAR,
    is_org_leader    BOOLEAN,
    is_new_media     BOOLEAN,
    in_talent_pool   BOOLEAN,
    key_contact      BOOLEAN,
    npc_level        VARCHAR,
    cppcc_level      VARCHAR,
    leader_paired    BOOLEAN,
    listed_on        DATE
);

CREATE TABLE activities (
    submission_id   BIGINT NOT NULL,
    city_code       VARCHAR NOT NULL,
    month           VARCHAR NOT NULL,
    excel_row       INTEGER NOT NULL,
    activity_id     VARCHAR,
    "date"          DATE,
    "type"          VARCHAR,
    title           VARCHAR,
    "level"         VARCHAR,
    leader_attended BOOLEAN,
    org_credit_code VARCHAR,
    headcount       BIGINT
);

CREATE TABLE participants (
    submission_id BIGINT NOT NULL,
    city_code     VARCHAR NOT NULL,
    month         VARCHAR NOT NULL,
    excel_row     INTEGER NOT NULL,
    activity_id   VARCHAR,
    id_hash       VARCHAR,
    id_masked     VARCHAR,
    birth_year    INTEGER,
    gender        VARCHAR
);

CREATE TABLE suggestions (
    submission_id BIGINT NOT NULL,
    city_code     VARCHAR NOT NULL,
    month         VARCHAR NOT NULL,
    excel_row     INTEGER NOT NULL,
    "date"        DATE,
    id_hash       VARCHAR,
    id_masked     VARCHAR,
    birth_year    INTEGER,
    gender        VARCHAR,
    title         VARCHAR,
    channel       VARCHAR,
    adopted       BOOLEAN
);

CREATE TABLE nominations (
    submission_id BIGINT NOT NULL,
    city_code     VARCHAR NOT NULL,
    month         VARCHAR NOT NULL,
    excel_row     INTEGER NOT NULL,
    "date"        DATE,
    id_hash       VARCHAR,
    id_masked     VARCHAR,
    birth_year    INTEGER,
    gender        VARCHAR,
    target        VARCHAR,
    "level"       VARCHAR,
    outcome       VARCHAR
);

CREATE TABLE mechanisms (
    submission_id          BIGINT NOT NULL,
    city_code              VARCHAR NOT NULL,
    month                  VARCHAR NOT NULL,
    sys_friendship         BOOLEAN,
    sys_visits             BOOLEAN,
    sys_information        BOOLEAN,
    sys_training           BOOLEAN,
    sys_role               BOOLEAN,
    sys_commendation       BOOLEAN,
    joint_meetings         BIGINT,
    budget_included        BOOLEAN,
    budget_wan_yuan        DOUBLE,
    fulltime_cadres        BIGINT,
    federation_established BOOLEAN,
    typical_cases          BIGINT
);

-- What everything downstream reads: the current accepted workbook of each
-- city and month, and its rows.
CREATE VIEW cur_submissions AS
    SELECT * FROM submissions WHERE outcome = 'accepted';

CREATE VIEW cur_cover AS
    SELECT t.* FROM cover t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_organizations AS
    SELECT t.* FROM organizations t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_representatives AS
    SELECT t.* FROM representatives t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_activities AS
    SELECT t.* FROM activities t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_participants AS
    SELECT t.* FROM participants t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_suggestions AS
    SELECT t.* FROM suggestions t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_nominations AS
    SELECT t.* FROM nominations t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_mechanisms AS
    SELECT t.* FROM mechanisms t JOIN cur_submissions s ON s.id = t.submission_id;
CREATE VIEW cur_findings AS
    SELECT t.* FROM findings t JOIN cur_submissions s ON s.id = t.submission_id;
