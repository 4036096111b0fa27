/*
 * store-content.c: writes parsed content (framework, modules, courses)
 * to the database. Each file is one transaction: it is stored whole or
 * not at all. Storing is idempotent: a module whose source hashes to a
 * version already stored changes nothing, so the import that runs at
 * every start never reverts a newer version published from the web.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF	32

static int	store_fail(struct db *, struct diaglist *, const char *);
static int	store_module_questions(struct db *, const struct module *,
		    const char *);

static int
store_fail(struct db *db, struct diaglist *dl, const char *path)
{
	diag_add(dl, path, 0, "database: %s", db_error(db));
	db_rollback(db);
	return (-1);
}

/*
 * The framework's row, its levels, and its nodes: the measured
 * framework's in competences (every node, the areas included; the
 * nodes no longer in the file are retired, since evidence may name
 * them), a reference framework's in framework_nodes. Returns 1 when
 * something was written, 0 when the stored framework has the same
 * source, -1 on failure.
 */
int
store_framework(struct db *db, const struct framework *fw, int reference,
    struct diaglist *dl)
{
	const struct fw_competence	*c;
	struct pg_result		*res;
	struct buf			 path;
	const char			*kind;
	char				 fid[NUMBUF], rank[NUMBUF], pos[NUMBUF];
	char				 depth[NUMBUF], def[NUMBUF];
	const char			*stack[FW_DEPTH_MAX + 1];
	size_t				 i, j;

	memset(stack, 0, sizeof(stack));
	kind = reference ? "reference" : "measured";
	if (db_begin(db) == -1)
		return (store_fail(db, dl, fw->path));
	res = db_query(db, "SELECT id, sha256, kind FROM frameworks WHERE "
	    "slug = $1 FOR UPDATE", 1, fw->slug);
	if (res == NULL)
		return (store_fail(db, dl, fw->path));
	if (db_rows(res) == 1 && strcmp(db_value(res, 0, 2), kind) != 0) {
		diag_add(dl, fw->path, 1, "slug '%s' is already the slug of a "
		    "%s framework: give this one its own", fw->slug,
		    db_value(res, 0, 2));
		db_clear(res);
		db_rollback(db);
		return (-1);
	}
	if (db_rows(res) == 1 && strcmp(db_value(res, 0, 1), fw->sha256) ==
	    0) {
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);

	(void)snprintf(def, sizeof(def), "%zu", fw->default_level + 1);
	res = db_query(db, "INSERT INTO frameworks (slug, title, summary, "
	    "sha256, kind, introduction, taxonomy, source, url, default_rank) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::int) ON CONFLICT "
	    "(slug) DO UPDATE SET title = EXCLUDED.title, summary = "
	    "EXCLUDED.summary, sha256 = EXCLUDED.sha256, introduction = "
	    "EXCLUDED.introduction, taxonomy = EXCLUDED.taxonomy, source = "
	    "EXCLUDED.source, url = EXCLUDED.url, default_rank = "
	    "EXCLUDED.default_rank, updated_at = now() RETURNING id", 10,
	    fw->slug, fw->title, fw->summary, fw->sha256, kind,
	    fw->introduction, fw->taxonomy, fw->source, fw->url, def);
	if (res == NULL)
		return (store_fail(db, dl, fw->path));
	xstrlcpy(fid, db_value(res, 0, 0), sizeof(fid));
	db_clear(res);

