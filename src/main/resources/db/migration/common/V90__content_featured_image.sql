-- A post's featured image: the media ref of an image of the workspace (set by a content run's nested image
-- run, or by the library API), kept with every revision like the other fields.
alter table content_posts add column featured_image text;
alter table content_revisions add column featured_image text;
