-- 0002: organisations, users and roles, sessions, login throttling,
-- one-time password links and the hash-chained audit log.

CREATE TABLE orgs (
	id		bigserial PRIMARY KEY,
	parent_id	bigint REFERENCES orgs(id),
	kind		text NOT NULL CHECK (kind IN ('region', 'agency', 'office')),
	code		text NOT NULL UNIQUE
			    CHECK (code ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	path		text NOT NULL,
	demo		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'region') = (parent_id IS NULL))
);
CREATE INDEX orgs_path ON orgs (path text_pattern_ops);
CREATE INDEX orgs_parent ON orgs (parent_id);
COMMENT ON TABLE orgs IS
    'The organisation tree: region > agency (ente) > office (ufficio).';
COMMENT ON COLUMN orgs.path IS
    'Materialised path of ids, e.g. /1/7/42/: the subtree of X is '
    'path LIKE X.path || ''%''.';

-- The five regions of the programme.
INSERT INTO orgs (kind, code, name, path)
SELECT 'region', c, n, '' FROM (VALUES
    ('basilicata', 'Regione Basilicata'),
    ('calabria', 'Regione Calabria'),
    ('campania', 'Regione Campania'),
    ('puglia', 'Regione Puglia'),
    ('sicilia', 'Regione Siciliana')) AS r(c, n);
UPDATE orgs SET path = '/' || id || '/';

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	email		text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	org_id		bigint NOT NULL REFERENCES orgs(id),
	password_hash	text,
	active		boolean NOT NULL DEFAULT true,
	demo		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_org ON users (org_id);
COMMENT ON COLUMN users.password_hash IS
    'Argon2id, libsodium crypto_pwhash_str format; NULL until the user '
    'sets a password through a one-time link.';

CREATE TABLE user_roles (
	user_id		bigint NOT NULL REFERENCES users(id),
	role		text NOT NULL CHECK (role IN ('learner', 'trainer',
			    'hr', 'issuer', 'admin')),
	scope_org_id	bigint REFERENCES orgs(id),
	PRIMARY KEY (user_id, role)
);
COMMENT ON COLUMN user_roles.scope_org_id IS
    'The subtree the role acts on (hr, trainer, issuer); NULL for admin '
    'and learner.';

CREATE TABLE sessions (
	token_hash	bytea PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	csrf		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	ip		text
);
CREATE INDEX sessions_user ON sessions (user_id);
COMMENT ON TABLE sessions IS
    'Server-side sessions. The cookie holds a 256-bit random token; only '
    'its SHA-256 is stored here.';

CREATE TABLE login_failures (
	id		bigserial PRIMARY KEY,
	email		text NOT NULL,
	ip		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE password_tokens (
	token_hash	bytea PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

CREATE TABLE audit_log (
	id		bigint PRIMARY KEY CHECK (id >= 1),
	at		text NOT NULL,
	actor		text NOT NULL,
	event		text NOT NULL,
	subject		text NOT NULL,
	details		text NOT NULL,
	ip		text NOT NULL,
	prev_hash	text NOT NULL,
	hash		text NOT NULL
);
COMMENT ON TABLE audit_log IS
    'Append-only security log. Ids are contiguous from 1 and each row '
    'carries hash = SHA-256(prev_hash || canonical row): bin/capacita audit '
    'verify detects any edited, inserted or deleted row.';

CREATE TABLE audit_head (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	last_id		bigint NOT NULL,
	last_hash	text NOT NULL
);
COMMENT ON TABLE audit_head IS
    'The chain''s last id and hash, written with every row: a deleted tail '
    'shows as a mismatch.';
INSERT INTO audit_head VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE
    ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
