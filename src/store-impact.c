/*
 * store-impact.c: the records behind the impact report and the xAPI
 * export (README.md, "Impact evaluation"): the questions of a test's
 * form, the submission of a pre-, re- or post-test graded with quiz.c,
 * the retests that come due. The statement rows of xAPI are read by
 * store-xapi.c.
 *
 * A test is not a quiz attempt: it earns no hours, no badge and no
 * competence evidence, and it is submitted once.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define NUMBUF		32

static int	uuid_valid(const char *);

/* A UUID in its standard form, lower case (what PostgreSQL prints). */
static int
uuid_valid(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (strchr("0123456789abcdef", s[i]) == NULL)
			return (0);
	}
	return (1);
}

/*
 * The questions of one form (A or B) of a pool version, in the pool's
 * order, with their options (learn_load_quiz, then the other form's
 * questions dropped). 0, or -1 and f.
 */
int
impact_load_form(struct db *db, const char *version, const char *form,
    struct quiz *quiz, struct fail *f)
{
	struct pg_result	*res;
	struct quiz		 drop;
	size_t			 i, keep;
	int			 j, n, in;

	if (learn_load_quiz(db, version, quiz, f) == -1)
		return (-1);
	res = db_query(db, "SELECT question_id FROM assessment_form($1, $2)",
	    2, version, form);
	if (res == NULL) {
		quiz_free(quiz);
		return (db_fail(db, f));
	}
	n = db_rows(res);
	memset(&drop, 0, sizeof(drop));
	drop.q = xcalloc(quiz->nq + 1, sizeof(*drop.q));
	keep = 0;
	for (i = 0; i < quiz->nq; i++) {
		in = 0;
		for (j = 0; j < n && !in; j++)
			in = strtoll(db_value(res, j, 0), NULL, 10) ==
			    quiz->q[i].id;
		if (in)
			quiz->q[keep++] = quiz->q[i];
		else
			drop.q[drop.nq++] = quiz->q[i];
	}
	quiz->nq = keep;
	quiz_free(&drop);
	db_clear(res);
	return (0);
}

