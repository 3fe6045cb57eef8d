-- 0008: rejects keep the record's original bytes.
--
-- raw_record is text, which cannot hold a NUL byte or invalid UTF-8: the loader stores there a readable form
-- (such bytes shown as U+FFFD) and here the record exactly as read. NULL on rows written before this migration
-- and by writers that only have text (API payloads).
ALTER TABLE raw.rejects ADD COLUMN IF NOT EXISTS raw_bytes bytea;
COMMENT ON COLUMN raw.rejects.raw_bytes IS 'the rejected record exactly as read (raw_record is its text, invalid bytes as U+FFFD)';
