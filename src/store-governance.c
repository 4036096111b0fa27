/*
 * store-governance.c: the governance maturity model and practice cards
 * in the database, rounds, self-assessments with their peer review and
 * consolidated rating, action plans and the benchmark's rows. Every
 * SELECT fills structs (its columns named by the enum beside it); every
 * change writes its audit row in the same transaction.
 *
 * Errors: -1 with err holding a message key of assets/i18n (the
 * person's mistake, answered 400) or empty (the database, 503); -2 when
 * the thing asked for does not exist for this user (404).
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUM	32

static char	*col(struct pg_result *, int, int);
static long long col_ll(struct pg_result *, int, int);
static int	col_int(struct pg_result *, int, int);
static int	level_of(const char *, int);
static const char *field(const struct form *, const char *, const char *);
static int	store_model(struct db *, const struct gov_model *);
static int	store_practice(struct db *, const struct gov_practice *);
static int	status_set(struct db *, long long, const char *,
		    const char *, const char *, long long, const char *);

static char *
col(struct pg_result *res, int row, int c)
{
	return (xstrdup(db_isnull(res, row, c) ? "" : db_value(res, row, c)));
}

static long long
col_ll(struct pg_result *res, int row, int c)
{
	return (db_isnull(res, row, c) ? 0 :
	    strtoll(db_value(res, row, c), NULL, 10));
}

static int
col_int(struct pg_result *res, int row, int c)
{
	return ((int)col_ll(res, row, c));
}

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

/* --- Import ---------------------------------------------------------- */

static int
store_model(struct db *db, const struct gov_model *m)
{
	const struct gov_dimension	*d;
	struct pg_result		*res;
	struct buf			 comps, srcs;
	char				 n[NUM], pos[NUM];
	size_t				 i, j;
	int				 same, k;

	if ((res = db_query(db, "SELECT sha256 = $1 FROM gov_model", 1,
	    m->sha256)) == NULL)
		return (-1);
	same = db_rows(res) == 1 && strcmp(db_value(res, 0, 0), "t") == 0;
	db_clear(res);
	if (same)
		return (0);
	(void)snprintf(n, sizeof(n), "%zu", m->nlevels);
	if (db_exec(db, "INSERT INTO gov_model (slug, sha256, title_it, "
	    "title_en, summary_it, summary_en, levels) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7) ON CONFLICT (one) DO UPDATE SET slug = $1, "
	    "sha256 = $2, title_it = $3, title_en = $4, summary_it = $5, "
	    "summary_en = $6, levels = $7, imported_at = now()", 7, m->slug,
	    m->sha256, m->title[LANG_IT], m->title[LANG_EN],
	    m->summary[LANG_IT], m->summary[LANG_EN], n) == -1 ||
	    db_exec(db, "DELETE FROM gov_level_names", 0) == -1 ||
	    db_exec(db, "DELETE FROM gov_levels", 0) == -1 ||
	    db_exec(db, "DELETE FROM gov_sources", 0) == -1 ||
	    db_exec(db, "UPDATE gov_dimensions SET retired = true", 0) == -1)
		return (-1);
	for (i = 0; i < m->nlevels; i++) {
		(void)snprintf(n, sizeof(n), "%zu", i + 1);
		if (db_exec(db, "INSERT INTO gov_level_names VALUES ($1, $2, "
		    "$3)", 3, n, m->level_names[i][LANG_IT],
		    m->level_names[i][LANG_EN]) == -1)
			return (-1);
	}
	for (i = 0; i < m->nsources; i++) {
		if (db_exec(db, "INSERT INTO gov_sources VALUES ($1, $2, $3)",
		    3, m->sources[i].key, m->sources[i].url,
		    m->sources[i].title) == -1)
			return (-1);
	}
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		buf_init(&comps, 64);
		buf_init(&srcs, 64);
		for (j = 0; j < d->ncompetences; j++)
			pg_array_add(&comps, d->competences[j]);
		pg_array_end(&comps);
		for (j = 0; j < d->nsources; j++)
			pg_array_add(&srcs, d->sources[j]);
		pg_array_end(&srcs);
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		k = db_exec(db, "INSERT INTO gov_dimensions (code, position, "
		    "name_it, name_en, text_it, text_en, competences, sources) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) "
		    "DO UPDATE SET position = $2, name_it = $3, name_en = $4, "
		    "text_it = $5, text_en = $6, competences = $7, sources = $8, "
		    "retired = false", 8, d->code, pos, d->name[LANG_IT],
		    d->name[LANG_EN], d->text[LANG_IT], d->text[LANG_EN],
		    comps.data, srcs.data);
		buf_free(&comps);
		buf_free(&srcs);
		if (k == -1)
			return (-1);
		for (j = 0; j < d->nlevels; j++) {
			(void)snprintf(n, sizeof(n), "%zu", j + 1);
			if (db_exec(db, "INSERT INTO gov_levels VALUES ($1, $2, "
			    "$3, $4, $5, $6)", 6, d->code, n,
			    d->levels[j].text[LANG_IT],
			    d->levels[j].text[LANG_EN],
			    d->levels[j].evidence[LANG_IT],
			    d->levels[j].evidence[LANG_EN]) == -1)
				return (-1);
		}
	}
	return (1);
}

