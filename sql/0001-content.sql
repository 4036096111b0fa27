-- 0001: training content: the competence framework, modules with their
-- immutable versions and quizzes, and courses.
--
-- Applied by bin/capacita migrate inside one transaction, which also
-- records it in schema_migrations.

CREATE TABLE schema_migrations (
	version		integer PRIMARY KEY,
	name		text NOT NULL,
	applied_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE schema_migrations IS
    'One row per sql/NNNN-*.sql file applied; the server refuses to start '
    'unless max(version) is the SCHEMA_VERSION it was built for.';

CREATE TABLE frameworks (
	id		bigserial PRIMARY KEY,
	slug		text NOT NULL UNIQUE,
	title		text NOT NULL,
	summary		text NOT NULL DEFAULT '',
	sha256		text NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE frameworks IS 'Competence frameworks (courses/framework.md).';

CREATE TABLE levels (
	framework_id	bigint NOT NULL REFERENCES frameworks(id),
	rank		integer NOT NULL CHECK (rank >= 1),
	name		text NOT NULL,
	description	text NOT NULL DEFAULT '',
	PRIMARY KEY (framework_id, rank),
	UNIQUE (framework_id, name)
);
COMMENT ON TABLE levels IS 'Proficiency levels of a framework, rank 1 the lowest.';

CREATE TABLE areas (
	framework_id	bigint NOT NULL REFERENCES frameworks(id),
	code		text NOT NULL,
	name		text NOT NULL,
	description	text NOT NULL DEFAULT '',
	position	integer NOT NULL,
	PRIMARY KEY (framework_id, code)
);

CREATE TABLE competences (
	code		text PRIMARY KEY,
	framework_id	bigint NOT NULL REFERENCES frameworks(id),
	area		text NOT NULL,
	name		text NOT NULL,
	description	text NOT NULL,
	position	integer NOT NULL,
	retired		boolean NOT NULL DEFAULT false,
	FOREIGN KEY (framework_id, area) REFERENCES areas(framework_id, code)
);
COMMENT ON COLUMN competences.retired IS
    'Dropped from the framework file; kept because evidence may point to it.';

CREATE TABLE modules (
	id			bigserial PRIMARY KEY,
	slug			text NOT NULL UNIQUE
				    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	current_version_id	bigint,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE modules IS
    'A module is its slug; its text lives in module_versions.';

CREATE TABLE module_versions (
	id		bigserial PRIMARY KEY,
	module_id	bigint NOT NULL REFERENCES modules(id),
	version_no	integer NOT NULL CHECK (version_no >= 1),
	sha256		text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	title		text NOT NULL,
	lang		text NOT NULL CHECK (lang IN ('it', 'en')),
	minutes		integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
	summary		text NOT NULL,
	version_note	text,
	source		text NOT NULL,
	html		text NOT NULL,
	words		integer NOT NULL DEFAULT 0,
	origin		text NOT NULL CHECK (origin IN ('import', 'web')),
	source_path	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (module_id, sha256),
	UNIQUE (module_id, version_no)
);
COMMENT ON TABLE module_versions IS
    'Published module text, immutable: identified by the SHA-256 of its '
    'source. Learner records point here, never to modules.';
COMMENT ON COLUMN module_versions.html IS
    'Body rendered once at publication by cmark in safe mode, quiz removed.';

ALTER TABLE modules ADD FOREIGN KEY (current_version_id)
    REFERENCES module_versions(id);

CREATE TABLE module_version_competences (
	version_id	bigint NOT NULL REFERENCES module_versions(id),
	competence	text NOT NULL,
	position	integer NOT NULL,
	PRIMARY KEY (version_id, competence)
);

CREATE TABLE questions (
	id		bigserial PRIMARY KEY,
	version_id	bigint NOT NULL REFERENCES module_versions(id),
	position	integer NOT NULL,
	line		integer NOT NULL,
	type		text NOT NULL CHECK (type IN ('single', 'multiple',
			    'truefalse', 'numeric', 'short', 'order')),
	text		text NOT NULL,
	text_html	text NOT NULL,
	competence	text NOT NULL,
	level		text NOT NULL,
	points		integer NOT NULL DEFAULT 1 CHECK (points BETWEEN 1 AND 100),
	number		double precision,
	tolerance	double precision,
	truth		boolean,
	feedback_correct text,
	feedback_wrong	text,
	UNIQUE (version_id, position)
);
COMMENT ON TABLE questions IS
    'Quiz questions of a module version. Right answers never leave the '
    'server before an attempt is submitted.';

CREATE TABLE question_options (
	question_id	bigint NOT NULL REFERENCES questions(id),
	position	integer NOT NULL,
	text		text NOT NULL,
	text_html	text NOT NULL,
	correct		boolean NOT NULL,
	feedback	text,
	PRIMARY KEY (question_id, position)
);
COMMENT ON TABLE question_options IS
    'Choices (single, multiple), accepted answers (short, numeric, '
    'truefalse) or items in their right order (order).';

CREATE TABLE courses (
	id			bigserial PRIMARY KEY,
	slug			text NOT NULL UNIQUE
				    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	sha256			text NOT NULL,
	title			text NOT NULL,
	lang			text NOT NULL,
	summary			text NOT NULL,
	html			text NOT NULL,
	hours			numeric(7,2) NOT NULL CHECK (hours > 0),
	pass_percent		integer NOT NULL CHECK (pass_percent BETWEEN 1 AND 100),
	attempts		integer NOT NULL CHECK (attempts >= 0),
	grading			text NOT NULL CHECK (grading IN ('highest', 'last')),
	badge_name		text NOT NULL,
	badge_description	text NOT NULL,
	badge_criteria		text NOT NULL,
	assessment_module_id	bigint REFERENCES modules(id),
	source			text NOT NULL,
	source_path		text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN courses.attempts IS 'Quiz attempts allowed per module; 0 = no limit.';

CREATE TABLE course_modules (
	course_id	bigint NOT NULL REFERENCES courses(id),
	position	integer NOT NULL,
	module_id	bigint NOT NULL REFERENCES modules(id),
	PRIMARY KEY (course_id, position),
	UNIQUE (course_id, module_id)
);

CREATE TABLE course_competences (
	course_id	bigint NOT NULL REFERENCES courses(id),
	competence	text NOT NULL,
	level		text NOT NULL,
	PRIMARY KEY (course_id, competence)
);
