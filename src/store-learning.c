/*
 * store-learning.c: the learner's records. Everything here runs in
 * transactions: a submitted attempt, its answers, its competence
 * evidence, the module and course completions it causes, the hours they
 * credit and the jobs they queue commit together or not at all.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define NUMBUF		32

static void	learn_arrays_free(struct buf *, struct buf *, struct buf *,
		    struct buf *, struct buf *, struct buf *);

/*
 * The quizzes of module versions, kept per process: a stored version
 * never changes (an import that changes a quiz makes a new version), so
 * a copy loaded once is right for as long as the process lives. Shared
 * by the threads of a process, hence the lock.
 */
#define QUIZ_CACHE	64

static struct {
	long long	version;
	struct quiz	quiz;
} quiz_cache[QUIZ_CACHE];
static size_t		quiz_cache_next;
static pthread_mutex_t	quiz_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int	learn_load_quiz_db(struct db *, const char *, struct quiz *);

/* The quiz of a module version, questions in order, with ids. 0, -1. */
int
learn_load_quiz(struct db *db, const char *version_id, struct quiz *quiz,
    struct fail *f)
{
	long long	v;
	size_t		i;

	v = strtoll(version_id, NULL, 10);
	pthread_mutex_lock(&quiz_cache_lock);
	for (i = 0; i < QUIZ_CACHE; i++) {
		if (v > 0 && quiz_cache[i].version == v) {
			quiz_copy(quiz, &quiz_cache[i].quiz);
			pthread_mutex_unlock(&quiz_cache_lock);
			return (0);
		}
	}
	pthread_mutex_unlock(&quiz_cache_lock);
	if (learn_load_quiz_db(db, version_id, quiz) == -1)
		return (db_fail(db, f));
	if (v <= 0)
		return (0);
	pthread_mutex_lock(&quiz_cache_lock);
	i = quiz_cache_next++ % QUIZ_CACHE;
	quiz_free(&quiz_cache[i].quiz);
	quiz_copy(&quiz_cache[i].quiz, quiz);
	quiz_cache[i].version = v;
	pthread_mutex_unlock(&quiz_cache_lock);
	return (0);
}

static int
learn_load_quiz_db(struct db *db, const char *version_id, struct quiz *quiz)
{
	struct pg_result	*qr, *orow;
	struct quiz_question	*q;
	int			 i, j, n, t;

	memset(quiz, 0, sizeof(*quiz));
	qr = db_query(db, "SELECT id, type, text_html, competence, level, "
	    "points, number, tolerance, truth, feedback_correct, "
	    "feedback_wrong, line FROM questions WHERE version_id = $1 "
	    "ORDER BY position", 1, version_id);
	if (qr == NULL)
		return (-1);
	n = db_rows(qr);
	quiz->q = xcalloc((size_t)n + 1, sizeof(*quiz->q));
	for (i = 0; i < n; i++) {
		q = &quiz->q[quiz->nq++];
		q->id = strtoll(db_value(qr, i, 0), NULL, 10);
		t = quiz_type_from(db_value(qr, i, 1));
		q->type = t < 0 ? QUIZ_SINGLE : (enum quiz_type)t;
		q->text = xstrdup(db_value(qr, i, 2));
		q->competence = xstrdup(db_value(qr, i, 3));
		q->level = xstrdup(db_value(qr, i, 4));
		q->points = atoi(db_value(qr, i, 5));
		q->number = db_isnull(qr, i, 6) ? 0 :
		    strtod(db_value(qr, i, 6), NULL);
		q->tolerance = db_isnull(qr, i, 7) ? 0 :
		    strtod(db_value(qr, i, 7), NULL);
		q->truth = !db_isnull(qr, i, 8) &&
		    strcmp(db_value(qr, i, 8), "t") == 0;
		q->fb_correct = db_isnull(qr, i, 9) ? NULL :
		    xstrdup(db_value(qr, i, 9));
		q->fb_wrong = db_isnull(qr, i, 10) ? NULL :
		    xstrdup(db_value(qr, i, 10));
		q->line = atoi(db_value(qr, i, 11));
	}
	db_clear(qr);

	/* All the options of the version in one query, in question order. */
	orow = db_query(db, "SELECT o.question_id, o.text, o.correct, "
	    "o.feedback, o.text_html FROM question_options o JOIN questions q "
	    "ON q.id = o.question_id WHERE q.version_id = $1 ORDER BY "
	    "q.position, o.position", 1, version_id);
	if (orow == NULL) {
		quiz_free(quiz);
		return (-1);
	}
	n = db_rows(orow);
	for (i = 0, j = 0; i < (int)quiz->nq; i++) {
		q = &quiz->q[i];
		for (t = j; t < n && strtoll(db_value(orow, t, 0), NULL, 10) ==
		    q->id; t++)
			;
		q->nopts = (size_t)(t - j);
		q->opts = xcalloc(q->nopts + 1, sizeof(*q->opts));
		for (t = 0; t < (int)q->nopts; t++, j++) {
			q->opts[t].text = xstrdup(db_value(orow, j, 1));
			q->opts[t].correct = strcmp(db_value(orow, j, 2),
			    "t") == 0;
			q->opts[t].feedback = db_isnull(orow, j, 3) ? NULL :
			    xstrdup(db_value(orow, j, 3));
			q->opts[t].html = xstrdup(db_value(orow, j, 4));
		}
	}
	db_clear(orow);
	return (0);
}

/*
 * Enrol a user in a course (by slug). *created is 0 when already
 * enrolled (an HR assignment then sets the deadline). -1 and f when the
 * course does not exist (FAIL_NOTFOUND) or the database failed.
 */