static int
store_practice(struct db *db, const struct gov_practice *c)
{
	struct buf	 md, dims, srcs, search;
	char		*html[LANG_MAX], *fold;
	size_t		 i;
	int		 k, rc;

	buf_init(&dims, 64);
	buf_init(&srcs, 256);
	buf_init(&search, 4096);
	for (i = 0; i < c->ndimensions; i++)
		pg_array_add(&dims, c->dimensions[i]);
	pg_array_end(&dims);
	for (i = 0; i < c->nsources; i++)
		buf_printf(&srcs, "%s\t%s\n", c->sources[i],
		    c->source_titles[i]);
	buf_printf(&search, "%s %s %s %s %s %s ", c->title[LANG_IT],
	    c->title[LANG_EN], c->region, c->sector[LANG_IT],
	    c->sector[LANG_EN], c->country);
	for (k = 0; k < LANG_MAX; k++) {
		buf_init(&md, 4096);
		gov_practice_markdown(c, (enum lang)k, &md);
		buf_puts(&search, md.data);
		html[k] = md_render(md.data, md.len);
		buf_free(&md);
	}
	fold = text_fold(search.data);
	rc = db_exec(db, "INSERT INTO gov_practices (slug, sha256, country, "
	    "region, title_it, title_en, sector_it, sector_en, contact_it, "
	    "contact_en, html_it, html_en, sources, dimensions, search) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
	    "$15) ON CONFLICT (slug) DO UPDATE SET sha256 = $2, country = $3, "
	    "region = $4, title_it = $5, title_en = $6, sector_it = $7, "
	    "sector_en = $8, contact_it = $9, contact_en = $10, html_it = $11, "
	    "html_en = $12, sources = $13, dimensions = $14, search = $15, "
	    "retired = false", 15, c->slug, c->sha256, c->country, c->region,
	    c->title[LANG_IT], c->title[LANG_EN], c->sector[LANG_IT],
	    c->sector[LANG_EN], c->contact[LANG_IT], c->contact[LANG_EN],
	    html[LANG_IT], html[LANG_EN], srcs.data, dims.data, fold);
	free(fold);
	for (k = 0; k < LANG_MAX; k++)
		free(html[k]);
	buf_free(&dims);
	buf_free(&srcs);
	buf_free(&search);
	return (rc);
}

/*
 * The model and the cards, each in its own transaction; cards no longer
 * in the directory are retired. Returns the number of failures.
 */
int
store_governance(struct db *db, const struct gov_content *g,
    struct diaglist *dl)
{
	struct buf	slugs;
	size_t		i;
	int		failed;

	failed = 0;
	if (g->model != NULL) {
		if (db_begin(db) == -1 || store_model(db, g->model) == -1 ||
		    db_commit(db) == -1) {
			diag_add(dl, g->model->path, 0, "not stored: %s",
			    db_error(db));
			db_rollback(db);
			return (1);
		}
	}
	buf_init(&slugs, 256);
	for (i = 0; i < g->npractices; i++) {
		pg_array_add(&slugs, g->practices[i]->slug);
		if (db_begin(db) == -1 ||
		    store_practice(db, g->practices[i]) == -1 ||
		    db_commit(db) == -1) {
			diag_add(dl, g->practices[i]->path, 0, "not stored: "
			    "%s", db_error(db));
			db_rollback(db);
			failed++;
		}
	}
	pg_array_end(&slugs);
	if (g->model != NULL && db_exec(db, "UPDATE gov_practices SET "
	    "retired = true WHERE NOT slug = ANY($1::text[])", 1,
	    slugs.data) == -1)
		failed++;
	buf_free(&slugs);
	return (failed);
}

/* --- The model ------------------------------------------------------- */

/*
 * The model as stored, in the core's structure (both languages), or
 * NULL when none was imported (*rc 0) or the database failed (*rc -1).
 */
