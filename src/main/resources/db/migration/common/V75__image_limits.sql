-- Image limits of a workspace or API key override: images per minute and per UTC day (null: the default).
alter table limit_overrides add column images_per_minute bigint;
alter table limit_overrides add column images_per_day bigint;