int
learn_enrol(struct db *db, long long user, const char *course,
    const char *source, long long by, const char *due, int *created,
    struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF], bid[NUMBUF];

	*created = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(bid, sizeof(bid), "%lld", by);
	res = db_query(db, "INSERT INTO enrolments (user_id, course_id, "
	    "source, assigned_by, due_date) SELECT $1, c.id, $3, $4, $5::date "
	    "FROM courses c WHERE c.slug = $2 ON CONFLICT (user_id, course_id) "
	    "DO UPDATE SET due_date = coalesce(EXCLUDED.due_date, "
	    "enrolments.due_date), assigned_by = coalesce(EXCLUDED.assigned_by, "
	    "enrolments.assigned_by) RETURNING (xmax = 0)", 5, uid, course,
	    source, by != 0 ? bid : NULL, due);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.course",
		    "no course %s", course));
	}
	*created = strcmp(db_value(res, 0, 0), "t") == 0;
	db_clear(res);
	return (0);
}

/*
 * A signed-in learner opened a module version's page. Seen within the
 * last minute: nothing is written (a write, even a row lock, would cost
 * a WAL flush on every page view).
 */
int
learn_read_open(struct db *db, long long user, const char *version,
    struct fail *f)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db->defer_notify)
		db->notify_user = user;
	/* The cache notification after the commit (db_begin_deferred). */
	if (db_exec(db, "WITH n AS (SELECT set_config('capacita.notify', "
	    "CASE WHEN $3::bool THEN 'after' ELSE '' END, true)) INSERT INTO "
	    "module_reads (user_id, version_id) SELECT $1::bigint, $2::bigint "
	    "FROM n WHERE NOT EXISTS (SELECT 1 FROM module_reads WHERE "
	    "user_id = $1::bigint AND version_id = $2::bigint AND "
	    "last_seen_at > now() - interval '60 seconds') ON CONFLICT "
	    "(user_id, version_id) DO UPDATE SET last_seen_at = now()", 3, uid,
	    version, db->defer_notify ? "t" : "f") == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * A module's reading page, in one round trip (module_view,
 * sql/0020-hot-path.sql): its current version and, for a signed-in
 * user (user > 0), the opening recorded, where the reading stands and
 * the courses that hold the module. 0, or -1 and f (FAIL_NOTFOUND when
 * there is no such module).
 */
enum { MV_TITLE, MV_SUMMARY, MV_LANG, MV_MINUTES, MV_VERSION_NO, MV_SHA256,
    MV_HTML, MV_NQ, MV_VERSION, MV_MODULE, MV_OPENED, MV_FINISHED,
    MV_FINISHED_AT, MV_OPENED_AT, MV_READY_AT, MV_READY, MV_WAIT,
    MV_COURSE_SLUG, MV_COURSE_TITLE, MV_COURSE_ENROLLED };

