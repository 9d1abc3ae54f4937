-- An async run that found no free concurrency slot goes back to the queue and may be claimed again
-- from not_before (epoch milliseconds); 0 means at once.
alter table runs add column not_before bigint not null default 0;