/* Open the retests that have come due for a person: 0, or -1 and f. */
int
impact_refresh(struct db *db, long long user, struct fail *f)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_exec(db, "SELECT assessment_refresh($1)", 1, uid) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * The secret that keys xAPI pseudonyms and statement ids: 0, or -1 and
 * f (none stored is the server's failure too).
 */
int
impact_secret(struct db *db, char *out, size_t len, struct fail *f)
{
	struct pg_result	*res;
	int			 n;

	if ((res = db_query(db, "SELECT secret FROM impact_secret", 0)) ==
	    NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 1)
		xstrlcpy(out, db_value(res, 0, 0), len);
	db_clear(res);
	return (n == 1 ? 0 : fail_set(f, FAIL_UNAVAILABLE, "error.503.db",
	    "impact_secret: %d rows", n));
}

/*
 * Submit a test. Once only: a second submission changes nothing and
 * reports the first score (already = 1). A pre-test or retest closes
 * when the course is completed ("impact.closed"), a retest opens at its
 * due time ("impact.not_due"); fields that are not the form's questions
 * reject the whole submission. Returns 0, or -1 with f filled:
 * FAIL_NOTFOUND, FAIL_CONFLICT (closed, not due), FAIL_INPUT (the
 * form), FAIL_UNAVAILABLE (the database).
 */
int
impact_submit(struct db *db, const char *id, long long user,
    const struct form *fm, struct impact_result *r, struct fail *f)
{
	struct pg_result	*res;
	struct quiz		 quiz;
	struct quiz_answers	 qa;
	struct buf		 a_qid, a_ans, a_ok, a_sc;
	unsigned char		 key[QUIZ_KEY_LEN];
	const char		*v, *bad;
	char			 uid[NUMBUF], qid[NUMBUF], sc[NUMBUF];
	char			 version[NUMBUF], form[4];
	char			 s1[NUMBUF], s2[NUMBUF], s3[NUMBUF];
	double			 frac;
	size_t			 i, badq;
	int			 correct, ok;

	memset(r, 0, sizeof(*r));
	memset(&quiz, 0, sizeof(quiz));
	if (!uuid_valid(id))
		return (fail_set(f, FAIL_NOTFOUND, "impact.no_test", NULL));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "SELECT a.version_id, a.form, a.phase, "
	    "a.submitted_at IS NOT NULL, coalesce(a.score, 0), coalesce("
	    "a.max_score, 0), coalesce(a.percent, 0), a.due_at <= now(), "
	    "e.completed_at IS NOT NULL, a.form_key FROM assessments a JOIN "
	    "enrolments e ON e.id = a.enrolment_id WHERE a.id = $1 AND "
	    "a.user_id = $2 FOR UPDATE OF a", 2, id, uid);
	if (res == NULL)
		goto dberr;
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_NOTFOUND, "impact.no_test", NULL));
	}
	if (strcmp(db_value(res, 0, 3), "t") == 0) {
		r->already = 1;
		r->score = strtod(db_value(res, 0, 4), NULL);
		r->max_score = strtod(db_value(res, 0, 5), NULL);
		r->percent = strtod(db_value(res, 0, 6), NULL);
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	if (strcmp(db_value(res, 0, 2), "post") != 0 &&
	    strcmp(db_value(res, 0, 8), "t") == 0) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_CONFLICT, "impact.closed", NULL));
	}
	if (strcmp(db_value(res, 0, 7), "t") != 0) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_CONFLICT, "impact.not_due", NULL));
	}
	xstrlcpy(version, db_value(res, 0, 0), sizeof(version));
	xstrlcpy(form, db_value(res, 0, 1), sizeof(form));
	ok = quiz_form_key_parse(db_value(res, 0, 9), key) == 0;
	db_clear(res);
	if (!ok || impact_load_form(db, version, form, &quiz, f) == -1)
		goto dberr;
	/* The same decoder as quizzes: the same rule for blank answers. */
	if (quiz_form_decode(&quiz, key, fm, &qa, &bad, &badq) == -1) {
		quiz_free(&quiz);
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, bad, "question %zu", badq));
	}

	buf_init(&a_qid, 256);
	buf_init(&a_ans, 512);
	buf_init(&a_ok, 128);
	buf_init(&a_sc, 256);
	for (i = 0; i < quiz.nq; i++) {
		v = qa.a[i];
		frac = quiz_grade(&quiz.q[i], v, &correct);
		r->score += frac * quiz.q[i].points;
		r->max_score += quiz.q[i].points;
		(void)snprintf(qid, sizeof(qid), "%lld", quiz.q[i].id);
		(void)snprintf(sc, sizeof(sc), "%.3f", frac *
		    quiz.q[i].points);
		pg_array_add(&a_qid, qid);
		pg_array_add(&a_ans, v);
		pg_array_add(&a_ok, correct ? "t" : "f");
		pg_array_add(&a_sc, sc);
	}
	pg_array_end(&a_qid);
	pg_array_end(&a_ans);
	pg_array_end(&a_ok);
	pg_array_end(&a_sc);
	r->percent = r->max_score > 0 ? 100.0 * r->score / r->max_score : 0;
	(void)snprintf(s1, sizeof(s1), "%.3f", r->score);
	(void)snprintf(s2, sizeof(s2), "%.3f", r->max_score);
	(void)snprintf(s3, sizeof(s3), "%.2f", r->percent);
	ok = (quiz.nq == 0 || db_exec(db, "INSERT INTO "
	    "assessment_answers (assessment_id, question_id, answer, correct, "
	    "score) SELECT $1, t.q, t.a, t.c, t.s FROM unnest($2::bigint[], "
	    "$3::text[], $4::bool[], $5::numeric[]) AS t(q, a, c, s)", 5, id,
	    a_qid.data, a_ans.data, a_ok.data, a_sc.data) == 0) &&
	    db_exec(db, "UPDATE assessments SET submitted_at = now(), "
	    "started_at = coalesce(started_at, now()), score = $2, max_score "
	    "= $3, percent = $4 WHERE id = $1", 4, id, s1, s2, s3) == 0 &&
	    db_commit(db) == 0;
	buf_free(&a_qid);
	buf_free(&a_ans);
	buf_free(&a_ok);
	buf_free(&a_sc);
	quiz_answers_free(&qa);
	quiz_free(&quiz);
	if (!ok) {
		return (store_abort(db, f));
	}
	return (0);
