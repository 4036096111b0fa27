/*
 * demo-governance.c: the governance part of the demo data (bin/capacita
 * bootstrap --demo): the maturity model, two rounds (2025 closed, 2026
 * open), consolidated ratings of the five regions in 2025 and of four of
 * them in 2026 (Campania's 2026 round is left to do), the demo agency's
 * 2026 rating, an action plan of Campania from 2025, and demo users:
 * an assessor per region, Campania's HR office and a reviewer per
 * partner abroad. Everything is marked demo; run once (it does nothing
 * when the round 2025 exists).
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define DEMO_DIMS	7

static const char *const	demo_dims[DEMO_DIMS] = {
	"COORD", "ONESTOP", "PARTNER", "ACCESS", "DATA", "EVAL", "STAFF"
};

/* Consolidated levels, in the order of demo_dims. */
static const struct {
	const char	*round;
	const char	*org;
	int		 level[DEMO_DIMS];
} demo_ratings[] = {
	{ "2025", "basilicata",	{ 2, 1, 2, 2, 1, 1, 2 } },
	{ "2025", "calabria",	{ 2, 2, 1, 2, 1, 1, 2 } },
	{ "2025", "campania",	{ 3, 2, 2, 3, 2, 1, 2 } },
	{ "2025", "puglia",	{ 3, 3, 3, 2, 2, 2, 3 } },
	{ "2025", "sicilia",	{ 2, 2, 2, 3, 2, 1, 2 } },
	{ "2026", "basilicata",	{ 2, 2, 2, 2, 2, 1, 2 } },
	{ "2026", "calabria",	{ 3, 2, 2, 2, 1, 2, 2 } },
	{ "2026", "puglia",	{ 3, 3, 3, 3, 2, 2, 3 } },
	{ "2026", "sicilia",	{ 3, 2, 2, 3, 2, 2, 3 } },
	{ "2026", "demo-ente",	{ 2, 2, 1, 2, 1, 1, 2 } },
};

static const struct account_new demo_users[] = {
	{ "Demo - Valutatrice Basilicata",
	    "demo.valutatore.basilicata@example.org", "basilicata",
	    "assessor;learner", 1 },
	{ "Demo - Valutatore Calabria", "demo.valutatore.calabria@example.org",
	    "calabria", "assessor;learner", 1 },
	{ "Demo - Valutatrice Campania", "demo.valutatore.campania@example.org",
	    "campania", "assessor;learner", 1 },
	{ "Demo - Valutatore Puglia", "demo.valutatore.puglia@example.org",
	    "puglia", "assessor;learner", 1 },
	{ "Demo - Valutatrice Sicilia", "demo.valutatore.sicilia@example.org",
	    "sicilia", "assessor;learner", 1 },
	{ "Demo - Personale Regione Campania",
	    "demo.personale.campania@example.org", "campania", "hr;learner",
	    1 },
	{ "Demo - Reviewer United Kingdom", "demo.reviewer.uk@example.org",
	    "partner-uk", "reviewer", 1 },
	{ "Demo - Reviewer Deutschland", "demo.reviewer.de@example.org",
	    "partner-de", "reviewer", 1 },
	{ "Demo - Reviewer España", "demo.reviewer.es@example.org",
	    "partner-es", "reviewer", 1 },
	{ "Demo - Reviewer Ελλάδα", "demo.reviewer.gr@example.org",
	    "partner-gr", "reviewer", 1 },
	{ "Demo - Reviewer Portugal", "demo.reviewer.pt@example.org",
	    "partner-pt", "reviewer", 1 },
};

static int	demo_model(struct db *, const char *);
static int	demo_users_create(struct db *, FILE *, struct buf *);
static int	demo_rating(struct db *, size_t);

/* The model must be in the database before ratings can name it. */
static int
demo_model(struct db *db, const char *dir)
{
	struct gov_content	g;
	struct diaglist		dl;
	int			rc;

	diag_init(&dl);
	rc = gov_load(&g, dir, NULL, &dl);
	diag_print(stderr, &dl);
	diag_free(&dl);
	if (rc != 0 || g.model == NULL) {
		gov_content_free(&g);
		return (-1);
	}
	diag_init(&dl);
	rc = store_governance(db, &g, &dl);
	diag_print(stderr, &dl);
	diag_free(&dl);
	gov_content_free(&g);
	return (rc == 0 ? 0 : -1);
}

static int
demo_users_create(struct db *db, FILE *out, struct buf *err)
{
	struct fail		 f;
	char			 pw[AUTH_PASSWORD_LEN + 1], hash[AUTH_HASH_MAX];
	char			 uid[32];
	long long		 id;
	size_t			 i;

	fail_clear(&f);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		if (account_by_email(db, demo_users[i].email, &id, &f) == 0 &&
		    id != 0)
			continue;
		auth_random_password(pw);
		if (f.kind != FAIL_NONE || auth_hash_password(pw, hash) == -1 ||
		    account_create(db, &demo_users[i], &id, &f) == -1) {
			buf_puts(err, f.detail);
			return (-1);
		}
		(void)snprintf(uid, sizeof(uid), "%lld", id);
		if (db_exec(db, "UPDATE users SET password_hash = $2 WHERE "
		    "id = $1", 2, uid, hash) == -1)
			return (-1);
		fprintf(out, "    %-40s %-16s password: %s\n",
		    demo_users[i].email, demo_users[i].roles, pw);
	}
	return (0);
}

