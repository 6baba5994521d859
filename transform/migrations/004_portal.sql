-- 004: the portal's state (ufa serve, docs/portal.md). The tables live in their
-- own schema, portal: they are not assessment data, so ufa export (schema
-- main) leaves out password hashes, sessions and the audit log.
CREATE SCHEMA portal;
--
-- accounts: one per person; password is an argon2id PHC string with its own
--   salt; failed counts consecutive failed logins, locked_until ends a lock.
CREATE TABLE portal.accounts (
    name         VARCHAR NOT NULL,
    role         VARCHAR NOT NULL CHECK (role IN ('city', 'office', 'leader')),
    city_code    VARCHAR,
    password     VARCHAR NOT NULL,
    disabled     BOOLEAN NOT NULL,
    failed       INTEGER NOT NULL,
    locked_until TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    changed_at   TIMESTAMP NOT NULL
);

-- sessions: token_hash is the SHA-256 of the cookie's token (the token itself
-- is never stored); csrf is the per-session form token.
CREATE TABLE portal.sessions (
    token_hash VARCHAR NOT NULL,
    account    VARCHAR NOT NULL,
    csrf       VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    seen_at    TIMESTAMP NOT NULL,
    address    VARCHAR
);

-- audit_log: append-only (the portal never updates or deletes a row).
CREATE SEQUENCE portal.audit_ids START 1;
CREATE TABLE portal.audit_log (
    id      BIGINT NOT NULL,
    at_time TIMESTAMP NOT NULL,
    account VARCHAR,
    address VARCHAR,
    action  VARCHAR NOT NULL,
    object  VARCHAR,
    detail  VARCHAR
);

-- month_locks: a locked month refuses uploads.
CREATE TABLE portal.month_locks (
    month     VARCHAR NOT NULL,
    locked_by VARCHAR NOT NULL,
    locked_at TIMESTAMP NOT NULL
);

-- uploads: every file received through the portal, recorded (state
-- 'pending') once its bytes are synced under DB.files/<sha256>; 'done' when
-- processed (submission_id: the attempt in submissions), 'failed' when
-- processing could not be done (note says why).
CREATE SEQUENCE portal.upload_ids START 1;
CREATE TABLE portal.uploads (
    id            BIGINT NOT NULL,
    sha256        VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    size          BIGINT NOT NULL,
    city_code     VARCHAR,
    month         VARCHAR,
    account       VARCHAR NOT NULL,
    address       VARCHAR,
    received_at   TIMESTAMP NOT NULL,
    state         VARCHAR NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    submission_id BIGINT,
    outcome       VARCHAR,
    errors        INTEGER,
    warnings      INTEGER,
    report        VARCHAR,
    annotated     BOOLEAN,
    note          VARCHAR,
    done_at       TIMESTAMP
);