	if (db_exec(db, "DELETE FROM levels WHERE framework_id = $1", 1,
	    fid) == -1)
		return (store_fail(db, dl, fw->path));
	for (i = 0; i < fw->nlevels; i++) {
		(void)snprintf(rank, sizeof(rank), "%zu", i + 1);
		if (db_exec(db, "INSERT INTO levels (framework_id, rank, name, "
		    "description, proficient) VALUES ($1, $2, $3, $4, $5)", 5,
		    fid, rank, fw->levels[i].name, fw->levels[i].description,
		    fw->levels[i].proficient ? "t" : "f") == -1)
			return (store_fail(db, dl, fw->path));
	}
	if (db_exec(db, reference ? "UPDATE framework_nodes SET retired = "
	    "true WHERE framework_id = $1" : "UPDATE competences SET retired "
	    "= true WHERE framework_id = $1", 1, fid) == -1)
		return (store_fail(db, dl, fw->path));
	buf_init(&path, 128);
	for (i = 0; i < fw->ncomps; i++) {
		c = &fw->comps[i];
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		(void)snprintf(depth, sizeof(depth), "%d", c->depth);
		/* The codes from the area down: the preorder's ancestors. */
		if (c->depth <= FW_DEPTH_MAX)
			stack[c->depth] = c->code;
		buf_reset(&path);
		for (j = 0; j <= (size_t)c->depth && j <= FW_DEPTH_MAX; j++)
			buf_printf(&path, "%s%s", j > 0 ? "/" : "", stack[j]);
		if (reference)
			res = db_query(db, "INSERT INTO framework_nodes "
			    "(framework_id, code, parent, depth, name, "
			    "description, position) VALUES ($1, $2, $3, $4, "
			    "$5, $6, $7) ON CONFLICT (framework_id, code) DO "
			    "UPDATE SET parent = EXCLUDED.parent, depth = "
			    "EXCLUDED.depth, name = EXCLUDED.name, "
			    "description = EXCLUDED.description, position = "
			    "EXCLUDED.position, retired = false RETURNING 1", 7,
			    fid, c->code, c->parent, depth, c->name,
			    c->description, pos);
		else
			res = db_query(db, "INSERT INTO competences (code, "
			    "framework_id, area, name, description, position, "
			    "parent, depth, path) VALUES ($1, $2, $3, $4, $5, "
			    "$6, $7, $8, $9) ON CONFLICT (code) DO UPDATE SET "
			    "framework_id = EXCLUDED.framework_id, area = "
			    "EXCLUDED.area, name = EXCLUDED.name, description "
			    "= EXCLUDED.description, position = "
			    "EXCLUDED.position, parent = EXCLUDED.parent, "
			    "depth = EXCLUDED.depth, path = EXCLUDED.path, "
			    "retired = false RETURNING 1", 9, c->code, fid,
			    c->area, c->name, c->description, pos, c->parent,
			    depth, path.data);
		if (res == NULL) {
			buf_free(&path);
			return (store_fail(db, dl, fw->path));
		}
		db_clear(res);
	}
	buf_free(&path);
	if (db_commit(db) == -1)
		return (store_fail(db, dl, fw->path));
	return (1);
}

/*
 * The competences and the questions (with their options) of the new
 * module version vid, in the caller's transaction.
 */
static int
store_module_questions(struct db *db, const struct module *m,
    const char *vid)
{
	const struct quiz_question	*q;
	struct pg_result		*res;
	char				 qid[NUMBUF], pos[NUMBUF];
	char				 line[NUMBUF], pts[NUMBUF];
	char				 num[NUMBUF], tol[NUMBUF], *html;
	size_t				 i, j;

	for (i = 0; i < m->ncompetences; i++) {
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		if (db_exec(db, "INSERT INTO module_version_competences "
		    "(version_id, competence, position) VALUES ($1, $2, $3) "
		    "ON CONFLICT DO NOTHING", 3, vid, m->competences[i],
		    pos) == -1)
			return (-1);
	}

	for (i = 0; i < m->quiz.nq; i++) {
		q = &m->quiz.q[i];
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		(void)snprintf(line, sizeof(line), "%d", q->line);
		(void)snprintf(pts, sizeof(pts), "%d", q->points);
		(void)snprintf(num, sizeof(num), "%.17g", q->number);
		(void)snprintf(tol, sizeof(tol), "%.17g", q->tolerance);
		html = md_render_inline(q->text);
		res = db_query(db, "INSERT INTO questions (version_id, "
		    "position, line, type, text, text_html, competence, level, "
		    "points, number, tolerance, truth, feedback_correct, "
		    "feedback_wrong) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
		    "$9, $10, $11, $12, $13, $14) RETURNING id", 14, vid, pos,
		    line, quiz_type_name(q->type), q->text, html,
		    q->competence, q->level, pts,
		    q->type == QUIZ_NUMERIC ? num : NULL,
		    q->type == QUIZ_NUMERIC ? tol : NULL,
		    q->type == QUIZ_TRUEFALSE ? (q->truth ? "t" : "f") : NULL,
		    q->fb_correct, q->fb_wrong);
		free(html);
		if (res == NULL)
			return (-1);
		xstrlcpy(qid, db_value(res, 0, 0), sizeof(qid));
		db_clear(res);
		for (j = 0; j < q->nopts; j++) {
			(void)snprintf(pos, sizeof(pos), "%zu", j + 1);
			html = md_render_inline(q->opts[j].text);
			if (db_exec(db, "INSERT INTO question_options "
			    "(question_id, position, text, text_html, correct, "
			    "feedback) VALUES ($1, $2, $3, $4, $5, $6)", 6, qid,
			    pos, q->opts[j].text, html,
			    q->opts[j].correct ? "t" : "f",
			    q->opts[j].feedback) == -1) {
				free(html);
				return (-1);
			}
			free(html);
		}
	}
	return (0);
}

