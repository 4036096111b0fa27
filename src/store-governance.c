/*
 * store-governance.c: the governance maturity model and practice cards
 * in the database, rounds and the benchmark's rows (the assessments
 * themselves are in store-governance-review.c). Every
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

static int	store_model(struct db *, const struct gov_model *);
static int	store_practice(struct db *, const struct gov_practice *);

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

/* The columns of the model's sources and dimensions (gov_model_load). */
static const struct row_col source_cols[] = {
	{ ROW_DUP, offsetof(struct gov_source, key), 0 },
	{ ROW_DUP, offsetof(struct gov_source, url), 0 },
	{ ROW_DUP, offsetof(struct gov_source, title), 0 }
};

static const struct row_col dim_cols[] = {
	{ ROW_DUP, offsetof(struct gov_dimension, code), 0 },
	{ ROW_DUP, offsetof(struct gov_dimension, name[LANG_IT]), 0 },
	{ ROW_DUP, offsetof(struct gov_dimension, name[LANG_EN]), 0 },
	{ ROW_DUP, offsetof(struct gov_dimension, text[LANG_IT]), 0 },
	{ ROW_DUP, offsetof(struct gov_dimension, text[LANG_EN]), 0 }
};

/*
 * The model as stored, in the core's structure (both languages), or
 * NULL and f (FAIL_NOTFOUND gov.no_model: none was imported).
 */
struct gov_model *
gov_model_load(struct db *db, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT key, url, title FROM "
	    "gov_sources ORDER BY key",
	    source_cols, struct gov_source);
	enum { D_CODE, D_NAME_IT, D_NAME_EN, D_TEXT_IT, D_TEXT_EN, D_COMPS,
	    D_SOURCES };
	enum { L_DIM, L_LEVEL, L_TEXT_IT, L_TEXT_EN, L_EV_IT, L_EV_EN };
	struct pg_result	*res;
	struct gov_model	*m;
	struct gov_dimension	*d;
	struct gov_level	*lv;
	size_t			 i, j;

	if ((res = db_query(db, "SELECT slug, sha256, title_it, title_en, "
	    "summary_it, summary_en, levels FROM gov_model", 0)) == NULL) {
		(void)db_fail(db, f);
		return (NULL);
	}
	if (db_rows(res) != 1) {
		db_clear(res);
		(void)fail_set(f, FAIL_NOTFOUND, "gov.no_model", NULL);
		return (NULL);
	}
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup("gov_model");
	m->slug = db_text(res, 0, 0);
	xstrlcpy(m->sha256, db_value(res, 0, 1), sizeof(m->sha256));
	m->title[LANG_IT] = db_text(res, 0, 2);
	m->title[LANG_EN] = db_text(res, 0, 3);
	m->summary[LANG_IT] = db_text(res, 0, 4);
	m->summary[LANG_EN] = db_text(res, 0, 5);
	db_clear(res);

	if ((res = db_query(db, "SELECT name_it, name_en FROM "
	    "gov_level_names ORDER BY level LIMIT " STRINGIFY(GOV_LEVELS_MAX),
	    0)) == NULL)
		goto fail;
	for (i = 0; i < (size_t)db_rows(res); i++) {
		m->level_names[i][LANG_IT] = db_text(res, (int)i, 0);
		m->level_names[i][LANG_EN] = db_text(res, (int)i, 1);
	}
	m->nlevels = (size_t)db_rows(res);
	db_clear(res);

	if (store_list(db, &q, NULL, &m->sources, &m->nsources, NULL,
	    0) == -1)
		goto fail;

	/* The dimensions' texts by table, their lists of words after. */
	if ((res = db_query(db, "SELECT code, name_it, name_en, text_it, "
	    "text_en, array_to_string(competences, ' '), "
	    "array_to_string(sources, ' ') FROM gov_dimensions WHERE NOT "
	    "retired ORDER BY position", 0)) == NULL)
		goto fail;
	m->dims = db_rows_new(res, sizeof(*m->dims), &m->ndims);
	rows_fill(res, m->dims, sizeof(*m->dims), dim_cols,
	    ROW_NCOLS(dim_cols));
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		(void)gov_words(db_value(res, (int)i, D_COMPS), &d->competences,
		    &d->ncompetences);
		(void)gov_words(db_value(res, (int)i, D_SOURCES), &d->sources,
		    &d->nsources);
	}
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
		lv->text[LANG_IT] = db_text(res, (int)j, L_TEXT_IT);
		lv->text[LANG_EN] = db_text(res, (int)j, L_TEXT_EN);
		lv->evidence[LANG_IT] = db_text(res, (int)j, L_EV_IT);
		lv->evidence[LANG_EN] = db_text(res, (int)j, L_EV_EN);
		(void)L_LEVEL;
	}
	db_clear(res);
	return (m);
fail:
	(void)db_fail(db, f);
	gov_model_free(m);
	return (NULL);
}

/*
 * The courses that build any of a dimension's competences, as
 * "slug\ttitle\n" lines (the order of the catalogue).
 */
int
gov_courses(struct db *db, const struct gov_dimension *d, struct buf *out,
    struct fail *f)
{
	struct pg_result	*res;
	struct buf		 codes;
	size_t			 i;

	buf_init(&codes, 64);
	for (i = 0; i < d->ncompetences; i++)
		pg_array_add(&codes, d->competences[i]);
	pg_array_end(&codes);
	res = db_query(db, "SELECT c.slug, c.title FROM courses c WHERE "
	    "EXISTS (SELECT 1 FROM course_competences cc WHERE cc.course_id = "
	    "c.id AND cc.competence = ANY($1::text[])) ORDER BY c.title", 1,
	    codes.data);
	buf_free(&codes);
	return (db_lines(res, out) == -1 ? db_fail(db, f) : 0);
}

