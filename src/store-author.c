/*
 * store-author.c: what the trainers' editors read and check: who owns a
 * module, a draft or a course (the programme, imported from the
 * repository, or a unit, through the web editor), the modules a course
 * can be made of, the stored text of a course, the quizzes and levels
 * the competence rule is checked against (course_check_levels()).
 */

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
author_owner(struct db *db, int course, const char *slug, struct owner *o)
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
		return (-1);
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
		return (-1);
	if (db_rows(res) == 1) {
		o->draft = 1;
		xstrlcpy(o->draft_path, db_value(res, 0, 0),
		    sizeof(o->draft_path));
	}
	db_clear(res);
	return (0);
}

/*
 * The published modules a course can be made of, by title: a trainer
 * may use any module anyone can read (the programme's and every unit's).
 */
enum { AM_SLUG, AM_TITLE, AM_MINUTES, AM_PROGRAMME, AM_OWNER, AM_NQ,
    AM_POOL };

int
author_modules(struct db *db, struct author_module **out, size_t *n)
{
	struct pg_result	*res;
	struct author_module	*m;
	int			 i, rows;

	*out = NULL;
	*n = 0;
	res = db_query(db, "SELECT m.slug, v.title, v.minutes, m.owner_org_id "
	    "IS NULL, coalesce(o.name, ''), (SELECT count(*) FROM questions q "
	    "WHERE q.version_id = v.id), EXISTS (SELECT 1 FROM courses c WHERE "
	    "c.assessment_module_id = m.id) FROM modules m JOIN "
	    "module_versions v ON v.id = m.current_version_id LEFT JOIN orgs o "
	    "ON o.id = m.owner_org_id ORDER BY v.title, m.slug", 0);
	if (res == NULL)
		return (-1);
	rows = db_rows(res);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (i = 0; i < rows; i++) {
		m = &(*out)[(*n)++];
		m->slug = xstrdup(db_value(res, i, AM_SLUG));
		m->title = xstrdup(db_value(res, i, AM_TITLE));
		m->minutes = atoi(db_value(res, i, AM_MINUTES));
		m->programme = strcmp(db_value(res, i, AM_PROGRAMME), "t") == 0;
		m->owner = xstrdup(db_value(res, i, AM_OWNER));
		m->questions = atoi(db_value(res, i, AM_NQ));
		m->pool = strcmp(db_value(res, i, AM_POOL), "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
author_modules_free(struct author_module *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(m[i].slug);
		free(m[i].title);
		free(m[i].owner);
	}
	free(m);
}

/*
 * The courses, with whether the user may edit each: a trainer those of
 * units in scope (a path), an administrator every unit's; nobody the
 * programme's, which are kept in the repository.
 */
enum { AC_SLUG, AC_TITLE, AC_PROGRAMME, AC_OWNER, AC_EDITABLE, AC_MODULES };

int
author_courses(struct db *db, const char *scope, int admin,
    struct author_course **out, size_t *n)
{
	struct pg_result	*res;
	struct author_course	*c;
	int			 i, rows;

	*out = NULL;
	*n = 0;
	res = db_query(db, "SELECT c.slug, c.title, c.owner_org_id IS NULL, "
	    "coalesce(o.name, ''), c.owner_org_id IS NOT NULL AND ($2 OR ($1 "
	    "<> '' AND o.path LIKE $1 || '%')), (SELECT count(*) FROM "
	    "course_modules cm WHERE cm.course_id = c.id) FROM courses c LEFT "
	    "JOIN orgs o ON o.id = c.owner_org_id ORDER BY 5 DESC, c.title", 2,
	    scope != NULL ? scope : "", admin ? "t" : "f");
	if (res == NULL)
		return (-1);
	rows = db_rows(res);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (i = 0; i < rows; i++) {
		c = &(*out)[(*n)++];
		c->slug = xstrdup(db_value(res, i, AC_SLUG));
		c->title = xstrdup(db_value(res, i, AC_TITLE));
		c->programme = strcmp(db_value(res, i, AC_PROGRAMME), "t") == 0;
		c->owner = xstrdup(db_value(res, i, AC_OWNER));
		c->editable = strcmp(db_value(res, i, AC_EDITABLE), "t") == 0;
		c->modules = atoi(db_value(res, i, AC_MODULES));
	}
	db_clear(res);
	return (0);
}

void
author_courses_free(struct author_course *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].slug);
		free(c[i].title);
		free(c[i].owner);
	}
	free(c);
}

