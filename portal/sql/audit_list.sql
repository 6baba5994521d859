SELECT id, at_time, coalesce(account, ''), coalesce(address, ''), action, coalesce(object, ''), coalesce(detail, '')
FROM portal.audit_log ORDER BY id DESC LIMIT ?;