/*
 * Store one module version. *version_id gets its id and *is_new whether
 * it was created now (0 when the same source was stored before).
 */
int
store_module(struct db *db, const struct module *m, const char *origin,
    long long *version_id, int *is_new, struct diaglist *dl)
{
	struct pg_result	*res;
	char			 mid[NUMBUF], vid[NUMBUF];
	char			 minutes[NUMBUF], words[NUMBUF];
	char			 owner[NUMBUF], author[NUMBUF];
	const char		*notify;

	*is_new = 0;
	*version_id = 0;
	if (db_begin(db) == -1)
		return (store_fail(db, dl, m->path));
	(void)snprintf(owner, sizeof(owner), "%lld", m->owner_org_id);
	(void)snprintf(author, sizeof(author), "%lld", m->author_id);
	if (db_exec(db, "INSERT INTO modules (slug, owner_org_id) VALUES ($1, "
	    "$2) ON CONFLICT (slug) DO NOTHING", 2, m->slug,
	    m->owner_org_id != 0 ? owner : NULL) == -1)
		return (store_fail(db, dl, m->path));
	res = db_query(db, "SELECT m.id, m.owner_org_id IS NULL, coalesce("
	    "o.name, '') FROM modules m LEFT JOIN orgs o ON o.id = "
	    "m.owner_org_id WHERE m.slug = $1 FOR UPDATE OF m", 1, m->slug);
	if (res == NULL)
		return (store_fail(db, dl, m->path));
	xstrlcpy(mid, db_value(res, 0, 0), sizeof(mid));
	/* This very text again: nothing changes (a downloaded version). */
	{
		struct pg_result	*v;

		v = db_query(db, "SELECT id FROM module_versions WHERE "
		    "module_id = $1 AND sha256 = $2", 2, mid, m->sha256);
		if (v == NULL) {
			db_clear(res);
			return (store_fail(db, dl, m->path));
		}
		if (db_rows(v) == 1) {
			*version_id = strtoll(db_value(v, 0, 0), NULL, 10);
			db_clear(v);
			db_clear(res);
			db_rollback(db);
			return (0);
		}
		db_clear(v);
	}
	/*
	 * A slug is the programme's (imported, no owner) or a unit's (web
	 * editor): neither side takes the other's with a new text (issue
	 * 18).
	 */
	if (strcmp(origin, "import") == 0 && strcmp(db_value(res, 0, 1),
	    "f") == 0) {
		diag_add(dl, m->path, m->slug_line, "slug '%s' belongs to a "
		    "module written in the web editor by %s: give this file "
		    "another slug", m->slug, db_value(res, 0, 2));
		db_clear(res);
		db_rollback(db);
		return (-1);
	}
	if (strcmp(origin, "import") != 0 && strcmp(db_value(res, 0, 1),
	    "t") == 0) {
		diag_add(dl, m->path, m->slug_line, "slug '%s' belongs to a "
		    "module of the programme, kept in the repository "
		    "(modules/%s.md): choose another slug", m->slug, m->slug);
		db_clear(res);
		db_rollback(db);
		return (-1);
	}
	db_clear(res);

	(void)snprintf(minutes, sizeof(minutes), "%d", m->minutes);
	(void)snprintf(words, sizeof(words), "%zu", m->words);
	res = db_query(db, "INSERT INTO module_versions (module_id, "
	    "version_no, sha256, title, lang, minutes, summary, version_note, "
	    "source, html, words, origin, source_path, author_id) VALUES ($1, "
	    "(SELECT coalesce(max(version_no), 0) + 1 FROM module_versions "
	    "WHERE module_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "$12, $13) RETURNING id", 13, mid, m->sha256, m->title, m->lang,
	    minutes, m->summary, m->version_note, m->source, m->html, words,
	    origin, strcmp(origin, "import") == 0 ? m->path : NULL,
	    m->author_id != 0 ? author : NULL);
	if (res == NULL)
		return (store_fail(db, dl, m->path));
	xstrlcpy(vid, db_value(res, 0, 0), sizeof(vid));
	db_clear(res);

	if (store_module_questions(db, m, vid) == -1)
		return (store_fail(db, dl, m->path));

	notify = "SELECT pg_notify('capacita_content', 'module:' || $1)";
	if (db_exec(db, "UPDATE modules SET current_version_id = $2, "
	    "updated_at = now() WHERE id = $1", 2, mid, vid) == -1 ||
	    db_exec(db, notify, 1, m->slug) == -1 || db_commit(db) == -1)
		return (store_fail(db, dl, m->path));
	*version_id = strtoll(vid, NULL, 10);
	*is_new = 1;
	return (0);
}

