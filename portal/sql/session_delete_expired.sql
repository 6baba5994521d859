-- Sessions idle since the first time or created before the second.
DELETE FROM portal.sessions WHERE seen_at < ? OR created_at < ?;
