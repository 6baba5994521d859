-- Append-only: the portal has no statement that updates or deletes audit rows.
INSERT INTO portal.audit_log (id, at_time, account, address, action, object, detail)
VALUES (nextval('portal.audit_ids'), ?, ?, ?, ?, ?, ?);
