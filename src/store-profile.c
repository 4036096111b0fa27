/*
 * store-profile.c: what the competence profile pages read and write:
 * a person's profile (roles held, per competence the level required
 * and reached, and the courses that close a gap), the explanation of
 * one level (the rule level by level, the ratings, the answers), the
 * measured framework's levels and competences for the rating form, a
 * trainer's last ratings, and a rating with its recomputation and
 * audit row.
 *
 * Rows keep pointers into the queries' results, released by the _free.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

/* The columns of profile_get()'s competence SELECT. */
enum prof_col {
	PF_CODE = 0,
	PF_NAME,
	PF_REQ,
	PF_GOT,
	PF_REQNAME,
	PF_GOTNAME,
	PF_BASIS,
	PF_ITEMS,
	PF_CORRECT,
	PF_COURSES
};

/* The columns of the explanation's header SELECT. */
enum exh_col {
	EH_NAME = 0,
	EH_DESCRIPTION,
	EH_AREA,
	EH_LEVEL,
	EH_BASIS,
	EH_COMPUTED,
	EH_PERSON
};

/* The columns of the explanation's levels SELECT. */
enum exl_col {
	EL_LEVEL = 0,
	EL_ITEMS,
	EL_OK,
	EL_MET,
	EL_REACHED,
	EL_SOURCE
};

/* The columns of the explanation's ratings SELECT and ratings_given(). */
enum exr_col {
	ER_AT = 0,
	ER_LEVEL,
	ER_NOTE,
	ER_WHO,
	ER_CODE
};

/* The columns of the explanation's answers SELECT. */
enum exa_col {
	EA_AT = 0,
	EA_MODULE,
	EA_QUESTION,
	EA_LEVEL,
	EA_CORRECT,
	EA_COUNTS,
	EA_SLUG
};

static int	explain_levels(struct db *, const char *, const char *,
		    struct explanation *);
static int	explain_ratings(struct db *, const char *, const char *,
		    struct explanation *);
static int	explain_answers(struct db *, const char *, const char *,
		    struct explanation *);

static const struct row_col rating_cols[] = {
	[ER_AT] = { ROW_TEXT, offsetof(struct rating_row, at), 0 },
	[ER_LEVEL] = { ROW_TEXT, offsetof(struct rating_row, level), 0 },
	[ER_NOTE] = { ROW_TEXT, offsetof(struct rating_row, note), 0 },
	[ER_WHO] = { ROW_TEXT, offsetof(struct rating_row, who), 0 },
	[ER_CODE] = { ROW_TEXT, offsetof(struct rating_row, code), 0 }
};

/* The measured framework's levels, lowest first (value = label). */
int
profile_levels(struct db *db, struct choices *out, struct fail *f)
{
	return (choices_load(db, db_query(db, SQL_MEASURED_LEVELS, 0), 0, out,
	    f));
}

/* The competences in use: code, and "CODE name". */
int
profile_competences(struct db *db, struct choices *out, struct fail *f)
{
	return (choices_load(db, db_query(db, "SELECT code, code || ' ' || "
	    "name FROM competences WHERE NOT retired ORDER BY position", 0), 0,
	    out, f));
}

/*
 * The profile of one person: the roles they hold, the levels' names,
 * and per competence (required by a role or with evidence) the level
 * required and reached, with the courses that close a gap.
 */
