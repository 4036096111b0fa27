/*
 * store-placement.c: the records of the placement test and the personal
 * plan (README.md, "Placement test" and "Personal plan"): the areas one
 * can be placed in, a test's next question (chosen by placement.c from
 * the pool and the answers so far), an answer graded and kept as
 * evidence of source 'placement', the results, and the plan built by
 * plan_build() from the person's requirements, levels and the courses
 * that certify them, with HR's pins and removals.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

struct pcomp {
	char			 code[FW_CODE_MAX + 1];
	int			 nlevels;
	struct placement_item	*items;
	size_t			 nitems;
	struct placement_answer	*ans;
	size_t			 nans;
};

struct ppool {
	struct pcomp	*c;
	size_t		 n;
};

static int	pool_load(struct db *, long long, const char *, long long,
		    struct ppool *);
static void	pool_free(struct ppool *);
static int	pool_advance(struct db *, long long, long long, struct ppool *,
		    int *);
static int	question_load(struct db *, long long, struct quiz *);

/* The areas of the measured framework with a pool, and one's last test. */
enum { PA_CODE, PA_NAME, PA_COMPS, PA_QUESTIONS, PA_LAST, PA_DONE,
	PA_OPEN };

static const struct row_col pa_cols[] = {
	[PA_CODE] = { ROW_ARRAY(struct placement_area, code) },
	[PA_NAME] = { ROW_ARRAY(struct placement_area, name) },
	[PA_COMPS] = { ROW_INT, offsetof(struct placement_area, competences) },
	[PA_QUESTIONS] = { ROW_INT, offsetof(struct placement_area,
	    questions) },
	[PA_LAST] = { ROW_ARRAY(struct placement_area, last) },
	[PA_DONE] = { ROW_INT, offsetof(struct placement_area, done) },
	[PA_OPEN] = { ROW_LL, offsetof(struct placement_area, open) }
};

int
placement_areas(struct db *db, long long user, struct placement_area **out,
    size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT a.code, a.name, count(DISTINCT "
	    "c.code), count(q.id), coalesce((SELECT to_char("
	    "max(p.finished_at), 'YYYY-MM-DD HH24:MI') FROM placements p "
	    "WHERE p.user_id = $1 AND "
	    "p.area = a.code), ''), (SELECT count(*) FROM placements p WHERE "
	    "p.user_id = $1 AND p.area = a.code AND p.finished_at IS NOT "
	    "NULL), coalesce((SELECT max(p.id) FROM placements p WHERE "
	    "p.user_id = $1 AND p.area = a.code AND p.finished_at IS NULL), "
	    "0) FROM competences a JOIN frameworks f ON f.id = a.framework_id "
	    "AND f.kind = 'measured' JOIN competences c ON c.area = a.code AND "
	    "c.code <> a.code AND NOT c.retired JOIN questions q ON "
	    "q.competence = c.code JOIN modules m ON m.current_version_id = "
	    "q.version_id WHERE a.parent IS NULL AND NOT EXISTS (SELECT 1 FROM "
	    "courses co WHERE co.assessment_module_id = m.id) GROUP BY a.code, "
	    "a.name, a.position ORDER BY a.position",
	    pa_cols, struct placement_area);

	return (store_list_id(db, &q, NULL, out, n, f, user));
}

/*
 * The pool of an area for one test: every question of the current
 * module versions on the area's competences (not the pre/post-test
 * pools), with this test's answers and the questions of the person's
 * previous test of the area (never asked again).
 */
enum { PP_QID, PP_COMP, PP_RANK, PP_TYPE, PP_NOPTS, PP_NLEVELS, PP_SEEN };
enum { PPA_QID, PPA_COMP, PPA_RANK, PPA_GUESS, PPA_CORRECT };

static int
pool_load(struct db *db, long long user, const char *area, long long id,
    struct ppool *pp)
{
	struct pg_result	*res;
	struct pcomp		*c;
	char			 uid[NUMBUF], pid[NUMBUF];
	int			 i, t;
	size_t			 j, rows;