struct gov_model *
gov_model_load(struct db *db, int *rc)
{
	enum { D_CODE, D_NAME_IT, D_NAME_EN, D_TEXT_IT, D_TEXT_EN, D_COMPS,
	    D_SOURCES };
	enum { L_DIM, L_LEVEL, L_TEXT_IT, L_TEXT_EN, L_EV_IT, L_EV_EN };
	struct pg_result	*res;
	struct gov_model	*m;
	struct gov_dimension	*d;
	struct gov_level	*lv;
	size_t			 i, j;
	int			 n;

	*rc = -1;
	if ((res = db_query(db, "SELECT slug, sha256, title_it, title_en, "
	    "summary_it, summary_en, levels FROM gov_model", 0)) == NULL)
		return (NULL);
	if (db_rows(res) != 1) {
		db_clear(res);
		*rc = 0;
		return (NULL);
	}
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup("gov_model");
	m->slug = col(res, 0, 0);
	xstrlcpy(m->sha256, db_value(res, 0, 1), sizeof(m->sha256));
	m->title[LANG_IT] = col(res, 0, 2);
	m->title[LANG_EN] = col(res, 0, 3);
	m->summary[LANG_IT] = col(res, 0, 4);
	m->summary[LANG_EN] = col(res, 0, 5);
	db_clear(res);

	if ((res = db_query(db, "SELECT name_it, name_en FROM "
	    "gov_level_names ORDER BY level LIMIT " STRINGIFY(GOV_LEVELS_MAX),
	    0)) == NULL)
		goto fail;
	for (i = 0; i < (size_t)db_rows(res); i++) {
		m->level_names[i][LANG_IT] = col(res, (int)i, 0);
		m->level_names[i][LANG_EN] = col(res, (int)i, 1);
	}
	m->nlevels = (size_t)db_rows(res);
	db_clear(res);

	if ((res = db_query(db, "SELECT key, url, title FROM gov_sources "
	    "ORDER BY key", 0)) == NULL)
		goto fail;
	m->sources = xcalloc((size_t)db_rows(res) + 1, sizeof(*m->sources));
	for (i = 0; i < (size_t)db_rows(res); i++) {
		m->sources[i].key = col(res, (int)i, 0);
		m->sources[i].url = col(res, (int)i, 1);
		m->sources[i].title = col(res, (int)i, 2);
	}
	m->nsources = (size_t)db_rows(res);
	db_clear(res);

	if ((res = db_query(db, "SELECT code, name_it, name_en, text_it, "
	    "text_en, array_to_string(competences, ' '), "
	    "array_to_string(sources, ' ') FROM gov_dimensions WHERE NOT "
	    "retired ORDER BY position", 0)) == NULL)
		goto fail;
	n = db_rows(res);
	m->dims = xcalloc((size_t)n + 1, sizeof(*m->dims));
	for (i = 0; i < (size_t)n; i++) {
		d = &m->dims[i];
		d->code = col(res, (int)i, D_CODE);
		d->name[LANG_IT] = col(res, (int)i, D_NAME_IT);
		d->name[LANG_EN] = col(res, (int)i, D_NAME_EN);
		d->text[LANG_IT] = col(res, (int)i, D_TEXT_IT);
		d->text[LANG_EN] = col(res, (int)i, D_TEXT_EN);
		d->competences = NULL;
		(void)gov_words(db_value(res, (int)i, D_COMPS), &d->competences,
		    &d->ncompetences);
		(void)gov_words(db_value(res, (int)i, D_SOURCES), &d->sources,
		    &d->nsources);
	}
	m->ndims = (size_t)n;
	db_clear(res);

	if ((res = db_query(db, "SELECT l.dimension, l.level, l.text_it, "
	    "l.text_en, l.evidence_it, l.evidence_en FROM gov_levels l JOIN "
	    "gov_dimensions d ON d.code = l.dimension WHERE NOT d.retired "
	    "ORDER BY d.position, l.level", 0)) == NULL)
		goto fail;
	for (j = 0; j < (size_t)db_rows(res); j++) {
		for (i = 0; i < m->ndims; i++) {
			if (strcmp(m->dims[i].code, db_value(res, (int)j,
			    L_DIM)) == 0)
				break;
		}
		if (i == m->ndims || m->dims[i].nlevels >= GOV_LEVELS_MAX)
			continue;
		lv = &m->dims[i].levels[m->dims[i].nlevels++];
		lv->text[LANG_IT] = col(res, (int)j, L_TEXT_IT);
		lv->text[LANG_EN] = col(res, (int)j, L_TEXT_EN);
		lv->evidence[LANG_IT] = col(res, (int)j, L_EV_IT);
		lv->evidence[LANG_EN] = col(res, (int)j, L_EV_EN);
		(void)L_LEVEL;
	}
	db_clear(res);
	*rc = 1;
	return (m);
fail:
	gov_model_free(m);
	return (NULL);
}

/*
 * The courses that build any of a dimension's competences, as
 * "slug\ttitle\n" lines (the order of the catalogue).
 */
int
gov_courses(struct db *db, const struct gov_dimension *d, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 codes;
	size_t			 i;
	int			 r;

	buf_init(&codes, 64);
	for (i = 0; i < d->ncompetences; i++)
		pg_array_add(&codes, d->competences[i]);
	pg_array_end(&codes);
	res = db_query(db, "SELECT c.slug, c.title FROM courses c WHERE "
	    "EXISTS (SELECT 1 FROM course_competences cc WHERE cc.course_id = "
	    "c.id AND cc.competence = ANY($1::text[])) ORDER BY c.title", 1,
	    codes.data);
	buf_free(&codes);
	if (res == NULL)
		return (-1);
	for (r = 0; r < db_rows(res); r++)
		buf_printf(out, "%s\t%s\n", db_value(res, r, 0),
		    db_value(res, r, 1));
	db_clear(res);
	return (0);
}