int
profile_get(struct db *db, long long uid, struct profile *p, struct fail *f)
{
	struct pg_result	*res;
	struct profile_row	*r;
	char			 id[NUMBUF];
	int			 i, n;

	memset(p, 0, sizeof(*p));
	(void)snprintf(id, sizeof(id), "%lld", uid);
	res = db_query(db, "SELECT string_agg(j.name, ', ' ORDER BY "
	    "j.name) FROM user_job_roles uj JOIN job_roles j ON j.id = "
	    "uj.role_id WHERE uj.user_id = $1", 1, id);
	if (res == NULL)
		return (db_fail(db, f));
	p->roles_res = res;
	p->roles = db_isnull(res, 0, 0) ? "" : db_value(res, 0, 0);
	if (profile_levels(db, &p->levels, f) == -1)
		goto fail;
	res = db_query(db, "SELECT c.code, c.name, coalesce(req.rank, 0), "
	    "coalesce(cl.rank, 0), coalesce(lr.name, ''), coalesce(la.name, "
	    "''), coalesce(cl.basis, ''), coalesce(cl.items, 0), "
	    "coalesce(cl.correct, 0), CASE WHEN coalesce(cl.rank, 0) < "
	    "req.rank THEN coalesce((SELECT string_agg(co.slug || E'\\t' || "
	    "co.title, E'\\n' ORDER BY co.title) FROM course_claims cc JOIN "
	    "courses co ON co.id = cc.course_id WHERE cc.competence = c.code "
	    "AND cc.claimed_rank >= req.rank AND cc.certifiable_rank >= "
	    "req.rank), "
	    "'') ELSE NULL "
	    "END FROM competences c LEFT JOIN (SELECT r.competence, "
	    "max(r.rank) AS rank FROM user_job_roles uj JOIN "
	    "job_role_requirements r ON r.role_id = uj.role_id WHERE "
	    "uj.user_id = $1 GROUP BY r.competence) req ON req.competence = "
	    "c.code LEFT JOIN competence_levels cl ON cl.user_id = $1 AND "
	    "cl.competence = c.code LEFT JOIN levels lr ON lr.framework_id = "
	    "c.framework_id AND lr.rank = req.rank LEFT JOIN levels la ON "
	    "la.framework_id = c.framework_id AND la.rank = cl.rank WHERE NOT "
	    "c.retired AND (req.rank IS NOT NULL OR cl.user_id IS NOT NULL) "
	    "ORDER BY c.position", 1, id);
	if (res == NULL) {
		(void)db_fail(db, f);
		goto fail;
	}
	p->v = rows_hold(res, &p->res, sizeof(*p->v), &n);
	for (i = 0; i < n; i++) {
		r = &p->v[p->n++];
		r->code = db_value(res, i, PF_CODE);
		r->name = db_value(res, i, PF_NAME);
		r->required = atoi(db_value(res, i, PF_REQ));
		r->achieved = atoi(db_value(res, i, PF_GOT));
		r->required_name = db_value(res, i, PF_REQNAME);
		r->achieved_name = db_value(res, i, PF_GOTNAME);
		r->by_rating = strcmp(db_value(res, i, PF_BASIS),
		    "rating") == 0;
		r->by_placement = strcmp(db_value(res, i, PF_BASIS),
		    "placement") == 0;
		r->items = db_value(res, i, PF_ITEMS);
		r->correct = db_value(res, i, PF_CORRECT);
		r->courses = db_isnull(res, i, PF_COURSES) ? NULL :
		    db_value(res, i, PF_COURSES);
	}
	return (0);
fail:
	profile_free(p);
	return (-1);
}

void
profile_free(struct profile *p)
{
	rows_release(p->roles_res, NULL);
	rows_release(p->res, p->v);
	choices_free(&p->levels);
	memset(p, 0, sizeof(*p));
}

/* How each level of the competence fares under the rule. */
static int
explain_levels(struct db *db, const char *id, const char *code,
    struct explanation *e)
{
	struct pg_result	*res;
	struct explain_level	*l;
	int			 i, n;

	res = db_query(db, "SELECT lv.name, coalesce(r.items, 0), "
	    "coalesce(r.ok, 0), coalesce(r.met, false), coalesce(r.reached, "
	    "false), coalesce(r.source, '') FROM competences c JOIN levels lv "
	    "ON lv.framework_id = c.framework_id LEFT JOIN competence_rule(ARRAY[$2::bigint]) r ON "
	    "r.competence = c.code AND r.rank = lv.rank WHERE c.code = $1 "
	    "ORDER BY lv.rank", 2, code, id);
	if (res == NULL)
		return (-1);
	e->levels = rows_hold(res, &e->levels_res, sizeof(*e->levels),
	    &n);
	for (i = 0; i < n; i++) {
		l = &e->levels[e->nlevels++];
		l->level = db_value(res, i, EL_LEVEL);
		l->items = atoi(db_value(res, i, EL_ITEMS));
		l->ok = atoi(db_value(res, i, EL_OK));
		l->met = *db_value(res, i, EL_MET) == 't';
		l->reached = *db_value(res, i, EL_REACHED) == 't';
		l->placed = *db_value(res, i, EL_SOURCE) == 'p';
	}
	return (0);
}

