-- 0015: sign-in through an OpenID provider (identities linked to
-- accounts, pending sign-ins, the provider's session for logout) and
-- e-mail (each person's language and reminder choice, the messages
-- queued and sent).

ALTER TABLE users
    ADD COLUMN lang text NOT NULL DEFAULT 'it' CHECK (lang IN ('it', 'en')),
    ADD COLUMN fiscal_code text CHECK (fiscal_code ~ '^[A-Z0-9]{11,16}$'),
    ADD COLUMN mail_reminders boolean NOT NULL DEFAULT true,
    ADD COLUMN unsubscribe_token text NOT NULL
	DEFAULT replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX users_fiscal_code ON users (fiscal_code)
    WHERE fiscal_code IS NOT NULL;
CREATE UNIQUE INDEX users_unsubscribe ON users (unsubscribe_token);
COMMENT ON COLUMN users.lang IS
    'The language of the messages sent to the person: the one last chosen '
    'with the header''s switch while signed in.';
COMMENT ON COLUMN users.fiscal_code IS
    'Codice fiscale, as an identity provider releases it (fiscalNumber, '
    'without the TINIT- prefix): a verified claim that links accounts.';
COMMENT ON COLUMN users.unsubscribe_token IS
    'Random; names the person in the List-Unsubscribe link of reminders.';

CREATE TABLE user_identities (
	provider	text NOT NULL,
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
	user_id		bigint NOT NULL REFERENCES users(id),
	linked_by	text NOT NULL CHECK (linked_by IN ('subject',
			    'fiscal_code', 'email', 'created')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_login_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);
COMMENT ON TABLE user_identities IS
    'An account at an OpenID provider (iss, sub) linked to a user: at the '
    'first sign-in by a verified claim, or by creating the user.';

CREATE TABLE oidc_states (
	state		text PRIMARY KEY CHECK (state ~ '^[A-Za-z0-9_-]{43}$'),
	provider	text NOT NULL,
	nonce		text NOT NULL,
	verifier	text NOT NULL,
	next		text NOT NULL DEFAULT '/',
	created_at	timestamptz NOT NULL DEFAULT now(),
	used_at		timestamptz
);
COMMENT ON TABLE oidc_states IS
    'Sign-ins sent to a provider and not yet back: the state is also in '
    'a cookie of the browser that started it; each is used once, within '
    '10 minutes, and its nonce must be the one in the ID token.';

ALTER TABLE sessions
    ADD COLUMN provider text,
    ADD COLUMN logout_url text;
COMMENT ON COLUMN sessions.logout_url IS
    'Signed in through a provider: its end-session URL with the ID token '
    'hint, where signing out sends the browser (RP-initiated logout).';

CREATE TABLE mails (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind IN ('password', 'assigned',
			    'reminder', 'badge', 'revoked')),
	ref		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	skipped		text,
	to_addr		text,
	subject		text,
	message_id	text
);
CREATE INDEX mails_user ON mails (user_id, created_at);
CREATE UNIQUE INDEX mails_reminder_once ON mails (user_id, ref)
    WHERE kind = 'reminder';
COMMENT ON TABLE mails IS
    'Messages to people, sent by the job queue (kind mail, ref = id) '
    'through the SMTP relay. The text is made when the job runs, in the '
    'person''s language; a password link''s token is made then too, so no '
    'secret waits in the queue.';
COMMENT ON COLUMN mails.skipped IS
    'Why the message was not sent after all (the person opted out of '
    'reminders, finished the course, was disabled).';
COMMENT ON COLUMN mails.ref IS
    'What the message is about: an enrolment id (assigned), enrolment '
    'id:due date (reminder), a badge id (badge, revoked).';
