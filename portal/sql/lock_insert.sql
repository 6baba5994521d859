INSERT INTO portal.month_locks (month, locked_by, locked_at) VALUES (?, ?, ?);
