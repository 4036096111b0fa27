/*
 * store-governance-review.c: a unit's self-assessment in the database,
 * from its start through the partner's peer review to the consolidated
 * rating the team agrees with, and the action plans that follow. Every
 * SELECT fills structs (its columns named by the enum beside it); every
 * change writes its audit row in the same transaction.
 *
 * Errors: -1 with err holding a message key of assets/i18n (the
 * person's mistake, answered 400) or empty (the database, 503); -2 when
 * the thing asked for does not exist for this user (404).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUM	32

static int	level_of(const char *, int);
static const char *field(const struct form *, const char *, const char *);
static int	status_set(struct db *, long long, const char *,
		    const char *, const char *, long long, const char *,
		    struct fail *);

/* A level from a form: 1..max, 0 when empty, -1 when invalid. */
static int
level_of(const char *v, int max)
{
	long long	n;

	if (v == NULL || *v == '\0')
		return (0);
	if (parse_int(v, 1, max, &n) != 0)
		return (-1);
	return ((int)n);
}

/* The form field "<prefix>-<code>", "" when absent. */
static const char *
field(const struct form *f, const char *prefix, const char *code)
{
	char		 name[64];
	const char	*v;

	(void)snprintf(name, sizeof(name), "%s-%s", prefix, code);
	v = form_get(f, name);
	return (v != NULL ? v : "");
}

/* --- Assessments ------------------------------------------------------ */

/* The columns of gov_assessments_list()'s SELECT, in order. */
static const struct row_col list_cols[] = {
	{ ROW_LL, offsetof(struct gov_assessment, id), 0 },
	{ ROW_LL, offsetof(struct gov_assessment, round_id), 0 },
	{ ROW_ARRAY(struct gov_assessment, round_code) },
	{ ROW_DUP, offsetof(struct gov_assessment, round_name), 0 },
	{ ROW_LL, offsetof(struct gov_assessment, org_id), 0 },
	{ ROW_DUP, offsetof(struct gov_assessment, org_name), 0 },
	{ ROW_ARRAY(struct gov_assessment, status) },
	{ ROW_LL, offsetof(struct gov_assessment, reviewer_id), 0 },
	{ ROW_DUP, offsetof(struct gov_assessment, reviewer_name), 0 },
	{ ROW_DUP, offsetof(struct gov_assessment, partner_name), 0 }
};

/*
 * The assessments a person may see: those of units inside scope (a
 * subtree path, "/" for everything) and those reviewed by reviewer
 * (0 for none); round 0 for every round.
 */
int
gov_assessments_list(struct db *db, const char *scope, long long reviewer,
    long long round, struct gov_assessment **out, size_t *n, struct fail *f)
{
	struct pg_result	*res;
	char			 rid[NUM], rnd[NUM];

	(void)snprintf(rid, sizeof(rid), "%lld", reviewer);
	(void)snprintf(rnd, sizeof(rnd), "%lld", round);
	res = db_query(db, "SELECT a.id, a.round_id, r.code, r.name, "
	    "a.org_id, o.name, a.status, a.reviewer_id, u.name, p.name FROM "
	    "gov_assessments a JOIN gov_rounds r ON r.id = a.round_id JOIN "
	    "orgs o ON o.id = a.org_id LEFT JOIN users u ON u.id = "
	    "a.reviewer_id LEFT JOIN orgs p ON p.id = u.org_id WHERE "
	    "(($1 <> '' AND o.path LIKE $1 || '%') OR (a.reviewer_id = $2 "
	    "AND a.status <> 'draft')) AND ($3 = 0 OR a.round_id = $3) "
	    "ORDER BY a.round_id DESC, o.path", 3, scope != NULL ? scope : "",
	    rid, rnd);
	return (rows_copy(db, res, sizeof(**out), list_cols,
	    ROW_NCOLS(list_cols), out, n, f));
}

/*
 * One assessment with its ratings, in the order of the model's
 * dimensions (m): 0, or -1 and f (FAIL_NOTFOUND: no such assessment).
 */
