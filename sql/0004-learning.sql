-- 0004: learning: enrolments, reading, quiz attempts and answers,
-- competence evidence, completions, the training-hours ledger and the
-- job queue.

CREATE TABLE enrolments (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	course_id	bigint NOT NULL REFERENCES courses(id),
	source		text NOT NULL CHECK (source IN ('self', 'assigned')),
	assigned_by	bigint REFERENCES users(id),
	due_date	date,
	enrolled_at	timestamptz NOT NULL DEFAULT now(),
	completed_at	timestamptz,
	UNIQUE (user_id, course_id)
);
CREATE INDEX enrolments_course ON enrolments (course_id);

CREATE TABLE module_reads (
	user_id		bigint NOT NULL REFERENCES users(id),
	version_id	bigint NOT NULL REFERENCES module_versions(id),
	opened_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	seconds		integer NOT NULL DEFAULT 0 CHECK (seconds >= 0),
	PRIMARY KEY (user_id, version_id)
);
COMMENT ON COLUMN module_reads.seconds IS
    'Time spent reading: from opening the page to "finished", capped at '
    'three times the module''s minutes (a tab left open is not study).';

CREATE TABLE attempts (
	id		text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22}$'),
	user_id		bigint NOT NULL REFERENCES users(id),
	course_id	bigint NOT NULL REFERENCES courses(id),
	module_id	bigint NOT NULL REFERENCES modules(id),
	version_id	bigint NOT NULL REFERENCES module_versions(id),
	number		integer NOT NULL CHECK (number >= 1),
	seed		bigint NOT NULL,
	started_at	timestamptz NOT NULL DEFAULT now(),
	submitted_at	timestamptz,
	score		numeric(8,3),
	max_score	numeric(8,3),
	percent		numeric(6,2),
	passed		boolean,
	UNIQUE (user_id, course_id, module_id, number)
);
CREATE INDEX attempts_user ON attempts (user_id, submitted_at);
COMMENT ON TABLE attempts IS
    'One quiz attempt on one module version, in the context of a course. '
    'The id is random (it is in the URL); the seed orders the options.';

CREATE TABLE attempt_answers (
	attempt_id	text NOT NULL REFERENCES attempts(id),
	question_id	bigint NOT NULL REFERENCES questions(id),
	answer		text,
	correct		boolean NOT NULL,
	score		numeric(8,3) NOT NULL,
	PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE evidence (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	competence	text NOT NULL,
	level		text NOT NULL,
	source		text NOT NULL CHECK (source IN ('answer', 'rating')),
	attempt_id	text REFERENCES attempts(id),
	question_id	bigint REFERENCES questions(id),
	correct		boolean,
	rating_level	text,
	note		text,
	rated_by	bigint REFERENCES users(id),
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_user ON evidence (user_id, competence);
COMMENT ON TABLE evidence IS
    'Competence evidence: one row per graded answer (its question''s '
    'competence and level, right or wrong) and per trainer rating.';

CREATE TABLE hours_ledger (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	year		integer NOT NULL,
	hours		numeric(7,2) NOT NULL CHECK (hours >= 0),
	source		text NOT NULL CHECK (source IN ('module', 'course')),
	ref		text NOT NULL,
	description	text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, source, ref)
);
CREATE INDEX hours_ledger_user ON hours_ledger (user_id, year);
COMMENT ON TABLE hours_ledger IS
    'Training hours credited: a module''s minutes when it is completed, '
    'and at course completion what the course''s hours add to them.';

CREATE TABLE jobs (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL,
	ref		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	run_after	timestamptz NOT NULL DEFAULT now(),
	tries		integer NOT NULL DEFAULT 0,
	last_error	text,
	done_at		timestamptz,
	UNIQUE (kind, ref)
);
CREATE INDEX jobs_pending ON jobs (run_after) WHERE done_at IS NULL;
COMMENT ON TABLE jobs IS
    'A queue in PostgreSQL: jobs are written in the same transaction as '
    'the event that causes them and drained with FOR UPDATE SKIP LOCKED.';

CREATE FUNCTION module_done(p_user bigint, p_course bigint, p_module bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM module_reads r JOIN module_versions v ON
	    v.id = r.version_id WHERE r.user_id = p_user AND v.module_id =
	    p_module AND r.finished_at IS NOT NULL)
	AND (NOT EXISTS (SELECT 1 FROM questions q JOIN modules m ON
	    q.version_id = m.current_version_id WHERE m.id = p_module)
	OR CASE (SELECT grading FROM courses WHERE id = p_course)
	WHEN 'last' THEN coalesce((SELECT a.passed FROM attempts a WHERE
	    a.user_id = p_user AND a.course_id = p_course AND a.module_id =
	    p_module AND a.submitted_at IS NOT NULL ORDER BY a.submitted_at
	    DESC, a.number DESC LIMIT 1), false)
	ELSE EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = p_user AND
	    a.course_id = p_course AND a.module_id = p_module AND a.passed)
	END)
$$;
COMMENT ON FUNCTION module_done(bigint, bigint, bigint) IS
    'A module is done in a course when read to the end and, if its current '
    'version has a quiz, passed under the course''s grading method.';