int
learn_module_view(struct db *db, const char *slug, long long user,
    int percent, struct module_view *mv, struct fail *f)
{
	struct pg_result	*res;
	struct read_state	*st = &mv->read;
	struct module_course	*c;
	char			 uid[NUMBUF], pct[NUMBUF];
	int			 i, n;

	memset(mv, 0, sizeof(*mv));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(pct, sizeof(pct), "%d", percent);
	res = db_query(db, "SELECT * FROM module_view($1, $2, $3, $4)", 4,
	    slug, uid, pct, db->defer_notify ? "t" : "f");
	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 0) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.module",
		    "no module %s", slug));
	}
	if (user > 0 && db->defer_notify)
		db->notify_user = user;
	mv->title = xstrdup(db_value(res, 0, MV_TITLE));
	mv->summary = xstrdup(db_value(res, 0, MV_SUMMARY));
	mv->lang = xstrdup(db_value(res, 0, MV_LANG));
	mv->sha256 = xstrdup(db_value(res, 0, MV_SHA256));
	mv->html = xstrdup(db_value(res, 0, MV_HTML));
	mv->minutes = atoi(db_value(res, 0, MV_MINUTES));
	mv->version_no = atoi(db_value(res, 0, MV_VERSION_NO));
	mv->nq = atoi(db_value(res, 0, MV_NQ));
	xstrlcpy(mv->version, db_value(res, 0, MV_VERSION),
	    sizeof(mv->version));
	xstrlcpy(mv->module, db_value(res, 0, MV_MODULE), sizeof(mv->module));
	st->opened = strcmp(db_value(res, 0, MV_OPENED), "t") == 0;
	if (st->opened) {
		st->finished = strcmp(db_value(res, 0, MV_FINISHED), "t") == 0;
		xstrlcpy(st->finished_at, db_value(res, 0, MV_FINISHED_AT),
		    sizeof(st->finished_at));
		xstrlcpy(st->opened_at, db_value(res, 0, MV_OPENED_AT),
		    sizeof(st->opened_at));
		xstrlcpy(st->ready_at, db_value(res, 0, MV_READY_AT),
		    sizeof(st->ready_at));
		st->ready = strcmp(db_value(res, 0, MV_READY), "t") == 0;
		st->wait = strtoll(db_value(res, 0, MV_WAIT), NULL, 10);
	}
	mv->courses = xcalloc((size_t)n + 1, sizeof(*mv->courses));
	for (i = 0; i < n; i++) {
		if (db_isnull(res, i, MV_COURSE_SLUG))
			continue;
		c = &mv->courses[mv->ncourses++];
		c->slug = xstrdup(db_value(res, i, MV_COURSE_SLUG));
		c->title = xstrdup(db_value(res, i, MV_COURSE_TITLE));
		c->enrolled = strcmp(db_value(res, i, MV_COURSE_ENROLLED),
		    "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
learn_module_view_free(struct module_view *mv)
{
	size_t	i;

	free(mv->title);
	free(mv->summary);
	free(mv->lang);
	free(mv->sha256);
	free(mv->html);
	for (i = 0; i < mv->ncourses; i++) {
		free(mv->courses[i].slug);
		free(mv->courses[i].title);
	}
	free(mv->courses);
	memset(mv, 0, sizeof(*mv));
}

/*
 * The learner says they finished reading. It counts only when at least
 * percent % of the module's minutes have passed since the server first
 * recorded its opening (learn_read_open): then the reading is recorded
 * (time spent from that opening, capped at three times the module's
 * minutes) and progress updated, in one transaction. Returns 0 when
 * recorded (or recorded before), or -1 and f: FAIL_CONFLICT when too
 * early, *wait then the seconds still to go (the whole minimum when the
 * page was never opened); FAIL_INPUT when there is no such version.
 */
enum { RF_MODULE, RF_FINISHED, RF_ELAPSED, RF_NEED };

int
learn_read_finish(struct db *db, long long user, const char *version,
    int percent, long long *wait, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF], pct[NUMBUF];
	long long		 module, elapsed, need;
	int			 completed;

	*wait = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(pct, sizeof(pct), "%d", percent);
	if (db_begin_deferred(db) == -1)
		return (db_fail(db, f));
	if (db->defer_notify)
		db->notify_user = user;
	res = db_query(db, "SELECT v.module_id, r.finished_at IS NOT NULL, "
	    "coalesce(extract(epoch FROM now() - r.opened_at)::bigint, -1), "
	    "ceil(v.minutes * 60 * $3::int / 100.0)::bigint FROM "
	    "module_versions v LEFT JOIN module_reads r ON "
	    "r.version_id = v.id AND r.user_id = $1 WHERE v.id = $2", 3, uid,
	    version, pct);
	if (res == NULL || db_rows(res) != 1) {
		if (res != NULL) {
			db_clear(res);
			fail_set(f, FAIL_INPUT, "learn.err_version",
			    "no version %s", version);
		} else
			db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	module = strtoll(db_value(res, 0, RF_MODULE), NULL, 10);
	elapsed = strtoll(db_value(res, 0, RF_ELAPSED), NULL, 10);
	need = strtoll(db_value(res, 0, RF_NEED), NULL, 10);
	if (strcmp(db_value(res, 0, RF_FINISHED), "t") == 0) {
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	if (elapsed < 0 || elapsed < need) {
		*wait = elapsed < 0 ? need : need - elapsed;
		db_rollback(db);
		return (fail_set(f, FAIL_CONFLICT, "learn.too_early_title",
		    NULL));
	}
	/* Once: of two clicks at the same time, the second changes nothing. */
	res = db_query(db, "UPDATE module_reads SET finished_at = now(), "
	    "seconds = least(extract(epoch FROM now() - opened_at)::int, "
	    "(SELECT 3 * 60 * minutes FROM module_versions WHERE id = $2)) "
	    "WHERE user_id = $1 AND version_id = $2 AND finished_at IS NULL "
	    "RETURNING 1", 2, uid, version);
	if (res == NULL) {
		db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	if (db_rows(res) == 0) {
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	if (learn_progress(db, user, module, &completed, f) == -1) {
		db_rollback(db);
		return (-1);
	}
	if (db_commit(db) == -1) {
		db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	return (0);
}

/*
 * Start (or resume) an attempt at a module's quiz within a course, in
 * one round trip (quiz_start, sql/0020-hot-path.sql). The id of the
 * attempt goes to id. Returns 0, or -1 and f: FAIL_INPUT when not
 * enrolled or no quiz, FAIL_CONFLICT when no attempts are left.
 */
enum { SS_STATUS, SS_ATTEMPT };

int
learn_attempt_start(struct db *db, long long user, const char *course,
    const char *module, char *id, size_t idlen, struct fail *f)
{
	struct pg_result	*res;
	unsigned char		 raw[16];
	char			 uid[NUMBUF], seed[NUMBUF];
	uint64_t		 s;
	int			 rc;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(id, idlen, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	randombytes_buf(&s, sizeof(s));
	(void)snprintf(seed, sizeof(seed), "%lld", (long long)(s >> 1));
	res = db_query(db, "SELECT status, attempt FROM quiz_start($1, $2, $3, "
	    "$4, $5, $6)", 6, uid, course, module, id, seed,
	    db->defer_notify ? "t" : "f");
	if (res == NULL)
		return (db_fail(db, f));
	rc = -1;
	if (db_rows(res) != 1)
		fail_set(f, FAIL_UNAVAILABLE, NULL, "quiz_start: no row");
	else if (strcmp(db_value(res, 0, SS_STATUS), "ok") == 0) {
		xstrlcpy(id, db_value(res, 0, SS_ATTEMPT), idlen);
		if (db->defer_notify)
			db->notify_user = user;
		rc = 0;
	} else if (strcmp(db_value(res, 0, SS_STATUS), "none") == 0)
		fail_set(f, FAIL_INPUT, "quiz.none", NULL);
	else if (strcmp(db_value(res, 0, SS_STATUS), "no_attempts") == 0)
		fail_set(f, FAIL_CONFLICT, "quiz.no_attempts", NULL);
	else
		fail_set(f, FAIL_INPUT, "quiz.not_enrolled", NULL);
	db_clear(res);
	return (rc);
}

static void
learn_arrays_free(struct buf *a, struct buf *b, struct buf *c, struct buf *d,
    struct buf *e, struct buf *f)
{
	buf_free(a);
	buf_free(b);
	buf_free(c);
	buf_free(d);
	buf_free(e);
	buf_free(f);
}

/*
 * Submit an attempt: read it, grade the answers against its version's
 * quiz (cached in the process), then write everything in one statement
 * and one transaction (quiz_submit, sql/0022-thin-submission.sql): the
 * answers as arrays in the attempt row with its result, evidence,
 * competence levels, completions, hours and jobs.
 * Idempotent: a second submission of the same attempt changes nothing
 * and reports the first result (already = 1). Answers to a question the
 * attempt does not contain, or outside its options, reject the whole
 * submission (-1, FAIL_INPUT "quiz.bad_answer") and change nothing; an
 * attempt not the user's is FAIL_INPUT "quiz.no_attempt".
 */
enum { SA_VERSION, SA_SUBMITTED, SA_SCORE, SA_MAX, SA_PERCENT, SA_PASSED,
    SA_PASS, SA_FORM_KEY };
enum { SU_ALREADY, SU_SCORE, SU_MAX, SU_PERCENT, SU_PASSED, SU_COMPLETED };

int
learn_attempt_submit(struct db *db, const char *attempt, long long user,
    const struct form *form, struct attempt_result *r, struct fail *f)
{
	struct pg_result	*res;
	struct quiz		 quiz;
	struct quiz_answers	 qa;
	struct buf		 a_qid, a_ans, a_ok, a_sc, a_comp, a_lvl;
	unsigned char		 key[QUIZ_KEY_LEN];
	char			 uid[NUMBUF], qid[NUMBUF], sc[NUMBUF];
	char			 vid[NUMBUF], s1[NUMBUF], s2[NUMBUF], s3[NUMBUF];
	char			 key_hex[QUIZ_KEY_HEX + 1];
	const char		*bad, *fault;
	double			 frac;
	size_t			 i, badq;
	int			 correct, pass, rc;

	memset(r, 0, sizeof(*r));
	memset(&quiz, 0, sizeof(quiz));
	memset(&qa, 0, sizeof(qa));
	xstrlcpy(r->id, attempt, sizeof(r->id));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT a.version_id, a.submitted_at IS NOT NULL, "
	    "coalesce(a.score, 0), coalesce(a.max_score, 0), coalesce("
	    "a.percent, 0), coalesce(a.passed, false), c.pass_percent, "
	    "a.form_key FROM attempts a JOIN courses c ON c.id = a.course_id "
	    "WHERE a.id = $1 AND a.user_id = $2", 2, attempt, uid);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_INPUT, "quiz.no_attempt", NULL));
	}
	if (strcmp(db_value(res, 0, SA_SUBMITTED), "t") == 0) {
		r->already = 1;
		r->score = strtod(db_value(res, 0, SA_SCORE), NULL);
		r->max_score = strtod(db_value(res, 0, SA_MAX), NULL);
		r->percent = strtod(db_value(res, 0, SA_PERCENT), NULL);
		r->passed = strcmp(db_value(res, 0, SA_PASSED), "t") == 0;
		db_clear(res);
		return (0);
	}
	xstrlcpy(vid, db_value(res, 0, SA_VERSION), sizeof(vid));
	pass = atoi(db_value(res, 0, SA_PASS));
	xstrlcpy(key_hex, db_value(res, 0, SA_FORM_KEY), sizeof(key_hex));
	db_clear(res);

	if (learn_load_quiz(db, vid, &quiz, f) == -1)
		return (-1);
	if (quiz_form_key_parse(key_hex, key) == -1) {
		quiz_free(&quiz);
		return (fail_set(f, FAIL_UNAVAILABLE, NULL,
		    "attempt %s: bad form key", attempt));
	}
	if (quiz_form_decode(&quiz, key, form, &qa, &bad, &badq) == -1) {
		r->bad_question = badq < quiz.nq ? (int)badq + 1 : 0;
		quiz_free(&quiz);
		return (fail_set(f, FAIL_INPUT, bad, NULL));
	}
	/* The answers, as arrays in question order. */
	buf_init(&a_qid, 256);
	buf_init(&a_ans, 1024);
	buf_init(&a_ok, 128);
	buf_init(&a_sc, 256);
	buf_init(&a_comp, 256);
	buf_init(&a_lvl, 256);
	for (i = 0; i < quiz.nq; i++) {
		struct quiz_question	*q = &quiz.q[i];
		const char		*v = qa.a[i];

		frac = quiz_grade(q, v, &correct);
		r->score += frac * q->points;
		r->max_score += q->points;
		(void)snprintf(qid, sizeof(qid), "%lld", q->id);
		(void)snprintf(sc, sizeof(sc), "%.3f", frac * q->points);
		pg_array_add(&a_qid, qid);
		pg_array_add(&a_ans, v);
		pg_array_add(&a_ok, correct ? "t" : "f");
		pg_array_add(&a_sc, sc);
		pg_array_add(&a_comp, q->competence);
		pg_array_add(&a_lvl, q->level);
	}
	pg_array_end(&a_qid);
	pg_array_end(&a_ans);
	pg_array_end(&a_ok);
	pg_array_end(&a_sc);
	pg_array_end(&a_comp);
	pg_array_end(&a_lvl);
	r->percent = r->max_score > 0 ? 100.0 * r->score / r->max_score : 0;
	r->passed = r->percent + 1e-9 >= (double)pass;
	(void)snprintf(s1, sizeof(s1), "%.3f", r->score);
	(void)snprintf(s2, sizeof(s2), "%.3f", r->max_score);
	(void)snprintf(s3, sizeof(s3), "%.2f", r->percent);

	/*
	 * One statement, its own transaction (quiz_submit). Fault injection
	 * for tests/integ/learning.test.mjs: a transaction held open after
	 * a completion, so that the test can kill the server inside it.
	 */
	rc = -1;
	fault = getenv("CAPACITA_FAULT_COMPLETION_SLEEP");
	if (fault != NULL && db_begin(db) == -1)
		goto out;
	res = db_query(db, "SELECT already, score, max_score, percent, "
	    "passed, completed FROM quiz_submit($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12, $13)", 13, attempt, uid, a_qid.data,
	    a_ans.data, a_ok.data, a_sc.data, a_comp.data, a_lvl.data, s1, s2,
	    s3, r->passed ? "t" : "f", db->defer_notify ? "t" : "f");
	if (res == NULL)
		goto out;
	if (db_rows(res) != 1) {
		db_clear(res);
		goto out;
	}
	if (strcmp(db_value(res, 0, SU_ALREADY), "t") == 0) {
		r->already = 1;
		r->score = strtod(db_value(res, 0, SU_SCORE), NULL);
		r->max_score = strtod(db_value(res, 0, SU_MAX), NULL);
		r->percent = strtod(db_value(res, 0, SU_PERCENT), NULL);
		r->passed = strcmp(db_value(res, 0, SU_PASSED), "t") == 0;
	}
	r->course_completed = atoi(db_value(res, 0, SU_COMPLETED));
	db_clear(res);
	if (fault != NULL && ((r->course_completed > 0 && db_exec(db,
	    "SELECT pg_sleep($1::float)", 1, fault) == -1) ||
	    db_commit(db) == -1))
		goto out;
	if (db->defer_notify)
		db->notify_user = user;
	rc = 0;
out:
	if (rc == -1) {
		db_fail(db, f);
		db_rollback(db);
	}
	learn_arrays_free(&a_qid, &a_ans, &a_ok, &a_sc, &a_comp, &a_lvl);
	quiz_answers_free(&qa);
	quiz_free(&quiz);
	return (rc);
}

/*
 * After a read or an attempt on module: credit the module's hours the
 * first time it is done in any course, and complete every course of the
 * user whose modules are now all done: the completion, the rest of the
 * course's hours and the follow-up jobs (competence levels, badge) in
 * the caller's transaction (learn_progress, sql/0020-hot-path.sql).
 * *completed gets the number of courses completed now. 0, or -1 and f.
 */
int
learn_progress(struct db *db, long long user, long long module,
    int *completed, struct fail *f)
{
	struct pg_result	*res;
	const char		*fault;
	char			 uid[NUMBUF], mid[NUMBUF];

	*completed = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(mid, sizeof(mid), "%lld", module);
	res = db_query(db, "SELECT learn_progress($1, $2)", 2, uid, mid);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_UNAVAILABLE, NULL,
		    "learn_progress: no row"));
	}
	*completed = atoi(db_value(res, 0, 0));
	db_clear(res);
	/*
	 * Fault injection for tests/integ/learning.test.mjs: hold the
	 * completion's transaction open so that the test can kill the
	 * server in the middle of it.
	 */
	if (*completed > 0 && (fault =
	    getenv("CAPACITA_FAULT_COMPLETION_SLEEP")) != NULL &&
	    db_exec(db, "SELECT pg_sleep($1::float)", 1, fault) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * An attempt of the user's, with what its pages need: the form (its
 * key and seed) and, once submitted, the result with what decides
 * whether the right answers are shown (the course's review policy, the
 * quiz passed in this course, the attempts used and allowed).
 * 0, or -1 and f (FAIL_NOTFOUND when it is not the user's attempt).
 */
enum {
	AV_ID, AV_VERSION, AV_COURSE_SLUG, AV_COURSE_TITLE, AV_MODULE_TITLE,
	AV_MODULE_SLUG, AV_SEED, AV_SUBMITTED, AV_NUMBER, AV_FORM_KEY,
	AV_SCORE, AV_MAX, AV_PERCENT, AV_PASSED, AV_PASS, AV_REVIEW,
	AV_PASSED_ANY, AV_USED, AV_ATTEMPTS
};

int
learn_attempt_get(struct db *db, const char *id, long long user,
    struct attempt_view *a, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF];
	int			 r;

	memset(a, 0, sizeof(*a));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT a.id, a.version_id, c.slug, c.title, "
	    "v.title, m.slug, a.seed, a.submitted_at IS NOT NULL, a.number, "
	    "a.form_key, coalesce(a.score, 0), coalesce(a.max_score, 0), "
	    "coalesce(a.percent, 0), coalesce(a.passed, false), "
	    "c.pass_percent, c.review, EXISTS (SELECT 1 FROM attempts p "
	    "WHERE p.user_id = a.user_id AND p.course_id = a.course_id AND "
	    "p.module_id = a.module_id AND p.passed), (SELECT count(*) FROM "
	    "attempts u WHERE u.user_id = a.user_id AND u.course_id = "
	    "a.course_id AND u.module_id = a.module_id AND u.submitted_at IS "
	    "NOT NULL), c.attempts FROM attempts a JOIN courses c ON c.id = "
	    "a.course_id JOIN module_versions v ON v.id = a.version_id JOIN "
	    "modules m ON m.id = a.module_id WHERE a.id = $1 AND a.user_id = "
	    "$2", 2, id, uid);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "quiz.no_attempt", NULL));
	}
	xstrlcpy(a->id, db_value(res, 0, AV_ID), sizeof(a->id));
	xstrlcpy(a->version, db_value(res, 0, AV_VERSION), sizeof(a->version));
	xstrlcpy(a->course_slug, db_value(res, 0, AV_COURSE_SLUG),
	    sizeof(a->course_slug));
	xstrlcpy(a->course_title, db_value(res, 0, AV_COURSE_TITLE),
	    sizeof(a->course_title));
	xstrlcpy(a->module_title, db_value(res, 0, AV_MODULE_TITLE),
	    sizeof(a->module_title));
	xstrlcpy(a->module_slug, db_value(res, 0, AV_MODULE_SLUG),
	    sizeof(a->module_slug));
	a->seed = (uint64_t)strtoull(db_value(res, 0, AV_SEED), NULL, 10);
	a->submitted = strcmp(db_value(res, 0, AV_SUBMITTED), "t") == 0;
	a->number = atoi(db_value(res, 0, AV_NUMBER));
	xstrlcpy(a->form_key, db_value(res, 0, AV_FORM_KEY),
	    sizeof(a->form_key));
	a->score = strtod(db_value(res, 0, AV_SCORE), NULL);
	a->max_score = strtod(db_value(res, 0, AV_MAX), NULL);
	a->percent = strtod(db_value(res, 0, AV_PERCENT), NULL);
	a->passed = strcmp(db_value(res, 0, AV_PASSED), "t") == 0;
	a->pass_percent = atoi(db_value(res, 0, AV_PASS));
	r = course_review_from(db_value(res, 0, AV_REVIEW));
	a->review = r < 0 ? REVIEW_AFTER_PASS : (enum review)r;
	a->passed_any = strcmp(db_value(res, 0, AV_PASSED_ANY), "t") == 0;
	a->used = atoi(db_value(res, 0, AV_USED));
	a->max_attempts = atoi(db_value(res, 0, AV_ATTEMPTS));
	db_clear(res);
	return (0);
}