dberr:
	quiz_free(&quiz);
	return (store_abort(db, f));
}

/* The columns of a person's tests (store_impact_tests). */
enum tlist_col {
	TL_ID = 0,
	TL_COURSE,
	TL_PHASE,
	TL_FORM,
	TL_SUBMITTED,
	TL_PERCENT,
	TL_DUE_ON,
	TL_DUE,
	TL_CLOSED,
	TL_EDITION
};

/* The columns of the retests to come. */
enum tnext_col {
	TN_COURSE = 0,
	TN_DUE_ON
};

/* The columns of one test (store_impact_test). */
enum tone_col {
	TO_ID = 0,
	TO_VERSION,
	TO_FORM,
	TO_PHASE,
	TO_COURSE,
	TO_SLUG,
	TO_SEED,
	TO_SUBMITTED,
	TO_DUE,
	TO_CLOSED,
	TO_SCORE,
	TO_MAX,
	TO_PERCENT,
	TO_FORM_KEY
};

#define TCOPY(field)	{ ROW_ARRAY(struct impact_test, field) }
#define TFLAG(field)	{ ROW_BOOL, offsetof(struct impact_test, field) }

static const struct row_col tlist_cols[] = {
	[TL_ID] = TCOPY(id),
	[TL_COURSE] = TCOPY(course),
	[TL_PHASE] = TCOPY(phase),
	[TL_FORM] = TCOPY(form),
	[TL_SUBMITTED] = TFLAG(submitted),
	[TL_PERCENT] = TCOPY(percent),
	[TL_DUE_ON] = TCOPY(due_on),
	[TL_DUE] = TFLAG(due),
	[TL_CLOSED] = TFLAG(closed),
	[TL_EDITION] = TCOPY(edition)
};

static const struct row_col tnext_cols[] = {
	[TN_COURSE] = { ROW_ARRAY(struct impact_retest, course) },
	[TN_DUE_ON] = { ROW_ARRAY(struct impact_retest, due_on) }
};

static const struct row_col tone_cols[] = {
	[TO_ID] = TCOPY(id),
	[TO_VERSION] = TCOPY(version),
	[TO_FORM] = TCOPY(form),
	[TO_PHASE] = TCOPY(phase),
	[TO_COURSE] = TCOPY(course),
	[TO_SLUG] = TCOPY(slug),
	[TO_SEED] = { ROW_U64, offsetof(struct impact_test, seed) },
	[TO_SUBMITTED] = TFLAG(submitted),
	[TO_DUE] = TFLAG(due),
	[TO_CLOSED] = TFLAG(closed),
	[TO_SCORE] = TCOPY(score),
	[TO_MAX] = TCOPY(max),
	[TO_PERCENT] = TCOPY(percent),
	[TO_FORM_KEY] = TCOPY(form_key)
};

static int	is_true(struct pg_result *, int, int);

static int
is_true(struct pg_result *res, int i, int c)
{
	return (strcmp(db_value(res, i, c), "t") == 0);
}

/*
 * A person's tests, those to take first, with the retests of a
 * comparison cohort that are not due yet (the ones that have come due
 * are opened first: impact_refresh).
 */
int
store_impact_tests(struct db *db, long long user, struct impact_tests *l,
    struct fail *f)
{
	char	uid[NUMBUF];