/* --- Practice cards -------------------------------------------------- */

int
gov_practices_find(struct db *db, const struct gov_practice_query *q,
    struct gov_card **out, size_t *n)
{
	enum { C_SLUG, C_COUNTRY, C_REGION, C_TITLE, C_SECTOR, C_CONTACT,
	    C_HTML, C_SOURCES, C_DIMS };
	struct pg_result	*res;
	struct gov_card		*c;
	char			*fold, lang[3];
	int			 i;

	*out = NULL;
	*n = 0;
	xstrlcpy(lang, i18n_lang_code(q->lang), sizeof(lang));
	fold = text_fold(q->text != NULL ? q->text : "");
	res = db_query(db, "SELECT slug, country, region, CASE WHEN $1 = 'en' "
	    "THEN title_en ELSE title_it END, CASE WHEN $1 = 'en' THEN "
	    "sector_en ELSE sector_it END, CASE WHEN $1 = 'en' THEN contact_en "
	    "ELSE contact_it END, CASE WHEN $1 = 'en' THEN html_en ELSE "
	    "html_it END, sources, array_to_string(dimensions, ' ') FROM "
	    "gov_practices WHERE NOT retired AND ($2 = '' OR strpos(search, "
	    "$2) > 0) AND ($3 = '' OR country = $3) AND ($4 = '' OR $4 = "
	    "ANY(dimensions)) AND ($5 = '' OR slug = $5) ORDER BY country = "
	    "'IT' DESC, country, slug", 5, lang, fold, q->country != NULL ?
	    q->country : "", q->dimension != NULL ? q->dimension : "",
	    q->slug != NULL ? q->slug : "");
	free(fold);
	if (res == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < db_rows(res); i++) {
		c = &(*out)[i];
		c->slug = col(res, i, C_SLUG);
		xstrlcpy(c->country, db_value(res, i, C_COUNTRY),
		    sizeof(c->country));
		c->region = col(res, i, C_REGION);
		c->title = col(res, i, C_TITLE);
		c->sector = col(res, i, C_SECTOR);
		c->contact = col(res, i, C_CONTACT);
		c->html = col(res, i, C_HTML);
		c->sources = col(res, i, C_SOURCES);
		c->dimensions = col(res, i, C_DIMS);
	}
	db_clear(res);
	return (0);
}

void
gov_cards_free(struct gov_card *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].slug);
		free(c[i].region);
		free(c[i].title);
		free(c[i].sector);
		free(c[i].contact);
		free(c[i].html);
		free(c[i].sources);
		free(c[i].dimensions);
	}
	free(c);
}

/* --- Rounds ---------------------------------------------------------- */

