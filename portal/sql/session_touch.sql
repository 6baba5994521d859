UPDATE portal.sessions SET seen_at = ? WHERE token_hash = ?;