/* A course's stored text (its file, or what the editor wrote); NULL. */
char *
author_course_source(struct db *db, const char *slug)
{
	struct pg_result	*res;
	char			*src;

	res = db_query(db, "SELECT source FROM courses WHERE slug = $1", 1,
	    slug);
	if (res == NULL)
		return (NULL);
	src = db_rows(res) == 1 ? xstrdup(db_value(res, 0, 0)) : NULL;
	db_clear(res);
	return (src);
}

/*
 * The measured framework's level names, lowest first (out: free each
 * and it). Reference frameworks (Syllabus, DigComp) have levels of
 * their own that no quiz measures.
 */
int
author_levels(struct db *db, char ***out, size_t *n)
{
	struct pg_result	*res;
	int			 i, rows;

	*out = NULL;
	*n = 0;
	res = db_query(db, "SELECT l.name FROM levels l WHERE l.framework_id "
	    "= (SELECT min(id) FROM frameworks WHERE kind = 'measured') "
	    "ORDER BY l.rank", 0);
	if (res == NULL)
		return (-1);
	rows = db_rows(res);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (i = 0; i < rows; i++)
		(*out)[(*n)++] = xstrdup(db_value(res, i, 0));
	db_clear(res);
	return (0);
}

/*
 * The current quiz of a module (by slug) into quiz; 0, 1 when there is
 * no such published module, -1 on a database error.
 */
int
author_module_quiz(struct db *db, const char *slug, struct quiz *quiz)
{
	struct pg_result	*res;
	char			 vid[NUMBUF];

	memset(quiz, 0, sizeof(*quiz));
	res = db_query(db, "SELECT current_version_id FROM modules WHERE slug "
	    "= $1 AND current_version_id IS NOT NULL", 1, slug);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (1);
	}
	xstrlcpy(vid, db_value(res, 0, 0), sizeof(vid));
	db_clear(res);
	return (learn_load_quiz(db, vid, quiz) == -1 ? -1 : 0);
}

/*
 * A course from the web editor against the database: its modules and
 * pool published, its competences and levels in the framework, and the
 * competence rule (course_check_levels: its levels with one question,
 * claims it could never certify, a pool too small). Problems go to dl
 * (as "field: message" with the course's path); returns their number,
 * or -1 on a database error.
 */
int
author_check_course(struct db *db, const struct course *c,
    struct diaglist *dl)
{
	struct level_source	*mods, pool;
	struct quiz		*quizzes, poolq;
	struct pg_result	*res;
	char			**levels;
	size_t			 i, nlevels;
	int			 errors, rc;

