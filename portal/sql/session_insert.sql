INSERT INTO portal.sessions (token_hash, account, csrf, created_at, seen_at, address) VALUES (?, ?, ?, ?, ?, ?);