int
gov_assessment_load(struct db *db, long long id, const struct gov_model *m,
    struct gov_assessment *a, struct fail *f)
{
	enum { A_ROUND, A_ROUND_CODE, A_ROUND_NAME, A_ORG, A_ORG_NAME,
	    A_ORG_PATH, A_STATUS, A_REVIEWER, A_REVIEWER_NAME, A_PARTNER,
	    A_NOTE, A_AGREED_BY, A_AGREED_AT, A_ROUND_OPEN, A_PREV };
	enum { R_DIM, R_SELF, R_JUST, R_EVID, R_PEER, R_COMMENT, R_ANSWER,
	    R_CONS, R_NOTE, R_PREV };
	struct gov_rating	*r;
	struct pg_result	*res;
	char			 sid[NUM], aid[NUM];
	size_t			 i;
	int			 row;

	memset(a, 0, sizeof(*a));
	(void)snprintf(sid, sizeof(sid), "%lld", id);
	(void)snprintf(aid, sizeof(aid), "%lld", id);
	if ((res = db_query(db, "SELECT a.round_id, r.code, r.name, a.org_id, "
	    "o.name, o.path, a.status, a.reviewer_id, u.name, p.name, "
	    "a.revision_note, g.name, to_char(a.agreed_at AT TIME ZONE "
	    "'Europe/Rome', 'YYYY-MM-DD HH24:MI'), r.open, (SELECT pa.id FROM "
	    "gov_assessments pa WHERE pa.org_id = a.org_id AND pa.round_id < "
	    "a.round_id AND pa.status = 'consolidated' ORDER BY pa.round_id "
	    "DESC LIMIT 1) FROM gov_assessments a JOIN gov_rounds r ON r.id = "
	    "a.round_id JOIN orgs o ON o.id = a.org_id LEFT JOIN users u ON "
	    "u.id = a.reviewer_id LEFT JOIN orgs p ON p.id = u.org_id LEFT "
	    "JOIN users g ON g.id = a.agreed_by WHERE a.id = $1", 1, sid)) ==
	    NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "gov.no_assessment",
		    "assessment %lld", id));
	}
	a->id = id;
	a->round_id = db_ll(res, 0, A_ROUND);
	xstrlcpy(a->round_code, db_value(res, 0, A_ROUND_CODE),
	    sizeof(a->round_code));
	a->round_name = db_text(res, 0, A_ROUND_NAME);
	a->org_id = db_ll(res, 0, A_ORG);
	a->org_name = db_text(res, 0, A_ORG_NAME);
	a->org_path = db_text(res, 0, A_ORG_PATH);
	xstrlcpy(a->status, db_value(res, 0, A_STATUS), sizeof(a->status));
	a->reviewer_id = db_ll(res, 0, A_REVIEWER);
	a->reviewer_name = db_text(res, 0, A_REVIEWER_NAME);
	a->partner_name = db_text(res, 0, A_PARTNER);
	a->revision_note = db_text(res, 0, A_NOTE);
	a->agreed_by = db_text(res, 0, A_AGREED_BY);
	a->agreed_at = db_text(res, 0, A_AGREED_AT);
	a->round_open = strcmp(db_value(res, 0, A_ROUND_OPEN), "t") == 0;
	a->previous_id = db_ll(res, 0, A_PREV);
	db_clear(res);

	a->ratings = xcalloc(m->ndims + 1, sizeof(*a->ratings));
	a->nratings = m->ndims;
	for (i = 0; i < m->ndims; i++) {
		r = &a->ratings[i];
		xstrlcpy(r->dimension, m->dims[i].code, sizeof(r->dimension));
		r->justification = xstrdup("");
		r->evidence = xstrdup("");
		r->peer_comment = xstrdup("");
		r->answer = xstrdup("");
		r->cons_note = xstrdup("");
	}
	(void)snprintf(sid, sizeof(sid), "%lld", a->previous_id);
	if ((res = db_query(db, "SELECT g.dimension, g.self_level, "
	    "g.justification, g.evidence, g.peer_level, g.peer_comment, "
	    "g.answer, g.cons_level, g.cons_note, p.cons_level FROM gov_ratings "
	    "g LEFT JOIN gov_ratings p ON p.assessment_id = $2 AND "
	    "p.dimension = g.dimension WHERE g.assessment_id = $1 UNION ALL "
	    "SELECT p.dimension, NULL, '', '', NULL, '', '', NULL, '', "
	    "p.cons_level FROM gov_ratings p WHERE p.assessment_id = $2 AND "
	    "NOT EXISTS (SELECT 1 FROM gov_ratings g WHERE g.assessment_id = "
	    "$1 AND g.dimension = p.dimension)", 2, aid, sid)) == NULL)
		return (db_fail(db, f));
	for (row = 0; row < db_rows(res); row++) {
		for (i = 0; i < a->nratings; i++) {
			if (strcmp(a->ratings[i].dimension,
			    db_value(res, row, R_DIM)) == 0)
				break;
		}
		if (i == a->nratings)
			continue;
		r = &a->ratings[i];
		r->self_level = db_int(res, row, R_SELF);
		free(r->justification);
		r->justification = db_text(res, row, R_JUST);
		free(r->evidence);
		r->evidence = db_text(res, row, R_EVID);
		r->peer_level = db_int(res, row, R_PEER);
		free(r->peer_comment);
		r->peer_comment = db_text(res, row, R_COMMENT);
		free(r->answer);
		r->answer = db_text(res, row, R_ANSWER);
		r->cons_level = db_int(res, row, R_CONS);
		free(r->cons_note);
		r->cons_note = db_text(res, row, R_NOTE);
		r->previous_level = db_int(res, row, R_PREV);
	}
	db_clear(res);
	return (0);
}