	memset(l, 0, sizeof(*l));
	if (impact_refresh(db, user, f) == -1)
		return (-1);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (rows_copy(db, db_query(db,
	    "SELECT a.id, c.title, a.phase, a.form, "
	    "a.submitted_at IS NOT NULL, coalesce(to_char(a.percent, "
	    "'FM990.0'), ''), to_char(a.due_at, 'YYYY-MM-DD'), a.due_at <= "
	    "now(), e.completed_at IS NOT NULL AND a.phase <> 'post', "
	    "coalesce(d.code, '') FROM assessments a JOIN enrolments e ON "
	    "e.id = a.enrolment_id JOIN courses c ON c.id = a.course_id LEFT "
	    "JOIN editions d ON d.id = e.edition_id WHERE a.user_id = $1 "
	    "ORDER BY a.submitted_at IS NOT NULL, a.due_at, c.title", 1, uid),
	    sizeof(*l->t), tlist_cols, ROW_NCOLS(tlist_cols), &l->t, &l->n,
	    f) == -1)
		return (-1);
	if (rows_copy(db, db_query(db,
	    "SELECT c.title, to_char(p.submitted_at + "
	    "(t.ends_on - t.starts_on) * interval '1 day', 'YYYY-MM-DD') FROM "
	    "enrolments e JOIN courses c ON c.id = e.course_id JOIN editions d "
	    "ON d.id = e.edition_id JOIN editions t ON t.id = d.compares_with "
	    "JOIN assessments p ON p.enrolment_id = e.id AND p.phase = 'pre' "
	    "AND p.submitted_at IS NOT NULL WHERE e.user_id = $1 AND "
	    "e.completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM assessments "
	    "r WHERE r.enrolment_id = e.id AND r.phase = 'retest') ORDER BY 2",
	    1, uid), sizeof(*l->r), tnext_cols, ROW_NCOLS(tnext_cols), &l->r,
	    &l->nr, f) == -1) {
		store_impact_tests_free(l);
		return (-1);
	}
	return (0);
}

void
store_impact_tests_free(struct impact_tests *l)
{
	free(l->t);
	free(l->r);
	memset(l, 0, sizeof(*l));
}

/* The test id if it is the user's (else FAIL_NOTFOUND). */
int
store_impact_test(struct db *db, const char *id, long long user,
    struct impact_test *t, struct fail *f)
{
	char	uid[NUMBUF];

	memset(t, 0, sizeof(*t));
	if (!uuid_valid(id))
		return (fail_set(f, FAIL_NOTFOUND, "impact.no_test", NULL));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (row_one(db, db_query(db,
	    "SELECT a.id, a.version_id, a.form, a.phase, "
	    "c.title, c.slug, a.seed, a.submitted_at IS NOT NULL, a.due_at <= "
	    "now(), e.completed_at IS NOT NULL AND a.phase <> 'post', "
	    "coalesce(to_char(a.score, 'FM9990.0'), ''), coalesce(to_char("
	    "a.max_score, 'FM9990'), ''), coalesce(to_char(a.percent, "
	    "'FM990.0'), ''), a.form_key FROM assessments a JOIN enrolments e "
	    "ON e.id = a.enrolment_id JOIN courses c ON c.id = a.course_id "
	    "WHERE a.id = $1::uuid AND a.user_id = $2", 2, id, uid), t,
	    tone_cols, ROW_NCOLS(tone_cols), "impact.no_test", f));
}

/* The first time a test's form is shown is when it is launched. */
int
store_impact_start(struct db *db, const char *id, struct fail *f)
{
	if (db_exec(db, "UPDATE assessments SET started_at = now() WHERE id "
	    "= $1::uuid AND started_at IS NULL", 1, id) == -1)
		return (db_fail(db, f));
	return (0);
}

/* The columns of the funder's counts. */
enum fund_col {
	FU_COURSE = 0,
	FU_SLUG,
	FU_TITLE,
	FU_REGION_ID,
	FU_REGION,
	FU_PARTICIPANTS,
	FU_COMPLETIONS,
	FU_HOURS,
	FU_BADGES,
	FU_REVOKED
};

/* The columns of the funder's gain people. */
enum fgain_col {
	FG_COURSE = 0,
	FG_REGION_ID,
	FG_FIRST,
	FG_SECOND
};

/*
 * The funder's numbers, per course and region of the scope (optionally
 * the people enrolled in a year): counts per course and region with
 * each course's total, and the learning gain of each course and region
 * (treated people with both tests, not excluded) as impact.c's groups:
 * keyed by the course's id and labelled with the region's id, "" for
 * the course's total.
 */
int
store_impact_funder(struct db *db, const char *scope, const char *year,
    struct funder_report *fr, struct fail *f)
{
	struct pg_result	*res;
	struct funder_row	*r;
	int			 i, n;

