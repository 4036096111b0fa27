/*
 * store-author.c: what the trainers' editors read and check: who owns a
 * module, a draft or a course (the programme, imported from the
 * repository, or a unit, through the web editor), the modules a course
 * can be made of, the stored text of a course, the quizzes and levels
 * the competence rule is checked against (course_check_levels()).
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF	32

/*
 * Who holds a slug: the module (or course) and its draft. o->exists and
 * o->programme (no owner: imported from the repository), the owner's
 * path and name; for modules also a draft's owner. 0 or -1.
 */
enum { OW_PROGRAMME, OW_PATH, OW_NAME };

int
author_owner(struct db *db, int course, const char *slug, struct owner *o,
    struct fail *f)
{
	struct pg_result	*res;

	memset(o, 0, sizeof(*o));
	res = db_query(db, course ? "SELECT c.owner_org_id IS NULL, "
	    "coalesce(o.path, ''), coalesce(o.name, '') FROM courses c LEFT "
	    "JOIN orgs o ON o.id = c.owner_org_id WHERE c.slug = $1" :
	    "SELECT m.owner_org_id IS NULL, coalesce(o.path, ''), coalesce("
	    "o.name, '') FROM modules m LEFT JOIN orgs o ON o.id = "
	    "m.owner_org_id WHERE m.slug = $1", 1, slug);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		o->exists = 1;
		o->programme = strcmp(db_value(res, 0, OW_PROGRAMME), "t") == 0;
		xstrlcpy(o->path, db_value(res, 0, OW_PATH), sizeof(o->path));
		xstrlcpy(o->name, db_value(res, 0, OW_NAME), sizeof(o->name));
	}
	db_clear(res);
	if (course)
		return (0);
	res = db_query(db, "SELECT o.path FROM module_drafts d JOIN orgs o ON "
	    "o.id = d.owner_org_id WHERE d.slug = $1", 1, slug);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		o->draft = 1;
		xstrlcpy(o->draft_path, db_value(res, 0, 0),
		    sizeof(o->draft_path));
	}
	db_clear(res);
	return (0);
}

/*
 * The rows of res, a query's result (NULL: its failure), copied by a
 * table of columns (cols[i] is column i of the SELECT) into an array
 * of *n rows of size bytes, for rows_dup_free(); res is cleared. NULL
 * with f filled on failure.
 */
static void *
author_rows(struct db *db, struct pg_result *res, size_t *n, size_t size,
    const struct row_col *cols, size_t ncols, struct fail *f)
{
	void	*v;

	*n = 0;
	if (res == NULL) {
		(void)db_fail(db, f);
		return (NULL);
	}
	*n = (size_t)db_rows(res);
	v = xcalloc(*n + 1, size);
	rows_fill(res, v, size, cols, ncols);
	db_clear(res);
	return (v);
}

/*
 * The published modules a course can be made of, by title: a trainer
 * may use any module anyone can read (the programme's and every unit's).
 */
enum { AM_SLUG, AM_TITLE, AM_MINUTES, AM_PROGRAMME, AM_OWNER, AM_NQ,
    AM_POOL };

static const struct row_col am_cols[] = {
	[AM_SLUG] = { ROW_DUP, offsetof(struct author_module, slug) },
	[AM_TITLE] = { ROW_DUP, offsetof(struct author_module, title) },
	[AM_MINUTES] = { ROW_INT, offsetof(struct author_module, minutes) },
	[AM_PROGRAMME] = { ROW_BOOL, offsetof(struct author_module,
	    programme) },
	[AM_OWNER] = { ROW_DUP, offsetof(struct author_module, owner) },
	[AM_NQ] = { ROW_INT, offsetof(struct author_module, questions) },
	[AM_POOL] = { ROW_BOOL, offsetof(struct author_module, pool) }
};

int
author_modules(struct db *db, struct author_module **out, size_t *n,
    struct fail *f)
{
	*out = author_rows(db, db_query(db, "SELECT m.slug, v.title, "
	    "v.minutes, m.owner_org_id IS NULL, coalesce(o.name, ''), (SELECT "
	    "count(*) FROM questions q WHERE q.version_id = v.id), EXISTS "
	    "(SELECT 1 FROM courses c WHERE c.assessment_module_id = m.id) "
	    "FROM modules m JOIN module_versions v ON v.id = "
	    "m.current_version_id LEFT JOIN orgs o ON o.id = m.owner_org_id "
	    "ORDER BY v.title, m.slug", 0), n, sizeof(**out), am_cols,
	    ROW_NCOLS(am_cols), f);
	return (*out != NULL ? 0 : -1);
}