void
gov_assessment_free(struct gov_assessment *a)
{
	size_t	i;

	for (i = 0; i < a->nratings; i++) {
		free(a->ratings[i].justification);
		free(a->ratings[i].evidence);
		free(a->ratings[i].peer_comment);
		free(a->ratings[i].answer);
		free(a->ratings[i].cons_note);
	}
	free(a->ratings);
	free(a->round_name);
	free(a->org_name);
	free(a->org_path);
	free(a->reviewer_name);
	free(a->partner_name);
	free(a->revision_note);
	free(a->agreed_by);
	free(a->agreed_at);
	memset(a, 0, sizeof(*a));
}

void
gov_assessments_free(struct gov_assessment *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		gov_assessment_free(&a[i]);
	free(a);
}

/*
 * Start the self-assessment of a unit (a region or an agency inside
 * scope) in the open round; *id is the new one, or the one already
 * there.
 */
int
gov_assessment_start(struct db *db, const char *scope, const char *org,
    long long user, const char *actor, const char *ip, long long *id,
    struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUM];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if ((res = db_query(db, "SELECT o.id, r.id, (SELECT a.id FROM "
	    "gov_assessments a WHERE a.org_id = o.id AND a.round_id = r.id) "
	    "FROM orgs o, gov_rounds r WHERE o.code = $1 AND o.path LIKE $2 || "
	    "'%' AND o.kind IN ('region', 'agency') AND r.open ORDER BY r.id "
	    "DESC LIMIT 1", 2, org, scope)) == NULL)
		return (store_abort(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, "gov.err_start", NULL));
	}
	if (!db_isnull(res, 0, 2)) {
		*id = db_ll(res, 0, 2);
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	if ((res = db_query(db, "INSERT INTO gov_assessments (round_id, org_id, "
	    "created_by) SELECT r.id, o.id, $2 FROM orgs o, gov_rounds r WHERE "
	    "o.code = $1 AND r.open ORDER BY r.id DESC LIMIT 1 RETURNING id", 2,
	    org, uid)) == NULL)
		return (store_abort(db, f));
	*id = db_ll(res, 0, 0);
	db_clear(res);
	if (audit_append(db, actor, "gov.assessment.start", org, "", ip) ==
	    -1 || db_commit(db) == -1)
		return (store_abort(db, f));
	return (0);
}

/*
 * Move an assessment from one status to the next, setting the columns
 * of that step; the audit row names the step. When the assessment is
 * no longer in status from, the transaction is rolled back and f says
 * so (FAIL_CONFLICT); any failure rolls it back.
 */