	memset(pp, 0, sizeof(*pp));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(pid, sizeof(pid), "%lld", id);
	res = db_query(db, "SELECT q.id, c.code, lv.rank, q.type, (SELECT "
	    "count(*) FROM question_options o WHERE o.question_id = q.id), "
	    "(SELECT count(*) FROM levels l2 WHERE l2.framework_id = "
	    "c.framework_id), q.id IN (SELECT pa.question_id FROM "
	    "placement_answers pa WHERE pa.placement_id = (SELECT p.id FROM "
	    "placements p WHERE p.user_id = $2 AND p.area = $1 AND p.id <> $3 "
	    "ORDER BY p.started_at DESC, p.id DESC LIMIT 1)) FROM competences "
	    "c JOIN frameworks f ON f.id = c.framework_id AND f.kind = "
	    "'measured' JOIN questions q ON q.competence = c.code JOIN modules "
	    "m ON m.current_version_id = q.version_id JOIN levels lv ON "
	    "lv.framework_id = c.framework_id AND lv.name = q.level WHERE "
	    "c.area = $1 AND c.code <> c.area AND NOT c.retired AND NOT EXISTS "
	    "(SELECT 1 FROM courses co WHERE co.assessment_module_id = m.id) "
	    "ORDER BY c.position, c.code, q.id", 3, area, uid, pid);
	if (res == NULL)
		return (-1);
	pp->c = db_rows_new(res, sizeof(*pp->c), &rows);
	for (i = 0; i < (int)rows; i++) {
		if (pp->n == 0 || strcmp(pp->c[pp->n - 1].code,
		    db_value(res, i, PP_COMP)) != 0) {
			c = &pp->c[pp->n++];
			xstrlcpy(c->code, db_value(res, i, PP_COMP),
			    sizeof(c->code));
			c->nlevels = atoi(db_value(res, i, PP_NLEVELS));
			c->items = xcalloc(rows + 1, sizeof(*c->items));
			c->ans = xcalloc(rows + 1, sizeof(*c->ans));
		}
		c = &pp->c[pp->n - 1];
		c->items[c->nitems].id = strtoll(db_value(res, i, PP_QID), NULL,
		    10);
		c->items[c->nitems].level = atoi(db_value(res, i, PP_RANK));
		t = quiz_type_from(db_value(res, i, PP_TYPE));
		c->items[c->nitems].guess = placement_guess(t < 0 ?
		    QUIZ_SINGLE : (enum quiz_type)t,
		    (size_t)atoi(db_value(res, i, PP_NOPTS)));
		c->items[c->nitems].seen = *db_value(res, i, PP_SEEN) == 't';
		c->nitems++;
	}
	db_clear(res);
	res = db_query(db, "SELECT question_id, competence, rank, guess, "
	    "correct FROM placement_answers WHERE placement_id = $1 ORDER BY "
	    "seq", 1, pid);
	if (res == NULL) {
		pool_free(pp);
		return (-1);
	}
	for (i = 0; i < db_rows(res); i++) {
		for (j = 0; j < pp->n; j++)
			if (strcmp(pp->c[j].code, db_value(res, i,
			    PPA_COMP)) == 0)
				break;
		if (j == pp->n)
			continue;	/* a competence since retired */
		c = &pp->c[j];
		c->ans[c->nans].level = atoi(db_value(res, i, PPA_RANK));
		c->ans[c->nans].guess = strtod(db_value(res, i, PPA_GUESS),
		    NULL);
		c->ans[c->nans].correct = *db_value(res, i, PPA_CORRECT) == 't';
		c->nans++;
		for (t = 0; t < (int)c->nitems; t++)
			if (c->items[t].id == strtoll(db_value(res, i,
			    PPA_QID), NULL, 10))
				c->items[t].asked = 1;
	}
	db_clear(res);
	return (0);
}

static void
pool_free(struct ppool *pp)
{
	size_t	i;

	for (i = 0; i < pp->n; i++) {
		free(pp->c[i].items);
		free(pp->c[i].ans);
	}
	free(pp->c);
	memset(pp, 0, sizeof(*pp));
}

/*
 * Set the test's next question: the competences in the framework's
 * order, each until its test stops. When none is left, the results
 * are written, the test finished and the levels recomputed (*done).
 */
static int
pool_advance(struct db *db, long long user, long long id, struct ppool *pp,
    int *done)
{
	struct placement_state	 s;
	struct buf		 comps;
	char			 pid[NUMBUF], qid[NUMBUF], uid[NUMBUF];
	char			 rank[NUMBUF], conf[NUMBUF], asked[NUMBUF];
	size_t			 i;
	long			 next;

	*done = 0;
	(void)snprintf(pid, sizeof(pid), "%lld", id);
	for (i = 0; i < pp->n; i++) {
		placement_replay(&s, pp->c[i].nlevels, pp->c[i].ans,
		    pp->c[i].nans);
		if ((next = placement_next(&s, pp->c[i].items,
		    pp->c[i].nitems)) >= 0) {
			(void)snprintf(qid, sizeof(qid), "%lld",
			    pp->c[i].items[next].id);
			return (db_exec(db, "UPDATE placements SET question_id "
			    "= $2 WHERE id = $1", 2, pid, qid));
		}
	}
	buf_init(&comps, 256);
	for (i = 0; i < pp->n; i++) {
		placement_replay(&s, pp->c[i].nlevels, pp->c[i].ans,
		    pp->c[i].nans);
		if (s.asked == 0)
			continue;	/* nothing left to ask it with */
		(void)snprintf(rank, sizeof(rank), "%d", s.level);
		(void)snprintf(conf, sizeof(conf), "%.4f", s.confidence);
		(void)snprintf(asked, sizeof(asked), "%d", s.asked);
		if (db_exec(db, "INSERT INTO placement_results (placement_id, "
		    "competence, rank, confidence, questions) VALUES ($1, $2, "
		    "$3, $4, $5)", 5, pid, pp->c[i].code, rank, conf,
		    asked) == -1) {
			buf_free(&comps);
			return (-1);
		}
		pg_array_add(&comps, pp->c[i].code);
	}
	pg_array_end(&comps);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_exec(db, "UPDATE placements SET question_id = NULL, "
	    "finished_at = clock_timestamp() WHERE id = $1", 1, pid) == -1 ||
	    db_exec(db, "SELECT competence_recompute_many(ARRAY[$1::bigint], "
	    "$2::text[])", 2, uid, comps.data) == -1) {
		buf_free(&comps);
		return (-1);
	}
	buf_free(&comps);
	*done = 1;
	return (0);
}

/*
 * Start a test of an area: the first, or a final check when one is
 * finished already; an unfinished test of the area is taken up again.
 * Returns 0 with its id, or -1 and f (FAIL_NOTFOUND: the area has no
 * pool).
 */
