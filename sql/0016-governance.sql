-- 0016: benchmarking and transnational peer review of regional
-- governance (issue 24): the maturity model and the good-practice cards
-- (imported from courses/governance/), partner organisations abroad,
-- the assessor and reviewer roles, rounds, self-assessments with the
-- peer review and the consolidated rating, and action plans.

-- Partner organisations abroad: top-level units outside the regions.
ALTER TABLE orgs DROP CONSTRAINT orgs_kind_check;
ALTER TABLE orgs ADD CONSTRAINT orgs_kind_check
    CHECK (kind IN ('region', 'agency', 'office', 'partner'));
ALTER TABLE orgs DROP CONSTRAINT orgs_check;
ALTER TABLE orgs ADD CONSTRAINT orgs_top_check
    CHECK ((kind IN ('region', 'partner')) = (parent_id IS NULL));
ALTER TABLE orgs ADD COLUMN country text NOT NULL DEFAULT 'IT'
    CHECK (country ~ '^[A-Z]{2}$');
COMMENT ON COLUMN orgs.country IS
    'ISO 3166-1 alpha-2 country of the unit: IT for the regions and '
    'their units, the partner''s country for partner organisations.';

INSERT INTO orgs (kind, code, name, path, country)
SELECT 'partner', c, n, '', k FROM (VALUES
    ('partner-uk', 'Partner transnazionale - Regno Unito', 'GB'),
    ('partner-de', 'Partner transnazionale - Germania', 'DE'),
    ('partner-es', 'Partner transnazionale - Spagna', 'ES'),
    ('partner-gr', 'Partner transnazionale - Grecia', 'GR'),
    ('partner-pt', 'Partner transnazionale - Portogallo', 'PT')) AS p(c, n, k);
UPDATE orgs SET path = '/' || id || '/' WHERE kind = 'partner';

ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('learner', 'trainer', 'hr', 'issuer', 'admin',
    'assessor', 'reviewer'));

-- The maturity model (courses/governance/model.md), replaced by each
-- import whose file changed. Dimensions are never deleted: ratings name
-- them; one left out of the file is marked retired.
CREATE TABLE gov_model (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	slug		text NOT NULL,
	sha256		text NOT NULL,
	title_it	text NOT NULL,
	title_en	text NOT NULL,
	summary_it	text NOT NULL,
	summary_en	text NOT NULL,
	levels		int NOT NULL CHECK (levels BETWEEN 2 AND 9),
	imported_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gov_level_names (
	level		int PRIMARY KEY,
	name_it		text NOT NULL,
	name_en		text NOT NULL
);

CREATE TABLE gov_sources (
	key		text PRIMARY KEY,
	url		text NOT NULL CHECK (url ~ '^https?://'),
	title		text NOT NULL
);

CREATE TABLE gov_dimensions (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,8}$'),
	position	int NOT NULL,
	name_it		text NOT NULL,
	name_en		text NOT NULL,
	text_it		text NOT NULL,
	text_en		text NOT NULL,
	competences	text[] NOT NULL,
	sources		text[] NOT NULL,
	retired		boolean NOT NULL DEFAULT false
);
COMMENT ON COLUMN gov_dimensions.competences IS
    'Codes of the competence framework this dimension needs: the bridge '
    'from a weak dimension to the courses that build them.';

CREATE TABLE gov_levels (
	dimension	text NOT NULL REFERENCES gov_dimensions(code),
	level		int NOT NULL,
	text_it		text NOT NULL,
	text_en		text NOT NULL,
	evidence_it	text NOT NULL,
	evidence_en	text NOT NULL,
	PRIMARY KEY (dimension, level)
);

-- Good-practice cards (courses/governance/practices/*.md).
CREATE TABLE gov_practices (
	slug		text PRIMARY KEY,
	sha256		text NOT NULL,
	country		text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	region		text NOT NULL,
	title_it	text NOT NULL,
	title_en	text NOT NULL,
	sector_it	text NOT NULL,
	sector_en	text NOT NULL,
	contact_it	text NOT NULL,
	contact_en	text NOT NULL,
	html_it		text NOT NULL,
	html_en		text NOT NULL,
	sources		text NOT NULL,
	dimensions	text[] NOT NULL,
	search		text NOT NULL,
	retired		boolean NOT NULL DEFAULT false
);
COMMENT ON COLUMN gov_practices.search IS
    'Lower-case text of the whole card in both languages, for the '
    'library''s search box.';

-- Rounds of self-assessment and peer review, opened by administrators.
CREATE TABLE gov_rounds (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{1,40}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	open		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- One self-assessment per unit and round, with its one peer review.
CREATE TABLE gov_assessments (
	id		bigserial PRIMARY KEY,
	round_id	bigint NOT NULL REFERENCES gov_rounds(id),
	org_id		bigint NOT NULL REFERENCES orgs(id),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN
			    ('draft', 'submitted', 'reviewed', 'answered',
			    'proposed', 'consolidated')),
	created_by	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	submitted_by	bigint REFERENCES users(id),
	submitted_at	timestamptz,
	reviewer_id	bigint REFERENCES users(id),
	assigned_by	bigint REFERENCES users(id),
	assigned_at	timestamptz,
	reviewed_at	timestamptz,
	answered_by	bigint REFERENCES users(id),
	answered_at	timestamptz,
	proposed_at	timestamptz,
	revision_note	text,
	agreed_by	bigint REFERENCES users(id),
	agreed_at	timestamptz,
	UNIQUE (round_id, org_id)
);
CREATE INDEX gov_assessments_reviewer ON gov_assessments (reviewer_id);
COMMENT ON TABLE gov_assessments IS
    'draft > submitted (a reviewer is assigned) > reviewed > answered > '
    'proposed (the reviewer''s consolidated rating) > consolidated (the '
    'assessed team agreed); a refused proposal goes back to answered.';

-- Per dimension, the three views side by side: none overwrites another.
CREATE TABLE gov_ratings (
	assessment_id	bigint NOT NULL REFERENCES gov_assessments(id),
	dimension	text NOT NULL REFERENCES gov_dimensions(code),
	self_level	int CHECK (self_level BETWEEN 1 AND 9),
	justification	text NOT NULL DEFAULT '',
	evidence	text NOT NULL DEFAULT '',
	peer_level	int CHECK (peer_level BETWEEN 1 AND 9),
	peer_comment	text NOT NULL DEFAULT '',
	answer		text NOT NULL DEFAULT '',
	cons_level	int CHECK (cons_level BETWEEN 1 AND 9),
	cons_note	text NOT NULL DEFAULT '',
	PRIMARY KEY (assessment_id, dimension)
);
COMMENT ON TABLE gov_ratings IS
    'self_* by the assessed team, peer_* by the partner reviewer, answer '
    'by the team to the reviewer''s comment, cons_* the consolidated '
    'rating proposed by the reviewer and agreed by the team.';

-- Change-management action plans, from a consolidated assessment.
CREATE TABLE gov_actions (
	id		bigserial PRIMARY KEY,
	assessment_id	bigint NOT NULL REFERENCES gov_assessments(id),
	dimension	text NOT NULL REFERENCES gov_dimensions(code),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	owner		text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
	due		date NOT NULL,
	status		text NOT NULL DEFAULT 'planned' CHECK (status IN
			    ('planned', 'started', 'done', 'dropped')),
	notes		text NOT NULL DEFAULT '',
	created_by	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint NOT NULL REFERENCES users(id),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gov_actions_assessment ON gov_actions (assessment_id);
