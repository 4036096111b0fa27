/*
 * generate.c: a synthetic organisation for benchmarks (make bench) and
 * scale tests: staff spread over agencies and offices of the five
 * regions, a generated framework of N competences with a question bank,
 * job roles, realistic evidence (people answer the questions of some
 * competences, more often right at lower levels) and training hours.
 *
 * Everything is done in SQL with generate_series and a seeded random(),
 * so a run is reproducible and fast: the data never passes through C.
 * Generated rows are recognisable: org codes "gen-...", e-mails
 * "...@gen.capacita.test", framework "generated", roles "gen-role-N".
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define GEN_BATCH	5000	/* people per level recomputation */

/*
 * The steps of generate(), in order, in one transaction; arg says what
 * $1 (and $2) stand for.
 */
enum gen_arg {
	GEN_NONE,
	GEN_COMP,	/* $1 the number of competences */
	GEN_STAFF,	/* $1 the number of people */
	GEN_SHARE,	/* $1 competences, $2 the share of banks answered */
	GEN_AGENCY,	/* $1 'agency' */
	GEN_OFFICE	/* $1 'office' */
};

static const struct gen_step {
	const char	*what;
	enum gen_arg	 arg;
	const char	*sql;
} gen_steps[] = {
	/* The framework, its levels, one area, the competences. */
	{ "framework", GEN_NONE, "INSERT INTO frameworks (slug, title, "
	    "summary, sha256) VALUES ('generated', 'Generated framework', "
	    "'Synthetic data for benchmarks.', repeat('0', 64))" },
	{ "levels", GEN_NONE, "INSERT INTO levels (framework_id, rank, name, "
	    "description) SELECT f.id, l.rank, l.name, '' FROM frameworks f, "
	    "(VALUES (1, 'gen-base'), (2, 'gen-intermedio'), (3, "
	    "'gen-avanzato')) AS l(rank, name) WHERE f.slug = 'generated'" },
	{ "area", GEN_NONE, "INSERT INTO competences (code, framework_id, "
	    "area, name, description, position, parent, depth, path) SELECT "
	    "'GEN', id, 'GEN', 'Generated', '', 1, NULL, 0, 'GEN' FROM "
	    "frameworks WHERE slug = 'generated'" },
	{ "competences", GEN_COMP, "INSERT INTO competences (code, "
	    "framework_id, area, name, description, position, parent, depth, "
	    "path) SELECT 'GEN.' || i, f.id, 'GEN', 'Generated competence ' || "
	    "i, 'Synthetic.', 1000 + i, 'GEN', 1, 'GEN/GEN.' || i FROM "
	    "frameworks f, generate_series(1, $1::int) i WHERE f.slug = "
	    "'generated'" },
	/* A question bank: three true/false questions per level. */
	{ "module", GEN_NONE, "INSERT INTO modules (slug) VALUES "
	    "('gen-bank')" },
	{ "version", GEN_NONE, "INSERT INTO module_versions (module_id, "
	    "version_no, sha256, title, lang, minutes, summary, source, html, "
	    "origin) SELECT id, 1, repeat('1', 64), 'Generated question bank', "
	    "'it', 60, 'Synthetic.', '', '', 'import' FROM modules WHERE slug "
	    "= 'gen-bank'" },
	{ "current", GEN_NONE, "UPDATE modules SET current_version_id = "
	    "(SELECT id FROM module_versions v WHERE v.module_id = modules.id) "
	    "WHERE slug = 'gen-bank'" },
	{ "questions", GEN_COMP, "INSERT INTO questions (version_id, position, "
	    "line, type, text, text_html, competence, level, truth) SELECT "
	    "v.id, row_number() OVER (), 1, 'truefalse', 'GEN.' || c || ' ' || "
	    "l.name || ' #' || k, '', 'GEN.' || c, l.name, true FROM "
	    "module_versions v JOIN modules m ON m.id = v.module_id, "
	    "generate_series(1, $1::int) c, (VALUES (1, 'gen-base'), (2, "
	    "'gen-intermedio'), (3, 'gen-avanzato')) AS l(rank, name), "
	    "generate_series(1, 3) k WHERE m.slug = 'gen-bank'" },
	/*
	 * Agencies (20 per region) and offices (10 per agency); their paths
	 * below the parents', the agencies' first.
	 */
	{ "agencies", GEN_NONE, "INSERT INTO orgs (parent_id, kind, code, "
	    "name, path) SELECT r.id, 'agency', 'gen-' || r.code || '-' || a, "
	    "'Ente generato ' || a || ' (' || r.name || ')', '' FROM orgs r, "
	    "generate_series(1, 20) a WHERE r.kind = 'region'" },
	{ "offices", GEN_NONE, "INSERT INTO orgs (parent_id, kind, code, name, "
	    "path) SELECT g.id, 'office', g.code || '-u' || u, 'Ufficio ' || u "
	    "|| ' di ' || g.name, '' FROM orgs g, generate_series(1, 10) u "
	    "WHERE g.kind = 'agency' AND g.code LIKE 'gen-%'" },
	{ "paths", GEN_AGENCY, "UPDATE orgs o SET path = p.path || o.id || '/' "
	    "FROM orgs p WHERE o.parent_id = p.id AND o.code LIKE 'gen-%' AND "
	    "o.kind = $1" },
	{ "paths", GEN_OFFICE, "UPDATE orgs o SET path = p.path || o.id || '/' "
	    "FROM orgs p WHERE o.parent_id = p.id AND o.code LIKE 'gen-%' AND "
	    "o.kind = $1" },
	/* Staff, round-robin over the offices. */
	{ "users", GEN_STAFF, "WITH offices AS (SELECT id, row_number() OVER "
	    "(ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM orgs WHERE "
	    "kind = 'office' AND code LIKE 'gen-%') INSERT INTO users (name, "
	    "email, org_id) SELECT 'Persona ' || i, 'p' || i || "
	    "'@gen.capacita.test', o.id FROM generate_series(1, $1::int) i "
	    "JOIN offices o ON o.n = i % o.total" },
	/*
	 * Six job roles requiring eight competences each, at a level that rises
	 * with the role; everyone holds one, one in five a second.
	 */
	{ "roles", GEN_NONE, "INSERT INTO job_roles (code, name) SELECT "
	    "'gen-role-' || r, 'Generated role ' || r FROM generate_series(1, "
	    "6) r" },
	{ "requirements", GEN_COMP, "INSERT INTO job_role_requirements "
	    "(role_id, competence, rank) SELECT j.id, 'GEN.' || (1 + (r * 5 + "
	    "k * 3) % $1::int), 1 + (r + k) % 3 FROM job_roles j, "
	    "generate_series(1, 6) r, generate_series(0, 7) k WHERE j.code = "
	    "'gen-role-' || r ON CONFLICT DO NOTHING" },
	{ "assignments", GEN_NONE, "INSERT INTO user_job_roles (user_id, "
	    "role_id) SELECT u.id, j.id FROM users u JOIN job_roles j ON "
	    "j.code = 'gen-role-' || (1 + u.id % 6) WHERE u.email LIKE "
	    "'%@gen.capacita.test'" },
	{ "assignments", GEN_NONE, "INSERT INTO user_job_roles (user_id, "
	    "role_id) SELECT u.id, j.id FROM users u JOIN job_roles j ON "
	    "j.code = 'gen-role-' || (1 + (u.id + 3) % 6) WHERE u.email LIKE "
	    "'%@gen.capacita.test' AND u.id % 5 = 0 ON CONFLICT DO NOTHING" },
	/*
	 * Evidence: each person answered the bank of some competences, every
	 * question of a level up to a random top level; right with probability
	 * 0.9, 0.75, 0.6 by level.
	 */
	{ "evidence", GEN_SHARE, "INSERT INTO evidence (user_id, competence, "
	    "level, source, question_id, correct, at) SELECT p.user_id, "
	    "q.competence, q.level, 'answer', q.id, random() < CASE lv.rank "
	    "WHEN 1 THEN 0.9 WHEN 2 THEN 0.75 ELSE 0.6 END, now() - (random() "
	    "* interval '300 days') FROM (SELECT u.id AS user_id, c, 1 + "
	    "floor(random() * 3)::int AS top FROM users u, generate_series(1, "
	    "$1::int) c WHERE u.email LIKE '%@gen.capacita.test' AND random() "
	    "< $2::float8) p JOIN questions q ON q.competence = 'GEN.' || p.c "
	    "JOIN levels lv ON lv.name = q.level AND lv.framework_id = (SELECT "
	    "id FROM frameworks WHERE slug = 'generated') WHERE lv.rank <= "
	    "p.top" },
	/* Training hours this year: 0 to 60, a fifth with none. */
	{ "hours", GEN_NONE, "INSERT INTO hours_ledger (user_id, year, hours, "
	    "source, ref, description) SELECT id, extract(year FROM "
	    "now())::int, round((random() * 60)::numeric, 1), 'course', 'gen-' "
	    "|| id, 'Generated' FROM users WHERE email LIKE "
	    "'%@gen.capacita.test' AND random() >= 0.2" },
};

