-- Inputs quarantined in one run, per reason (first time seen).
SELECT reason, count(*) AS n_inputs
FROM ops.quarantine WHERE run_id = $run_id
GROUP BY reason ORDER BY n_inputs DESC, reason;