/* --- Practice cards -------------------------------------------------- */

/* The columns of gov_practices_find()'s SELECT, in order. */
static const struct row_col card_cols[] = {
	{ ROW_DUP, offsetof(struct gov_card, slug), 0 },
	{ ROW_ARRAY(struct gov_card, country) },
	{ ROW_DUP, offsetof(struct gov_card, region), 0 },
	{ ROW_DUP, offsetof(struct gov_card, title), 0 },
	{ ROW_DUP, offsetof(struct gov_card, sector), 0 },
	{ ROW_DUP, offsetof(struct gov_card, contact), 0 },
	{ ROW_DUP, offsetof(struct gov_card, html), 0 },
	{ ROW_DUP, offsetof(struct gov_card, sources), 0 },
	{ ROW_DUP, offsetof(struct gov_card, dimensions), 0 }
};

int
gov_practices_find(struct db *db, const struct gov_practice_query *q,
    struct gov_card **out, size_t *n, struct fail *f)
{
	struct pg_result	*res;
	char			*fold, lang[3];

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
	return (rows_copy(db, res, sizeof(**out), card_cols,
	    ROW_NCOLS(card_cols), out, n, f));
}

void
gov_cards_free(struct gov_card *c, size_t n)
{
	rows_dup_free(c, n, sizeof(*c), card_cols, ROW_NCOLS(card_cols));
}

/* --- Rounds ---------------------------------------------------------- */

/* The columns of gov_rounds_list(). */
static const struct row_col round_cols[] = {
	{ ROW_LL, offsetof(struct gov_round, id), 0 },
	{ ROW_ARRAY(struct gov_round, code) },
	{ ROW_DUP, offsetof(struct gov_round, name), 0 },
	{ ROW_BOOL, offsetof(struct gov_round, open), 0 }
};

int
gov_rounds_list(struct db *db, struct gov_round **out, size_t *n,
    struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT id, code, name, open FROM "
	    "gov_rounds ORDER BY id DESC",
	    round_cols, struct gov_round);

	return (store_list(db, &q, NULL, out, n, f, 0));
}

void
gov_rounds_free(struct gov_round *r, size_t n)
{
	rows_dup_free(r, n, sizeof(*r), round_cols, ROW_NCOLS(round_cols));
}

/*
 * Open a new round (the earlier ones are closed to new assessments): 0,
 * or -1 and f (FAIL_INPUT with what is wrong, FAIL_CONFLICT: the code
 * is taken).
 */
int
gov_round_open(struct db *db, const char *code, const char *name,
    const char *actor, const char *ip, struct fail *f)
{
	struct pg_result	*res;

	if (!slug_valid(code) || strlen(code) > 40)
		return (fail_set(f, FAIL_INPUT, "gov.err_round_code", NULL));
	if (*name == '\0' || utf8_strlen(name) > 200)
		return (fail_set(f, FAIL_INPUT, "gov.err_round_name", NULL));
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (db_exec(db, "UPDATE gov_rounds SET open = false", 0) == -1 ||
	    (res = db_query(db, "INSERT INTO gov_rounds (code, name) VALUES "
	    "($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id", 2, code,
	    name)) == NULL)
		return (store_abort(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(db);
		return (fail_set(f, FAIL_CONFLICT, "gov.err_round_used", NULL));
	}
	db_clear(res);
	if (audit_append(db, actor, "gov.round.open", code, name, ip) == -1 ||
	    db_commit(db) == -1)
		return (store_abort(db, f));
	return (0);
}

/* --- Benchmark -------------------------------------------------------- */

/*
 * The consolidated levels of a round: one row per assessed unit and
 * dimension, with the unit's region; regions first, then agencies.
 */
static const struct row_col bench_cols[] = {
	{ ROW_ARRAY(struct gov_bench_row, region) },
	{ ROW_DUP, offsetof(struct gov_bench_row, region_name), 0 },
	{ ROW_ARRAY(struct gov_bench_row, org) },
	{ ROW_DUP, offsetof(struct gov_bench_row, org_name), 0 },
	{ ROW_BOOL, offsetof(struct gov_bench_row, is_region), 0 },
	{ ROW_ARRAY(struct gov_bench_row, dimension) },
	{ ROW_INT, offsetof(struct gov_bench_row, level), 0 }
};

int
gov_bench_rows(struct db *db, long long round, struct gov_bench_row **out,
    size_t *n, struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT g.code, g.name, o.code, "
	    "o.name, o.kind = 'region', r.dimension, r.cons_level FROM "
	    "gov_assessments a JOIN "
	    "orgs o ON o.id = a.org_id JOIN orgs g ON g.kind = 'region' AND "
	    "o.path LIKE g.path || '%' JOIN gov_ratings r ON r.assessment_id "
	    "= a.id JOIN gov_dimensions d ON d.code = r.dimension AND NOT "
	    "d.retired WHERE a.round_id = $1 AND a.status = 'consolidated' "
	    "AND r.cons_level IS NOT NULL ORDER BY g.name, o.kind <> "
	    "'region', o.name, d.position",
	    bench_cols, struct gov_bench_row);

	return (store_list_id(db, &q, NULL, out, n, f, round));
}

void
gov_bench_free(struct gov_bench_row *b, size_t n)
{
	rows_dup_free(b, n, sizeof(*b), bench_cols, ROW_NCOLS(bench_cols));
}
