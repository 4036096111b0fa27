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

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define NUMBUF		32

static int	uuid_valid(const char *);
static int	form_answer(const struct quiz_question *, const struct form *,
		    struct buf *, const char **, struct buf *);

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
 * questions dropped).
 */
int
impact_load_form(struct db *db, const char *version, const char *form,
    struct quiz *quiz)
{
	struct pg_result	*res;
	struct quiz		 drop;
	size_t			 i, keep;
	int			 j, n, in;

	if (learn_load_quiz(db, version, quiz) == -1)
		return (-1);
	res = db_query(db, "SELECT question_id FROM assessment_form($1, $2)",
	    2, version, form);
	if (res == NULL) {
		quiz_free(quiz);
		return (-1);
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

/* Open the retests that have come due for a person. */
int
impact_refresh(struct db *db, long long user)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (db_exec(db, "SELECT assessment_refresh($1)", 1, uid));
}

/* The secret that keys xAPI pseudonyms and statement ids. */
int
impact_secret(struct db *db, char *out, size_t len)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT secret FROM impact_secret", 0);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (-1);
	}
	xstrlcpy(out, db_value(res, 0, 0), len);
	db_clear(res);
	return (0);
}

/*
 * A question's answer from the form, in the form attempt_answers uses
 * (quiz.c): *v is NULL when unanswered. -1 with a message key in err
 * when the fields are malformed.
 */
static int
form_answer(const struct quiz_question *q, const struct form *f,
    struct buf *ans, const char **v, struct buf *err)
{
	char	key[48], kv[16], ik[48];
	size_t	k, m, hits, got;
	int	ranks[QUIZ_MAX_OPTIONS];
	long	x;
	char	*end;

	buf_reset(ans);
	*v = NULL;
	(void)snprintf(key, sizeof(key), "q%lld", q->id);
	switch (q->type) {
	case QUIZ_MULTIPLE:
		/* One q<id> field per ticked box. */
		for (m = 0; m < f->n; m++) {
			if (strcmp(f->f[m].name, key) != 0)
				continue;
			x = strtol(f->f[m].value, &end, 10);
			if (*f->f[m].value == '\0' || *end != '\0' || x < 1 ||
			    (size_t)x > q->nopts) {
				buf_puts(err, "quiz.bad_answer");
				return (-1);
			}
		}
		for (k = 1; k <= q->nopts; k++) {
			(void)snprintf(kv, sizeof(kv), "%zu", k);
			hits = 0;
			for (m = 0; m < f->n; m++)
				hits += strcmp(f->f[m].name, key) == 0 &&
				    strcmp(f->f[m].value, kv) == 0;
			if (hits > 1) {
				buf_puts(err, "quiz.bad_answer");
				return (-1);
			}
			if (hits == 1) {
				if (ans->len > 0)
					buf_putc(ans, ',');
				buf_puts(ans, kv);
			}
		}
		*v = ans->len > 0 ? ans->data : NULL;
		return (0);
	case QUIZ_ORDER:
		/* q<id>_<item> = rank, for every item or none. */
		if (q->nopts > QUIZ_MAX_OPTIONS || form_get(f, key) != NULL) {
			buf_puts(err, "quiz.bad_answer");
			return (-1);
		}
		memset(ranks, 0, sizeof(ranks));
		got = 0;
		for (k = 0; k < q->nopts; k++) {
			const char	*rv;

			(void)snprintf(ik, sizeof(ik), "q%lld_%zu", q->id,
			    k + 1);
			if ((rv = form_get(f, ik)) == NULL || *rv == '\0')
				continue;
			x = strtol(rv, &end, 10);
			if (*end != '\0' || x < 1 || (size_t)x > q->nopts ||
			    ranks[x - 1] != 0) {
				buf_puts(err, "quiz.bad_order");
				return (-1);
			}
			ranks[x - 1] = (int)k + 1;
			got++;
		}
		if (got != 0 && got != q->nopts) {
			buf_puts(err, "quiz.bad_order");
			return (-1);
		}
		for (k = 0; k < got; k++)
			buf_printf(ans, "%s%d", k > 0 ? "," : "", ranks[k]);
		*v = got > 0 ? ans->data : NULL;
		return (0);
	default:
		*v = form_get(f, key);
		if (*v != NULL && **v == '\0')
			*v = NULL;
		if (*v != NULL && quiz_answer_check(q, *v) == -1) {
			buf_puts(err, q->type == QUIZ_NUMERIC ?
			    "quiz.bad_number" : "quiz.bad_answer");
			return (-1);
		}
		return (0);
	}
}

