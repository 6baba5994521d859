-- One account by name.
SELECT name, role, coalesce(city_code, ''), password, disabled, failed, locked_until
FROM portal.accounts WHERE name = ?;