/* Store a course; *changed is 0 when it was already stored as is. */
int
store_course(struct db *db, const struct course *c, int *changed,
    struct diaglist *dl)
{
	struct pg_result	*res;
	char			 cid[NUMBUF], hours[NUMBUF], pass[NUMBUF];
	char			 att[NUMBUF], pos[NUMBUF], owner[NUMBUF];
	char			 author[NUMBUF];
	size_t			 i;

	*changed = 0;
	if (db_begin(db) == -1)
		return (store_fail(db, dl, c->path));
	res = db_query(db, "SELECT c.sha256, c.owner_org_id IS NULL, "
	    "coalesce(o.name, '') FROM courses c LEFT JOIN orgs o ON o.id = "
	    "c.owner_org_id WHERE c.slug = $1 FOR UPDATE OF c", 1, c->slug);
	if (res == NULL)
		return (store_fail(db, dl, c->path));
	/* The programme's slugs and the units' stay apart, as modules'. */
	if (db_rows(res) == 1 && c->owner_org_id == 0 &&
	    strcmp(db_value(res, 0, 1), "f") == 0) {
		diag_add(dl, c->path, c->slug_line, "slug '%s' belongs to a "
		    "course written in the web editor by %s: give this file "
		    "another slug", c->slug, db_value(res, 0, 2));
		db_clear(res);
		db_rollback(db);
		return (-1);
	}
	if (db_rows(res) == 1 && c->owner_org_id != 0 &&
	    strcmp(db_value(res, 0, 1), "t") == 0) {
		diag_add(dl, c->path, c->slug_line, "slug '%s' belongs to a "
		    "course of the programme, kept in the repository "
		    "(courses/%s.md): choose another slug", c->slug, c->slug);
		db_clear(res);
		db_rollback(db);
		return (-1);
	}
	if (db_rows(res) == 1 && strcmp(db_value(res, 0, 0), c->sha256) ==
	    0) {
		db_clear(res);
		db_rollback(db);
		return (0);
	}
	db_clear(res);
	(void)snprintf(owner, sizeof(owner), "%lld", c->owner_org_id);
	(void)snprintf(author, sizeof(author), "%lld", c->author_id);