/* One consolidated assessment, reviewed by the UK demo reviewer. */
static int
demo_rating(struct db *db, size_t k)
{
	struct pg_result	*res;
	char			 aid[32], lv[16], self[16], peer[16];
	size_t			 d;

	if ((res = db_query(db, "INSERT INTO gov_assessments (round_id, "
	    "org_id, status, created_by, submitted_by, submitted_at, "
	    "reviewer_id, assigned_by, assigned_at, reviewed_at, answered_by, "
	    "answered_at, proposed_at, agreed_by, agreed_at) SELECT r.id, o.id, "
	    "'consolidated', a.id, a.id, now(), v.id, a.id, now(), now(), a.id, "
	    "now(), now(), a.id, now() FROM gov_rounds r, orgs o, users a, "
	    "users v WHERE r.code = $1 AND o.code = $2 AND a.email = "
	    "'demo.valutatore.' || (SELECT g.code FROM orgs g WHERE g.kind = "
	    "'region' AND o.path LIKE g.path || '%') || '@example.org' AND "
	    "v.email = 'demo.reviewer.uk@example.org' RETURNING id", 2,
	    demo_ratings[k].round, demo_ratings[k].org)) == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (0);	/* no such unit in this database */
	}
	xstrlcpy(aid, db_value(res, 0, 0), sizeof(aid));
	db_clear(res);
	for (d = 0; d < DEMO_DIMS; d++) {
		(void)snprintf(lv, sizeof(lv), "%d", demo_ratings[k].level[d]);
		/* The team rated itself a level higher where it was weak. */
		(void)snprintf(self, sizeof(self), "%d",
		    demo_ratings[k].level[d] < 3 ? demo_ratings[k].level[d] +
		    1 : demo_ratings[k].level[d]);
		(void)snprintf(peer, sizeof(peer), "%d",
		    demo_ratings[k].level[d]);
		if (db_exec(db, "INSERT INTO gov_ratings (assessment_id, "
		    "dimension, self_level, justification, evidence, "
		    "peer_level, peer_comment, answer, cons_level, cons_note) "
		    "VALUES ($1, $2, $3, 'Dati dimostrativi (DEMO).', "
		    "'Dati dimostrativi (DEMO).', $4, 'Demonstration data "
		    "(DEMO).', 'Dati dimostrativi (DEMO).', $5, "
		    "'Demonstration data (DEMO).')", 5, aid, demo_dims[d], self,
		    peer, lv) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Seed the governance demo from the content in dir. Prints the demo
 * users and their passwords on out. 0 done or already there, -1 error
 * (rolled back, the reason on stderr).
 */
int
gov_demo(struct db *db, const char *dir, FILE *out)
{
	struct pg_result	*res;
	struct buf		 err;
	size_t			 k;
	int			 there;

	if ((res = db_query(db, "SELECT count(*) FROM gov_rounds WHERE code "
	    "= '2025'", 0)) == NULL)
		return (-1);
	there = strcmp(db_value(res, 0, 0), "0") != 0;
	db_clear(res);
	if (there)
		return (0);
	if (demo_model(db, dir) == -1) {
		fprintf(stderr, "capacita: demo: the governance model in "
		    "%s/courses/governance cannot be read\n", dir);
		return (-1);
	}
	buf_init(&err, 128);
	if (db_begin(db) == -1)
		goto fail;
	fprintf(out, "  Governance demo (self-assessment, peer review, "
	    "benchmark) with these users:\n");
	if (demo_users_create(db, out, &err) == -1 ||
	    db_exec(db, "INSERT INTO gov_rounds (code, name, open) VALUES "
	    "('2025', 'Ciclo 2025', false), ('2026', 'Ciclo 2026', true)",
	    0) == -1)
		goto fail;
	for (k = 0; k < sizeof(demo_ratings) / sizeof(demo_ratings[0]); k++) {
		if (demo_rating(db, k) == -1)
			goto fail;
	}
	if (db_exec(db, "INSERT INTO gov_actions (assessment_id, dimension, "
	    "title, owner, due, status, notes, created_by, updated_by) SELECT "
	    "a.id, x.dim, x.title, x.owner, x.due::date, x.status, '', "
	    "a.created_by, a.created_by FROM gov_assessments a JOIN gov_rounds "
	    "r ON r.id = a.round_id AND r.code = '2025' JOIN orgs o ON o.id = "
	    "a.org_id AND o.code = 'campania', (VALUES ('EVAL', 'Piano di "
	    "valutazione del piano regionale (DEMO)', 'Ufficio "
	    "programmazione', '2026-03-31', 'started'), ('PARTNER', "
	    "'Avviso di co-programmazione con le associazioni (DEMO)', "
	    "'Dirigente politiche sociali', '2026-06-30', 'planned')) AS "
	    "x(dim, title, owner, due, status)", 0) == -1 ||
	    audit_append(db, "cli:demo", "demo.governance", "gov",
	    "demo rounds, ratings and users", "") == -1 ||
	    db_commit(db) == -1)
		goto fail;
	fprintf(out, "\n");
	buf_free(&err);
	return (0);
fail:
	fprintf(stderr, "capacita: governance demo failed: %s\n",
	    err.len > 0 ? err.data : db_error(db));
	db_rollback(db);
	buf_free(&err);
	return (-1);
}