int
placement_start(struct db *db, long long user, const char *area,
    long long *id, struct fail *f)
{
	struct pg_result	*res;
	struct ppool		 pp;
	char			 uid[NUMBUF];
	int			 done;

	*id = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	/* One test at a time per person: the user's row is the lock. */
	if (db_exec(db, "SELECT 1 FROM users WHERE id = $1 FOR UPDATE", 1,
	    uid) == -1)
		goto fail;
	res = db_query(db, "SELECT id FROM placements WHERE user_id = $1 AND "
	    "area = $2 AND finished_at IS NULL ORDER BY id DESC LIMIT 1", 2,
	    uid, area);
	if (res == NULL)
		goto fail;
	if (db_rows(res) == 1) {
		*id = strtoll(db_value(res, 0, 0), NULL, 10);
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	res = db_query(db, "INSERT INTO placements (user_id, area, phase) "
	    "SELECT $1, $2, CASE WHEN EXISTS (SELECT 1 FROM placements p "
	    "WHERE p.user_id = $1 AND p.area = $2 AND p.finished_at IS NOT "
	    "NULL) THEN 'final' ELSE 'first' END RETURNING id", 2, uid, area);
	if (res == NULL)
		goto fail;
	*id = strtoll(db_value(res, 0, 0), NULL, 10);
	db_clear(res);
	if (pool_load(db, user, area, *id, &pp) == -1)
		goto fail;
	if (pp.n == 0) {
		pool_free(&pp);
		db_rollback(db);
		*id = 0;
		return (fail_set(f, FAIL_NOTFOUND, "placement.no_area",
		    "area %s: no pool", area));
	}
	if (pool_advance(db, user, *id, &pp, &done) == -1) {
		pool_free(&pp);
		goto fail;
	}
	pool_free(&pp);
	if (db_commit(db) == -1)
		goto fail;
	return (0);
fail:
	return (store_abort(db, f));
}

enum { PV_ID, PV_AREA, PV_AREA_NAME, PV_PHASE, PV_KEY, PV_SEED, PV_QID,
	PV_STARTED, PV_FINISHED, PV_ANSWERED };

static const struct row_col pv_cols[] = {
	[PV_ID] = { ROW_LL, offsetof(struct placement_view, id) },
	[PV_AREA] = { ROW_ARRAY(struct placement_view, area) },
	[PV_AREA_NAME] = { ROW_ARRAY(struct placement_view, area_name) },
	[PV_PHASE] = { ROW_ARRAY(struct placement_view, phase) },
	[PV_KEY] = { ROW_ARRAY(struct placement_view, form_key) },
	[PV_SEED] = { ROW_U64, offsetof(struct placement_view, seed) },
	[PV_QID] = { ROW_LL, offsetof(struct placement_view, question) },
	[PV_STARTED] = { ROW_ARRAY(struct placement_view, started) },
	[PV_FINISHED] = { ROW_ARRAY(struct placement_view, finished) },
	[PV_ANSWERED] = { ROW_INT, offsetof(struct placement_view, answered) }
};

/* A test of this person: 0, or -1 and f (FAIL_NOTFOUND: none such). */
int
placement_get(struct db *db, long long id, long long user,
    struct placement_view *v, struct fail *f)
{
	char	pid[NUMBUF], uid[NUMBUF];

	memset(v, 0, sizeof(*v));
	v->user = user;
	(void)snprintf(pid, sizeof(pid), "%lld", id);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (row_one(db, db_query(db,
	    "SELECT p.id, p.area, coalesce(a.name, p.area), "
	    "p.phase, p.form_key, p.seed, coalesce(p.question_id, 0), "
	    "to_char(p.started_at, 'YYYY-MM-DD HH24:MI'), coalesce(to_char("
	    "p.finished_at, 'YYYY-MM-DD HH24:MI'), ''), (SELECT count(*) FROM "
	    "placement_answers pa WHERE pa.placement_id = p.id) FROM "
	    "placements p LEFT JOIN competences a ON a.code = p.area WHERE "
	    "p.id = $1 AND p.user_id = $2", 2, pid, uid), v, pv_cols,
	    ROW_NCOLS(pv_cols), "placement.no_test", f));
}

enum { PQ_ID, PQ_TYPE, PQ_TEXT, PQ_COMP, PQ_LEVEL, PQ_NUMBER, PQ_TOL,
	PQ_TRUTH, PQ_LINE };
enum { PO_TEXT, PO_CORRECT, PO_HTML };

/* One question as a quiz of one, with its options. */
static int
question_load(struct db *db, long long id, struct quiz *quiz)
{
	struct pg_result	*res;
	struct quiz_question	*q;
	char			 qid[NUMBUF];
	int			 i, t;

	memset(quiz, 0, sizeof(*quiz));
	(void)snprintf(qid, sizeof(qid), "%lld", id);
	res = db_query(db, "SELECT id, type, text_html, competence, level, "
	    "number, tolerance, truth, line FROM questions WHERE id = $1", 1,
	    qid);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (-1);
	}
	quiz->q = xcalloc(2, sizeof(*quiz->q));
	quiz->nq = 1;
	q = &quiz->q[0];
	q->id = id;
	t = quiz_type_from(db_value(res, 0, PQ_TYPE));
	q->type = t < 0 ? QUIZ_SINGLE : (enum quiz_type)t;
	q->text = xstrdup(db_value(res, 0, PQ_TEXT));
	q->competence = xstrdup(db_value(res, 0, PQ_COMP));
	q->level = xstrdup(db_value(res, 0, PQ_LEVEL));
	q->points = 1;
	q->number = db_isnull(res, 0, PQ_NUMBER) ? 0 :
	    strtod(db_value(res, 0, PQ_NUMBER), NULL);
	q->tolerance = db_isnull(res, 0, PQ_TOL) ? 0 :
	    strtod(db_value(res, 0, PQ_TOL), NULL);
	q->truth = !db_isnull(res, 0, PQ_TRUTH) &&
	    *db_value(res, 0, PQ_TRUTH) == 't';
	q->line = atoi(db_value(res, 0, PQ_LINE));
	db_clear(res);
	res = db_query(db, "SELECT text, correct, text_html FROM "
	    "question_options WHERE question_id = $1 ORDER BY position", 1,
	    qid);
	if (res == NULL) {
		quiz_free(quiz);
		return (-1);
	}
	q->nopts = (size_t)db_rows(res);
	q->opts = xcalloc(q->nopts + 1, sizeof(*q->opts));
	for (i = 0; i < (int)q->nopts; i++) {
		q->opts[i].text = xstrdup(db_value(res, i, PO_TEXT));
		q->opts[i].correct = *db_value(res, i, PO_CORRECT) == 't';
		q->opts[i].html = db_isnull(res, i, PO_HTML) ? NULL :
		    xstrdup(db_value(res, i, PO_HTML));
	}
	db_clear(res);
	return (0);
}