/*
 * The answers of a submitted attempt, in the order of quiz's questions:
 * answers[i] (NULL: unanswered; free each) and correct[i] (the view
 * attempt_answers of the attempt row's arrays, sql/0022). 0, or -1
 * and f.
 */
enum { AA_QUESTION, AA_ANSWER, AA_CORRECT };

int
learn_attempt_answers(struct db *db, const char *id, const struct quiz *quiz,
    char **answers, int *correct, struct fail *f)
{
	struct pg_result	*res;
	size_t			 i;
	int			 j, n;

	res = db_query(db, "SELECT question_id, answer, correct FROM "
	    "attempt_answers WHERE attempt_id = $1", 1, id);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	for (i = 0; i < quiz->nq; i++) {
		answers[i] = NULL;
		correct[i] = 0;
		for (j = 0; j < n; j++) {
			if (strtoll(db_value(res, j, AA_QUESTION), NULL, 10) !=
			    quiz->q[i].id)
				continue;
			if (!db_isnull(res, j, AA_ANSWER))
				answers[i] = xstrdup(db_value(res, j,
				    AA_ANSWER));
			correct[i] = strcmp(db_value(res, j, AA_CORRECT),
			    "t") == 0;
		}
	}
	db_clear(res);
	return (0);
}

/*
 * Where a learner stands with reading a module version: finished (and
 * when), or from when "finished" will count (percent % of its minutes
 * after the first opening). 0, or -1 and f.
 */
