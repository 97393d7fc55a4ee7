-- The audit log keeps who acted after that person's account is deleted: actor_id no longer
-- references people (it was ON DELETE SET NULL, which erased the actor of every entry), and
-- actor_name keeps the actor's name as it was when they acted; actor_deleted marks entries whose
-- actor was deleted since (so that a later person given the same id on SQLite, which may reuse
-- the highest id, is never taken for them). A deleted person's own data still goes: entries about
-- them (subject_id) lose the link, as before.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_id_fkey;
ALTER TABLE audit_log ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN actor_deleted INTEGER NOT NULL DEFAULT 0;
UPDATE audit_log SET actor_name = COALESCE((SELECT full_name FROM people WHERE people.id = audit_log.actor_id), '');
