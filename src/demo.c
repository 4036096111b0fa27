/*
 * demo.c: the demo of `make run DEMO=1` (bin/capacita demo). It fills a
 * demo agency so that every page of every role shows data at once:
 *
 *  - one user per role (learner, trainer, HR, issuer, admin), with a
 *    new random password printed at every run;
 *  - a few hundred people (generate_people() in generate.c) in five
 *    offices, with role profiles from courses/roles.csv;
 *  - for every course with a pre/post pool, an edition and a later
 *    edition that is its comparison cohort;
 *  - learning histories spread over the last nine months, made through
 *    the store's own code paths (enrolment, reading, quiz attempts,
 *    pre-, re- and post-tests) and then moved back in time: hours,
 *    competence evidence, completions and tests are what the real
 *    paths write;
 *  - badges issued by the job queue, one of them revoked by the issuer
 *    (badge_revoke(), as /issuer/badges does), and trainers' ratings.
 *
 * It runs after the content is imported. It is idempotent: the users
 * and units are created when missing, the histories once (an audit row
 * "demo.histories" marks them done). Everything it creates is marked
 * demo (users.demo, orgs.demo) and lives under the unit demo-ente.
 *
 * Other demo data (the governance pages, ...) is added by one call
 * each in demo_extras(), at the end.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capacita.h"

#define DEMO_AGENCY	"demo-ente"
#define DEMO_DOMAIN	"persone.example.org"
#define DEMO_MARK	"demo.histories"
#define DEMO_ACTOR	"demo"
#define DAY		86400.0
#define NUMBUF		32

/* A demo user: the account (marked demo) and, once made, its id. */
struct demo_user {
	struct account_new	 a;
	long long		 id;
};

struct demo_module {
	char		 slug[SLUG_MAX + 1];
	int		 minutes;
	int		 questions;
};

struct demo_course {
	char			 slug[SLUG_MAX + 1];
	int			 pass;
	int			 attempts;
	int			 pool;		/* has a pre/post pool */
	struct demo_module	*mods;
	size_t			 nmods;
	char			 ed_a[NUMBUF];	/* edition */
	char			 ed_b[NUMBUF];	/* its comparison cohort */
};

struct demo {
	struct db		*db;
	FILE			*out;
	struct buf		*err;
	uint64_t		 rng;
	double			 now;		/* the database's clock */
	struct demo_course	*courses;
	size_t			 ncourses;
	struct demo_user	*users;
	size_t			 nusers;
	int			 enrolments, completions, attempts, tests;
};

static const char *const demo_offices[] = {
	"demo-ufficio-servizi", "demo-sportello-stranieri",
	"demo-ufficio-anagrafe", "demo-ufficio-lavoro",
	"demo-ufficio-programmazione",
};
static const char *const demo_office_names[] = {
	"Ufficio servizi sociali (DEMO)",
	"Sportello per i cittadini stranieri (DEMO)",
	"Ufficio anagrafe e stato civile (DEMO)",
	"Ufficio politiche del lavoro (DEMO)",
	"Ufficio programmazione e fondi europei (DEMO)",
};
/* The role profile of the people of each office (courses/roles.csv). */
static const char *const demo_office_roles[] = {
	"assistente-sociale", "operatore-sportello", "operatore-sportello",
	"referente-rete", "funzionario-programmazione",
};

static struct demo_user demo_role_users[] = {
	{ { "Demo - Corsista", "demo.corsista@example.org",
	    "demo-ufficio-servizi", "learner", 1 }, 0 },
	{ { "Demo - Formatrice", "demo.formatrice@example.org", DEMO_AGENCY,
	    "trainer;learner", 1 }, 0 },
	{ { "Demo - Ufficio personale", "demo.personale@example.org",
	    DEMO_AGENCY, "hr;learner", 1 }, 0 },
	{ { "Demo - Ufficio attestati", "demo.attestati@example.org",
	    DEMO_AGENCY, "issuer;learner", 1 }, 0 },
	{ { "Demo - Amministrazione", "demo.amministrazione@example.org",
	    DEMO_AGENCY, "admin;learner", 1 }, 0 },
};
#define DEMO_LEARNER	0
#define DEMO_TRAINER	1
#define DEMO_HR		2
#define DEMO_ISSUER	3
#define DEMO_ADMIN	4

static uint64_t	demo_rand(struct demo *);
static double	demo_unif(struct demo *);
static int	demo_fail(struct demo *, const char *);
static int	demo_failed(struct demo *, const char *, const struct fail *);
static int	demo_mark(struct demo *, char *, size_t);
static int	demo_shift(struct demo *, long long, const char *, double);
static int	demo_units(struct demo *);
static int	demo_users(struct demo *);
static int	demo_courses(struct demo *);
static int	demo_editions(struct demo *);
static void	demo_form(struct form *, const struct quiz *, const char *, double,
		    struct demo *);
static int	demo_test(struct demo *, long long, const char *,
		    const char *, double, double);
static int	demo_module(struct demo *, long long, const struct demo_course *,
		    const struct demo_module *, double, double, int *);
static int	demo_enrol(struct demo *, long long, const struct demo_course *,
		    const char *, const char *, double);
static int	demo_history(struct demo *, long long,
		    const struct demo_course *, const char *, double, double,
		    double, int, int, double);
static int	demo_people(struct demo *, int);
static int	demo_learner(struct demo *);
static int	demo_badges(struct demo *);
static int	demo_ratings(struct demo *);
static int	demo_extras(struct demo *);
static void	demo_free(struct demo *);
static char	*demo_unescape(const char *);
static void	demo_field(struct form *, size_t *, const char *,
		    const char *);

/*
 * An accepted short answer as a person types it: the stored text is
 * HTML (&amp; for &).
 */
static char *
demo_unescape(const char *html)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
	};
	struct buf	b;
	size_t		i, len;

	buf_init(&b, strlen(html) + 1);
	while (*html != '\0') {
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			len = strlen(ents[i].ent);
			if (strncmp(html, ents[i].ent, len) == 0)
				break;
		}
		if (i < sizeof(ents) / sizeof(ents[0])) {
			buf_putc(&b, ents[i].c);
			html += len;
		} else
			buf_putc(&b, *html++);
	}
	return (buf_release(&b));
}