int
gov_rounds_list(struct db *db, struct gov_round **out, size_t *n)
{
	struct pg_result	*res;
	int			 i;

	*out = NULL;
	*n = 0;
	if ((res = db_query(db, "SELECT id, code, name, open FROM gov_rounds "
	    "ORDER BY id DESC", 0)) == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < db_rows(res); i++) {
		(*out)[i].id = col_ll(res, i, 0);
		xstrlcpy((*out)[i].code, db_value(res, i, 1),
		    sizeof((*out)[i].code));
		(*out)[i].name = col(res, i, 2);
		(*out)[i].open = strcmp(db_value(res, i, 3), "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
gov_rounds_free(struct gov_round *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(r[i].name);
	free(r);
}

/* Open a new round (the earlier ones are closed to new assessments). */
int
gov_round_open(struct db *db, const char *code, const char *name,
    const char *actor, const char *ip, struct buf *err)
{
	struct pg_result	*res;

	if (!slug_valid(code) || strlen(code) > 40) {
		buf_puts(err, "gov.err_round_code");
		return (-1);
	}
	if (*name == '\0' || utf8_strlen(name) > 200) {
		buf_puts(err, "gov.err_round_name");
		return (-1);
	}
	if (db_begin(db) == -1 || db_exec(db, "UPDATE gov_rounds SET open = "
	    "false", 0) == -1)
		return (-1);
	if ((res = db_query(db, "INSERT INTO gov_rounds (code, name) VALUES "
	    "($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id", 2, code,
	    name)) == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, "gov.err_round_used");
		return (-1);
	}
	db_clear(res);
	if (audit_append(db, actor, "gov.round.open", code, name, ip) == -1 ||
	    db_commit(db) == -1)
		return (-1);
	return (0);
}

/* --- Assessments ------------------------------------------------------ */

/*
 * The assessments a person may see: those of units inside scope (a
 * subtree path, "/" for everything) and those reviewed by reviewer
 * (0 for none); round 0 for every round.
 */
int
gov_assessments_list(struct db *db, const char *scope, long long reviewer,
    long long round, struct gov_assessment **out, size_t *n)
{
	enum { A_ID, A_ROUND, A_ROUND_CODE, A_ROUND_NAME, A_ORG, A_ORG_NAME,
	    A_STATUS, A_REVIEWER, A_REVIEWER_NAME, A_PARTNER };
	struct gov_assessment	*a;
	struct pg_result	*res;
	char			 rid[NUM], rnd[NUM];
	int			 i;

	*out = NULL;
	*n = 0;
	(void)snprintf(rid, sizeof(rid), "%lld", reviewer);
	(void)snprintf(rnd, sizeof(rnd), "%lld", round);
	if ((res = db_query(db, "SELECT a.id, a.round_id, r.code, r.name, "
	    "a.org_id, o.name, a.status, a.reviewer_id, u.name, p.name FROM "
	    "gov_assessments a JOIN gov_rounds r ON r.id = a.round_id JOIN "
	    "orgs o ON o.id = a.org_id LEFT JOIN users u ON u.id = "
	    "a.reviewer_id LEFT JOIN orgs p ON p.id = u.org_id WHERE "
	    "(($1 <> '' AND o.path LIKE $1 || '%') OR (a.reviewer_id = $2 "
	    "AND a.status <> 'draft')) AND ($3 = 0 OR a.round_id = $3) "
	    "ORDER BY a.round_id DESC, o.path", 3, scope != NULL ? scope : "",
	    rid, rnd)) == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < db_rows(res); i++) {
		a = &(*out)[i];
		a->id = col_ll(res, i, A_ID);
		a->round_id = col_ll(res, i, A_ROUND);
		xstrlcpy(a->round_code, db_value(res, i, A_ROUND_CODE),
		    sizeof(a->round_code));
		a->round_name = col(res, i, A_ROUND_NAME);
		a->org_id = col_ll(res, i, A_ORG);
		a->org_name = col(res, i, A_ORG_NAME);
		xstrlcpy(a->status, db_value(res, i, A_STATUS),
		    sizeof(a->status));
		a->reviewer_id = col_ll(res, i, A_REVIEWER);
		a->reviewer_name = col(res, i, A_REVIEWER_NAME);
		a->partner_name = col(res, i, A_PARTNER);
	}
	db_clear(res);
	return (0);
}

/*
 * One assessment with its ratings, in the order of the model's
 * dimensions (m); -2 when it does not exist.
 */
int
gov_assessment_load(struct db *db, long long id, const struct gov_model *m,
    struct gov_assessment *a)
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
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (-2);
	}
	a->id = id;
	a->round_id = col_ll(res, 0, A_ROUND);
	xstrlcpy(a->round_code, db_value(res, 0, A_ROUND_CODE),
	    sizeof(a->round_code));
	a->round_name = col(res, 0, A_ROUND_NAME);
	a->org_id = col_ll(res, 0, A_ORG);
	a->org_name = col(res, 0, A_ORG_NAME);
	a->org_path = col(res, 0, A_ORG_PATH);
	xstrlcpy(a->status, db_value(res, 0, A_STATUS), sizeof(a->status));
	a->reviewer_id = col_ll(res, 0, A_REVIEWER);
	a->reviewer_name = col(res, 0, A_REVIEWER_NAME);
	a->partner_name = col(res, 0, A_PARTNER);
	a->revision_note = col(res, 0, A_NOTE);
	a->agreed_by = col(res, 0, A_AGREED_BY);
	a->agreed_at = col(res, 0, A_AGREED_AT);
	a->round_open = strcmp(db_value(res, 0, A_ROUND_OPEN), "t") == 0;
	a->previous_id = col_ll(res, 0, A_PREV);
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
		return (-1);
	for (row = 0; row < db_rows(res); row++) {
		for (i = 0; i < a->nratings; i++) {
			if (strcmp(a->ratings[i].dimension,
			    db_value(res, row, R_DIM)) == 0)
				break;
		}
		if (i == a->nratings)
			continue;
		r = &a->ratings[i];
		r->self_level = col_int(res, row, R_SELF);
		free(r->justification);
		r->justification = col(res, row, R_JUST);
		free(r->evidence);
		r->evidence = col(res, row, R_EVID);
		r->peer_level = col_int(res, row, R_PEER);
		free(r->peer_comment);
		r->peer_comment = col(res, row, R_COMMENT);
		free(r->answer);
		r->answer = col(res, row, R_ANSWER);
		r->cons_level = col_int(res, row, R_CONS);
		free(r->cons_note);
		r->cons_note = col(res, row, R_NOTE);
		r->previous_level = col_int(res, row, R_PREV);
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
    struct buf *err)
{
	struct pg_result	*res;
	char			 uid[NUM];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (-1);
	if ((res = db_query(db, "SELECT o.id, r.id, (SELECT a.id FROM "
	    "gov_assessments a WHERE a.org_id = o.id AND a.round_id = r.id) "
	    "FROM orgs o, gov_rounds r WHERE o.code = $1 AND o.path LIKE $2 || "
	    "'%' AND o.kind IN ('region', 'agency') AND r.open ORDER BY r.id "
	    "DESC LIMIT 1", 2, org, scope)) == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, "gov.err_start");
		return (-1);
	}
	if (!db_isnull(res, 0, 2)) {
		*id = col_ll(res, 0, 2);
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	if ((res = db_query(db, "INSERT INTO gov_assessments (round_id, org_id, "
	    "created_by) SELECT r.id, o.id, $2 FROM orgs o, gov_rounds r WHERE "
	    "o.code = $1 AND r.open ORDER BY r.id DESC LIMIT 1 RETURNING id", 2,
	    org, uid)) == NULL)
		return (-1);
	*id = col_ll(res, 0, 0);
	db_clear(res);
	if (audit_append(db, actor, "gov.assessment.start", org, "", ip) ==
	    -1 || db_commit(db) == -1)
		return (-1);
	return (0);
}

/*
 * Move an assessment from one status to the next, setting the columns
 * of that step; the audit row names the step.
 */
static int
status_set(struct db *db, long long id, const char *from, const char *to,
    const char *actor, long long user, const char *ip)
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
		return (-1);
	ok = db_rows(res) == 1;
	if (ok) {
		char	event[48], subject[96];

		(void)snprintf(event, sizeof(event), "gov.assessment.%s", to);
		(void)snprintf(subject, sizeof(subject), "%s #%lld",
		    db_value(res, 0, 0), id);
		db_clear(res);
		return (audit_append(db, actor, event, subject, from, ip));
	}
	db_clear(res);
	return (-3);
}

