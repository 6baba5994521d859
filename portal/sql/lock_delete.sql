DELETE FROM portal.month_locks WHERE month = ?;