	errors = 0;
	if (author_levels(db, &levels, &nlevels) == -1)
		return (-1);
	quizzes = xcalloc(c->nmodules + 1, sizeof(*quizzes));
	mods = xcalloc(c->nmodules + 1, sizeof(*mods));
	memset(&poolq, 0, sizeof(poolq));
	for (i = 0; i < c->nmodules; i++) {
		if ((rc = author_module_quiz(db, c->modules[i],
		    &quizzes[i])) == -1)
			goto fail;
		if (rc == 1) {
			diag_add(dl, c->path, c->module_lines[i], "module '%s' "
			    "is not published", c->modules[i]);
			errors++;
		}
		mods[i].quiz = &quizzes[i];
		mods[i].path = c->modules[i];
	}
	if (c->assessment != NULL) {
		if ((rc = author_module_quiz(db, c->assessment, &poolq)) == -1)
			goto fail;
		if (rc == 1 || poolq.nq == 0) {
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
		if (res == NULL)
			goto fail;
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
	for (i = 0; i < nlevels; i++)
		free(levels[i]);
	free(levels);
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
enum { AV_NO, AV_AT, AV_SHA256, AV_ORIGIN, AV_AUTHOR, AV_CURRENT };

int
author_versions(struct db *db, const char *slug, struct author_versions *out,
    struct fail *f)
{
	struct author_version	*v;
	struct pg_result	*res;
	size_t			 i;

	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, "SELECT v.version_no, to_char("
	    "v.created_at, 'YYYY-MM-DD HH24:MI'), v.sha256, v.origin, "
	    "coalesce(u.name, '-'), v.id = m.current_version_id FROM "
	    "module_versions v JOIN modules m ON m.id = v.module_id "
	    "LEFT JOIN users u ON u.id = v.author_id WHERE m.slug = $1 "
	    "ORDER BY v.version_no DESC", 1, slug)) == NULL)
		return (-1);
	res = out->res;
	for (i = 0; i < out->n; i++) {
		v = &out->rows[i];
		v->no = atoi(db_value(res, (int)i, AV_NO));
		v->at = db_value(res, (int)i, AV_AT);
		v->sha256 = db_value(res, (int)i, AV_SHA256);
		v->web = strcmp(db_value(res, (int)i, AV_ORIGIN), "web") == 0;
		v->author = db_value(res, (int)i, AV_AUTHOR);
		v->current = strcmp(db_value(res, (int)i, AV_CURRENT),
		    "t") == 0;
	}
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
 * programme's modules are edited in the repository.
 */
enum { AL_SLUG, AL_TITLE, AL_VERSION, AL_OWNER, AL_DRAFT, AL_EDITABLE };

int
author_list(struct db *db, const char *scope, int admin,
    struct author_entries *out, struct fail *f)
{
	struct author_entry	*e;
	struct pg_result	*res;
	size_t			 i;
	int			 r;

	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, "WITH d AS (SELECT d.* FROM "
	    "module_drafts d JOIN orgs od ON od.id = d.owner_org_id WHERE $2 "
	    "OR ($1 <> '' AND od.path LIKE $1 || '%')) SELECT m.slug, "
	    "coalesce(v.title, d.slug), coalesce(v.version_no::text, '-'), "
	    "coalesce(o.name, ''), d.slug IS NOT NULL, (m.id IS NULL OR "
	    "m.owner_org_id IS NOT NULL) AND ($2 OR (o.path IS NOT NULL AND "
	    "$1 <> '' AND o.path LIKE $1 || '%')) FROM (SELECT slug FROM "
	    "modules UNION SELECT slug FROM d) s LEFT JOIN modules m ON "
	    "m.slug = s.slug LEFT JOIN module_versions v ON v.id = "
	    "m.current_version_id LEFT JOIN d ON d.slug = s.slug LEFT JOIN "
	    "orgs o ON o.id = coalesce(m.owner_org_id, d.owner_org_id) ORDER "
	    "BY 6 DESC, 2", 2, scope != NULL ? scope : "", admin ? "t" :
	    "f")) == NULL)
		return (-1);
	res = out->res;
	for (i = 0; i < out->n; i++) {
		e = &out->rows[i];
		r = (int)i;
		e->title = db_value(res, r, AL_TITLE);
		/* A draft of a module never published: its slug as title. */
		e->slug = db_isnull(res, r, AL_SLUG) ? e->title :
		    db_value(res, r, AL_SLUG);
		e->version = db_value(res, r, AL_VERSION);
		e->owner = db_value(res, r, AL_OWNER);
		e->draft = strcmp(db_value(res, r, AL_DRAFT), "t") == 0;
		e->editable = strcmp(db_value(res, r, AL_EDITABLE), "t") == 0;
	}
	return (0);
}

void
author_list_free(struct author_entries *l)
{
	rows_release(l->res, l->rows);
	memset(l, 0, sizeof(*l));
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
