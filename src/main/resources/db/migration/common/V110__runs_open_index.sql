-- The queue (claim of the oldest queued run), the sweep of abandoned running runs and the queue-depth
-- gauge read runs by status only while a run is open. The index over every run's status wrote one
-- entry per run that nothing reads once the run ended; this partial index holds open runs only.
drop index runs_status;
create index runs_open on runs (status, created_at) where status in ('QUEUED', 'RUNNING');