static int	gen_exec(struct db *, struct buf *, const char *, const char *,
		    int, ...);
static int	gen_levels(struct db *, struct buf *);

static int
gen_exec(struct db *db, struct buf *err, const char *what, const char *sql,
    int n, ...)
{
	const char	*params[8];
	struct pg_result *res;
	va_list		 ap;
	int		 i;

	va_start(ap, n);
	for (i = 0; i < n && i < 8; i++)
		params[i] = va_arg(ap, const char *);
	va_end(ap);
	if ((res = db_queryv(db, sql, n, params)) == NULL) {
		buf_printf(err, "%s: %s", what, db_error(db));
		return (-1);
	}
	db_clear(res);
	return (0);
}

/* Levels, in batches so that no transaction grows too large. */
static int
gen_levels(struct db *db, struct buf *err)
{
	struct pg_result	*res;
	char			 lo[16], hi[16];
	int			 max, from;

	if ((res = db_query(db, "SELECT coalesce(min(id), 0), "
	    "coalesce(max(id), -1) FROM users WHERE email LIKE "
	    "'%@gen.capacita.test'", 0)) == NULL) {
		buf_printf(err, "levels: %s", db_error(db));
		return (-1);
	}
	from = atoi(db_value(res, 0, 0));
	max = atoi(db_value(res, 0, 1));
	db_clear(res);
	for (; from <= max; from += GEN_BATCH) {
		(void)snprintf(lo, sizeof(lo), "%d", from);
		(void)snprintf(hi, sizeof(hi), "%d", from + GEN_BATCH - 1);
		if (gen_exec(db, err, "levels", "SELECT "
		    "competence_recompute_many(array_agg(id)) FROM users WHERE "
		    "id BETWEEN $1::bigint AND $2::bigint AND email LIKE "
		    "'%@gen.capacita.test'", 2, lo, hi) == -1)
			return (-1);
	}
	/* Fresh statistics, or the planner guesses from empty tables. */
	if (gen_exec(db, err, "analyze", "ANALYZE", 0) == -1)
		return (-1);
	return (0);
}