enum { RS_FINISHED, RS_FINISHED_AT, RS_OPENED_AT, RS_READY_AT, RS_READY,
    RS_WAIT };

int
learn_read_state(struct db *db, long long user, const char *version,
    int percent, struct read_state *st, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF], pct[NUMBUF];

	memset(st, 0, sizeof(*st));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(pct, sizeof(pct), "%d", percent);
	res = db_query(db, "SELECT r.finished_at IS NOT NULL, coalesce("
	    "to_char(r.finished_at, 'YYYY-MM-DD HH24:MI'), ''), to_char("
	    "r.opened_at, 'HH24:MI'), to_char(r.opened_at + ceil(v.minutes * "
	    "60 * $3::int / 100.0) * interval '1 second', 'HH24:MI'), "
	    "r.opened_at + ceil(v.minutes * 60 * $3::int / 100.0) * interval "
	    "'1 second' <= now(), greatest(0, ceil(extract(epoch FROM "
	    "r.opened_at + ceil(v.minutes * 60 * $3::int / 100.0) * interval "
	    "'1 second' - now()))::bigint) FROM module_reads r JOIN "
	    "module_versions v ON v.id = r.version_id WHERE r.user_id = $1 "
	    "AND r.version_id = $2", 3, uid, version, pct);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		st->opened = 1;
		st->finished = strcmp(db_value(res, 0, RS_FINISHED), "t") == 0;
		xstrlcpy(st->finished_at, db_value(res, 0, RS_FINISHED_AT),
		    sizeof(st->finished_at));
		xstrlcpy(st->opened_at, db_value(res, 0, RS_OPENED_AT),
		    sizeof(st->opened_at));
		xstrlcpy(st->ready_at, db_value(res, 0, RS_READY_AT),
		    sizeof(st->ready_at));
		st->ready = strcmp(db_value(res, 0, RS_READY), "t") == 0;
		st->wait = strtoll(db_value(res, 0, RS_WAIT), NULL, 10);
	}
	db_clear(res);
	return (0);
}

