DELETE FROM portal.sessions WHERE token_hash = ?;