static int
status_set(struct db *db, long long id, const char *from, const char *to,
    const char *actor, long long user, const char *ip, struct fail *f)
{
	struct pg_result	*res;
	char			 sid[NUM], uid[NUM];
	int			 ok;

	(void)snprintf(sid, sizeof(sid), "%lld", id);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((res = db_query(db, "UPDATE gov_assessments SET status = $3, "
	    "submitted_by = CASE WHEN $3 = 'submitted' THEN $4::bigint ELSE "
	    "submitted_by END, submitted_at = CASE WHEN $3 = 'submitted' THEN "
	    "now() ELSE submitted_at END, reviewed_at = CASE WHEN $3 = "
	    "'reviewed' THEN now() ELSE reviewed_at END, answered_by = CASE "
	    "WHEN $3 = 'answered' THEN $4::bigint ELSE answered_by END, "
	    "answered_at = CASE WHEN $3 = 'answered' THEN now() ELSE "
	    "answered_at END, proposed_at = CASE WHEN $3 = 'proposed' THEN "
	    "now() ELSE proposed_at END, agreed_by = CASE WHEN $3 = "
	    "'consolidated' THEN $4::bigint ELSE agreed_by END, agreed_at = "
	    "CASE WHEN $3 = 'consolidated' THEN now() ELSE agreed_at END "
	    "WHERE id = $1 AND status = $2 RETURNING (SELECT code FROM orgs "
	    "WHERE id = org_id)", 4, sid, from, to, uid)) == NULL)
		return (store_abort(db, f));
	ok = db_rows(res) == 1;
	if (ok) {
		char	event[48], subject[96];

		(void)snprintf(event, sizeof(event), "gov.assessment.%s", to);
		(void)snprintf(subject, sizeof(subject), "%s #%lld",
		    db_value(res, 0, 0), id);
		db_clear(res);
		if (audit_append(db, actor, event, subject, from, ip) == -1)
			return (store_abort(db, f));
		return (0);
	}
	db_clear(res);
	db_rollback(db);
	return (fail_set(f, FAIL_CONFLICT, "gov.err_state", NULL));
}

/*
 * Save one side's part of the ratings from a form, and optionally move
 * the assessment on. step: GOV_STEP_SELF (the assessed team's ratings),
 * _PEER (the reviewer's), _ANSWER (the team's answers), _PROPOSE (the
 * reviewer's consolidated rating). With done, every dimension must be
 * filled in: when one is not, what is filled in is saved as a draft
 * (nothing typed is lost) and fl says which (FAIL_INPUT
 * gov.err_missing, its code in bad). 0, or -1 and fl.
 */
int
gov_step_save(struct db *db, const struct gov_assessment *a,
    const struct gov_model *m, enum gov_step step, int done,
    const struct form *f, const char *actor, long long user, const char *ip,
    struct fail *fl, char *bad, size_t badlen)
{
	static const struct {
		const char	*from;
		const char	*to;
		const char	*level;
		const char	*text;
	} steps[] = {
		{ "draft", "submitted", "level", "just" },
		{ "submitted", "reviewed", "peer", "comment" },
		{ "reviewed", "answered", NULL, "answer" },
		{ "answered", "proposed", "cons", "note" },
	};
	const struct gov_dimension	*d;
	const char			*text, *evid;
	char				 sid[NUM], lv[NUM];
	size_t				 i;
	int				 level, rc;