/*
 * Save one side's part of the ratings from a form, and optionally move
 * the assessment on. step: GOV_STEP_SELF (the assessed team's ratings),
 * _PEER (the reviewer's), _ANSWER (the team's answers), _PROPOSE (the
 * reviewer's consolidated rating). With done, every dimension must be
 * filled in.
 */
int
gov_step_save(struct db *db, const struct gov_assessment *a,
    const struct gov_model *m, enum gov_step step, int done,
    const struct form *f, const char *actor, long long user, const char *ip,
    struct buf *err, char *bad, size_t badlen)
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

	if (strcmp(a->status, steps[step].from) != 0) {
		buf_puts(err, "gov.err_state");
		return (-1);
	}
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
			buf_puts(err, "gov.err_field");
			xstrlcpy(bad, d->code, badlen);
			return (-1);
		}
		if (done && ((steps[step].level != NULL && level == 0) ||
		    *text == '\0')) {
			buf_puts(err, "gov.err_missing");
			xstrlcpy(bad, d->code, badlen);
			return (-1);
		}
	}
	if (db_begin(db) == -1)
		return (-1);
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
			return (-1);
	}
	if (done) {
		rc = status_set(db, a->id, steps[step].from, steps[step].to,
		    actor, user, ip);
		if (rc == -3) {
			db_rollback(db);
			buf_puts(err, "gov.err_state");
			return (-1);
		}
		if (rc == -1)
			return (-1);
	}
	return (db_commit(db));
}

/* Assign a partner reviewer to a submitted assessment. */
int
gov_assign(struct db *db, const struct gov_assessment *a, long long reviewer,
    long long user, const char *actor, const char *ip, struct buf *err)
{
	struct pg_result	*res;
	char			 sid[NUM], rid[NUM], uid[NUM], subject[96];

	if (strcmp(a->status, "submitted") != 0) {
		buf_puts(err, "gov.err_state");
		return (-1);
	}
	(void)snprintf(sid, sizeof(sid), "%lld", a->id);
	(void)snprintf(rid, sizeof(rid), "%lld", reviewer);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_begin(db) == -1)
		return (-1);
	if ((res = db_query(db, "UPDATE gov_assessments SET reviewer_id = u.id, "
	    "assigned_by = $3, assigned_at = now() FROM users u JOIN user_roles "
	    "ur ON ur.user_id = u.id AND ur.role = 'reviewer' JOIN orgs p ON "
	    "p.id = u.org_id AND p.kind = 'partner' WHERE u.id = $2 AND "
	    "u.active AND gov_assessments.id = $1 AND "
	    "gov_assessments.status = 'submitted' RETURNING u.email", 3, sid,
	    rid, uid)) == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, "gov.err_reviewer");
		return (-1);
	}
	(void)snprintf(subject, sizeof(subject), "#%lld", a->id);
	if (audit_append(db, actor, "gov.review.assign", subject,
	    db_value(res, 0, 0), ip) == -1) {
		db_clear(res);
		return (-1);
	}
	db_clear(res);
	return (db_commit(db));
}