/* The trainers' ratings of the person in the competence, newest first. */
static int
explain_ratings(struct db *db, const char *id, const char *code,
    struct explanation *e)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), "
	    "e.rating_level, coalesce(e.note, ''), coalesce(u.name, ''), "
	    "e.competence FROM evidence e LEFT JOIN users u ON u.id = "
	    "e.rated_by WHERE e.user_id = $1 AND e.competence = $2 AND "
	    "e.source = 'rating' ORDER BY e.at DESC, e.id DESC", 2, id, code);
	if (res == NULL)
		return (-1);
	e->ratings = rows_load(res, &e->ratings_res, sizeof(*e->ratings),
	    rating_cols, ROW_NCOLS(rating_cols), &e->nratings);
	return (0);
}

/* The answers behind the level, newest first, the last per question. */
static int
explain_answers(struct db *db, const char *id, const char *code,
    struct explanation *e)
{
	struct pg_result	*res;
	struct explain_answer	*a;
	int			 i, n;

	res = db_query(db, "SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), "
	    "coalesce(mv.title, ''), coalesce(q.text, ''), e.level, "
	    "e.correct, row_number() OVER (PARTITION BY e.question_id ORDER "
	    "BY e.at DESC, e.id DESC) = 1, coalesce(m.slug, '') FROM "
	    "evidence e LEFT JOIN questions q ON q.id = e.question_id LEFT "
	    "JOIN module_versions mv ON mv.id = q.version_id LEFT JOIN "
	    "modules m ON m.id = mv.module_id WHERE e.user_id = $1 AND "
	    "e.competence = $2 AND e.source = 'answer' ORDER BY e.at DESC, "
	    "e.id DESC LIMIT " STRINGIFY(PROFILE_ANSWERS_MAX), 2, id, code);
	if (res == NULL)
		return (-1);
	e->answers = rows_hold(res, &e->answers_res, sizeof(*e->answers),
	    &n);
	for (i = 0; i < n; i++) {
		a = &e->answers[e->nanswers++];
		a->at = db_value(res, i, EA_AT);
		a->module = db_value(res, i, EA_MODULE);
		a->slug = db_value(res, i, EA_SLUG);
		a->question = db_value(res, i, EA_QUESTION);
		a->level = db_value(res, i, EA_LEVEL);
		a->correct = *db_value(res, i, EA_CORRECT) == 't';
		a->counts = *db_value(res, i, EA_COUNTS) == 't';
	}
	return (0);
}

/*
 * Why a person has the level they have in a competence: the rule, how
 * each level fares under it, the trainers' ratings and the answers.
 */
int
profile_explain(struct db *db, long long uid, const char *code,
    struct explanation *e, struct fail *f)
{
	struct pg_result	*res;
	char			 id[NUMBUF];