/*
 * The question being asked in a test, as a quiz of one: 0, or -1 and f
 * (a test with no question, or one gone, is the server's failure).
 */
int
placement_question(struct db *db, const struct placement_view *v,
    struct quiz *quiz, struct fail *f)
{
	memset(quiz, 0, sizeof(*quiz));
	if (v->question == 0 || question_load(db, v->question, quiz) == -1)
		return (fail_set(f, FAIL_UNAVAILABLE, "error.503.db",
		    "placement %lld: question %lld: %s", v->id, v->question,
		    db_error(db)));
	return (0);
}

/*
 * Answer the question being asked. `step` is the number of answers the
 * form was made after: another number is a form already answered or
 * not yet given (returns 1, nothing recorded). A blank answer is a
 * wrong one ("I don't know"). Returns 0, 1, or -1 and fl (FAIL_INPUT
 * with the form's fault as key).
 */
int
placement_answer(struct db *db, const struct placement_view *v, int step,
    const struct form *f, struct fail *fl)
{
	struct pg_result	*res;
	struct quiz		 quiz;
	struct quiz_answers	 qa;
	struct ppool		 pp;
	unsigned char		 key[QUIZ_KEY_LEN];
	const char		*bad, *ans;
	char			 pid[NUMBUF], uid[NUMBUF], qid[NUMBUF];
	char			 seq[NUMBUF], rank[NUMBUF], guess[NUMBUF];
	struct form		 fq;
	size_t			 badq, i;
	int			 correct, done, answered, ok, rc;
	long long		 current;

	memset(&quiz, 0, sizeof(quiz));
	(void)snprintf(pid, sizeof(pid), "%lld", v->id);
	(void)snprintf(uid, sizeof(uid), "%lld", v->user);
	if (db_begin(db) == -1)
		return (db_fail(db, fl));
	res = db_query(db, "SELECT coalesce(p.question_id, 0), (SELECT "
	    "count(*) FROM placement_answers pa WHERE pa.placement_id = p.id) "
	    "FROM placements p WHERE p.id = $1 AND p.user_id = $2 FOR UPDATE",
	    2, pid, uid);
	if (res == NULL)
		goto fail;
	current = db_rows(res) == 1 ? strtoll(db_value(res, 0, 0), NULL,
	    10) : 0;
	answered = db_rows(res) == 1 ? atoi(db_value(res, 0, 1)) : -1;
	db_clear(res);
	if (current == 0 || answered != step) {
		db_rollback(db);
		return (1);
	}
	if (quiz_form_key_parse(v->form_key, key) == -1 ||
	    question_load(db, current, &quiz) == -1)
		goto fail;
	/* The step is the page's own field, not an answer. */
	fq.f = xcalloc(f->n + 1, sizeof(*fq.f));
	for (fq.n = 0, i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, "step") != 0)
			fq.f[fq.n++] = f->f[i];
	rc = quiz_form_decode(&quiz, key, &fq, &qa, &bad, &badq);
	free(fq.f);
	if (rc == -1) {
		quiz_free(&quiz);
		db_rollback(db);
		return (fail_set(fl, FAIL_INPUT, bad, NULL));
	}
	ans = qa.a[0];
	if (ans != NULL)
		(void)quiz_grade(&quiz.q[0], ans, &correct);
	else
		correct = 0;
	(void)snprintf(qid, sizeof(qid), "%lld", current);
	(void)snprintf(seq, sizeof(seq), "%d", answered + 1);
	(void)snprintf(guess, sizeof(guess), "%.6f", placement_guess(
	    quiz.q[0].type, quiz.q[0].nopts));
	res = db_query(db, "SELECT lv.rank FROM questions q JOIN competences "
	    "c ON c.code = q.competence JOIN levels lv ON lv.framework_id = "
	    "c.framework_id AND lv.name = q.level WHERE q.id = $1", 1, qid);
	if (res == NULL) {
		quiz_answers_free(&qa);
		goto fail;
	}
	xstrlcpy(rank, db_rows(res) == 1 ? db_value(res, 0, 0) : "0",
	    sizeof(rank));
	db_clear(res);
	ok = db_exec(db, "INSERT INTO placement_answers (placement_id, seq, "
	    "question_id, competence, rank, guess, answer, correct) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8)", 8, pid, seq, qid,
	    quiz.q[0].competence, rank, guess, ans, correct ? "t" : "f") == 0 &&
	    db_exec(db, "INSERT INTO evidence (user_id, competence, level, "
	    "source, question_id, correct, placement_id) VALUES ($1, $2, $3, "
	    "'placement', $4, $5, $6)", 6, uid, quiz.q[0].competence,
	    quiz.q[0].level, qid, correct ? "t" : "f", pid) == 0;
	quiz_answers_free(&qa);
	quiz_free(&quiz);
	if (!ok || pool_load(db, v->user, v->area, v->id, &pp) == -1)
		goto fail;
	ok = pool_advance(db, v->user, v->id, &pp, &done) == 0;
	pool_free(&pp);
	if (!ok || db_commit(db) == -1)
		goto fail;
	return (0);
