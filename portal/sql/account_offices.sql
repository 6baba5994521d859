-- Enabled office accounts.
SELECT count(*) FROM portal.accounts WHERE role = 'office' AND NOT disabled;