	if (strcmp(a->status, steps[step].from) != 0)
		return (fail_set(fl, FAIL_CONFLICT, "gov.err_state", NULL));
	(void)snprintf(sid, sizeof(sid), "%lld", a->id);
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		level = steps[step].level != NULL ? level_of(field(f,
		    steps[step].level, d->code), (int)m->nlevels) : 0;
		text = field(f, steps[step].text, d->code);
		evid = field(f, "evid", d->code);
		if (level < 0 || utf8_strlen(text) > GOV_TEXT_MAX ||
		    utf8_strlen(evid) > GOV_TEXT_MAX || !utf8_valid(text,
		    strlen(text)) || !utf8_valid(evid, strlen(evid))) {
			xstrlcpy(bad, d->code, badlen);
			return (fail_set(fl, FAIL_INPUT, "gov.err_field",
			    NULL));
		}
		if (done && ((steps[step].level != NULL && level == 0) ||
		    *text == '\0')) {
			char	where[GOV_CODE_MAX + 1];

			(void)gov_step_save(db, a, m, step, 0, f, actor, user,
			    ip, NULL, where, sizeof(where));
			xstrlcpy(bad, d->code, badlen);
			return (fail_set(fl, FAIL_INPUT, "gov.err_missing",
			    NULL));
		}
	}
	if (db_begin(db) == -1)
		return (db_fail(db, fl));
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		level = steps[step].level != NULL ? level_of(field(f,
		    steps[step].level, d->code), (int)m->nlevels) : 0;
		(void)snprintf(lv, sizeof(lv), "%d", level);
		text = field(f, steps[step].text, d->code);
		switch (step) {
		case GOV_STEP_SELF:
			rc = db_exec(db, "INSERT INTO gov_ratings "
			    "(assessment_id, dimension, self_level, "
			    "justification, evidence) VALUES ($1, $2, "
			    "nullif($3, '0')::int, $4, $5) ON CONFLICT "
			    "(assessment_id, dimension) DO UPDATE SET "
			    "self_level = nullif($3, '0')::int, "
			    "justification = $4, evidence = $5", 5, sid,
			    d->code, lv, text, field(f, "evid", d->code));
			break;
		case GOV_STEP_PEER:
			rc = db_exec(db, "INSERT INTO gov_ratings "
			    "(assessment_id, dimension, peer_level, "
			    "peer_comment) VALUES ($1, $2, nullif($3, '0')::int, "
			    "$4) ON CONFLICT (assessment_id, dimension) DO "
			    "UPDATE SET peer_level = nullif($3, '0')::int, "
			    "peer_comment = $4", 4, sid, d->code, lv, text);
			break;
		case GOV_STEP_ANSWER:
			rc = db_exec(db, "INSERT INTO gov_ratings "
			    "(assessment_id, dimension, answer) VALUES ($1, $2, "
			    "$3) ON CONFLICT (assessment_id, dimension) DO "
			    "UPDATE SET answer = $3", 3, sid, d->code, text);
			break;
		default:
			rc = db_exec(db, "INSERT INTO gov_ratings "
			    "(assessment_id, dimension, cons_level, cons_note) "
			    "VALUES ($1, $2, nullif($3, '0')::int, $4) ON "
			    "CONFLICT (assessment_id, dimension) DO UPDATE SET "
			    "cons_level = nullif($3, '0')::int, cons_note = $4",
			    4, sid, d->code, lv, text);
			break;
		}
		if (rc == -1)
			return (store_abort(db, fl));
	}
	if (done && status_set(db, a->id, steps[step].from, steps[step].to,
	    actor, user, ip, fl) == -1)
		return (-1);
	return (db_commit(db) == -1 ? store_abort(db, fl) : 0);
}

/* Assign a partner reviewer to a submitted assessment. */
int
gov_assign(struct db *db, const struct gov_assessment *a, long long reviewer,
    long long user, const char *actor, const char *ip, struct fail *f)
{
	struct pg_result	*res;
	char			 sid[NUM], rid[NUM], uid[NUM], subject[96];

	if (strcmp(a->status, "submitted") != 0)
		return (fail_set(f, FAIL_CONFLICT, "gov.err_state", NULL));
	(void)snprintf(sid, sizeof(sid), "%lld", a->id);
	(void)snprintf(rid, sizeof(rid), "%lld", reviewer);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if ((res = db_query(db, "UPDATE gov_assessments SET reviewer_id = u.id, "
	    "assigned_by = $3, assigned_at = now() FROM users u JOIN user_roles "
	    "ur ON ur.user_id = u.id AND ur.role = 'reviewer' JOIN orgs p ON "
	    "p.id = u.org_id AND p.kind = 'partner' WHERE u.id = $2 AND "
	    "u.active AND gov_assessments.id = $1 AND "
	    "gov_assessments.status = 'submitted' RETURNING u.email", 3, sid,
	    rid, uid)) == NULL)
		return (store_abort(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, "gov.err_reviewer", NULL));
	}
	(void)snprintf(subject, sizeof(subject), "#%lld", a->id);
	if (audit_append(db, actor, "gov.review.assign", subject,
	    db_value(res, 0, 0), ip) == -1) {
		db_clear(res);
		return (store_abort(db, f));
	}
	db_clear(res);
	return (db_commit(db) == -1 ? store_abort(db, f) : 0);
}

/* The assessed team agrees with the proposed consolidated rating. */
int
gov_agree(struct db *db, const struct gov_assessment *a, long long user,
    const char *actor, const char *ip, struct fail *f)
{
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (status_set(db, a->id, "proposed", "consolidated", actor, user, ip,
	    f) == -1)
		return (-1);
	return (db_commit(db) == -1 ? store_abort(db, f) : 0);
}