	(void)snprintf(hours, sizeof(hours), "%.2f", c->hours);
	(void)snprintf(pass, sizeof(pass), "%d", c->pass_percent);
	(void)snprintf(att, sizeof(att), "%d", c->attempts);
	res = db_query(db, "INSERT INTO courses (slug, sha256, title, lang, "
	    "summary, html, hours, pass_percent, attempts, grading, "
	    "badge_name, badge_description, badge_criteria, "
	    "assessment_module_id, source, source_path, review, owner_org_id, "
	    "author_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "$12, $13, (SELECT id FROM modules WHERE slug = $14), $15, $16, "
	    "$17, $18, $19) ON CONFLICT (slug) DO UPDATE SET sha256 = "
	    "EXCLUDED.sha256, title = EXCLUDED.title, "
	    "lang = EXCLUDED.lang, summary = EXCLUDED.summary, html = "
	    "EXCLUDED.html, hours = EXCLUDED.hours, pass_percent = "
	    "EXCLUDED.pass_percent, attempts = EXCLUDED.attempts, grading = "
	    "EXCLUDED.grading, badge_name = EXCLUDED.badge_name, "
	    "badge_description = EXCLUDED.badge_description, badge_criteria "
	    "= EXCLUDED.badge_criteria, assessment_module_id = "
	    "EXCLUDED.assessment_module_id, source = EXCLUDED.source, "
	    "source_path = EXCLUDED.source_path, review = EXCLUDED.review, "
	    "author_id = EXCLUDED.author_id, updated_at = now() RETURNING id",
	    19, c->slug, c->sha256, c->title, c->lang, c->summary, c->html,
	    hours, pass, att, c->grading == GRADING_LAST ? "last" : "highest",
	    c->badge_name, c->badge_description, c->badge_criteria,
	    c->assessment, c->source, c->owner_org_id != 0 ? NULL : c->path,
	    course_review_name(c->review), c->owner_org_id != 0 ? owner : NULL,
	    c->author_id != 0 ? author : NULL);
	if (res == NULL)
		return (store_fail(db, dl, c->path));
	xstrlcpy(cid, db_value(res, 0, 0), sizeof(cid));
	db_clear(res);

	if (db_exec(db, "DELETE FROM course_modules WHERE course_id = $1", 1,
	    cid) == -1 || db_exec(db, "DELETE FROM course_competences WHERE "
	    "course_id = $1", 1, cid) == -1)
		return (store_fail(db, dl, c->path));
	for (i = 0; i < c->nmodules; i++) {
		(void)snprintf(pos, sizeof(pos), "%zu", i + 1);
		res = db_query(db, "INSERT INTO course_modules (course_id, "
		    "position, module_id) SELECT $1, $2, id FROM modules "
		    "WHERE slug = $3 RETURNING module_id", 3, cid, pos,
		    c->modules[i]);
		if (res == NULL)
			return (store_fail(db, dl, c->path));
		if (db_rows(res) != 1) {
			db_clear(res);
			diag_add(dl, c->path, c->module_lines[i], "module '%s' "
			    "is not in the database", c->modules[i]);
			db_rollback(db);
			return (-1);
		}
		db_clear(res);
	}
	for (i = 0; i < c->ncompetences; i++) {
		if (db_exec(db, "INSERT INTO course_competences (course_id, "
		    "competence, level) VALUES ($1, $2, $3)", 3, cid,
		    c->competences[i].code, c->competences[i].level) == -1)
			return (store_fail(db, dl, c->path));
	}
	if (db_exec(db, "DELETE FROM course_alignments WHERE course_id = $1",
	    1, cid) == -1)
		return (store_fail(db, dl, c->path));
	for (i = 0; i < c->nalignments; i++) {
		char	apos[NUMBUF];
		int	n;

		(void)snprintf(apos, sizeof(apos), "%zu", i + 1);
		res = db_query(db, "INSERT INTO course_alignments (course_id, "
		    "framework_id, code, level, position) SELECT $1, n.framework_id, "
		    "n.code, $4, $5 FROM framework_nodes n JOIN frameworks f ON "
		    "f.id = n.framework_id WHERE f.slug = $2 AND f.kind = "
		    "'reference' AND n.code = $3 AND NOT n.retired RETURNING 1",
		    5, cid, c->alignments[i].framework, c->alignments[i].code,
		    c->alignments[i].level, apos);
		if (res == NULL)
			return (store_fail(db, dl, c->path));
		n = db_rows(res);
		db_clear(res);
		if (n != 1) {
			diag_add(dl, c->path, c->alignments[i].line, "the "
			    "reference framework '%s' with competence '%s' is "
			    "not in the database: import courses/frameworks/ "
			    "first", c->alignments[i].framework,
			    c->alignments[i].code);
			db_rollback(db);
			return (-1);
		}
	}
	if (db_exec(db, "SELECT pg_notify('capacita_content', 'course:' || "
	    "$1)", 1, c->slug) == -1 || db_commit(db) == -1)
		return (store_fail(db, dl, c->path));
	*changed = 1;
	return (0);
}

/* Store a whole content tree; returns the number of files that failed. */
int
store_content(struct db *db, struct content *ct, struct import_stats *st,
    struct diaglist *dl)
{
	long long	vid;
	size_t		i;
	int		failed, is_new, rc;