void
author_modules_free(struct author_module *m, size_t n)
{
	rows_dup_free(m, n, sizeof(*m), am_cols, ROW_NCOLS(am_cols));
}

/*
 * The courses, with whether the user may edit each: a trainer those of
 * units in scope (a path), an administrator every unit's; nobody the
 * programme's, which are kept in the repository.
 */
enum { AC_SLUG, AC_TITLE, AC_PROGRAMME, AC_OWNER, AC_EDITABLE, AC_MODULES };

static const struct row_col ac_cols[] = {
	[AC_SLUG] = { ROW_DUP, offsetof(struct author_course, slug) },
	[AC_TITLE] = { ROW_DUP, offsetof(struct author_course, title) },
	[AC_PROGRAMME] = { ROW_BOOL, offsetof(struct author_course,
	    programme) },
	[AC_OWNER] = { ROW_DUP, offsetof(struct author_course, owner) },
	[AC_EDITABLE] = { ROW_BOOL, offsetof(struct author_course, editable) },
	[AC_MODULES] = { ROW_INT, offsetof(struct author_course, modules) }
};

int
author_courses(struct db *db, const char *scope, int admin,
    struct author_course **out, size_t *n, struct fail *f)
{
	*out = author_rows(db, db_query(db, "SELECT c.slug, c.title, "
	    "c.owner_org_id IS NULL, coalesce(o.name, ''), c.owner_org_id IS "
	    "NOT NULL AND ($2 OR ($1 <> '' AND o.path LIKE $1 || '%')), "
	    "(SELECT count(*) FROM course_modules cm WHERE cm.course_id = "
	    "c.id) FROM courses c LEFT JOIN orgs o ON o.id = c.owner_org_id "
	    "ORDER BY 5 DESC, c.title", 2, scope != NULL ? scope : "", admin ?
	    "t" : "f"), n, sizeof(**out), ac_cols, ROW_NCOLS(ac_cols), f);
	return (*out != NULL ? 0 : -1);
}

void
author_courses_free(struct author_course *c, size_t n)
{
	rows_dup_free(c, n, sizeof(*c), ac_cols, ROW_NCOLS(ac_cols));
}

/*
 * A course's stored text (its file, or what the editor wrote) into
 * *src, to free. FAIL_NOTFOUND (error.404.course) when there is none.
 */
int
author_course_source(struct db *db, const char *slug, char **src,
    struct fail *f)
{
	struct pg_result	*res;

	*src = NULL;
	if ((res = db_query(db, "SELECT source FROM courses WHERE slug = $1",
	    1, slug)) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1)
		*src = xstrdup(db_value(res, 0, 0));
	db_clear(res);
	if (*src == NULL)
		return (fail_set(f, FAIL_NOTFOUND, "error.404.course",
		    "no course %s", slug));
	return (0);
}

/*
 * The measured framework's level names, lowest first (out: free each
 * and it). Reference frameworks (Syllabus, DigComp) have levels of
 * their own that no quiz measures. 0 or -1.
 */
int
author_levels(struct db *db, char ***out, size_t *n, struct fail *f)
{
	struct pg_result	*res;
	int			 i, rows;

	*out = NULL;
	*n = 0;
	res = db_query(db, "SELECT l.name FROM levels l WHERE l.framework_id "
	    "= (SELECT min(id) FROM frameworks WHERE kind = 'measured') "
	    "ORDER BY l.rank", 0);
	if (res == NULL)
		return (db_fail(db, f));
	rows = db_rows(res);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (i = 0; i < rows; i++)
		(*out)[(*n)++] = xstrdup(db_value(res, i, 0));
	db_clear(res);
	return (0);
}

/*
 * The current quiz of a module (by slug) into quiz; 0 or -1.
 * FAIL_NOTFOUND (error.404.module) when there is no such published
 * module.
 */
int
author_module_quiz(struct db *db, const char *slug, struct quiz *quiz,
    struct fail *f)
{
	struct pg_result	*res;
	char			 vid[NUMBUF];