	memset(fr, 0, sizeof(*fr));
	impact_init(&fr->gain, "");
	res = db_query(db, "WITH e AS (SELECT e.*, c.slug, c.title, "
	    "c.hours, r.id AS region_id, r.name AS region FROM enrolments e "
	    "JOIN users u ON u.id = e.user_id JOIN orgs o ON o.id = u.org_id "
	    "JOIN orgs r ON r.id = org_at_depth(o.path, 1) JOIN courses c ON "
	    "c.id = e.course_id WHERE o.path LIKE $1 || '%' AND ($2 = '' OR "
	    "extract(year FROM e.enrolled_at) = nullif($2, '')::int)) SELECT "
	    "e.course_id, "
	    "e.slug, e.title, coalesce(e.region_id, 0), coalesce(e.region, "
	    "''), count(*), count(e.completed_at), to_char(coalesce(sum("
	    "e.hours) FILTER (WHERE e.completed_at IS NOT NULL), 0), "
	    "'FM9999990.0'), count(b.id), count(b.revoked_at) FROM e LEFT JOIN "
	    "badges b ON b.enrolment_id = e.id GROUP BY GROUPING SETS ((1, 2, "
	    "3, 4, 5), (1, 2, 3)) ORDER BY 3, 2, 4 NULLS FIRST, 5", 2, scope,
	    year);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	fr->r = xcalloc((size_t)n + 1, sizeof(*fr->r));
	for (i = 0; i < n; i++) {
		r = &fr->r[fr->n++];
		r->course = strtoll(db_value(res, i, FU_COURSE), NULL, 10);
		r->slug = xstrdup(db_value(res, i, FU_SLUG));
		r->title = xstrdup(db_value(res, i, FU_TITLE));
		r->total = db_isnull(res, i, FU_REGION_ID);
		xstrlcpy(r->region_id, r->total ? "" : db_value(res, i,
		    FU_REGION_ID), sizeof(r->region_id));
		r->region = xstrdup(db_value(res, i, FU_REGION));
		r->participants = strtoll(db_value(res, i, FU_PARTICIPANTS),
		    NULL, 10);
		r->completions = strtoll(db_value(res, i, FU_COMPLETIONS),
		    NULL, 10);
		xstrlcpy(r->hours, db_value(res, i, FU_HOURS),
		    sizeof(r->hours));
		xstrlcpy(r->badges, db_value(res, i, FU_BADGES),
		    sizeof(r->badges));
		xstrlcpy(r->revoked, db_value(res, i, FU_REVOKED),
		    sizeof(r->revoked));
	}
	db_clear(res);
	res = db_query(db, "SELECT c.id, r.id, x.first, x.second FROM "
	    "courses c CROSS JOIN LATERAL impact_people($1, '', c.id) x JOIN "
	    "orgs r ON r.id = org_at_depth(x.org_path, 1) WHERE "
	    "c.assessment_module_id IS NOT NULL AND x.grp = 'treated' AND "
	    "x.second IS NOT NULL AND NOT x.excluded AND ($2 = '' OR "
	    "extract(year FROM x.enrolled_at) = nullif($2, '')::int)", 2, scope,
	    year);
	if (res == NULL) {
		store_impact_funder_free(fr);
		return (db_fail(db, f));
	}
	for (i = 0; i < db_rows(res); i++)
		impact_funder_add(&fr->gain, strtoll(db_value(res, i,
		    FG_COURSE), NULL, 10), db_value(res, i, FG_REGION_ID),
		    strtod(db_value(res, i, FG_FIRST), NULL),
		    strtod(db_value(res, i, FG_SECOND), NULL));
	db_clear(res);
	impact_funder_compute(&fr->gain);
	return (0);
}

void
store_impact_funder_free(struct funder_report *fr)
{
	size_t	i;

	for (i = 0; i < fr->n; i++) {
		free(fr->r[i].slug);
		free(fr->r[i].title);
		free(fr->r[i].region);
	}
	free(fr->r);
	impact_free(&fr->gain);
	memset(fr, 0, sizeof(*fr));
}

/* The name of the unit at path ("" when there is none). */
int
store_impact_org_name(struct db *db, const char *path, char *out, size_t len,
    struct fail *f)
{
	struct pg_result	*res;

