-- 0003: the trainers' web editor: who owns a module, drafts, authors.

ALTER TABLE modules ADD COLUMN owner_org_id bigint REFERENCES orgs(id);
COMMENT ON COLUMN modules.owner_org_id IS
    'The unit whose trainers may edit the module in the web editor; NULL '
    'for the programme''s modules kept in git (modules/), edited there.';

ALTER TABLE module_versions ADD COLUMN author_id bigint REFERENCES users(id);

CREATE TABLE module_drafts (
	slug		text PRIMARY KEY
			    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	owner_org_id	bigint NOT NULL REFERENCES orgs(id),
	author_id	bigint NOT NULL REFERENCES users(id),
	source		text NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE module_drafts IS
    'Unpublished work from the web editor, one per module slug. Publishing '
    'turns it into a module version and deletes it.';