	memset(quiz, 0, sizeof(*quiz));
	res = db_query(db, "SELECT current_version_id FROM modules WHERE slug "
	    "= $1 AND current_version_id IS NOT NULL", 1, slug);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.module",
		    "module %s not published", slug));
	}
	xstrlcpy(vid, db_value(res, 0, 0), sizeof(vid));
	db_clear(res);
	return (learn_load_quiz(db, vid, quiz, f));
}

/*
 * A course from the web editor against the database: its modules and
 * pool published, its competences and levels in the framework, and the
 * competence rule (course_check_levels: its levels with one question,
 * claims it could never certify, a pool too small). Problems go to dl
 * (as "field: message" with the course's path); returns their number,
 * or -1 with f filled on a database error.
 */
int
author_check_course(struct db *db, const struct course *c,
    struct diaglist *dl, struct fail *f)
{
	struct level_source	*mods, pool;
	struct quiz		*quizzes, poolq;
	struct pg_result	*res;
	char			**levels;
	size_t			 i, nlevels;
	int			 errors, rc;

	errors = 0;
	if (author_levels(db, &levels, &nlevels, f) == -1)
		return (-1);
	quizzes = xcalloc(c->nmodules + 1, sizeof(*quizzes));
	mods = xcalloc(c->nmodules + 1, sizeof(*mods));
	memset(&poolq, 0, sizeof(poolq));
	for (i = 0; i < c->nmodules; i++) {
		if (author_module_quiz(db, c->modules[i], &quizzes[i],
		    f) == -1) {
			if (f->kind != FAIL_NOTFOUND)
				goto fail;
			diag_add(dl, c->path, c->module_lines[i], "module '%s' "
			    "is not published", c->modules[i]);
			errors++;
		}
		mods[i].quiz = &quizzes[i];
		mods[i].path = c->modules[i];
	}
	if (c->assessment != NULL) {
		if (author_module_quiz(db, c->assessment, &poolq, f) == -1 &&
		    f->kind != FAIL_NOTFOUND)
			goto fail;
		if (poolq.nq == 0) {
			diag_add(dl, c->path, c->assessment_line, "assessment "
			    "module '%s' is not published or has no quiz",
			    c->assessment);
			errors++;
		}
	}
	for (i = 0; i < c->ncompetences; i++) {
		res = db_query(db, "SELECT 1 FROM competences co JOIN levels l "
		    "ON l.framework_id = co.framework_id WHERE co.code = $1 AND "
		    "l.name = $2 AND NOT co.retired", 2, c->competences[i].code,
		    c->competences[i].level);
		if (res == NULL) {
			(void)db_fail(db, f);
			goto fail;
		}
		if (db_rows(res) != 1) {
			diag_add(dl, c->path, c->competences[i].line,
			    "competence '%s' or level '%s' is not in the "
			    "framework", c->competences[i].code,
			    c->competences[i].level);
			errors++;
		}
		db_clear(res);
	}
	if (errors == 0) {
		pool.quiz = &poolq;
		pool.path = c->assessment;
		errors += course_check_levels(c, mods, c->nmodules,
		    c->assessment != NULL ? &pool : NULL,
		    (const char *const *)levels, nlevels, dl);
	}
	rc = errors;
	goto out;
fail:
	rc = -1;
out:
	for (i = 0; i < c->nmodules; i++)
		quiz_free(&quizzes[i]);
	free(quizzes);
	free(mods);
	quiz_free(&poolq);
	str_array_free(levels, nlevels);
	return (rc);
}

/*
 * A module's text for the editor (*src, to free): its draft when draft
 * is set and one exists, else its current published version.
 * FAIL_NOTFOUND (error.404.module) when neither.
 */
int
author_module_source(struct db *db, const char *slug, int draft, char **src,
    struct fail *f)
{
	struct pg_result	*res;

	*src = NULL;
	if ((res = db_query(db, "SELECT source, 1 FROM module_drafts WHERE "
	    "slug = $1 AND $2 UNION ALL SELECT v.source, 2 FROM modules m JOIN "
	    "module_versions v ON v.id = m.current_version_id WHERE m.slug = "
	    "$1 ORDER BY 2", 2, slug, draft ? "t" : "f")) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) > 0)
		*src = xstrdup(db_value(res, 0, 0));
	db_clear(res);
	if (*src == NULL)
		return (fail_set(f, FAIL_NOTFOUND, "error.404.module",
		    "no module %s", slug));
	return (0);
}

