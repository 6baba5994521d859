SELECT locked_by, locked_at FROM portal.month_locks WHERE month = ?;