fail:
	(void)db_fail(db, fl);
	quiz_free(&quiz);
	db_rollback(db);
	return (-1);
}

/*
 * The results of a finished test (by its id) per competence, with the
 * person's first test of the area beside it (the pre/post pair of a
 * final check) and the level the rule gives now.
 */
enum { PR_CODE, PR_NAME, PR_RANK, PR_LEVEL, PR_CONF, PR_QUESTIONS,
	PR_FIRST_RANK, PR_FIRST_LEVEL, PR_NOW };

static const struct row_col pr_cols[] = {
	[PR_CODE] = { ROW_ARRAY(struct placement_row, code) },
	[PR_NAME] = { ROW_ARRAY(struct placement_row, name) },
	[PR_RANK] = { ROW_INT, offsetof(struct placement_row, rank) },
	[PR_LEVEL] = { ROW_ARRAY(struct placement_row, level) },
	[PR_CONF] = { ROW_DOUBLE, offsetof(struct placement_row, confidence) },
	[PR_QUESTIONS] = { ROW_INT, offsetof(struct placement_row, questions) },
	[PR_FIRST_RANK] = { ROW_INT, offsetof(struct placement_row,
	    first_rank) },
	[PR_FIRST_LEVEL] = { ROW_ARRAY(struct placement_row, first_level) },
	[PR_NOW] = { ROW_ARRAY(struct placement_row, now) }
};

int
placement_results(struct db *db, const struct placement_view *v,
    struct placement_row **out, size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "WITH first AS (SELECT f.id FROM placements f, "
	    "placements p WHERE p.id = $1 AND f.user_id = p.user_id AND "
	    "f.area = p.area AND f.finished_at IS NOT NULL AND f.id <> p.id "
	    "ORDER BY f.started_at, f.id LIMIT 1) SELECT r.competence, c.name, "
	    "r.rank, coalesce(lv.name, ''), r.confidence, r.questions, "
	    "coalesce(fr.rank, -1), coalesce(fl.name, ''), coalesce((SELECT "
	    "cl.level FROM competence_levels cl JOIN placements p ON "
	    "p.user_id = cl.user_id WHERE p.id = $1 AND cl.competence = "
	    "r.competence), '') FROM placement_results r JOIN competences c "
	    "ON c.code = r.competence LEFT JOIN levels lv ON lv.framework_id "
	    "= c.framework_id AND lv.rank = r.rank LEFT JOIN "
	    "placement_results fr ON fr.placement_id = (SELECT id FROM first) "
	    "AND fr.competence = r.competence LEFT JOIN levels fl ON "
	    "fl.framework_id = c.framework_id AND fl.rank = fr.rank WHERE "
	    "r.placement_id = $1 ORDER BY c.position, c.code",
	    pr_cols, struct placement_row);

	return (store_list_id(db, &q, NULL, out, n, f, v->id));
}

/* The placement answers behind a competence, newest first. */
enum { PE_AT, PE_QUESTION, PE_LEVEL, PE_CORRECT, PE_PHASE };

static const struct row_col pe_cols[] = {
	[PE_AT] = { ROW_ARRAY(struct placement_evidence, at) },
	[PE_QUESTION] = { ROW_DUP, offsetof(struct placement_evidence,
	    question) },
	[PE_LEVEL] = { ROW_ARRAY(struct placement_evidence, level) },
	[PE_CORRECT] = { ROW_BOOL, offsetof(struct placement_evidence,
	    correct) },
	[PE_PHASE] = { ROW_ARRAY(struct placement_evidence, phase) }
};

int
placement_evidence(struct db *db, long long user, const char *code,
    struct placement_evidence **out, size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), "
	    "coalesce(q.text, ''), e.level, e.correct, coalesce(p.phase, '') "
	    "FROM evidence e LEFT JOIN questions q ON q.id = e.question_id "
	    "LEFT JOIN placements p ON p.id = e.placement_id WHERE e.user_id "
	    "= $1 AND e.competence = $2 AND e.source = 'placement' ORDER BY "
	    "e.at DESC, e.id DESC LIMIT 100",
	    pe_cols, struct placement_evidence);
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (store_list(db, &q, NULL, out, n, f, 2, uid, code));
}

void
placement_evidence_free(struct placement_evidence *e, size_t n)
{
	rows_dup_free(e, n, sizeof(*e), pe_cols, ROW_NCOLS(pe_cols));
}

/*
 * A person's first test beside their latest final check, per competence
 * with a first result (the profile's pre/post pairs). The first is the
 * earliest finished test of the area, the final the latest finished
 * final check.
 */
enum { PP_CODE, PP_NAME, PP_FIRST_RANK, PP_FIRST_LEVEL, PP_FIRST_AT,
	PP_FINAL_RANK, PP_FINAL_LEVEL, PP_FINAL_AT };