/* splitmix64, seeded: the same demo at every first run. */
static uint64_t
demo_rand(struct demo *d)
{
	uint64_t	z;

	z = (d->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* Uniform in [0, 1). */
static double
demo_unif(struct demo *d)
{
	return ((double)(demo_rand(d) >> 11) / 9007199254740992.0);
}

static int
demo_fail(struct demo *d, const char *what)
{
	if (d->err->len == 0)
		buf_printf(d->err, "%s: %s", what, db_error(d->db));
	db_rollback(d->db);
	return (-1);
}

/* A store function's failure: its detail (or message) into d->err. */
static int
demo_failed(struct demo *d, const char *what, const struct fail *f)
{
	if (d->err->len == 0)
		buf_printf(d->err, "%s: %s", what, f->detail[0] != '\0' ?
		    f->detail : f->key);
	db_rollback(d->db);
	return (-1);
}

/* The database's clock now, as text: the start of a step. */
static int
demo_mark(struct demo *d, char *mark, size_t len)
{
	struct pg_result	*res;

	if ((res = db_query(d->db, "SELECT clock_timestamp()::text", 0)) ==
	    NULL)
		return (demo_fail(d, "clock"));
	xstrlcpy(mark, db_value(res, 0, 0), len);
	db_clear(res);
	return (0);
}

/*
 * Move what the store wrote for a person since mark to the time at
 * (seconds since the epoch), keeping the order of the rows: every step
 * of a history runs now and is then put back where it belongs. The
 * steps of a person run in time order, so only the last step's rows are
 * at or after mark.
 */
static int
demo_shift(struct demo *d, long long user, const char *mark, double at)
{
	char	uid[NUMBUF], t[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(t, sizeof(t), "%.3f", at);
	if (db_exec(d->db, "WITH d AS (SELECT to_timestamp($3::float8) - "
	    "$2::timestamptz AS dt, $2::timestamptz AS m), "
	    "e AS (UPDATE enrolments x SET enrolled_at = CASE WHEN "
	    "enrolled_at >= d.m THEN enrolled_at + d.dt ELSE enrolled_at END, "
	    "completed_at = CASE WHEN completed_at >= d.m THEN completed_at + "
	    "d.dt ELSE completed_at END FROM d WHERE x.user_id = $1 AND "
	    "(enrolled_at >= d.m OR completed_at >= d.m) RETURNING 1), "
	    "r AS (UPDATE module_reads x SET opened_at = CASE WHEN opened_at "
	    ">= d.m THEN opened_at + d.dt ELSE opened_at END, last_seen_at = "
	    "CASE WHEN last_seen_at >= d.m THEN last_seen_at + d.dt ELSE "
	    "last_seen_at END, finished_at = CASE WHEN finished_at >= d.m THEN "
	    "finished_at + d.dt ELSE finished_at END FROM d WHERE x.user_id = "
	    "$1 AND (opened_at >= d.m OR last_seen_at >= d.m OR finished_at >= "
	    "d.m) RETURNING 1), "
	    "a AS (UPDATE attempts x SET started_at = CASE WHEN started_at >= "
	    "d.m THEN started_at + d.dt ELSE started_at END, submitted_at = "
	    "CASE WHEN submitted_at >= d.m THEN submitted_at + d.dt ELSE "
	    "submitted_at END FROM d WHERE x.user_id = $1 AND (started_at >= "
	    "d.m OR submitted_at >= d.m) RETURNING 1), "
	    "v AS (UPDATE evidence x SET at = at + d.dt FROM d WHERE x.user_id "
	    "= $1 AND at >= d.m RETURNING 1), "
	    "l AS (UPDATE latest_answers x SET at = at + d.dt FROM d WHERE "
	    "x.user_id = $1 AND at >= d.m RETURNING 1), "
	    "h AS (UPDATE hours_ledger x SET at = at + d.dt, year = "
	    "extract(year FROM at + d.dt)::int FROM d WHERE x.user_id = $1 AND "
	    "at >= d.m RETURNING 1), "
	    "s AS (UPDATE assessments x SET due_at = CASE WHEN due_at >= d.m "
	    "THEN due_at + d.dt ELSE due_at END, started_at = CASE WHEN "
	    "started_at >= d.m THEN started_at + d.dt ELSE started_at END, "
	    "submitted_at = CASE WHEN submitted_at >= d.m THEN submitted_at + "
	    "d.dt ELSE submitted_at END FROM d WHERE x.user_id = $1 AND "
	    "(due_at >= d.m OR started_at >= d.m OR submitted_at >= d.m) "
	    "RETURNING 1), "
	    "c AS (UPDATE competence_levels x SET computed_at = computed_at + "
	    "d.dt FROM d WHERE x.user_id = $1 AND computed_at >= d.m RETURNING "
	    "1) "
	    "SELECT (SELECT count(*) FROM e) + (SELECT count(*) FROM r) + "
	    "(SELECT count(*) FROM a) + (SELECT count(*) FROM v) + (SELECT "
	    "count(*) FROM l) + (SELECT count(*) FROM h) + (SELECT count(*) "
	    "FROM s) + (SELECT count(*) FROM c)", 3, uid, mark, t) == -1)
		return (demo_fail(d, "moving a step back in time"));
	return (0);
}

/* The demo agency and its offices, when missing. */
static int
demo_units(struct demo *d)
{
	struct fail	f;
	long long	id;
	size_t		i;

	if (db_begin(d->db) == -1)
		return (demo_fail(d, "begin"));
	if (org_find(d->db, DEMO_AGENCY, &id, NULL, 0, &f) == -1 &&
	    org_create(d->db, "campania", DEMO_AGENCY,
	    "Ente dimostrativo (DEMO)", 1, &id, &f) == -1)
		return (demo_failed(d, "demo agency", &f));
	for (i = 0; i < sizeof(demo_offices) / sizeof(demo_offices[0]); i++) {
		if (org_find(d->db, demo_offices[i], &id, NULL, 0, &f) == 0)
			continue;
		if (org_create(d->db, DEMO_AGENCY, demo_offices[i],
		    demo_office_names[i], 1, &id, &f) == -1)
			return (demo_failed(d, "demo office", &f));
	}
	if (db_commit(d->db) == -1)
		return (demo_fail(d, "commit"));
	return (0);
}

/*
 * One user per role, created when missing, each with a new random
 * password, printed: the way in to the demo.
 */
static int
demo_users(struct demo *d)
{
	struct demo_user	*u;
	struct fail		 f;
	char			 pw[AUTH_PASSWORD_LEN + 1], hash[AUTH_HASH_MAX];
	char			 uid[NUMBUF];
	size_t			 i;

	d->users = demo_role_users;
	d->nusers = sizeof(demo_role_users) / sizeof(demo_role_users[0]);
	if (db_begin(d->db) == -1)
		return (demo_fail(d, "begin"));
	fprintf(d->out, "  Demo users (unit '%s', marked DEMO); new passwords "
	    "at every start:\n", DEMO_AGENCY);
	for (i = 0; i < d->nusers; i++) {
		u = &d->users[i];
		if (account_by_email(d->db, u->a.email, &u->id, &f) == -1 ||
		    (u->id == 0 && account_create(d->db, &u->a, &u->id,
		    &f) == -1))
			return (demo_failed(d, "demo user", &f));
		auth_random_password(pw);
		if (auth_hash_password(pw, hash) == -1) {
			buf_puts(d->err, "cannot hash a password");
			return (demo_fail(d, "demo user"));
		}
		(void)snprintf(uid, sizeof(uid), "%lld", u->id);
		if (db_exec(d->db, "UPDATE users SET password_hash = $2, active "
		    "= true WHERE id = $1", 2, uid, hash) == -1)
			return (demo_fail(d, "demo password"));
		fprintf(d->out, "    %-34s %-16s password: %s\n", u->a.email,
		    u->a.roles, pw);
	}
	if (audit_append(d->db, DEMO_ACTOR, "demo.users", DEMO_AGENCY,
	    "demo users and their passwords", "") == -1 ||
	    db_commit(d->db) == -1)
		return (demo_fail(d, "commit"));
	fprintf(d->out, "\n");
	return (0);
}

/* The courses, their modules in order, pass marks and pools. */
static int
demo_courses(struct demo *d)
{
	struct pg_result	*res, *mods;
	struct demo_course	*c;
	int			 i, j, n;

	res = db_query(d->db, "SELECT slug, pass_percent, attempts, "
	    "assessment_module_id IS NOT NULL, id FROM courses ORDER BY slug",
	    0);
	if (res == NULL)
		return (demo_fail(d, "courses"));
	n = db_rows(res);
	d->courses = xcalloc((size_t)n + 1, sizeof(*d->courses));
	for (i = 0; i < n; i++) {
		c = &d->courses[d->ncourses];
		xstrlcpy(c->slug, db_value(res, i, 0), sizeof(c->slug));
		c->pass = atoi(db_value(res, i, 1));
		c->attempts = atoi(db_value(res, i, 2));
		c->pool = strcmp(db_value(res, i, 3), "t") == 0;
		mods = db_query(d->db, "SELECT m.slug, v.minutes, (SELECT "
		    "count(*) FROM questions q WHERE q.version_id = v.id) FROM "
		    "course_modules cm JOIN modules m ON m.id = cm.module_id JOIN "
		    "module_versions v ON v.id = m.current_version_id WHERE "
		    "cm.course_id = $1 ORDER BY cm.position", 1,
		    db_value(res, i, 4));
		if (mods == NULL) {
			db_clear(res);
			return (demo_fail(d, "course modules"));
		}
		c->nmods = (size_t)db_rows(mods);
		c->mods = xcalloc(c->nmods + 1, sizeof(*c->mods));
		for (j = 0; j < (int)c->nmods; j++) {
			xstrlcpy(c->mods[j].slug, db_value(mods, j, 0),
			    sizeof(c->mods[j].slug));
			c->mods[j].minutes = atoi(db_value(mods, j, 1));
			c->mods[j].questions = atoi(db_value(mods, j, 2));
		}
		db_clear(mods);
		if (c->nmods > 0)
			d->ncourses++;
	}
	db_clear(res);
	if (d->ncourses == 0) {
		buf_puts(d->err, "no courses: import the content first "
		    "(bin/capacita import .)");
		return (-1);
	}
	return (0);
}

/*
 * For every course with a pool, the spring edition (240 to 150 days
 * ago) and the summer one (150 to 60 days ago) whose people are its
 * comparison cohort: tested when the first starts and again when it
 * ends, before their own course.
 */
static int
demo_editions(struct demo *d)
{
	struct pg_result	*res;
	struct demo_course	*c;
	char			 hr[NUMBUF];
	size_t			 i;

	(void)snprintf(hr, sizeof(hr), "%lld", d->users[DEMO_HR].id);
	if (db_begin(d->db) == -1)
		return (demo_fail(d, "begin"));
	for (i = 0; i < d->ncourses; i++) {
		c = &d->courses[i];
		if (!c->pool)
			continue;
		res = db_query(d->db, "INSERT INTO editions (course_id, code, "
		    "starts_on, ends_on, owner_org_id, created_by) SELECT c.id, "
		    "'primavera', current_date - 240, current_date - 150, o.id, "
		    "$2 FROM courses c, orgs o WHERE c.slug = $1 AND o.code = $3 "
		    "RETURNING id", 3, c->slug, hr, DEMO_AGENCY);
		if (res == NULL || db_rows(res) != 1) {
			if (res != NULL)
				db_clear(res);
			return (demo_fail(d, "edition"));
		}
		xstrlcpy(c->ed_a, db_value(res, 0, 0), sizeof(c->ed_a));
		db_clear(res);
		res = db_query(d->db, "INSERT INTO editions (course_id, code, "
		    "starts_on, ends_on, compares_with, owner_org_id, "
		    "created_by) SELECT c.id, 'estate', current_date - 150, "
		    "current_date - 60, $4, o.id, $2 FROM courses c, orgs o "
		    "WHERE c.slug = $1 AND o.code = $3 RETURNING id", 4, c->slug,
		    hr, DEMO_AGENCY, c->ed_a);
		if (res == NULL || db_rows(res) != 1) {
			if (res != NULL)
				db_clear(res);
			return (demo_fail(d, "edition"));
		}
		xstrlcpy(c->ed_b, db_value(res, 0, 0), sizeof(c->ed_b));
		db_clear(res);
		if (audit_append(d->db, d->users[DEMO_HR].a.email,
		    "edition.create", "primavera", c->slug, "") == -1 ||
		    audit_append(d->db, d->users[DEMO_HR].a.email,
		    "edition.create", "estate", c->slug, "") == -1)
			return (demo_fail(d, "audit"));
	}
	if (db_commit(d->db) == -1)
		return (demo_fail(d, "commit"));
	return (0);
}

static void
demo_field(struct form *f, size_t *cap, const char *name, const char *val)
{
	if (f->n == *cap) {
		*cap *= 2;
		f->f = xreallocarray(f->f, *cap, sizeof(*f->f));
	}
	f->f[f->n].name = xstrdup(name);
	f->f[f->n].value = xstrdup(val);
	f->n++;
}

/*
 * The answers of a person who gets each question right with probability
 * p, as the quiz and test pages post them (quiz-form.c): the question's
 * field token of the form key (hex) holding the option's token,
 * true/false, the number or the text; one field per ticked box; for
 * ordering questions each item's token = its rank.
 */
static void
demo_form(struct form *f, const struct quiz *quiz, const char *hex,
    double p, struct demo *d)
{
	const struct quiz_question	*q;
	unsigned char			 key[QUIZ_KEY_LEN];
	char				 name[QUIZ_TOKEN_LEN + 1], val[64];
	size_t				 i, k, cap, wrong;
	int				 right;
	char				*text;

	memset(f, 0, sizeof(*f));
	if (quiz_form_key_parse(hex, key) == -1)
		memset(key, 0, sizeof(key));	/* the submission refuses it */
	cap = 8;
	f->f = xcalloc(cap, sizeof(*f->f));
	for (i = 0; i < quiz->nq; i++) {
		q = &quiz->q[i];
		right = demo_unif(d) < p;
		quiz_form_token(key, q->id, QF_FIELD, 0, name);
		switch (q->type) {
		case QUIZ_SINGLE:
		case QUIZ_MULTIPLE:
			wrong = 0;
			for (k = 0; k < q->nopts; k++) {
				if (!q->opts[k].correct && wrong == 0)
					wrong = k + 1;
				if (right && q->opts[k].correct) {
					quiz_form_token(key, q->id, QF_OPTION,
					    k, val);
					demo_field(f, &cap, name, val);
					if (q->type == QUIZ_SINGLE)
						break;
				}
			}
			if (!right && wrong > 0) {
				quiz_form_token(key, q->id, QF_OPTION,
				    wrong - 1, val);
				demo_field(f, &cap, name, val);
			}
			break;
		case QUIZ_TRUEFALSE:
			demo_field(f, &cap, name, (q->truth != 0) == right ? "true" : "false");
			break;
		case QUIZ_NUMERIC:
			(void)snprintf(val, sizeof(val), "%g", right ?
			    q->number : q->number + 10 * (q->tolerance + 1));
			if (strchr(val, 'e') != NULL)
				(void)snprintf(val, sizeof(val), "%.0f",
				    right ? q->number : q->number + 1);
			demo_field(f, &cap, name, val);
			break;
		case QUIZ_SHORT:
			if (right && q->nopts > 0) {
				text = demo_unescape(q->opts[0].text);
				demo_field(f, &cap, name, text);
				free(text);
			} else
				demo_field(f, &cap, name, "non ricordo");
			break;
		case QUIZ_ORDER:
			for (k = 0; k < q->nopts; k++) {
				quiz_form_token(key, q->id, QF_ITEM, k, name);
				/* Wrong: the first two items swapped. */
				(void)snprintf(val, sizeof(val), "%zu", right ||
				    q->nopts < 2 ? k + 1 : k == 0 ? 2 : k == 1 ?
				    1 : k + 1);
				demo_field(f, &cap, name, val);
			}
			break;
		default:
			break;
		}
	}
}

/*
 * The person's test of a phase for a course, taken at time at with
 * probability p of a right answer: opened by the real triggers, shown
 * (started) and submitted as /assessment/ID does.
 */
static int
demo_test(struct demo *d, long long user, const char *course,
    const char *phase, double at, double p)
{
	struct pg_result	*res;
	struct impact_result	 r;
	struct quiz		 quiz;
	struct form		 f;
	char			 uid[NUMBUF], id[64], version[NUMBUF], form[4];
	char			 mark[64], key[QUIZ_KEY_HEX + 1];
	int			 rc;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (demo_mark(d, mark, sizeof(mark)) == -1)
		return (-1);
	if (strcmp(phase, "retest") == 0 && impact_refresh(d->db, user,
	    NULL) == -1)
		return (demo_fail(d, "retest"));
	res = db_query(d->db, "SELECT a.id, a.version_id, a.form, a.form_key "
	    "FROM assessments a JOIN courses c ON c.id = a.course_id WHERE "
	    "a.user_id = $1 AND c.slug = $2 AND a.phase = $3 AND "
	    "a.submitted_at IS NULL", 3, uid, course, phase);
	if (res == NULL)
		return (demo_fail(d, "test"));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (0);	/* no pool, or not open: nothing to take */
	}
	xstrlcpy(id, db_value(res, 0, 0), sizeof(id));
	xstrlcpy(version, db_value(res, 0, 1), sizeof(version));
	xstrlcpy(form, db_value(res, 0, 2), sizeof(form));
	xstrlcpy(key, db_value(res, 0, 3), sizeof(key));
	db_clear(res);
	if (impact_load_form(d->db, version, form, &quiz, NULL) == -1)
		return (demo_fail(d, "test form"));
	demo_form(&f, &quiz, key, p, d);
	quiz_free(&quiz);
	rc = db_exec(d->db, "UPDATE assessments SET started_at = now() WHERE "
	    "id = $1 AND started_at IS NULL", 1, id) == -1 ||
	    impact_submit(d->db, id, user, &f, &r, NULL) == -1;
	form_free(&f);
	if (rc)
		return (demo_fail(d, "test submission"));
	d->tests++;
	return (demo_shift(d, user, mark, at));
}

/*
 * A module of a course studied at time at: the page opened, read for a
 * while, "finished"; then its quiz taken until passed or out of
 * attempts, a day apart. *passed says how it went.
 */
static int
demo_module(struct demo *d, long long user, const struct demo_course *c,
    const struct demo_module *m, double at, double p, int *passed)
{
	struct pg_result	*res;
	struct attempt_result	 r;
	struct quiz		 quiz;
	struct form		 f;
	struct fail		 fl;
	char			 uid[NUMBUF], version[NUMBUF], secs[NUMBUF];
	char			 mark[64], id[64], t[NUMBUF];
	char			 key[QUIZ_KEY_HEX + 1];
	long long		 wait;
	int			 n, rc, read_s;

	*passed = 0;
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((res = db_query(d->db, "SELECT current_version_id FROM modules "
	    "WHERE slug = $1", 1, m->slug)) == NULL || db_rows(res) != 1) {
		if (res != NULL)
			db_clear(res);
		return (demo_fail(d, "module"));
	}
	xstrlcpy(version, db_value(res, 0, 0), sizeof(version));
	db_clear(res);

	/* Reading: from 70% to 130% of the module's declared minutes. */
	read_s = (int)(m->minutes * 60 * (0.7 + 0.6 * demo_unif(d)));
	(void)snprintf(secs, sizeof(secs), "%d", read_s);
	if (demo_mark(d, mark, sizeof(mark)) == -1)
		return (-1);
	if (learn_read_open(d->db, user, version, &fl) == -1)
		return (demo_failed(d, "reading", &fl));
	if (db_exec(d->db, "UPDATE module_reads SET opened_at = now() - "
	    "make_interval(secs => $3::int) WHERE user_id = $1 AND "
	    "version_id = $2", 3, uid, version, secs) == -1)
		return (demo_fail(d, "reading"));
	if (learn_read_finish(d->db, user, version, settings.read_min_percent,
	    &wait, &fl) == -1)
		return (demo_failed(d, "reading", &fl));
	/*
	 * opened_at went back by read_s, before the mark: put it read_s
	 * before the time of the step.
	 */
	(void)snprintf(t, sizeof(t), "%.3f", at);
	if (demo_shift(d, user, mark, at) == -1 ||
	    db_exec(d->db, "UPDATE module_reads SET opened_at = to_timestamp("
	    "$3::float8) - make_interval(secs => $4::int) WHERE user_id = $1 "
	    "AND version_id = $2", 4, uid, version, t, secs) == -1)
		return (demo_fail(d, "reading"));
	if (m->questions == 0) {
		*passed = 1;
		return (0);
	}
	for (n = 0; c->attempts == 0 || n < c->attempts; n++) {
		/* Nothing after now: the next day's try has not come yet. */
		if (at + 900 + n * DAY > d->now - 600)
			break;
		if (demo_mark(d, mark, sizeof(mark)) == -1)
			return (-1);
		if (learn_attempt_start(d->db, user, c->slug, m->slug, id,
		    sizeof(id), &fl) == -1)
			return (demo_failed(d, "quiz attempt", &fl));
		if ((res = db_query(d->db, "SELECT version_id, form_key FROM "
		    "attempts WHERE id = $1", 1, id)) == NULL ||
		    db_rows(res) != 1) {
			if (res != NULL)
				db_clear(res);
			return (demo_fail(d, "quiz attempt"));
		}
		xstrlcpy(version, db_value(res, 0, 0), sizeof(version));
		xstrlcpy(key, db_value(res, 0, 1), sizeof(key));
		db_clear(res);
		if (learn_load_quiz(d->db, version, &quiz, &fl) == -1)
			return (demo_failed(d, "quiz", &fl));
		/* A second try goes better: the feedback was read. */
		demo_form(&f, &quiz, key, p + 0.12 * n, d);
		quiz_free(&quiz);
		rc = learn_attempt_submit(d->db, id, user, &f, &r, &fl);
		form_free(&f);
		if (rc == -1)
			return (demo_failed(d, "quiz submission", &fl));
		d->attempts++;
		if (demo_shift(d, user, mark, at + 900 + n * DAY) == -1)
			return (-1);
		if (r.course_completed)
			d->completions++;
		if (r.passed) {
			*passed = 1;
			break;
		}
		if (c->attempts == 0 && n >= 3)
			break;
	}
	return (0);
}

/*
 * Enrol at time at: by the person (source self), by the HR office with
 * a deadline (due), or in an edition (edition, as /hr/editions assigns
 * people). The pre-test opens with the enrolment.
 */
static int
demo_enrol(struct demo *d, long long user, const struct demo_course *c,
    const char *edition, const char *due, double at)
{
	struct fail	f;
	char		uid[NUMBUF], hr[NUMBUF], mark[64];
	int		created;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(hr, sizeof(hr), "%lld", d->users[DEMO_HR].id);
	if (demo_mark(d, mark, sizeof(mark)) == -1)
		return (-1);
	if (edition != NULL) {
		if (db_exec(d->db, "INSERT INTO enrolments (user_id, course_id, "
		    "source, assigned_by, edition_id) SELECT $1, d.course_id, "
		    "'assigned', $3, d.id FROM editions d WHERE d.id = $2 ON "
		    "CONFLICT DO NOTHING", 3, uid, edition, hr) == -1)
			return (demo_fail(d, "enrolment"));
	} else if (learn_enrol(d->db, user, c->slug, due != NULL ?
	    "assigned" : "self", due != NULL ? d->users[DEMO_HR].id : 0, due,
	    &created, &f) == -1)
		return (demo_failed(d, "enrolment", &f));
	d->enrolments++;
	return (demo_shift(d, user, mark, at));
}

/*
 * A person's history in a course: enrolled at start, pre-test the next
 * day, then the modules (up to `upto` of them) every few days from
 * study, with ability p; the post-test a day after completion (gain:
 * how much better than before). retest (>0): the time of the comparison
 * cohort's retest, before the course. ability: the share of right
 * answers, or < 0 for one drawn at random.
 */
static int
demo_history(struct demo *d, long long user, const struct demo_course *c,
    const char *edition, double start, double study, double retest,
    int upto, int post, double ability)
{
	double	p, t, pre;
	size_t	i;
	int	passed;

	p = ability >= 0 ? ability : 0.55 + 0.4 * demo_unif(d);
	pre = p - 0.18 - 0.1 * demo_unif(d);
	if (demo_enrol(d, user, c, edition, NULL, start) == -1)
		return (-1);
	/* Nine in ten take the pre-test, within two days. */
	if (demo_unif(d) < 0.9 && demo_test(d, user, c->slug, "pre", start +
	    DAY * (0.2 + 1.8 * demo_unif(d)), pre) == -1)
		return (-1);
	if (retest > 0 && demo_test(d, user, c->slug, "retest", retest,
	    pre + 0.05 * demo_unif(d)) == -1)
		return (-1);
	t = study;
	for (i = 0; i < c->nmods && (int)i < upto; i++) {
		if (t > d->now - 3600)
			break;
		if (demo_module(d, user, c, &c->mods[i], t, p, &passed) == -1)
			return (-1);
		if (!passed)
			break;
		t += DAY * (2 + 8 * demo_unif(d));
	}
	if (post && t < d->now - DAY && demo_test(d, user, c->slug, "post",
	    t - DAY * 1.5, p + 0.05) == -1)
		return (-1);
	return (0);
}

/*
 * The people and their histories: for every course with a pool, 30 in
 * its spring edition and 30 in the summer comparison cohort; everybody
 * else enrols in a course or two on their own, over nine months, some
 * leaving halfway; a few have a course assigned by HR with a deadline;
 * one in six has done nothing yet.
 */
static int
demo_people(struct demo *d, int n)
{
	struct pg_result	*res;
	const struct demo_course *c;
	char			 hr[NUMBUF], due[16], mark[64];
	double			 start, a0, b0, r;
	struct fail		 f;
	long long		*who;
	size_t			 i, k, nc, per, used, npeople, nroles;
	int			 created;

	if (db_begin(d->db) == -1 ||
	    generate_people(d->db, demo_offices, sizeof(demo_offices) /
	    sizeof(demo_offices[0]), n, DEMO_DOMAIN, d->err) == -1 ||
	    db_exec(d->db, "INSERT INTO user_roles (user_id, role) SELECT id, "
	    "'learner' FROM users WHERE email LIKE '%@' || $1 ON CONFLICT DO "
	    "NOTHING", 1, DEMO_DOMAIN) == -1)
		return (demo_fail(d, "people"));
	(void)snprintf(hr, sizeof(hr), "%lld", d->users[DEMO_HR].id);
	/* Role profiles: by office, and one in five a second one. */
	nroles = sizeof(demo_office_roles) / sizeof(demo_office_roles[0]);
	for (i = 0; i < nroles; i++) {
		if (db_exec(d->db, "INSERT INTO user_job_roles (user_id, "
		    "role_id, assigned_by) SELECT u.id, j.id, $3 FROM users u "
		    "JOIN orgs o ON o.id = u.org_id JOIN job_roles j ON j.code = "
		    "$2 WHERE o.code = $1 AND u.email LIKE '%@' || $4 ON "
		    "CONFLICT DO NOTHING", 4, demo_offices[i],
		    demo_office_roles[i], hr, DEMO_DOMAIN) == -1)
			return (demo_fail(d, "role profiles"));
	}
	if (db_exec(d->db, "INSERT INTO user_job_roles (user_id, role_id, "
	    "assigned_by) SELECT u.id, j.id, $1 FROM users u JOIN job_roles j "
	    "ON j.code = CASE WHEN u.id % 2 = 0 THEN 'dirigente-servizio' "
	    "ELSE 'analista-valutazione' END WHERE u.email LIKE '%@' || $2 AND "
	    "u.id % 5 = 0 ON CONFLICT DO NOTHING", 2, hr, DEMO_DOMAIN) == -1 ||
	    audit_append(d->db, d->users[DEMO_HR].a.email, "role.assign",
	    DEMO_AGENCY, "role profiles of the demo people", "") == -1 ||
	    db_commit(d->db) == -1)
		return (demo_fail(d, "role profiles"));

	if ((res = db_query(d->db, "SELECT id FROM users WHERE email LIKE "
	    "'%@' || $1 ORDER BY id", 1, DEMO_DOMAIN)) == NULL)
		return (demo_fail(d, "people"));
	npeople = (size_t)db_rows(res);
	who = xcalloc(npeople + 1, sizeof(*who));
	for (i = 0; i < npeople; i++)
		who[i] = strtoll(db_value(res, i, 0), NULL, 10);
	db_clear(res);
	/* The role profiles were given at the start of the demo's year. */
	if (db_exec(d->db, "UPDATE user_job_roles x SET assigned_at = now() - "
	    "interval '280 days' FROM users u WHERE u.id = x.user_id AND "
	    "u.email LIKE '%@' || $1", 1, DEMO_DOMAIN) == -1) {
		free(who);
		return (demo_fail(d, "role profiles"));
	}

	/* Editions: 30 + 30 people per course with a pool, if there are. */
	used = 0;
	nc = 0;
	for (k = 0; k < d->ncourses; k++)
		nc += d->courses[k].pool;
	per = nc > 0 ? (npeople / 2) / (nc * 2) : 0;
	if (per > 30)
		per = 30;
	a0 = d->now - 240 * DAY;
	b0 = d->now - 150 * DAY;
	for (k = 0; k < d->ncourses; k++) {
		c = &d->courses[k];
		if (!c->pool)
			continue;
		for (i = 0; i < per && used < npeople; i++, used++) {
			start = a0 - DAY * 7 * demo_unif(d);
			if (demo_history(d, who[used], c, c->ed_a, start,
			    a0 + DAY * 3 * demo_unif(d), 0, demo_unif(d) <
			    0.12 ? 1 : 99, 1, -1) == -1)
				goto fail;
		}
		for (i = 0; i < per && used < npeople; i++, used++) {
			start = a0 - DAY * 7 * demo_unif(d);
			if (demo_history(d, who[used], c, c->ed_b, start,
			    b0 + DAY * (7 + 5 * demo_unif(d)), b0 + DAY *
			    (3 + 2 * demo_unif(d)), demo_unif(d) < 0.15 ? 1 :
			    99, 1, -1) == -1)
				goto fail;
		}
	}
	/* Everybody else. */
	for (; used < npeople; used++) {
		r = demo_unif(d);
		if (r < 0.16)
			continue;	/* nothing yet */
		c = &d->courses[demo_rand(d) % d->ncourses];
		if (r < 0.26) {
			/* Assigned by HR with a deadline, not started. */
			(void)snprintf(due, sizeof(due), "%s", "");
			if (demo_mark(d, mark, sizeof(mark)) == -1)
				goto fail;
			res = db_query(d->db, "SELECT (current_date + $1::int)"
			    "::text", 1, r < 0.21 ? "30" : "-10");
			if (res == NULL)
				goto dbfail;
			xstrlcpy(due, db_value(res, 0, 0), sizeof(due));
			db_clear(res);
			if (learn_enrol(d->db, who[used], c->slug, "assigned",
			    d->users[DEMO_HR].id, due, &created, &f) == -1) {
				(void)demo_failed(d, "people", &f);
				goto fail;
			}
			if (demo_shift(d, who[used], mark, d->now - DAY * (20 +
			    40 * demo_unif(d))) == -1)
				goto fail;
			d->enrolments++;
			continue;
		}
		start = d->now - DAY * (10 + 260 * demo_unif(d));
		if (demo_history(d, who[used], c, NULL, start, start + DAY *
		    (1 + 5 * demo_unif(d)), 0, demo_unif(d) < 0.25 ? 1 + (int)
		    (demo_rand(d) % 2) : 99, 1, -1) == -1)
			goto fail;
		if (demo_unif(d) < 0.35) {
			c = &d->courses[(c - d->courses + 1) % d->ncourses];
			start += DAY * (30 + 60 * demo_unif(d));
			if (start < d->now - 5 * DAY && demo_history(d,
			    who[used], c, NULL, start, start + DAY * 2, 0, 99,
			    1, -1) == -1)
				goto fail;
		}
		if (used % 50 == 0)
			fprintf(d->out, "  demo: %zu of %zu people\n", used,
			    npeople);
	}
	free(who);
	return (0);
dbfail:
	(void)demo_fail(d, "people");
fail:
	free(who);
	return (-1);
}

/*
 * The demo learner: a course done with its badge (the spring edition of
 * the first course with a pool), one halfway, one assigned by HR with a
 * deadline and its pre-test waiting; a role profile.
 */
static int
demo_learner(struct demo *d)
{
	const struct demo_course	*done, *half, *next;
	char				 uid[NUMBUF], hr[NUMBUF], due[16];
	char				 mark[64];
	struct pg_result		*res;
	struct fail			 f;
	long long			 me;
	size_t				 i;
	int				 created;

	me = d->users[DEMO_LEARNER].id;
	done = &d->courses[0];
	for (i = 0; i < d->ncourses; i++) {
		if (d->courses[i].pool) {
			done = &d->courses[i];
			break;
		}
	}
	half = &d->courses[(done - d->courses + 1) % d->ncourses];
	next = &d->courses[(done - d->courses + 2) % d->ncourses];
	(void)snprintf(uid, sizeof(uid), "%lld", me);
	(void)snprintf(hr, sizeof(hr), "%lld", d->users[DEMO_HR].id);
	if (demo_mark(d, mark, sizeof(mark)) == -1 ||
	    db_exec(d->db, "INSERT INTO user_job_roles (user_id, role_id, "
	    "assigned_by) SELECT $1, id, $2 FROM job_roles WHERE code = "
	    "'operatore-sportello' ON CONFLICT DO NOTHING", 2, uid,
	    hr) == -1 || demo_shift(d, me, mark, d->now - 280 * DAY) == -1)
		return (demo_fail(d, "learner"));
	if (demo_history(d, me, done, done->pool ? done->ed_a : NULL,
	    d->now - 242 * DAY, d->now - 238 * DAY, 0, 99, 1, 1.0) == -1)
		return (-1);
	if (half != done && demo_history(d, me, half, NULL, d->now - 40 * DAY,
	    d->now - 38 * DAY, 0, (int)(half->nmods + 1) / 2, 0, 0.9) == -1)
		return (-1);
	if (next != done && next != half) {
		if ((res = db_query(d->db, "SELECT (current_date + 30)::text",
		    0)) == NULL)
			return (demo_fail(d, "learner"));
		xstrlcpy(due, db_value(res, 0, 0), sizeof(due));
		db_clear(res);
		if (demo_mark(d, mark, sizeof(mark)) == -1)
			return (-1);
		if (learn_enrol(d->db, me, next->slug, "assigned",
		    d->users[DEMO_HR].id, due, &created, &f) == -1)
			return (demo_failed(d, "learner", &f));
		if (demo_shift(d, me, mark, d->now - 6 * DAY) == -1)
			return (demo_fail(d, "learner"));
	}
	return (0);
}

/*
 * Badges through the job queue, as the server issues them; then the
 * issuer revokes one, as /issuer/badges does.
 */
static int
demo_badges(struct demo *d)
{
	struct pg_result	*res;
	struct fail		 f;
	char			 badge[64];
	int			 created, ran;

	if (badge_init(d->db, &created, &f) == -1)
		return (demo_failed(d, "issuer keys", &f));
	if (jobs_drain(d->db, 100000, &ran, &f) == -1)
		return (demo_failed(d, "jobs", &f));
	res = db_query(d->db, "SELECT b.id FROM badges b JOIN users u ON u.id "
	    "= b.user_id WHERE u.email LIKE '%@' || $1 AND b.revoked_at IS "
	    "NULL ORDER BY b.issued_at, b.id LIMIT 1", 1, DEMO_DOMAIN);
	if (res == NULL)
		return (demo_fail(d, "badges"));
	if (db_rows(res) == 1) {
		xstrlcpy(badge, db_value(res, 0, 0), sizeof(badge));
		db_clear(res);
		if (badge_revoke(d->db, badge, d->users[DEMO_ISSUER].id,
		    d->users[DEMO_ISSUER].a.email, "Rilasciato per errore: "
		    "iscrizione registrata due volte (DEMO)", "", &f) == -1)
			return (demo_failed(d, "revocation", &f));
	} else
		db_clear(res);
	res = db_query(d->db, "SELECT count(*), count(revoked_at) FROM badges",
	    0);
	if (res == NULL)
		return (demo_fail(d, "badges"));
	fprintf(d->out, "  demo: %d jobs run, %s badges (%s revoked)\n", ran,
	    db_value(res, 0, 0), db_value(res, 0, 1));
	db_clear(res);
	return (0);
}

/*
 * A few trainer's ratings (README.md, "Competence levels"): they replace
 * the rule for that competence, with the reason.
 */
static int
demo_ratings(struct demo *d)
{
	static const struct {
		int		 nth;
		const char	*comp;
		const char	*level;
		const char	*note;
	} r[] = {
		{ 3, "MED.2", "intermedio", "Ha condotto con la mediatrice tre "
		    "colloqui di accoglienza osservati in aula (DEMO)." },
		{ 8, "COO.1", "avanzato", "Coordina il tavolo con il terzo "
		    "settore del distretto da un anno (DEMO)." },
		{ 15, "DAT.1", "base", "Esercitazione sul registro dei "
		    "trattamenti svolta in aula (DEMO)." },
	};
	struct pg_result	*res;
	char			 by[NUMBUF], nth[NUMBUF], uid[NUMBUF];
	size_t			 i;

	(void)snprintf(by, sizeof(by), "%lld", d->users[DEMO_TRAINER].id);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		(void)snprintf(nth, sizeof(nth), "%d", r[i].nth);
		res = db_query(d->db, "SELECT id, email FROM users WHERE email "
		    "LIKE '%@' || $1 ORDER BY id OFFSET $2::int LIMIT 1", 2,
		    DEMO_DOMAIN, nth);
		if (res == NULL)
			return (demo_fail(d, "ratings"));
		if (db_rows(res) != 1) {
			db_clear(res);
			continue;
		}
		xstrlcpy(uid, db_value(res, 0, 0), sizeof(uid));
		if (db_begin(d->db) == -1 ||
		    db_exec(d->db, "INSERT INTO evidence (user_id, competence, "
		    "level, source, rating_level, note, rated_by, at) VALUES "
		    "($1, $2, $3, 'rating', $3, $4, $5, now() - interval "
		    "'20 days')", 5, uid, r[i].comp, r[i].level, r[i].note,
		    by) == -1 ||
		    db_exec(d->db, "SELECT competence_recompute_many(ARRAY["
		    "$1::bigint], ARRAY[$2::text])", 2, uid, r[i].comp) == -1 ||
		    audit_append(d->db, d->users[DEMO_TRAINER].a.email,
		    "competence.rate", db_value(res, 0, 1), r[i].comp, "") == -1 ||
		    db_commit(d->db) == -1) {
			db_clear(res);
			return (demo_fail(d, "ratings"));
		}
		db_clear(res);
	}
	return (0);
}

/*
 * Other demo data: one call each, after everything above (the demo
 * users exist; d->users[DEMO_*].id name them).
 */
static int
demo_extras(struct demo *d)
{
	/* Governance: rounds, ratings, an action plan (demo-governance.c). */
	if (gov_demo(d->db, ".", d->out) == -1) {
		buf_puts(d->err, "the governance demo failed");
		return (-1);
	}
	return (0);
}

static void
demo_free(struct demo *d)
{
	size_t	i;

	for (i = 0; i < d->ncourses; i++)
		free(d->courses[i].mods);
	free(d->courses);
}

/*
 * The demo: units and role users always (new passwords), the histories
 * of `people` people once. Progress and the passwords go to out; -1 with
 * a message in err.
 */
int
demo_run(struct db *db, int people, FILE *out, struct buf *err)
{
	struct pg_result	*res;
	struct demo		 d;
	int			 done, have;

	memset(&d, 0, sizeof(d));
	d.db = db;
	d.out = out;
	d.err = err;
	d.rng = 20251118ULL;
	if ((res = db_query(db, "SELECT extract(epoch FROM now()), EXISTS "
	    "(SELECT 1 FROM audit_log WHERE event = $1), EXISTS (SELECT 1 FROM "
	    "users WHERE email LIKE '%@' || $2)", 2, DEMO_MARK,
	    DEMO_DOMAIN)) == NULL)
		return (demo_fail(&d, "database"));
	d.now = strtod(db_value(res, 0, 0), NULL);
	done = strcmp(db_value(res, 0, 1), "t") == 0;
	have = strcmp(db_value(res, 0, 2), "t") == 0;
	db_clear(res);
	if (demo_courses(&d) == -1 || demo_units(&d) == -1 ||
	    demo_users(&d) == -1)
		goto fail;
	if (!done && have) {
		buf_puts(err, "the demo people exist but their histories are "
		    "incomplete (an earlier run stopped): start from an empty "
		    "database (delete var/)");
		goto fail;
	}
	if (!done) {
		fprintf(out, "  demo: %d people with nine months of history "
		    "(a minute or two)\n", people);
		if (demo_editions(&d) == -1 || demo_people(&d, people) == -1 ||
		    demo_learner(&d) == -1 || demo_badges(&d) == -1 ||
		    demo_ratings(&d) == -1)
			goto fail;
		if (audit_append(db, DEMO_ACTOR, DEMO_MARK, DEMO_AGENCY,
		    "demo histories", "") == -1) {
			(void)demo_fail(&d, "audit");
			goto fail;
		}
		fprintf(out, "  demo: %d enrolments, %d courses completed, %d "
		    "quiz attempts, %d pre/post tests\n\n", d.enrolments,
		    d.completions, d.attempts, d.tests);
	}
	if (demo_extras(&d) == -1)
		goto fail;
	demo_free(&d);
	return (0);
fail:
	demo_free(&d);
	return (-1);
}