/*
 * Submit a test. Once only: a second submission changes nothing and
 * reports the first score (already = 1). A pre-test or retest closes
 * when the course is completed ("impact.closed"), a retest opens at its
 * due time ("impact.not_due"); fields that are not the form's questions
 * reject the whole submission. Returns 0, or -1 with a message key in
 * err (or an empty err: a database error).
 */
int
impact_submit(struct db *db, const char *id, long long user,
    const struct form *f, struct impact_result *r, struct buf *err)
{
	struct pg_result	*res;
	struct quiz		 quiz;
	struct buf		 ans, a_qid, a_ans, a_ok, a_sc;
	const char		*v;
	char			 uid[NUMBUF], qid[NUMBUF], sc[NUMBUF];
	char			 version[NUMBUF], form[4];
	char			 s1[NUMBUF], s2[NUMBUF], s3[NUMBUF];
	double			 frac;
	size_t			 i, j;
	long long		 qn;
	int			 correct, ok;
	char			*end;

	memset(r, 0, sizeof(*r));
	memset(&quiz, 0, sizeof(quiz));
	if (!uuid_valid(id)) {
		buf_puts(err, "impact.no_test");
		return (-1);
	}
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (-1);
	res = db_query(db, "SELECT a.version_id, a.form, a.phase, "
	    "a.submitted_at IS NOT NULL, coalesce(a.score, 0), coalesce("
	    "a.max_score, 0), coalesce(a.percent, 0), a.due_at <= now(), "
	    "e.completed_at IS NOT NULL FROM assessments a JOIN enrolments e "
	    "ON e.id = a.enrolment_id WHERE a.id = $1 AND a.user_id = $2 FOR "
	    "UPDATE OF a", 2, id, uid);
	if (res == NULL)
		goto dberr;
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, "impact.no_test");
		return (-1);
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
		buf_puts(err, "impact.closed");
		return (-1);
	}
	if (strcmp(db_value(res, 0, 7), "t") != 0) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, "impact.not_due");
		return (-1);
	}
	xstrlcpy(version, db_value(res, 0, 0), sizeof(version));
	xstrlcpy(form, db_value(res, 0, 1), sizeof(form));
	db_clear(res);
	if (impact_load_form(db, version, form, &quiz) == -1)
		goto dberr;

	/* Every field is the token or an answer to a question of the form. */
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, "csrf") == 0)
			continue;
		if (f->f[i].name[0] != 'q' || (qn = strtoll(f->f[i].name + 1,
		    &end, 10)) <= 0 || (*end != '\0' && *end != '_')) {
			buf_puts(err, "quiz.bad_answer");
			goto bad;
		}
		for (j = 0; j < quiz.nq && quiz.q[j].id != qn; j++)
			;
		if (j == quiz.nq) {
			buf_puts(err, "quiz.bad_answer");
			goto bad;
		}
	}
	buf_init(&ans, 64);
	buf_init(&a_qid, 256);
	buf_init(&a_ans, 512);
	buf_init(&a_ok, 128);
	buf_init(&a_sc, 256);
	for (i = 0; i < quiz.nq; i++) {
		if (form_answer(&quiz.q[i], f, &ans, &v, err) == -1) {
			buf_free(&ans);
			buf_free(&a_qid);
			buf_free(&a_ans);
			buf_free(&a_ok);
			buf_free(&a_sc);
			goto bad;
		}
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
	buf_free(&ans);
	buf_free(&a_qid);
	buf_free(&a_ans);
	buf_free(&a_ok);
	buf_free(&a_sc);
	quiz_free(&quiz);
	if (!ok) {
		db_rollback(db);
		return (-1);
	}
	return (0);
bad:
	quiz_free(&quiz);
	db_rollback(db);
	return (-1);
dberr:
	quiz_free(&quiz);
	db_rollback(db);
	return (-1);
}