/* The assessed team agrees with the proposed consolidated rating. */
int
gov_agree(struct db *db, const struct gov_assessment *a, long long user,
    const char *actor, const char *ip, struct buf *err)
{
	int	rc;

	if (db_begin(db) == -1)
		return (-1);
	rc = status_set(db, a->id, "proposed", "consolidated", actor, user,
	    ip);
	if (rc == -3) {
		db_rollback(db);
		buf_puts(err, "gov.err_state");
		return (-1);
	}
	if (rc == -1)
		return (-1);
	return (db_commit(db));
}

/* The team refuses the proposal, with a reason: back to the reviewer. */
int
gov_refuse(struct db *db, const struct gov_assessment *a, const char *note,
    long long user, const char *actor, const char *ip, struct buf *err)
{
	char	sid[NUM], subject[96];

	if (note == NULL || *note == '\0' || utf8_strlen(note) > 500) {
		buf_puts(err, "gov.err_reason");
		return (-1);
	}
	if (strcmp(a->status, "proposed") != 0) {
		buf_puts(err, "gov.err_state");
		return (-1);
	}
	(void)snprintf(sid, sizeof(sid), "%lld", a->id);
	(void)snprintf(subject, sizeof(subject), "#%lld", a->id);
	(void)user;
	if (db_begin(db) == -1 || db_exec(db, "UPDATE gov_assessments SET "
	    "status = 'answered', revision_note = $2 WHERE id = $1 AND status "
	    "= 'proposed'", 2, sid, note) == -1 || audit_append(db, actor,
	    "gov.assessment.refused", subject, note, ip) == -1)
		return (-1);
	return (db_commit(db));
}

/* The partner reviewers one may assign: "id\tname\tpartner\tcountry". */
int
gov_reviewers(struct db *db, struct buf *out)
{
	struct pg_result	*res;
	int			 i;

	if ((res = db_query(db, "SELECT u.id, u.name, p.name, p.country FROM "
	    "users u JOIN user_roles r ON r.user_id = u.id AND r.role = "
	    "'reviewer' JOIN orgs p ON p.id = u.org_id AND p.kind = 'partner' "
	    "WHERE u.active ORDER BY p.country, u.name", 0)) == NULL)
		return (-1);
	for (i = 0; i < db_rows(res); i++)
		buf_printf(out, "%s\t%s\t%s\t%s\n", db_value(res, i, 0),
		    db_value(res, i, 1), db_value(res, i, 2),
		    db_value(res, i, 3));
	db_clear(res);
	return (0);
}

/* Units one may start an assessment for: "code\tname" of scope. */
int
gov_units(struct db *db, const char *scope, struct buf *out)
{
	struct pg_result	*res;
	int			 i;

	if ((res = db_query(db, "SELECT code, name FROM orgs WHERE path LIKE "
	    "$1 || '%' AND kind IN ('region', 'agency') ORDER BY path", 1,
	    scope)) == NULL)
		return (-1);
	for (i = 0; i < db_rows(res); i++)
		buf_printf(out, "%s\t%s\n", db_value(res, i, 0),
		    db_value(res, i, 1));
	db_clear(res);
	return (0);
}

/* --- Action plans ----------------------------------------------------- */

/*
 * The actions of an assessment (id) and of the unit's earlier rounds
 * (org, when not 0), newest round first.
 */
int
gov_actions_list(struct db *db, long long id, long long org,
    struct gov_action **out, size_t *n)
{
	enum { X_ID, X_ASSESSMENT, X_DIM, X_TITLE, X_OWNER, X_DUE, X_STATUS,
	    X_NOTES, X_ROUND, X_UPDATED };
	struct pg_result	*res;
	struct gov_action	*x;
	char			 sid[NUM], oid[NUM];
	int			 i;

	*out = NULL;
	*n = 0;
	(void)snprintf(sid, sizeof(sid), "%lld", id);
	(void)snprintf(oid, sizeof(oid), "%lld", org);
	if ((res = db_query(db, "SELECT x.id, x.assessment_id, x.dimension, "
	    "x.title, x.owner, to_char(x.due, 'YYYY-MM-DD'), x.status, "
	    "x.notes, r.code, to_char(x.updated_at AT TIME ZONE "
	    "'Europe/Rome', 'YYYY-MM-DD') FROM gov_actions x JOIN "
	    "gov_assessments a ON a.id = x.assessment_id JOIN gov_rounds r ON "
	    "r.id = a.round_id JOIN gov_dimensions d ON d.code = x.dimension "
	    "WHERE x.assessment_id = $1 OR (a.org_id = $2 AND a.round_id < "
	    "(SELECT round_id FROM gov_assessments WHERE id = $1)) ORDER BY "
	    "a.round_id DESC, d.position, x.id", 2, sid, oid)) == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < db_rows(res); i++) {
		x = &(*out)[i];
		x->id = col_ll(res, i, X_ID);
		x->assessment_id = col_ll(res, i, X_ASSESSMENT);
		xstrlcpy(x->dimension, db_value(res, i, X_DIM),
		    sizeof(x->dimension));
		x->title = col(res, i, X_TITLE);
		x->owner = col(res, i, X_OWNER);
		xstrlcpy(x->due, db_value(res, i, X_DUE), sizeof(x->due));
		xstrlcpy(x->status, db_value(res, i, X_STATUS),
		    sizeof(x->status));
		x->notes = col(res, i, X_NOTES);
		xstrlcpy(x->round_code, db_value(res, i, X_ROUND),
		    sizeof(x->round_code));
		xstrlcpy(x->updated, db_value(res, i, X_UPDATED),
		    sizeof(x->updated));
	}
	db_clear(res);
	return (0);
}

