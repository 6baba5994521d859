-- Per city, the ? organizations of the month with the most staff that have
-- no Party organization yet: where the next effort to extend coverage goes.
-- Ties are broken by name and credit code so the list is stable.
SELECT city_code,
       coalesce(name, '') AS name,
       coalesce(org_type, '') AS org_type,
       coalesce(sector, '') AS sector,
       coalesce(county, '') AS county,
       coalesce(staff_total, 0) AS staff
FROM cur_organizations
WHERE month = ? AND NOT coalesce(has_party_org, false)
QUALIFY row_number() OVER (PARTITION BY city_code
                           ORDER BY staff_total DESC NULLS LAST, name, credit_code) <= ?
ORDER BY city_code, staff DESC, name, credit_code