static const struct row_col ppair_cols[] = {
	[PP_CODE] = { ROW_ARRAY(struct placement_pair, code) },
	[PP_NAME] = { ROW_ARRAY(struct placement_pair, name) },
	[PP_FIRST_RANK] = { ROW_INT, offsetof(struct placement_pair,
	    first_rank) },
	[PP_FIRST_LEVEL] = { ROW_ARRAY(struct placement_pair, first_level) },
	[PP_FIRST_AT] = { ROW_ARRAY(struct placement_pair, first_at) },
	[PP_FINAL_RANK] = { ROW_INT, offsetof(struct placement_pair,
	    final_rank) },
	[PP_FINAL_LEVEL] = { ROW_ARRAY(struct placement_pair, final_level) },
	[PP_FINAL_AT] = { ROW_ARRAY(struct placement_pair, final_at) }
};

int
placement_pairs(struct db *db, long long user, struct placement_pair **out,
    size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "WITH t AS (SELECT p.phase, p.started_at, "
	    "p.id, p.finished_at, r.competence, r.rank FROM placements p JOIN "
	    "placement_results r ON r.placement_id = p.id WHERE p.user_id = "
	    "$1 AND p.finished_at IS NOT NULL), f AS (SELECT DISTINCT ON "
	    "(competence) * FROM t ORDER BY competence, started_at, id), l AS "
	    "(SELECT DISTINCT ON (competence) * FROM t WHERE phase = 'final' "
	    "ORDER BY competence, started_at DESC, id DESC) SELECT c.code, "
	    "c.name, f.rank, coalesce(fl.name, ''), to_char(f.finished_at, "
	    "'YYYY-MM-DD'), coalesce(l.rank, -1), coalesce(ll.name, ''), "
	    "coalesce(to_char(l.finished_at, 'YYYY-MM-DD'), '') FROM f JOIN "
	    "competences c ON c.code = f.competence LEFT JOIN l ON "
	    "l.competence = f.competence LEFT JOIN levels fl ON "
	    "fl.framework_id = c.framework_id AND fl.rank = f.rank LEFT JOIN "
	    "levels ll ON ll.framework_id = c.framework_id AND ll.rank = "
	    "l.rank ORDER BY c.position, c.code",
	    ppair_cols, struct placement_pair);

	return (store_list_id(db, &q, NULL, out, n, f, user));
}

/*
 * The pre/post pairs of the placement test in a subtree (scope, and the
 * unit org when not ""), per competence: the people with a first test
 * and a final check, the mean rank of each (0: none) and how many went
 * up, stayed or went down (the impact report's placement section).
 */
enum { GN_CODE, GN_NAME, GN_N, GN_FIRST, GN_FINAL, GN_UP, GN_SAME,
	GN_DOWN };

static const struct row_col gn_cols[] = {
	[GN_CODE] = { ROW_ARRAY(struct placement_gain, code) },
	[GN_NAME] = { ROW_ARRAY(struct placement_gain, name) },
	[GN_N] = { ROW_INT, offsetof(struct placement_gain, n) },
	[GN_FIRST] = { ROW_DOUBLE, offsetof(struct placement_gain, first) },
	[GN_FINAL] = { ROW_DOUBLE, offsetof(struct placement_gain, final) },
	[GN_UP] = { ROW_INT, offsetof(struct placement_gain, up) },
	[GN_SAME] = { ROW_INT, offsetof(struct placement_gain, same) },
	[GN_DOWN] = { ROW_INT, offsetof(struct placement_gain, down) }
};

int
placement_gains(struct db *db, const char *scope, const char *org,
    struct placement_gain **out, size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "WITH t AS (SELECT p.user_id, p.phase, "
	    "p.started_at, p.id, r.competence, r.rank FROM placements p JOIN "
	    "placement_results r ON r.placement_id = p.id JOIN users u ON "
	    "u.id = p.user_id JOIN orgs o ON o.id = u.org_id WHERE "
	    "p.finished_at IS NOT NULL AND o.path LIKE $1 || '%' AND ($2 = '' "
	    "OR o.path LIKE (SELECT x.path FROM orgs x WHERE x.code = $2) || "
	    "'%')), f AS (SELECT DISTINCT ON (user_id, competence) * FROM t "
	    "ORDER BY user_id, competence, started_at, id), l AS (SELECT "
	    "DISTINCT ON (user_id, competence) * FROM t WHERE phase = 'final' "
	    "ORDER BY user_id, competence, started_at DESC, id DESC) SELECT "
	    "c.code, c.name, count(*), avg(f.rank), avg(l.rank), count(*) "
	    "FILTER (WHERE l.rank > f.rank), count(*) FILTER (WHERE l.rank = "
	    "f.rank), count(*) FILTER (WHERE l.rank < f.rank) FROM f JOIN l "
	    "ON l.user_id = f.user_id AND l.competence = f.competence JOIN "
	    "competences c ON c.code = f.competence GROUP BY c.code, c.name, "
	    "c.position ORDER BY c.position, c.code",
	    gn_cols, struct placement_gain);

	return (store_list(db, &q, NULL, out, n, f, 2, scope, org));
}

/*
 * The personal plan of a person for a year: the gaps between what the
 * person's role profiles require and the level reached, the courses
 * that certify those competences, HR's latest change per course, and
 * the hours already in the ledger; plan_build() orders them.
 */
enum { PG_CODE, PG_NAME, PG_REQ, PG_REQ_NAME, PG_REACHED, PG_REACHED_NAME };

static const struct row_col pg_cols[] = {
	[PG_CODE] = { ROW_ARRAY(struct plan_gap_row, code) },
	[PG_NAME] = { ROW_ARRAY(struct plan_gap_row, name) },
	[PG_REQ] = { ROW_INT, offsetof(struct plan_gap_row, required) },
	[PG_REQ_NAME] = { ROW_ARRAY(struct plan_gap_row, required_level) },
	[PG_REACHED] = { ROW_INT, offsetof(struct plan_gap_row, reached) },
	[PG_REACHED_NAME] = { ROW_ARRAY(struct plan_gap_row, reached_level) }
};
enum { PC_ID, PC_SLUG, PC_TITLE, PC_HOURS, PC_COMP, PC_RANK, PC_ENROLLED,
	PC_COMPLETED, PC_ACTION, PC_REASON, PC_BY, PC_AT };

