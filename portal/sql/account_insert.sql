-- A new account (name, role, city_code, password, created_at, changed_at).
INSERT INTO portal.accounts (name, role, city_code, password, disabled, failed, locked_until, created_at, changed_at)
VALUES (?, ?, ?, ?, false, 0, NULL, ?, ?);