	memset(st, 0, sizeof(*st));
	failed = 0;
	if (ct->framework != NULL) {
		rc = store_framework(db, ct->framework, 0, dl);
		if (rc == -1)
			failed++;
		else
			st->framework_changed = rc;
	}
	for (i = 0; i < ct->nrefs; i++) {
		rc = store_framework(db, ct->refs[i], 1, dl);
		if (rc == -1)
			failed++;
		else
			st->refs_changed += rc;
	}
	if (ct->roles != NULL) {
		if (store_roles(db, ct->roles, 0, dl) != 0)
			failed++;
		else
			st->roles = (int)ct->roles->nroles;
	}
	for (i = 0; i < ct->nmodules; i++) {
		if (store_module(db, ct->modules[i], "import", &vid, &is_new,
		    dl) == -1) {
			failed++;
			continue;
		}
		if (is_new)
			st->modules_new++;
		else
			st->modules_unchanged++;
	}
	for (i = 0; i < ct->ncourses; i++) {
		if (store_course(db, ct->courses[i], &is_new, dl) == -1) {
			failed++;
			continue;
		}
		if (is_new)
			st->courses_changed++;
		else
			st->courses_unchanged++;
	}
	failed += store_governance(db, &ct->gov, dl);
	return (failed);
}

/* The framework's row: fw_cols, then two columns read by hand. */
enum fw_col {
	FW_SLUG = 0,
	FW_TITLE,
	FW_SUMMARY,
	FW_SHA256,
	FW_INTRO,
	FW_TAXONOMY,
	FW_SOURCE,
	FW_URL,
	FW_REFERENCE,
	FW_DEFAULT,
	FW_ID
};

static const struct row_col fw_cols[] = {
	[FW_SLUG] = { ROW_DUP, offsetof(struct framework, slug) },
	[FW_TITLE] = { ROW_DUP, offsetof(struct framework, title) },
	[FW_SUMMARY] = { ROW_DUP, offsetof(struct framework, summary) },
	[FW_SHA256] = { ROW_ARRAY(struct framework, sha256) },
	[FW_INTRO] = { ROW_DUP, offsetof(struct framework, introduction) },
	[FW_TAXONOMY] = { ROW_DUP, offsetof(struct framework, taxonomy) },
	[FW_SOURCE] = { ROW_DUP, offsetof(struct framework, source) },
	[FW_URL] = { ROW_DUP, offsetof(struct framework, url) },
	[FW_REFERENCE] = { ROW_BOOL, offsetof(struct framework, reference) }
};

enum lv_col {
	LV_NAME = 0,
	LV_DESCRIPTION,
	LV_PROFICIENT
};

static const struct row_col lv_cols[] = {
	[LV_NAME] = { ROW_DUP, offsetof(struct fw_level, name) },
	[LV_DESCRIPTION] = { ROW_DUP, offsetof(struct fw_level,
	    description) },
	[LV_PROFICIENT] = { ROW_BOOL, offsetof(struct fw_level, proficient) }
};

enum node_col {
	NODE_CODE = 0,
	NODE_PARENT,
	NODE_AREA,
	NODE_NAME,
	NODE_DESCRIPTION,
	NODE_DEPTH
};

/*
 * A framework as stored: the one of that slug, or with slug NULL the
 * measured one (the first, there is one per install). Its nodes in
 * preorder, the retired left out. NULL when there is none (*missing
 * set) or on a database error.
 */