	memset(e, 0, sizeof(*e));
	(void)snprintf(id, sizeof(id), "%lld", uid);
	res = db_query(db, "SELECT c.name, c.description, a.name, "
	    "coalesce(cl.level, ''), coalesce(cl.basis, ''), "
	    "coalesce(to_char(cl.computed_at, 'YYYY-MM-DD HH24:MI'), ''), "
	    "(SELECT name FROM users WHERE id = $2) FROM competences c JOIN "
	    "areas a ON a.framework_id = c.framework_id AND a.code = c.area "
	    "LEFT JOIN competence_levels cl ON cl.competence = c.code AND "
	    "cl.user_id = $2 WHERE c.code = $1", 2, code, id);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.competence",
		    NULL));
	}
	e->res = res;
	e->name = db_value(res, 0, EH_NAME);
	e->description = db_value(res, 0, EH_DESCRIPTION);
	e->area = db_value(res, 0, EH_AREA);
	e->level = db_value(res, 0, EH_LEVEL);
	e->by_rating = strcmp(db_value(res, 0, EH_BASIS), "rating") == 0;
	e->by_placement = strcmp(db_value(res, 0, EH_BASIS),
	    "placement") == 0;
	e->computed = db_value(res, 0, EH_COMPUTED);
	e->person = db_value(res, 0, EH_PERSON);
	if (explain_levels(db, id, code, e) == -1 ||
	    explain_ratings(db, id, code, e) == -1 ||
	    explain_answers(db, id, code, e) == -1) {
		(void)db_fail(db, f);
		explanation_free(e);
		return (-1);
	}
	return (0);
}

void
explanation_free(struct explanation *e)
{
	rows_release(e->res, NULL);
	rows_release(e->levels_res, e->levels);
	rows_release(e->ratings_res, e->ratings);
	rows_release(e->answers_res, e->answers);
	memset(e, 0, sizeof(*e));
}

/* The last ratings a trainer gave, newest first. */
int
ratings_given(struct db *db, long long by, struct ratings *out,
    struct fail *f)
{
	static const struct store_list q = STORE_LIST("SELECT to_char(e.at, "
	    "'YYYY-MM-DD HH24:MI'), e.rating_level, coalesce(e.note, ''), "
	    "u.name, e.competence FROM evidence e JOIN users u ON u.id = "
	    "e.user_id WHERE e.source = 'rating' AND e.rated_by = $1 ORDER BY "
	    "e.at DESC, e.id DESC LIMIT " STRINGIFY(RATINGS_MAX), rating_cols,
	    struct rating_row);

	return (store_list_id(db, &q, &out->res, &out->v, &out->n, f, by));
}

/*
 * A trainer rates an active person of their scope (by email) in a
 * competence at a level of its framework, with a note; the level is
 * recomputed and the audit row written, all or nothing. Nobody there:
 * FAIL_NOTFOUND; oneself: FAIL_DENIED; no such level: FAIL_INPUT.
 */
int
rating_add(struct db *db, const struct rating_new *r, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF], by[NUMBUF], details[256];
	int			 n;

	res = db_query(db, "SELECT u.id FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE lower(u.email) = lower($1) AND u.active AND "
	    "o.path LIKE $2 || '%'", 2, r->email, r->scope);
	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 1)
		xstrlcpy(uid, db_value(res, 0, 0), sizeof(uid));
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_NOTFOUND, "ratings.err_nobody", NULL));
	/* A rating is a trainer's judgement of somebody else (issue 18). */
	if (strtoll(uid, NULL, 10) == r->by)
		return (fail_set(f, FAIL_DENIED, "ratings.err_self", NULL));
	res = db_query(db, "SELECT 1 FROM competences c JOIN levels l ON "
	    "l.framework_id = c.framework_id WHERE c.code = $1 AND l.name = $2 "
	    "AND NOT c.retired", 2, r->competence, r->level);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_INPUT, "ratings.err_level", NULL));
	(void)snprintf(by, sizeof(by), "%lld", r->by);
	(void)snprintf(details, sizeof(details), "%s %s", r->competence,
	    r->level);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (db_exec(db, "INSERT INTO evidence (user_id, competence, level, "
	    "source, rating_level, note, rated_by) VALUES ($1, $2, $3, "
	    "'rating', $3, $4, $5)", 5, uid, r->competence, r->level, r->note,
	    by) == -1 ||
	    db_exec(db, "SELECT competence_recompute($1)", 1, uid) == -1 ||
	    audit_append(db, r->actor, "competence.rate", r->email, details,
	    r->ip) == -1 || db_commit(db) == -1) {
		return (store_abort(db, f));
	}
	return (0);
}
