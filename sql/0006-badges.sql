-- 0006: Open Badges 3.0 credentials, issuer keys and the revocation list.

CREATE TABLE issuer_keys (
	id		serial PRIMARY KEY,
	public_multibase text NOT NULL UNIQUE CHECK (public_multibase LIKE 'z6Mk%'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	retired_at	timestamptz
);
CREATE UNIQUE INDEX issuer_keys_active ON issuer_keys ((true)) WHERE retired_at IS NULL;
COMMENT ON TABLE issuer_keys IS
    'Public Ed25519 keys of the issuer, as Multikeys. One is active (signs); '
    'retired ones stay published so that old badges still verify. The '
    'secret keys live in files under var/keys/ (mode 0600), never here.';

CREATE TABLE badges (
	id		text PRIMARY KEY CHECK (id ~ '^[0-9a-f-]{36}$'),
	enrolment_id	bigint NOT NULL UNIQUE REFERENCES enrolments(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	course_id	bigint NOT NULL REFERENCES courses(id),
	key_id		integer NOT NULL REFERENCES issuer_keys(id),
	status_index	integer NOT NULL UNIQUE CHECK (status_index BETWEEN 0 AND 131071),
	credential	text NOT NULL,
	issued_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES users(id),
	revoke_reason	text
);
CREATE INDEX badges_user ON badges (user_id);
COMMENT ON COLUMN badges.credential IS
    'The signed OpenBadgeCredential exactly as issued (downloads serve '
    'these bytes).';
COMMENT ON COLUMN badges.status_index IS
    'The badge''s bit in the revocation list, chosen at random so that '
    'neighbouring bits say nothing about each other.';

CREATE TABLE status_lists (
	id		integer PRIMARY KEY,
	credential	text NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE status_lists IS
    'The signed BitstringStatusListCredential served at /status/<id>, '
    'rebuilt at every revocation.';