/*
 * The hours ledger of the people in an HR scope (subtree path), one
 * person (user > 0) or all, for one year, newest first: what each
 * credit is, its hours and the time measured behind it. 0, or -1 and f.
 */
enum { LG_AT, LG_USER, LG_NAME, LG_EMAIL, LG_ORG, LG_SOURCE, LG_TITLE,
    LG_HOURS, LG_SECONDS };

int
learn_ledger(struct db *db, const char *scope, long long user, int year,
    struct ledger *lg, struct fail *f)
{
	struct pg_result	*res;
	struct ledger_row	*r;
	char			 uid[NUMBUF], yr[NUMBUF];
	int			 i, n;

	memset(lg, 0, sizeof(*lg));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(yr, sizeof(yr), "%d", year);
	res = db_query(db, "SELECT to_char(h.at, 'YYYY-MM-DD'), u.id, u.name, "
	    "u.email, o.name, h.source, h.description, h.hours, h.seconds "
	    "FROM hours_ledger h JOIN users u ON u.id = h.user_id JOIN orgs o "
	    "ON o.id = u.org_id WHERE o.path LIKE $1 || '%' AND ($2::bigint = "
	    "0 OR u.id = $2::bigint) AND h.year = $3::int ORDER BY u.name, "
	    "u.id, h.at DESC, h.id DESC", 3, scope, uid, yr);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	lg->rows = xcalloc((size_t)n + 1, sizeof(*lg->rows));
	for (i = 0; i < n; i++) {
		r = &lg->rows[lg->n++];
		xstrlcpy(r->date, db_value(res, i, LG_AT), sizeof(r->date));
		r->user = strtoll(db_value(res, i, LG_USER), NULL, 10);
		r->name = xstrdup(db_value(res, i, LG_NAME));
		r->email = xstrdup(db_value(res, i, LG_EMAIL));
		r->org = xstrdup(db_value(res, i, LG_ORG));
		r->course = strcmp(db_value(res, i, LG_SOURCE), "course") == 0;
		r->title = xstrdup(db_value(res, i, LG_TITLE));
		r->hours = strtod(db_value(res, i, LG_HOURS), NULL);
		r->seconds = db_isnull(res, i, LG_SECONDS) ? -1 :
		    strtoll(db_value(res, i, LG_SECONDS), NULL, 10);
	}
	db_clear(res);
	return (0);
}