	*out = '\0';
	if ((res = db_query(db, "SELECT name FROM orgs WHERE path = $1", 1,
	    path)) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1)
		xstrlcpy(out, db_value(res, 0, 0), len);
	db_clear(res);
	return (0);
}

/* The columns of the impact report's course and people. */
enum icourse_col {
	IC_ID = 0,
	IC_SLUG,
	IC_TITLE
};

enum ipeople_col {
	IP_KEY = 0,
	IP_LABEL,
	IP_COMPARISON,
	IP_FIRST,
	IP_SECOND,
	IP_DAYS,
	IP_EXCLUDED,
	IP_MATCHED
};

/*
 * The report's course: slug's if it has a pre/post pool, else the
 * first with one (by title); course_id stays "" when none has.
 */
int
store_impact_course(struct db *db, const char *slug, struct impact_filter *fl,
    struct fail *f)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT id, slug, title FROM courses WHERE "
	    "assessment_module_id IS NOT NULL ORDER BY slug = $1 DESC, title, "
	    "slug LIMIT 1", 1, slug != NULL ? slug : "");
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		xstrlcpy(fl->course_id, db_value(res, 0, IC_ID),
		    sizeof(fl->course_id));
		xstrlcpy(fl->course_slug, db_value(res, 0, IC_SLUG),
		    sizeof(fl->course_slug));
		xstrlcpy(fl->course_title, db_value(res, 0, IC_TITLE),
		    sizeof(fl->course_title));
	}
	db_clear(res);
	return (0);
}

/*
 * The per-person rows (impact_people in sql/0010-impact.sql) of the
 * selection into im (impact_init'ed by the caller): grouped by edition
 * (none_label for people in none) or office, and computed.
 */
int
store_impact_people(struct db *db, const struct impact_filter *fl,
    const char *none_label, struct impact *im, struct fail *f)
{
	struct pg_result	*res;
	struct impact_person	 p;
	int			 i, n, by_office;

	if (fl->course_id[0] == '\0')
		return (0);
	by_office = strcmp(fl->by, "office") == 0;
	res = db_query(db, "SELECT CASE WHEN $5 = 'office' THEN o.id "
	    "ELSE coalesce(p.edition_id, 0) END, CASE WHEN $5 = 'office' THEN "
	    "o.name ELSE coalesce(d.code, '') END, p.grp = 'comparison', "
	    "p.first, coalesce(p.second::text, ''), coalesce(p.days::text, "
	    "''), p.excluded, p.grp = 'comparison' OR EXISTS (SELECT 1 FROM "
	    "editions x WHERE x.compares_with = p.edition_id) FROM "
	    "impact_people($1, $2, $3::bigint) p LEFT JOIN editions d ON d.id "
	    "= p.edition_id JOIN orgs o ON o.id = org_at_depth(p.org_path, 3) "
	    "WHERE $4 = '' OR coalesce(p.edition_id, 0) = nullif($4, '')::"
	    "bigint ORDER BY "
	    "CASE WHEN $5 = 'office' THEN org_order(o.path) END, d.starts_on "
	    "NULLS FIRST, d.code, o.name", 5, fl->scope, fl->org,
	    fl->course_id, fl->edition, fl->by);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		p.key = strtoll(db_value(res, i, IP_KEY), NULL, 10);
		p.label = db_value(res, i, IP_LABEL);
		if (!by_office && *p.label == '\0')
			p.label = none_label;
		p.comparison = is_true(res, i, IP_COMPARISON);
		p.first = strtod(db_value(res, i, IP_FIRST), NULL);
		p.second = *db_value(res, i, IP_SECOND) != '\0' ?
		    strtod(db_value(res, i, IP_SECOND), NULL) : NAN;
		p.days = *db_value(res, i, IP_DAYS) != '\0' ?
		    strtod(db_value(res, i, IP_DAYS), NULL) : NAN;
		p.excluded = is_true(res, i, IP_EXCLUDED);
		p.matched = is_true(res, i, IP_MATCHED);
		impact_add(im, &p);
	}
	db_clear(res);
	impact_compute(im);
	return (0);
}