/*
 * The stored source of version no (NULL: the current one) of module
 * slug, and its SHA-256 (sha: 65 bytes) if asked. *src to free;
 * FAIL_NOTFOUND (author.no_version) when there is no such version.
 */
int
author_version_source(struct db *db, const char *slug, const char *no,
    char **src, char *sha, struct fail *f)
{
	struct pg_result	*res;

	*src = NULL;
	if ((res = db_query(db, "SELECT v.source, v.sha256 FROM "
	    "module_versions v JOIN modules m ON m.id = v.module_id WHERE "
	    "m.slug = $1 AND CASE WHEN $2 = '' THEN v.id = "
	    "m.current_version_id ELSE v.version_no = $2::int END", 2, slug,
	    no != NULL ? no : "")) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		*src = xstrdup(db_value(res, 0, 0));
		if (sha != NULL)
			xstrlcpy(sha, db_value(res, 0, 1), SHA256_HEX_LEN + 1);
	}
	db_clear(res);
	if (*src == NULL)
		return (fail_set(f, FAIL_NOTFOUND, "author.no_version",
		    "%s version %s", slug, no != NULL ? no : "current"));
	return (0);
}

/* Save (or replace) the draft of a module: 0 or -1. */
int
author_save_draft(struct db *db, const char *slug, long long owner,
    long long author, const char *src, struct fail *f)
{
	char	own[NUMBUF], uid[NUMBUF];

	(void)snprintf(own, sizeof(own), "%lld", owner);
	(void)snprintf(uid, sizeof(uid), "%lld", author);
	if (db_exec(db, "INSERT INTO module_drafts (slug, owner_org_id, "
	    "author_id, source) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO "
	    "UPDATE SET source = EXCLUDED.source, author_id = "
	    "EXCLUDED.author_id, updated_at = now()", 4, slug, own, uid,
	    src) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * Publish a checked module from the web editor (m->author_id and
 * m->owner_org_id set): a new version by store_module(), made current
 * (publishing an earlier text again makes it current), the draft gone,
 * module.publish audited for actor. FAIL_CONFLICT (author.has_errors,
 * the reasons in dl) when store_module() refuses it, e.g. a slug the
 * programme holds.
 */
int
author_publish(struct db *db, struct module *m, const char *actor,
    const char *ip, struct diaglist *dl, struct fail *f)
{
	char		subject[128], v[NUMBUF];
	long long	vid;
	int		is_new;

	if (store_module(db, m, "web", &vid, &is_new, dl) == -1) {
		if (db_ok(db) && diag_count(dl) > 0)
			return (fail_set(f, FAIL_CONFLICT, "author.has_errors",
			    "publish %s refused", m->slug));
		return (db_fail(db, f));
	}
	(void)snprintf(v, sizeof(v), "%lld", vid);
	(void)snprintf(subject, sizeof(subject), "module:%s", m->slug);
	if (db_exec(db, "UPDATE modules SET current_version_id = $2, "
	    "updated_at = now() WHERE slug = $1", 2, m->slug, v) == -1 ||
	    db_exec(db, "DELETE FROM module_drafts WHERE slug = $1", 1,
	    m->slug) == -1 || audit_append(db, actor, "module.publish",
	    subject, m->sha256, ip) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * Publish a checked course from the web editor (c->owner_org_id and
 * c->author_id set): stored by store_course(), course.publish audited
 * for actor. FAIL_CONFLICT (cedit.has_problems, the reasons in dl) when
 * store_course() refuses it.
 */
int
author_course_publish(struct db *db, struct course *c, const char *actor,
    const char *ip, struct diaglist *dl, struct fail *f)
{
	char	subject[SLUG_MAX + 16];
	int	changed;

	if (store_course(db, c, &changed, dl) == -1) {
		if (db_ok(db) && diag_count(dl) > 0)
			return (fail_set(f, FAIL_CONFLICT, "cedit.has_problems",
			    "publish %s refused", c->slug));
		return (db_fail(db, f));
	}
	(void)snprintf(subject, sizeof(subject), "course:%s", c->slug);
	if (audit_append(db, actor, "course.publish", subject, c->sha256,
	    ip) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * The versions of module slug, newest first: when, by whom, from the
 * web editor or an import, and which is current. Rows point into res;
 * author_versions_free() clears it.
 */
enum { AV_NO, AV_AT, AV_SHA256, AV_WEB, AV_AUTHOR, AV_CURRENT };

static const struct row_col av_cols[] = {
	[AV_NO] = { ROW_INT, offsetof(struct author_version, no) },
	[AV_AT] = { ROW_TEXT, offsetof(struct author_version, at) },
	[AV_SHA256] = { ROW_TEXT, offsetof(struct author_version, sha256) },
	[AV_WEB] = { ROW_BOOL, offsetof(struct author_version, web) },
	[AV_AUTHOR] = { ROW_TEXT, offsetof(struct author_version, author) },
	[AV_CURRENT] = { ROW_BOOL, offsetof(struct author_version, current) }
};
static const char av_query[] = "SELECT v.version_no, to_char(v.created_at, "
    "'YYYY-MM-DD HH24:MI'), v.sha256, v.origin = 'web', coalesce(u.name, "
    "'-'), v.id = m.current_version_id FROM module_versions v JOIN modules "
    "m ON m.id = v.module_id LEFT JOIN users u ON u.id = v.author_id WHERE "
    "m.slug = $1 ORDER BY v.version_no DESC";

int
author_versions(struct db *db, const char *slug, struct author_versions *out,
    struct fail *f)
{
	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, av_query, 1, slug)) == NULL)
		return (-1);
	rows_fill(out->res, out->rows, sizeof(*out->rows), av_cols,
	    ROW_NCOLS(av_cols));
	return (0);
}

void
author_versions_free(struct author_versions *l)
{
	rows_release(l->res, l->rows);
	memset(l, 0, sizeof(*l));
}

/*
 * The editor's list: published modules, and the drafts of units under
 * scope only ("" or NULL: none; admin: all); editable ones first. The
 * programme's modules are edited in the repository. A draft of a module
 * never published has its slug as title.
 */
enum { AL_SLUG, AL_TITLE, AL_VERSION, AL_OWNER, AL_DRAFT, AL_EDITABLE };

static const struct row_col al_cols[] = {
	[AL_SLUG] = { ROW_TEXT, offsetof(struct author_entry, slug) },
	[AL_TITLE] = { ROW_TEXT, offsetof(struct author_entry, title) },
	[AL_VERSION] = { ROW_TEXT, offsetof(struct author_entry, version) },
	[AL_OWNER] = { ROW_TEXT, offsetof(struct author_entry, owner) },
	[AL_DRAFT] = { ROW_BOOL, offsetof(struct author_entry, draft) },
	[AL_EDITABLE] = { ROW_BOOL, offsetof(struct author_entry, editable) }
};
static const char al_query[] = "WITH d AS (SELECT d.* FROM module_drafts d "
    "JOIN orgs od ON od.id = d.owner_org_id WHERE $2 OR ($1 <> '' AND "
    "od.path LIKE $1 || '%')) SELECT s.slug, coalesce(v.title, d.slug), "
    "coalesce(v.version_no::text, '-'), coalesce(o.name, ''), d.slug IS NOT "
    "NULL, (m.id IS NULL OR m.owner_org_id IS NOT NULL) AND ($2 OR (o.path "
    "IS NOT NULL AND $1 <> '' AND o.path LIKE $1 || '%')) FROM (SELECT slug "
    "FROM modules UNION SELECT slug FROM d) s LEFT JOIN modules m ON m.slug "
    "= s.slug LEFT JOIN module_versions v ON v.id = m.current_version_id "
    "LEFT JOIN d ON d.slug = s.slug LEFT JOIN orgs o ON o.id = coalesce("
    "m.owner_org_id, d.owner_org_id) ORDER BY 6 DESC, 2";

int
author_list(struct db *db, const char *scope, int admin,
    struct author_entries *out, struct fail *f)
{
	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, al_query, 2, scope != NULL ? scope : "",
	    admin ? "t" : "f")) == NULL)
		return (-1);
	rows_fill(out->res, out->rows, sizeof(*out->rows), al_cols,
	    ROW_NCOLS(al_cols));
	return (0);
}

void
author_list_free(struct author_entries *l)
{
	rows_release(l->res, l->rows);
	memset(l, 0, sizeof(*l));
}
