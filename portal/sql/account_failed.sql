-- Consecutive failed logins and the lock they set.
UPDATE portal.accounts SET failed = ?, locked_until = ? WHERE name = ?;
