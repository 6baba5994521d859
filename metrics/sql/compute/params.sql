-- The month being computed and its windows, worked out in Go (compute.go).
CREATE OR REPLACE TEMP TABLE m_params AS
SELECT ?::VARCHAR AS province,
       ?::VARCHAR AS month,       -- YYYY-MM
       ?::VARCHAR AS prev_month,  -- the calendar month before
       ?::VARCHAR AS w3_month,    -- first month of the 3m window
       ?::VARCHAR AS ytd_month,   -- January of the year
       ?::VARCHAR AS first_month, -- the earliest month any window needs
       ?::DATE AS month_start,
       ?::DATE AS next_start,     -- first day of the next month
       ?::DATE AS w3_start,
       ?::DATE AS ytd_start,
       ?::DATE AS deadline        -- the scheme's deadline for on_time