/* The competences below what the person's roles require. */
static int
plan_gaps_load(struct db *db, const char *uid, struct plan *p,
    struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT r.competence, c.name, max(r.rank), "
	    "(SELECT l.name FROM levels l WHERE l.framework_id = "
	    "c.framework_id AND l.rank = max(r.rank)), coalesce(cl.rank, 0), "
	    "coalesce(cl.level, '') FROM user_job_roles uj JOIN "
	    "job_role_requirements r ON r.role_id = uj.role_id JOIN "
	    "competences c ON c.code = r.competence LEFT JOIN "
	    "competence_levels cl ON cl.user_id = uj.user_id AND "
	    "cl.competence = r.competence WHERE uj.user_id = $1 GROUP BY "
	    "r.competence, c.name, c.framework_id, c.position, cl.rank, "
	    "cl.level HAVING coalesce(cl.rank, 0) < max(r.rank) ORDER BY "
	    "c.position",
	    pg_cols, struct plan_gap_row);

	return (store_list(db, &q, NULL, &p->gaps, &p->ngaps, f, 1, uid));
}

static int
plan_courses_load(struct db *db, const char *uid, struct plan *p,
    struct plan_claim **claims, struct fail *f)
{
	struct pg_result	*res;
	struct plan_row		*r;
	int			 i, rows;
	size_t			 nc = 0;

	res = db_query(db, "SELECT co.id, co.slug, co.title, co.hours, "
	    "cc.competence, least(cc.claimed_rank, cc.certifiable_rank), "
	    "e.id IS NOT NULL, e.completed_at IS NOT NULL, coalesce(pc.action, "
	    "''), coalesce(pc.reason, ''), coalesce(u.name, ''), coalesce("
	    "to_char(pc.at, 'YYYY-MM-DD HH24:MI'), '') FROM courses co JOIN "
	    "course_claims cc ON cc.course_id = co.id AND cc.certifiable_rank "
	    ">= 1 LEFT JOIN enrolments e ON e.course_id = co.id AND e.user_id "
	    "= $1 LEFT JOIN LATERAL (SELECT x.action, x.reason, x.by_user, x.at "
	    "FROM plan_changes x WHERE x.user_id = $1 AND x.course_id = co.id "
	    "ORDER BY x.at DESC, x.id DESC LIMIT 1) pc ON true LEFT JOIN users "
	    "u ON u.id = pc.by_user ORDER BY co.id, cc.competence", 1, uid);
	if (res == NULL)
		return (db_fail(db, f));
	rows = db_rows(res);
	p->rows = xcalloc((size_t)rows + 1, sizeof(*p->rows));
	*claims = xcalloc((size_t)rows + 1, sizeof(**claims));
	for (i = 0; i < rows; i++) {
		if (p->n == 0 || p->rows[p->n - 1].course_id !=
		    strtoll(db_value(res, i, PC_ID), NULL, 10)) {
			r = &p->rows[p->n++];
			r->course_id = strtoll(db_value(res, i, PC_ID), NULL,
			    10);
			xstrlcpy(r->slug, db_value(res, i, PC_SLUG),
			    sizeof(r->slug));
			xstrlcpy(r->title, db_value(res, i, PC_TITLE),
			    sizeof(r->title));
			r->hours = strtod(db_value(res, i, PC_HOURS), NULL);
			r->enrolled = *db_value(res, i, PC_ENROLLED) == 't';
			r->completed = *db_value(res, i, PC_COMPLETED) == 't';
			r->pinned = strcmp(db_value(res, i, PC_ACTION),
			    "pin") == 0;
			r->removed = strcmp(db_value(res, i, PC_ACTION),
			    "remove") == 0;
			xstrlcpy(r->reason, db_value(res, i, PC_REASON),
			    sizeof(r->reason));
			xstrlcpy(r->by, db_value(res, i, PC_BY), sizeof(r->by));
			xstrlcpy(r->changed_at, db_value(res, i, PC_AT),
			    sizeof(r->changed_at));
			r->claim0 = nc;
		}
		r = &p->rows[p->n - 1];
		(*claims)[nc].competence = xstrdup(db_value(res, i, PC_COMP));
		(*claims)[nc].rank = atoi(db_value(res, i, PC_RANK));
		nc++;
		r->nclaims++;
	}
	db_clear(res);
	return (0);
}

int
plan_load(struct db *db, long long user, int year, struct plan *p,
    struct fail *f)
{
	struct pg_result	*res;
	struct plan_claim	*claims = NULL;
	struct plan_course	*cs;
	struct plan_gap		*gs;
	struct plan_item	*items;
	struct plan_row		*order;
	char			 uid[NUMBUF], y[NUMBUF];
	size_t			 i, j, k, n;

