-- The 14 cities of the contract (internal/spec), in code order.
CREATE OR REPLACE TEMP TABLE m_city AS
SELECT unnest(?::VARCHAR[]) AS city_code, unnest(?::VARCHAR[]) AS city_name