struct framework *
store_framework_get(struct db *db, const char *slug, int *missing)
{
	struct pg_result	*res;
	struct framework	*fw;
	struct fw_competence	*c;
	char			 fid[NUMBUF];
	size_t			 i;
	int			 n;

	*missing = 0;
	res = db_query(db, "SELECT slug, title, summary, sha256, "
	    "introduction, taxonomy, source, url, kind = 'reference', "
	    "default_rank, id FROM frameworks WHERE ($1::text IS NULL AND "
	    "kind = 'measured') OR slug = $1 ORDER BY id LIMIT 1", 1, slug);
	if (res == NULL)
		return (NULL);
	if (db_rows(res) != 1) {
		db_clear(res);
		*missing = 1;
		return (NULL);
	}
	fw = xcalloc(1, sizeof(*fw));
	rows_fill(res, fw, sizeof(*fw), fw_cols, ROW_NCOLS(fw_cols));
	fw->path = xstrdup("database");
	fw->default_level = (size_t)strtoul(db_value(res, 0, FW_DEFAULT),
	    NULL, 10) - 1;
	xstrlcpy(fid, db_value(res, 0, FW_ID), sizeof(fid));
	db_clear(res);

	if ((res = db_query(db, "SELECT name, description, proficient FROM "
	    "levels WHERE framework_id = $1 ORDER BY rank", 1, fid)) == NULL)
		goto fail;
	n = db_rows(res);
	fw->levels = xcalloc((size_t)n + 1, sizeof(*fw->levels));
	rows_fill(res, fw->levels, sizeof(*fw->levels), lv_cols,
	    ROW_NCOLS(lv_cols));
	fw->nlevels = (size_t)n;
	if (fw->default_level >= fw->nlevels)
		fw->default_level = 0;
	db_clear(res);

	/* A reference framework's area: the last root before, in preorder. */
	res = db_query(db, fw->reference ? "SELECT code, parent, '', name, "
	    "description, depth FROM framework_nodes WHERE framework_id = $1 "
	    "AND NOT retired ORDER BY position" :
	    "SELECT code, parent, area, name, description, depth FROM "
	    "competences WHERE framework_id = $1 AND NOT retired ORDER BY "
	    "position", 1, fid);
	if (res == NULL)
		goto fail;
	n = db_rows(res);
	fw->comps = xcalloc((size_t)n + 1, sizeof(*fw->comps));
	for (i = 0; i < (size_t)n; i++) {
		c = &fw->comps[i];
		c->code = xstrdup(db_value(res, i, NODE_CODE));
		c->parent = db_isnull(res, i, NODE_PARENT) ? NULL :
		    xstrdup(db_value(res, i, NODE_PARENT));
		c->area = xstrdup(fw->reference ? (c->parent == NULL ? c->code :
		    i > 0 ? fw->comps[i - 1].area : "") : db_value(res, i,
		    NODE_AREA));
		c->name = xstrdup(db_value(res, i, NODE_NAME));
		c->description = xstrdup(db_value(res, i, NODE_DESCRIPTION));
		c->depth = atoi(db_value(res, i, NODE_DEPTH));
	}
	fw->ncomps = (size_t)n;
	db_clear(res);
	return (fw);
fail:
	framework_free(fw);
	return (NULL);
}

/*
 * Store role profiles, all or none: the programme-wide ones of
 * courses/roles.csv (owner 0) or those of one unit (its org id, from an
 * HR upload). A role's requirements are replaced by the file's; a code
 * held by another owner is refused. Returns the number of problems
 * (diagnostics in dl), -1 on a database failure.
 */
int
store_roles(struct db *db, const struct roles *rs, long long owner,
    struct diaglist *dl)
{
	struct pg_result	*res;
	const struct job_role	*r;
	struct buf		 codes;
	char			 own[NUMBUF], rid[NUMBUF];
	size_t			 i, j;
	int			 errors, n;