/*
 * Generate staff people with competences competences and about answers
 * graded answers each. Returns 0, or -1
 * with a message in err (and nothing written: one transaction, but for
 * the level recomputation, which runs in batches afterwards).
 */
int
generate(struct db *db, int staff, int competences, int answers, int seed,
    struct buf *err)
{
	const struct gen_step	*s;
	struct pg_result	*res;
	char			 nstaff[16], ncomp[16], sseed[32], share[32];
	double			 p;
	size_t			 i;
	int			 rc;

	/*
	 * A person answers the bank of a competence with probability p, 6
	 * questions on average (3 per level, up to a random top level of
	 * 1 to 3): p = answers / (6 x competences) gives the mean asked.
	 */
	p = (double)answers / (6.0 * competences);
	if (p > 1)
		p = 1;
	(void)snprintf(share, sizeof(share), "%f", p);
	(void)snprintf(nstaff, sizeof(nstaff), "%d", staff);
	(void)snprintf(ncomp, sizeof(ncomp), "%d", competences);
	(void)snprintf(sseed, sizeof(sseed), "%f", (seed % 1000) / 1000.0);

	if (db_begin(db) == -1) {
		buf_printf(err, "begin: %s", db_error(db));
		return (-1);
	}
	if ((res = db_query(db, "SELECT 1 FROM frameworks WHERE slug = "
	    "'generated'", 0)) == NULL) {
		buf_printf(err, "%s", db_error(db));
		goto out;
	}
	if (db_rows(res) > 0) {
		db_clear(res);
		buf_puts(err, "generated data is already there: start from an "
		    "empty database");
		goto out;
	}
	db_clear(res);
	if (gen_exec(db, err, "seed", "SELECT setseed($1::float8)", 1,
	    sseed) == -1)
		goto out;
	for (i = 0; i < sizeof(gen_steps) / sizeof(gen_steps[0]); i++) {
		s = &gen_steps[i];
		switch (s->arg) {
		case GEN_NONE:
			rc = gen_exec(db, err, s->what, s->sql, 0);
			break;
		case GEN_COMP:
			rc = gen_exec(db, err, s->what, s->sql, 1, ncomp);
			break;
		case GEN_STAFF:
			rc = gen_exec(db, err, s->what, s->sql, 1, nstaff);
			break;
		case GEN_SHARE:
			rc = gen_exec(db, err, s->what, s->sql, 2, ncomp,
			    share);
			break;
		default:
			rc = gen_exec(db, err, s->what, s->sql, 1,
			    s->arg == GEN_AGENCY ? "agency" : "office");
			break;
		}
		if (rc == -1)
			goto out;
	}
	if (db_commit(db) == -1) {
		buf_printf(err, "commit: %s", db_error(db));
		return (-1);
	}
	return (gen_levels(db, err));
out:
	db_rollback(db);
	return (-1);
}