/* The team refuses the proposal, with a reason: back to the reviewer. */
int
gov_refuse(struct db *db, const struct gov_assessment *a, const char *note,
    long long user, const char *actor, const char *ip, struct fail *f)
{
	char	sid[NUM], subject[96];

	if (note == NULL || *note == '\0' || utf8_strlen(note) > 500)
		return (fail_set(f, FAIL_INPUT, "gov.err_reason", NULL));
	if (strcmp(a->status, "proposed") != 0)
		return (fail_set(f, FAIL_CONFLICT, "gov.err_state", NULL));
	(void)snprintf(sid, sizeof(sid), "%lld", a->id);
	(void)snprintf(subject, sizeof(subject), "#%lld", a->id);
	(void)user;
	if (db_begin(db) == -1 || db_exec(db, "UPDATE gov_assessments SET "
	    "status = 'answered', revision_note = $2 WHERE id = $1 AND status "
	    "= 'proposed'", 2, sid, note) == -1 || audit_append(db, actor,
	    "gov.assessment.refused", subject, note, ip) == -1 ||
	    db_commit(db) == -1)
		return (store_abort(db, f));
	return (0);
}

/* The partner reviewers one may assign: "id\tname\tpartner\tcountry". */
int
gov_reviewers(struct db *db, struct buf *out, struct fail *f)
{
	struct pg_result	*res;
	int			 i;

	if ((res = db_query(db, "SELECT u.id, u.name, p.name, p.country FROM "
	    "users u JOIN user_roles r ON r.user_id = u.id AND r.role = "
	    "'reviewer' JOIN orgs p ON p.id = u.org_id AND p.kind = 'partner' "
	    "WHERE u.active ORDER BY p.country, u.name", 0)) == NULL)
		return (db_fail(db, f));
	for (i = 0; i < db_rows(res); i++)
		buf_printf(out, "%s\t%s\t%s\t%s\n", db_value(res, i, 0),
		    db_value(res, i, 1), db_value(res, i, 2),
		    db_value(res, i, 3));
	db_clear(res);
	return (0);
}

/* Units one may start an assessment for: "code\tname" of scope. */
int
gov_units(struct db *db, const char *scope, struct buf *out, struct fail *f)
{
	if (db_lines(db_query(db, "SELECT code, name FROM orgs WHERE path "
	    "LIKE $1 || '%' AND kind IN ('region', 'agency') ORDER BY path", 1,
	    scope), out) == -1)
		return (db_fail(db, f));
	return (0);
}

/* --- Action plans ----------------------------------------------------- */

/*
 * The actions of an assessment (id) and of the unit's earlier rounds
 * (org, when not 0), newest round first.
 */
static const struct row_col action_cols[] = {
	{ ROW_LL, offsetof(struct gov_action, id), 0 },
	{ ROW_LL, offsetof(struct gov_action, assessment_id), 0 },
	{ ROW_ARRAY(struct gov_action, dimension) },
	{ ROW_DUP, offsetof(struct gov_action, title), 0 },
	{ ROW_DUP, offsetof(struct gov_action, owner), 0 },
	{ ROW_ARRAY(struct gov_action, due) },
	{ ROW_ARRAY(struct gov_action, status) },
	{ ROW_DUP, offsetof(struct gov_action, notes), 0 },
	{ ROW_ARRAY(struct gov_action, round_code) },
	{ ROW_ARRAY(struct gov_action, updated) }
};

int
gov_actions_list(struct db *db, long long id, long long org,
    struct gov_action **out, size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT x.id, x.assessment_id, "
	    "x.dimension, x.title, x.owner, to_char(x.due, 'YYYY-MM-DD'), "
	    "x.status, x.notes, r.code, to_char(x.updated_at AT TIME ZONE "
	    "'Europe/Rome', 'YYYY-MM-DD') FROM gov_actions x JOIN "
	    "gov_assessments a ON a.id = x.assessment_id JOIN gov_rounds r ON "
	    "r.id = a.round_id JOIN gov_dimensions d ON d.code = x.dimension "
	    "WHERE x.assessment_id = $1 OR (a.org_id = $2 AND a.round_id < "
	    "(SELECT round_id FROM gov_assessments WHERE id = $1)) ORDER BY "
	    "a.round_id DESC, d.position, x.id",
	    action_cols, struct gov_action);
	char	sid[NUM], oid[NUM];

	(void)snprintf(sid, sizeof(sid), "%lld", id);
	(void)snprintf(oid, sizeof(oid), "%lld", org);
	return (store_list(db, &q, NULL, out, n, f, 2, sid, oid));
}