	(void)snprintf(own, sizeof(own), "%lld", owner);
	if (db_begin(db) == -1)
		return (store_fail(db, dl, rs->path));
	buf_init(&codes, 256);
	errors = 0;
	for (i = 0; i < rs->nroles; i++) {
		r = &rs->roles[i];
		res = db_query(db, "INSERT INTO job_roles (code, name, "
		    "owner_org_id) VALUES ($1, $2, nullif($3, '0')::bigint) "
		    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
		    "updated_at = now() WHERE job_roles.owner_org_id IS NOT "
		    "DISTINCT FROM EXCLUDED.owner_org_id RETURNING id", 3,
		    r->code, r->name, own);
		if (res == NULL) {
			buf_free(&codes);
			return (store_fail(db, dl, rs->path));
		}
		if ((n = db_rows(res)) == 1)
			xstrlcpy(rid, db_value(res, 0, 0), sizeof(rid));
		db_clear(res);
		if (n != 1) {
			diag_add(dl, rs->path, r->line, "role code '%s' is "
			    "already used by %s: choose another code", r->code,
			    owner == 0 ? "a unit's own role" :
			    "another unit or the programme");
			errors++;
			continue;
		}
		/*
		 * Only what changed is written: every written requirement
		 * refreshes the gap cells of everyone holding the role.
		 */
		buf_reset(&codes);
		for (j = 0; j < r->nreqs; j++) {
			res = db_query(db, "INSERT INTO job_role_requirements "
			    "(role_id, competence, rank) SELECT $1, c.code, "
			    "lv.rank FROM competences c JOIN levels lv ON "
			    "lv.framework_id = c.framework_id AND lv.name = $3 "
			    "WHERE c.code = $2 AND NOT c.retired ON CONFLICT "
			    "(role_id, competence) DO UPDATE SET rank = "
			    "EXCLUDED.rank WHERE job_role_requirements.rank <> "
			    "EXCLUDED.rank RETURNING 1", 3, rid,
			    r->reqs[j].competence, r->reqs[j].level);
			if (res == NULL) {
				buf_free(&codes);
				return (store_fail(db, dl, rs->path));
			}
			db_clear(res);
			res = db_query(db, "SELECT 1 FROM competences c JOIN "
			    "levels lv ON lv.framework_id = c.framework_id AND "
			    "lv.name = $2 WHERE c.code = $1 AND NOT c.retired",
			    2, r->reqs[j].competence, r->reqs[j].level);
			if (res == NULL) {
				buf_free(&codes);
				return (store_fail(db, dl, rs->path));
			}
			n = db_rows(res);
			db_clear(res);
			if (n != 1) {
				diag_add(dl, rs->path, r->reqs[j].line,
				    "unknown competence '%s' or level '%s'",
				    r->reqs[j].competence, r->reqs[j].level);
				errors++;
			}
			pg_array_add(&codes, r->reqs[j].competence);
		}
		pg_array_end(&codes);
		if (db_exec(db, "DELETE FROM job_role_requirements WHERE "
		    "role_id = $1 AND competence <> ALL ($2::text[])", 2, rid,
		    codes.data) == -1) {
			buf_free(&codes);
			return (store_fail(db, dl, rs->path));
		}
	}
	buf_free(&codes);
	if (errors > 0) {
		db_rollback(db);
		return (errors);
	}
	if (db_commit(db) == -1)
		return (store_fail(db, dl, rs->path));
	return (0);
}

/*
 * Check a module against the framework stored in the database: the
 * competences it names exist and are not retired, and its quiz levels
 * are levels of that framework. For the web editor, which has no
 * framework file at hand. Returns the number of problems.
 */
int
store_check_module(struct db *db, const struct module *m,
    struct diaglist *dl)
{
	const struct quiz_question	*q;
	struct pg_result		*res;
	size_t				 i;
	int				 errors;

	errors = 0;
	for (i = 0; i < m->ncompetences + m->quiz.nq; i++) {
		const char	*code;
		int		 line;

		if (i < m->ncompetences) {
			code = m->competences[i];
			line = m->competences_line;
		} else {
			q = &m->quiz.q[i - m->ncompetences];
			code = q->competence;
			line = q->comp_line;
		}
		res = db_query(db, "SELECT 1 FROM competences WHERE code = $1 "
		    "AND NOT retired", 1, code);
		if (res == NULL) {
			diag_add(dl, m->path, 0, "database: %s", db_error(db));
			return (errors + 1);
		}
		if (db_rows(res) != 1) {
			diag_add(dl, m->path, line, "competence '%s' is not in "
			    "the framework", code);
			errors++;
		}
		db_clear(res);
	}
	for (i = 0; i < m->quiz.nq; i++) {
		q = &m->quiz.q[i];
		res = db_query(db, "SELECT (SELECT count(*) FROM competences "
		    "WHERE code = $1), (SELECT count(*) FROM levels l JOIN "
		    "competences c ON c.framework_id = l.framework_id WHERE "
		    "c.code = $1 AND l.name = $2)", 2, q->competence, q->level);
		if (res == NULL)
			return (errors + 1);
		/* An unknown competence was reported above. */
		if (strcmp(db_value(res, 0, 0), "0") != 0 &&
		    strcmp(db_value(res, 0, 1), "0") == 0) {
			diag_add(dl, m->path, q->comp_line, "unknown level '%s' "
			    "for competence %s", q->level, q->competence);
			errors++;
		}
		db_clear(res);
	}
	return (errors);
}