void
gov_actions_free(struct gov_action *x, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(x[i].title);
		free(x[i].owner);
		free(x[i].notes);
	}
	free(x);
}

/*
 * Add an action to a consolidated assessment inside scope, or update
 * one (status and notes) of an assessment inside scope.
 */
int
gov_action_save(struct db *db, const struct gov_action_edit *e,
    const char *scope, long long user, const char *actor, const char *ip,
    long long *assessment, struct buf *err)
{
	struct pg_result	*res;
	char			 uid[NUM], sid[NUM], subject[96];
	long long		 n;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (e->id == 0 && (e->title == NULL || *e->title == '\0' ||
	    utf8_strlen(e->title) > 200 || e->owner == NULL ||
	    *e->owner == '\0' || utf8_strlen(e->owner) > 200)) {
		buf_puts(err, "gov.err_action");
		return (-1);
	}
	if (e->id == 0 && gov_date_valid(e->due) == -1) {
		buf_puts(err, "gov.err_due");
		return (-1);
	}
	if (e->status == NULL || (strcmp(e->status, "planned") != 0 &&
	    strcmp(e->status, "started") != 0 && strcmp(e->status, "done") !=
	    0 && strcmp(e->status, "dropped") != 0)) {
		buf_puts(err, "gov.err_action");
		return (-1);
	}
	if (e->notes != NULL && utf8_strlen(e->notes) > 500) {
		buf_puts(err, "gov.err_action");
		return (-1);
	}
	if (db_begin(db) == -1)
		return (-1);
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
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		buf_puts(err, e->id == 0 ? "gov.err_action_add" :
		    "gov.err_action");
		return (e->id == 0 ? -1 : -2);
	}
	n = col_ll(res, 0, 0);
	*assessment = col_ll(res, 0, 1);
	db_clear(res);
	(void)snprintf(subject, sizeof(subject), "action #%lld", n);
	if (audit_append(db, actor, e->id == 0 ? "gov.action.add" :
	    "gov.action.update", subject, e->status, ip) == -1)
		return (-1);
	return (db_commit(db));
}

/* --- Benchmark -------------------------------------------------------- */

/*
 * The consolidated levels of a round: one row per assessed unit and
 * dimension, with the unit's region; regions first, then agencies.
 */
int
gov_bench_rows(struct db *db, long long round, struct gov_bench_row **out,
    size_t *n)
{
	enum { B_REGION, B_REGION_NAME, B_ORG, B_ORG_NAME, B_KIND, B_DIM,
	    B_LEVEL };
	struct pg_result	*res;
	struct gov_bench_row	*b;
	char			 rid[NUM];
	int			 i;

	*out = NULL;
	*n = 0;
	(void)snprintf(rid, sizeof(rid), "%lld", round);
	if ((res = db_query(db, "SELECT g.code, g.name, o.code, o.name, "
	    "o.kind, r.dimension, r.cons_level FROM gov_assessments a JOIN "
	    "orgs o ON o.id = a.org_id JOIN orgs g ON g.kind = 'region' AND "
	    "o.path LIKE g.path || '%' JOIN gov_ratings r ON r.assessment_id "
	    "= a.id JOIN gov_dimensions d ON d.code = r.dimension AND NOT "
	    "d.retired WHERE a.round_id = $1 AND a.status = 'consolidated' "
	    "AND r.cons_level IS NOT NULL ORDER BY g.name, o.kind <> "
	    "'region', o.name, d.position", 1, rid)) == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < db_rows(res); i++) {
		b = &(*out)[i];
		xstrlcpy(b->region, db_value(res, i, B_REGION),
		    sizeof(b->region));
		b->region_name = col(res, i, B_REGION_NAME);
		xstrlcpy(b->org, db_value(res, i, B_ORG), sizeof(b->org));
		b->org_name = col(res, i, B_ORG_NAME);
		b->is_region = strcmp(db_value(res, i, B_KIND), "region") == 0;
		xstrlcpy(b->dimension, db_value(res, i, B_DIM),
		    sizeof(b->dimension));
		b->level = col_int(res, i, B_LEVEL);
	}
	db_clear(res);
	return (0);
}

void
gov_bench_free(struct gov_bench_row *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(b[i].region_name);
		free(b[i].org_name);
	}
	free(b);
}
