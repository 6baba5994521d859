DELETE FROM portal.sessions WHERE account = ?;