/*
 * People for the demo (demo.c): n staff with Italian names spread over
 * the given offices in turn, marked demo, e-mail name.surname.N@domain.
 * Deterministic: the same n and offices give the same people. In the
 * caller's transaction; -1 with a message in err.
 */
int
generate_people(struct db *db, const char *const *offices, size_t noffices,
    int n, const char *domain, struct buf *err)
{
	static const char *const first[] = {
		"Giulia", "Francesco", "Chiara", "Alessandro", "Martina",
		"Lorenzo", "Sara", "Matteo", "Francesca", "Andrea", "Federica",
		"Giuseppe", "Valentina", "Antonio", "Elena", "Salvatore",
		"Anna", "Vincenzo", "Rosaria", "Nicolò", "Carmela", "Domenico",
		"Ilaria", "Pasquale", "Teresa", "Gabriele", "Lucia", "Raffaele",
		"Annalisa", "Michele", "Simona", "Gennaro", "Marianna",
		"Fabrizio", "Concetta", "Emanuele", "Agnese", "Cosimo",
		"Noemi", "Rocco",
	};
	static const char *const last[] = {
		"Esposito", "Russo", "Romano", "Colombo", "Ricci", "Marino",
		"Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini",
		"Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri",
		"Ferrara", "Santoro", "Caruso", "D'Amico", "Cirillo", "Fiore",
		"Pellegrino", "Coppola", "Messina", "Sorrentino", "Palumbo",
		"Longo", "Leone", "Martinelli", "Vitale", "Serra", "Lo Russo",
		"Nicolò", "Parisi", "Amato", "Sanna", "Basile", "Catalano",
		"Marchetti", "Cocco", "Guerra", "Làconi",
	};
	struct buf	 names, surnames, units;
	char		 num[16];
	size_t		 i;
	int		 rc;

	buf_init(&names, 512);
	buf_init(&surnames, 512);
	buf_init(&units, 256);
	for (i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		pg_array_add(&names, first[i]);
	for (i = 0; i < sizeof(last) / sizeof(last[0]); i++)
		pg_array_add(&surnames, last[i]);
	for (i = 0; i < noffices; i++)
		pg_array_add(&units, offices[i]);
	pg_array_end(&names);
	pg_array_end(&surnames);
	pg_array_end(&units);
	(void)snprintf(num, sizeof(num), "%d", n);
	/*
	 * Person i: first name i mod 40, surname i * 7 mod 45 (coprime
	 * strides, so names repeat late), office i mod the offices. The
	 * e-mail folds accents and drops spaces and apostrophes.
	 */
	rc = gen_exec(db, err, "people", "WITH a AS (SELECT $1::text[] AS f, "
	    "$2::text[] AS l, $3::text[] AS u), p AS (SELECT i, a.f[1 + i % "
	    "cardinality(a.f)] AS f, a.l[1 + (i * 7) % cardinality(a.l)] AS l, "
	    "a.u[1 + i % cardinality(a.u)] AS u FROM a, generate_series(1, "
	    "$4::int) i) INSERT INTO users (name, email, org_id, demo) SELECT "
	    "p.f || ' ' || p.l, translate(lower(p.f || '.' || p.l), "
	    "'àèéìòù '' ', 'aeeiou') || '.' || p.i || '@' || $5, o.id, true "
	    "FROM p JOIN orgs o ON o.code = p.u ORDER BY p.i ON CONFLICT DO "
	    "NOTHING", 5, names.data, surnames.data, units.data, num, domain);
	buf_free(&names);
	buf_free(&surnames);
	buf_free(&units);
	return (rc);
}
