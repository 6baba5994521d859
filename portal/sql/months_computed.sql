SELECT DISTINCT month FROM metric_runs ORDER BY month DESC;