void
gov_actions_free(struct gov_action *x, size_t n)
{
	rows_dup_free(x, n, sizeof(*x), action_cols, ROW_NCOLS(action_cols));
}

/*
 * Add an action to a consolidated assessment inside scope, or update
 * one (status and notes) of an assessment inside scope: 0, or -1 and f
 * (FAIL_INPUT with what is wrong, FAIL_NOTFOUND: no such action there).
 */
int
gov_action_save(struct db *db, const struct gov_action_edit *e,
    const char *scope, long long user, const char *actor, const char *ip,
    long long *assessment, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUM], sid[NUM], subject[96];
	long long		 n;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (e->id == 0 && (e->title == NULL || *e->title == '\0' ||
	    utf8_strlen(e->title) > 200 || e->owner == NULL ||
	    *e->owner == '\0' || utf8_strlen(e->owner) > 200)) {
		return (fail_set(f, FAIL_INPUT, "gov.err_action", NULL));
	}
	if (e->id == 0 && gov_date_valid(e->due) == -1) {
		return (fail_set(f, FAIL_INPUT, "gov.err_due", NULL));
	}
	if (e->status == NULL || (strcmp(e->status, "planned") != 0 &&
	    strcmp(e->status, "started") != 0 && strcmp(e->status, "done") !=
	    0 && strcmp(e->status, "dropped") != 0)) {
		return (fail_set(f, FAIL_INPUT, "gov.err_action", NULL));
	}
	if (e->notes != NULL && utf8_strlen(e->notes) > 500) {
		return (fail_set(f, FAIL_INPUT, "gov.err_action", NULL));
	}
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (e->id == 0) {
		(void)snprintf(sid, sizeof(sid), "%lld", e->assessment);
		res = db_query(db, "INSERT INTO gov_actions (assessment_id, "
		    "dimension, title, owner, due, status, notes, created_by, "
		    "updated_by) SELECT a.id, d.code, $3, $4, $5::date, $6, $7, "
		    "$8, $8 FROM gov_assessments a JOIN orgs o ON o.id = "
		    "a.org_id, gov_dimensions d WHERE a.id = $1 AND a.status = "
		    "'consolidated' AND o.path LIKE $9 || '%' AND d.code = $2 "
		    "AND NOT d.retired RETURNING id, assessment_id", 9, sid,
		    e->dimension != NULL ? e->dimension : "", e->title,
		    e->owner, e->due, e->status, e->notes != NULL ? e->notes :
		    "", uid, scope);
	} else {
		(void)snprintf(sid, sizeof(sid), "%lld", e->id);
		res = db_query(db, "UPDATE gov_actions x SET status = $2, "
		    "notes = $3, updated_by = $4, updated_at = now() FROM "
		    "gov_assessments a JOIN orgs o ON o.id = a.org_id WHERE "
		    "x.id = $1 AND a.id = x.assessment_id AND o.path LIKE $5 || "
		    "'%' RETURNING x.id, x.assessment_id", 5, sid, e->status,
		    e->notes != NULL ? e->notes : "", uid, scope);
	}
	if (res == NULL)
		return (store_abort(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (e->id == 0 ? fail_set(f, FAIL_INPUT,
		    "gov.err_action_add", NULL) : fail_set(f, FAIL_NOTFOUND,
		    "gov.err_action", NULL));
	}
	n = db_ll(res, 0, 0);
	*assessment = db_ll(res, 0, 1);
	db_clear(res);
	(void)snprintf(subject, sizeof(subject), "action #%lld", n);
	if (audit_append(db, actor, e->id == 0 ? "gov.action.add" :
	    "gov.action.update", subject, e->status, ip) == -1 ||
	    db_commit(db) == -1)
		return (store_abort(db, f));
	return (0);
}