	memset(p, 0, sizeof(*p));
	p->year = year;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(y, sizeof(y), "%d", year);
	res = db_query(db, "SELECT coalesce(sum(hours), 0) FROM hours_ledger "
	    "WHERE user_id = $1 AND year = $2", 2, uid, y);
	if (res == NULL)
		return (db_fail(db, f));
	p->hours_done = strtod(db_value(res, 0, 0), NULL);
	db_clear(res);
	if (plan_gaps_load(db, uid, p, f) == -1 ||
	    plan_courses_load(db, uid, p, &claims, f) == -1) {
		plan_free(p);
		free(claims);
		return (-1);
	}
	gs = xcalloc(p->ngaps + 1, sizeof(*gs));
	for (i = 0; i < p->ngaps; i++) {
		gs[i].competence = p->gaps[i].code;
		gs[i].required = p->gaps[i].required;
		gs[i].reached = p->gaps[i].reached;
	}
	cs = xcalloc(p->n + 1, sizeof(*cs));
	for (i = 0; i < p->n; i++) {
		cs[i].claims = &claims[p->rows[i].claim0];
		cs[i].nclaims = p->rows[i].nclaims;
		cs[i].hours = p->rows[i].hours;
		cs[i].pinned = p->rows[i].pinned;
		cs[i].removed = p->rows[i].removed;
		cs[i].completed = p->rows[i].completed;
	}
	items = xcalloc(p->n + 1, sizeof(*items));
	n = plan_build(gs, p->ngaps, cs, p->n, HOURS_TARGET - p->hours_done >
	    0 ? HOURS_TARGET - p->hours_done : 0, items, p->n);
	/* The rows in the plan's order, then the ones HR removed. */
	order = xcalloc(p->n + 1, sizeof(*order));
	for (i = 0; i < n; i++) {
		struct plan_row	*r = &order[i];

		*r = p->rows[items[i].course];
		r->in_plan = 1;
		r->fits = items[i].fits;
		r->ngaps = 0;
		for (j = 0; j < items[i].ngaps && j < PLAN_GAPS_MAX; j++) {
			for (k = 0; k < p->ngaps; k++)
				if (strcmp(p->gaps[k].code,
				    gs[items[i].gaps[j]].competence) == 0)
					r->gaps[r->ngaps++] = k;
		}
		if (r->fits)
			p->hours_planned += r->hours;
	}
	for (j = 0; j < p->n; j++)
		if (p->rows[j].removed)
			order[i++] = p->rows[j];
	free(p->rows);
	p->rows = order;
	p->n = i;
	for (i = 0; claims != NULL && claims[i].competence != NULL; i++)
		free((char *)(uintptr_t)claims[i].competence);
	free(claims);
	free(items);
	free(cs);
	free(gs);
	return (0);
}

void
plan_free(struct plan *p)
{
	free(p->rows);
	free(p->gaps);
	memset(p, 0, sizeof(*p));
}

/*
 * HR pins, removes or restores a course in a person's plan, with its
 * reason, and the audit log says so, in one transaction. Returns 0, or
 * -1 and f (FAIL_NOTFOUND: no such course).
 */
int
plan_change(struct db *db, long long user, const char *course,
    const char *action, const char *reason, long long by,
    const char *by_email, const char *ip, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF], bid[NUMBUF], cid[NUMBUF];
	char			 details[700], email[320];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(bid, sizeof(bid), "%lld", by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "SELECT c.id, u.email FROM courses c, users u "
	    "WHERE c.slug = $1 AND u.id = $2", 2, course, uid);
	if (res == NULL)
		goto fail;
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.course",
		    "course %s", course));
	}
	xstrlcpy(cid, db_value(res, 0, 0), sizeof(cid));
	xstrlcpy(email, db_value(res, 0, 1), sizeof(email));
	db_clear(res);
	(void)snprintf(details, sizeof(details), "%s %s: %s", action, course,
	    reason);
	if (db_exec(db, "INSERT INTO plan_changes (user_id, course_id, "
	    "action, reason, by_user) VALUES ($1, $2, $3, $4, $5)", 5, uid,
	    cid, action, reason, bid) == -1 ||
	    audit_append(db, by_email, "plan.change", email, details, ip) == -1 ||
	    db_commit(db) == -1)
		goto fail;
	return (0);
fail:
	return (store_abort(db, f));
}

/* The active people of an HR subtree who hold a role profile, by name. */
int
plan_people(struct db *db, const char *scope, long long **ids, size_t *n,
    struct fail *f)
{
	struct pg_result	*res;
	int			 i, rows;

	*ids = NULL;
	*n = 0;
	res = db_query(db, "SELECT u.id FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.active AND o.path LIKE $1 || '%' AND EXISTS "
	    "(SELECT 1 FROM user_job_roles uj WHERE uj.user_id = u.id) "
	    "ORDER BY u.name, u.id LIMIT " STRINGIFY(PLAN_CSV_PEOPLE_MAX), 1,
	    scope);
	if (res == NULL)
		return (db_fail(db, f));
	rows = db_rows(res);
	*ids = xcalloc((size_t)rows + 1, sizeof(**ids));
	for (i = 0; i < rows; i++)
		(*ids)[i] = strtoll(db_value(res, i, 0), NULL, 10);
	*n = (size_t)rows;
	db_clear(res);
	return (0);
}

enum { PN_NAME, PN_EMAIL };

static const struct row_col pn_cols[] = {
	[PN_NAME] = { ROW_ARRAY(struct plan_person, name) },
	[PN_EMAIL] = { ROW_ARRAY(struct plan_person, email) }
};

/*
 * A person's name and email, for the plan's pages and CSV: 0, or -1
 * and f (FAIL_NOTFOUND: no such person).
 */
int
plan_person(struct db *db, long long user, struct plan_person *pp,
    struct fail *f)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (row_one(db, db_query(db,
	    "SELECT name, email FROM users "
	    "WHERE id = $1", 1, uid), pp, pn_cols, ROW_NCOLS(pn_cols),
	    "error.404.person", f));
}
