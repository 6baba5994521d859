-- A session and its account.
SELECT s.account, s.csrf, s.created_at, s.seen_at, a.role, coalesce(a.city_code, ''), a.disabled
FROM portal.sessions s JOIN portal.accounts a ON a.name = s.account
WHERE s.token_hash = ?;