void
learn_ledger_free(struct ledger *lg)
{
	size_t	i;

	for (i = 0; i < lg->n; i++) {
		free(lg->rows[i].name);
		free(lg->rows[i].email);
		free(lg->rows[i].org);
		free(lg->rows[i].title);
	}
	free(lg->rows);
	memset(lg, 0, sizeof(*lg));
}

/*
 * The courses a learner is enrolled in, for /learn: open ones first,
 * by due date, then completed ones; each with its modules done of all
 * and the first module still to do. 0, or -1 and f.
 */
enum { MC_SLUG, MC_TITLE, MC_LANG, MC_DUE, MC_COMPLETED, MC_TOTAL, MC_DONE,
    MC_NEXT_SLUG, MC_NEXT_TITLE, MC_OVERDUE };

int
learn_my_courses(struct db *db, long long user, struct my_course **out,
    size_t *nout, struct fail *f)
{
	struct pg_result	*res;
	struct my_course	*c;
	char			 uid[NUMBUF];
	int			 i, n;

	*out = NULL;
	*nout = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT c.slug, c.title, c.lang, coalesce("
	    "e.due_date::text, ''), e.completed_at IS NOT NULL, (SELECT "
	    "count(*) FROM course_modules cm WHERE cm.course_id = c.id), "
	    "(SELECT count(*) FROM course_modules cm WHERE cm.course_id = c.id "
	    "AND module_done(e.user_id, c.id, cm.module_id)), n.slug, n.title, "
	    "e.due_date < current_date AND e.completed_at IS NULL FROM "
	    "enrolments e JOIN courses c ON c.id = e.course_id LEFT JOIN "
	    "LATERAL (SELECT m.slug, v.title FROM course_modules cm JOIN "
	    "modules m ON m.id = cm.module_id JOIN module_versions v ON v.id = "
	    "m.current_version_id WHERE cm.course_id = c.id AND NOT "
	    "module_done(e.user_id, c.id, cm.module_id) ORDER BY cm.position "
	    "LIMIT 1) n ON true WHERE e.user_id = $1 ORDER BY e.completed_at "
	    "IS NOT NULL, e.due_date NULLS LAST, c.title", 1, uid);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	*out = xcalloc((size_t)n + 1, sizeof(**out));
	for (i = 0; i < n; i++) {
		c = &(*out)[(*nout)++];
		c->slug = xstrdup(db_value(res, i, MC_SLUG));
		c->title = xstrdup(db_value(res, i, MC_TITLE));
		c->lang = xstrdup(db_value(res, i, MC_LANG));
		xstrlcpy(c->due, db_value(res, i, MC_DUE), sizeof(c->due));
		c->completed = strcmp(db_value(res, i, MC_COMPLETED), "t") == 0;
		c->overdue = strcmp(db_value(res, i, MC_OVERDUE), "t") == 0;
		c->total = atoi(db_value(res, i, MC_TOTAL));
		c->done = atoi(db_value(res, i, MC_DONE));
		if (!db_isnull(res, i, MC_NEXT_SLUG)) {
			c->next_slug = xstrdup(db_value(res, i, MC_NEXT_SLUG));
			c->next_title = xstrdup(db_value(res, i,
			    MC_NEXT_TITLE));
		}
	}
	db_clear(res);
	return (0);
}

void
learn_my_courses_free(struct my_course *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].slug);
		free(c[i].title);
		free(c[i].lang);
		free(c[i].next_slug);
		free(c[i].next_title);
	}
	free(c);
}

/* The hours credited to a learner this (calendar) year. 0, or -1, f. */
int
learn_hours_year(struct db *db, long long user, double *hours,
    struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF];

	*hours = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT coalesce(sum(hours), 0) FROM hours_ledger "
	    "WHERE user_id = $1 AND year = extract(year FROM now())::int", 1,
	    uid);
	if (res == NULL)
		return (db_fail(db, f));
	*hours = strtod(db_value(res, 0, 0), NULL);
	db_clear(res);
	return (0);
}

/*
 * One course of the learner's (by slug): its rules and state, and every
 * module with its reading, quiz and done state, in course order. 0, or
 * -1 and f (FAIL_NOTFOUND when not enrolled, or no such course).
 */
enum { CV_ID, CV_TITLE, CV_ATTEMPTS, CV_PASS, CV_GRADING, CV_COMPLETED,
    CV_DUE };
enum { CR_SLUG, CR_TITLE, CR_MINUTES, CR_READ, CR_NQ, CR_USED, CR_BEST,
    CR_DONE };

int
learn_course_view(struct db *db, long long user, const char *slug,
    struct course_view *cv, struct fail *f)
{
	struct pg_result	*c, *res;
	struct course_module_row *r;
	char			 uid[NUMBUF];
	int			 i, n;

