-- A new password also lifts a lock and re-enables the account.
UPDATE portal.accounts SET password = ?, failed = 0, locked_until = NULL, disabled = false, changed_at = ? WHERE name = ?;