	memset(cv, 0, sizeof(*cv));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	c = db_query(db, "SELECT c.id, c.title, c.attempts, c.pass_percent, "
	    "c.grading, e.completed_at IS NOT NULL, coalesce("
	    "e.due_date::text, '') FROM courses c JOIN enrolments e ON "
	    "e.course_id = c.id AND e.user_id = $1 WHERE c.slug = $2", 2, uid,
	    slug);
	if (c == NULL)
		return (db_fail(db, f));
	if (db_rows(c) != 1) {
		db_clear(c);
		return (fail_set(f, FAIL_NOTFOUND, "learn.not_enrolled",
		    NULL));
	}
	cv->title = xstrdup(db_value(c, 0, CV_TITLE));
	cv->attempts = atoi(db_value(c, 0, CV_ATTEMPTS));
	cv->pass_percent = atoi(db_value(c, 0, CV_PASS));
	cv->grading_last = strcmp(db_value(c, 0, CV_GRADING), "last") == 0;
	cv->completed = strcmp(db_value(c, 0, CV_COMPLETED), "t") == 0;
	xstrlcpy(cv->due, db_value(c, 0, CV_DUE), sizeof(cv->due));
	res = db_query(db, "SELECT m.slug, v.title, v.minutes, EXISTS (SELECT "
	    "1 FROM module_reads r JOIN module_versions rv ON rv.id = "
	    "r.version_id WHERE r.user_id = $1 AND rv.module_id = m.id AND "
	    "r.finished_at IS NOT NULL), (SELECT count(*) FROM questions q "
	    "WHERE q.version_id = v.id), (SELECT count(*) FROM attempts a "
	    "WHERE a.user_id = $1 AND a.course_id = $2 AND a.module_id = m.id "
	    "AND a.submitted_at IS NOT NULL), coalesce((SELECT to_char(max("
	    "a.percent), 'FM990') || '%' FROM attempts a WHERE a.user_id = $1 "
	    "AND a.course_id = $2 AND a.module_id = m.id), ''), module_done("
	    "$1, $2, m.id) FROM course_modules cm JOIN modules m ON m.id = "
	    "cm.module_id JOIN module_versions v ON v.id = m.current_version_id "
	    "WHERE cm.course_id = $2 ORDER BY cm.position", 2, uid,
	    db_value(c, 0, CV_ID));
	db_clear(c);
	if (res == NULL) {
		learn_course_view_free(cv);
		return (db_fail(db, f));
	}
	n = db_rows(res);
	cv->rows = xcalloc((size_t)n + 1, sizeof(*cv->rows));
	for (i = 0; i < n; i++) {
		r = &cv->rows[cv->n++];
		r->slug = xstrdup(db_value(res, i, CR_SLUG));
		r->title = xstrdup(db_value(res, i, CR_TITLE));
		r->minutes = atoi(db_value(res, i, CR_MINUTES));
		r->read = strcmp(db_value(res, i, CR_READ), "t") == 0;
		r->nq = atoi(db_value(res, i, CR_NQ));
		r->used = atoi(db_value(res, i, CR_USED));
		xstrlcpy(r->best, db_value(res, i, CR_BEST), sizeof(r->best));
		r->done = strcmp(db_value(res, i, CR_DONE), "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
learn_course_view_free(struct course_view *cv)
{
	size_t	i;

	for (i = 0; i < cv->n; i++) {
		free(cv->rows[i].slug);
		free(cv->rows[i].title);
	}
	free(cv->rows);
	free(cv->title);
	memset(cv, 0, sizeof(*cv));
}

/* The slug of a module version's module: 0, or -1 and f. */
int
learn_version_slug(struct db *db, const char *version, char *slug,
    size_t len, struct fail *f)
{
	struct pg_result	*res;
	int			 rc;

	res = db_query(db, "SELECT m.slug FROM module_versions v JOIN modules "
	    "m ON m.id = v.module_id WHERE v.id = $1", 1, version);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		xstrlcpy(slug, db_value(res, 0, 0), len);
		rc = 0;
	} else
		rc = fail_set(f, FAIL_INPUT, "learn.err_version",
		    "no version %s", version);
	db_clear(res);
	return (rc);
}

/* A learner's submitted attempts, newest first. 0, or -1 and f. */
enum { HI_ID, HI_AT, HI_COURSE, HI_MODULE, HI_VERSION_NO, HI_SHA256,
    HI_NUMBER, HI_SCORE, HI_MAX, HI_PERCENT, HI_PASSED };

int
learn_history(struct db *db, long long user, struct history_row **out,
    size_t *nout, struct fail *f)
{
	struct pg_result	*res;
	struct history_row	*h;
	char			 uid[NUMBUF];
	int			 i, n;

	*out = NULL;
	*nout = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT a.id, to_char(a.submitted_at, 'YYYY-MM-DD "
	    "HH24:MI'), c.title, v.title, v.version_no, v.sha256, a.number, "
	    "to_char(a.score, 'FM9990.0'), to_char(a.max_score, 'FM9990'), "
	    "to_char(a.percent, 'FM990'), a.passed FROM attempts a JOIN "
	    "courses c ON c.id = a.course_id JOIN module_versions v ON v.id = "
	    "a.version_id WHERE a.user_id = $1 AND a.submitted_at IS NOT NULL "
	    "ORDER BY a.submitted_at DESC", 1, uid);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	*out = xcalloc((size_t)n + 1, sizeof(**out));
	for (i = 0; i < n; i++) {
		h = &(*out)[(*nout)++];
		xstrlcpy(h->id, db_value(res, i, HI_ID), sizeof(h->id));
		xstrlcpy(h->at, db_value(res, i, HI_AT), sizeof(h->at));
		h->course = xstrdup(db_value(res, i, HI_COURSE));
		h->module = xstrdup(db_value(res, i, HI_MODULE));
		h->version_no = atoi(db_value(res, i, HI_VERSION_NO));
		(void)snprintf(h->sha, sizeof(h->sha), "%.12s",
		    db_value(res, i, HI_SHA256));
		h->number = atoi(db_value(res, i, HI_NUMBER));
		xstrlcpy(h->score, db_value(res, i, HI_SCORE),
		    sizeof(h->score));
		xstrlcpy(h->max, db_value(res, i, HI_MAX), sizeof(h->max));
		xstrlcpy(h->percent, db_value(res, i, HI_PERCENT),
		    sizeof(h->percent));
		h->passed = strcmp(db_value(res, i, HI_PASSED), "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
learn_history_free(struct history_row *h, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(h[i].course);
		free(h[i].module);
	}
	free(h);
}
