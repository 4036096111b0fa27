/*
 * content.c: a content tree, the way it sits in git:
 *
 *	DIR/modules/<slug>.md		modules
 *	DIR/courses/<slug>.md		courses
 *	DIR/courses/framework.md	the competence framework
 *	DIR/courses/frameworks/<slug>.md reference frameworks (optional):
 *					public frameworks courses align to
 *	DIR/courses/roles.csv		role profiles (optional)
 *
 * Every file is parsed on its own; then the references between them
 * (competence codes and levels, the modules of a course) are checked.
 * A file with any problem is left out, with its reasons in the diag
 * list; the others are kept.
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacita.h"

static int	content_refs(struct content *, const char *,
		    struct diaglist *);
static int	content_check_course(struct content *, struct course *,
		    struct diaglist *);
static int	content_course_levels(const struct content *,
		    const struct course *, struct diaglist *);
static int	content_modules(struct content *, const char *,
		    struct diaglist *);
static int	content_courses(struct content *, const char *,
		    struct diaglist *);
static int	md_filter(const struct dirent *);
static int	name_matches(const char *, const char *, int,
		    struct diaglist *);

/* A file modules/<slug>.md must declare slug: <slug>. */
static int
name_matches(const char *path, const char *slug, int line,
    struct diaglist *dl)
{
	const char	*base;
	char		*other;
	size_t		 len;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".md") == 0)
		len -= 3;
	if (strlen(slug) == len && strncmp(base, slug, len) == 0)
		return (0);
	/* Most often a copied file whose slug was not changed. */
	(void)xasprintf(&other, "%.*s%s.md", (int)(base - path), path, slug);
	if (access(other, F_OK) == 0)
		diag_add(dl, path, line, "duplicate slug '%s' (also in %s): "
		    "give this file its own slug, equal to its file name",
		    slug, other);
	else
		diag_add(dl, path, line, "slug '%s' does not match the file "
		    "name '%.*s.md'", slug, (int)len, base);
	free(other);
	return (1);
}

static int
md_filter(const struct dirent *d)
{
	return (d->d_name[0] != '.' && str_has_suffix(d->d_name, ".md") &&
	    strcmp(d->d_name, "README.md") != 0);
}

/*
 * The sorted *.md files of dir (but README.md and hidden ones) as
 * "dir/name" paths, none when dir does not exist; -1, with the reason
 * in dl, when it cannot be read. Shared with governance.c.
 */
int
content_md_files(const char *dir, char ***out, size_t *n,
    struct diaglist *dl)
{
	struct dirent	**list;
	int		  i, cnt;

	*out = NULL;
	*n = 0;
	if ((cnt = scandir(dir, &list, md_filter, alphasort)) == -1) {
		if (errno == ENOENT)
			return (0);
		diag_add(dl, dir, 0, "cannot read directory: %s",
		    strerror(errno));
		return (-1);
	}
	*out = xcalloc((size_t)cnt + 1, sizeof(char *));
	for (i = 0; i < cnt; i++) {
		(void)xasprintf(&(*out)[i], "%s/%s", dir, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	*n = (size_t)cnt;
	return (0);
}

void
content_files_free(char **files, size_t n)
{
	str_array_free(files, n);
}

/*
 * Read the content file path into *src: 1 when read; 0 when it does
 * not exist and is optional; -1, with the reason in dl, when it cannot
 * be read.
 */
int
content_read(const char *path, int optional, char **src, size_t *len,
    struct diaglist *dl)
{
	if (file_read(path, src, len, SOURCE_MAX) == 0)
		return (1);
	if (optional && errno == ENOENT)
		return (0);
	diag_add(dl, path, 0, "cannot read: %s", strerror(errno));
	return (-1);
}

struct module *
content_find_module(const struct content *ct, const char *slug)
{
	size_t	i;

	for (i = 0; i < ct->nmodules; i++) {
		if (strcmp(ct->modules[i]->slug, slug) == 0)
			return (ct->modules[i]);
	}
	return (NULL);
}

const struct framework *
content_find_ref(const struct content *ct, const char *slug)
{
	size_t	i;

	for (i = 0; i < ct->nrefs; i++) {
		if (strcmp(ct->refs[i]->slug, slug) == 0)
			return (ct->refs[i]);
	}
	return (NULL);
}

/*
 * The reference frameworks of DIR/courses/frameworks/: each file
 * <slug>.md, its slug its name, no slug twice, none the slug of the
 * measured framework. Returns the number of files left out.
 */
static int
content_refs(struct content *ct, const char *dir, struct diaglist *dl)
{
	struct framework	*fw;
	char			**files, *path, *src;
	size_t			 nfiles, i, len;
	int			 skipped;

	(void)xasprintf(&path, "%s/courses/frameworks", dir);
	skipped = content_md_files(path, &files, &nfiles, dl) == -1;
	free(path);
	for (i = 0; i < nfiles; i++) {
		ct->nfiles++;
		if (content_read(files[i], 0, &src, &len, dl) == -1) {
			skipped++;
			continue;
		}
		fw = framework_parse(files[i], src, len, dl);
		free(src);
		if (fw == NULL) {
			skipped++;
			continue;
		}
		if (name_matches(fw->path, fw->slug, 1, dl) ||
		    content_find_ref(ct, fw->slug) != NULL ||
		    (ct->framework != NULL && strcmp(ct->framework->slug,
		    fw->slug) == 0)) {
			if (content_find_ref(ct, fw->slug) != NULL ||
			    ct->framework != NULL)
				diag_add(dl, fw->path, 1, "slug '%s' is the "
				    "slug of another framework", fw->slug);
			framework_free(fw);
			skipped++;
			continue;
		}
		fw->reference = 1;
		ct->refs = xreallocarray(ct->refs, ct->nrefs + 1,
		    sizeof(*ct->refs));
		ct->refs[ct->nrefs++] = fw;
	}
	content_files_free(files, nfiles);
	return (skipped);
}

/* Competences and levels named by a module exist in the framework. */
int
content_check_module(const struct content *ct, struct module *m,
    struct diaglist *dl)
{
	const struct quiz_question	*q;
	size_t				 i;
	int				 errors;

	if (ct->framework == NULL)
		return (0);
	errors = 0;
	for (i = 0; i < m->ncompetences; i++) {
		if (framework_find(ct->framework, m->competences[i]) ==
		    NULL) {
			diag_add(dl, m->path, m->competences_line,
			    "competence '%s' is not in the framework %s",
			    m->competences[i], ct->framework->path);
			errors++;
		}
	}
	for (i = 0; i < m->quiz.nq; i++) {
		q = &m->quiz.q[i];
		if (q->competence != NULL &&
		    framework_find(ct->framework, q->competence) == NULL) {
			diag_add(dl, m->path, q->comp_line, "competence '%s' is "
			    "not in the framework %s", q->competence,
			    ct->framework->path);
			errors++;
		}
		if (q->level != NULL &&
		    framework_level(ct->framework, q->level) == 0) {
			struct buf	names;

			buf_init(&names, 64);
			framework_levels_list(ct->framework, &names);
			diag_add(dl, m->path, q->comp_line, "unknown level '%s': "
			    "the framework's levels are %s", q->level,
			    names.data);
			buf_free(&names);
			errors++;
		}
	}
	return (errors);
}

/* The competence rule against a course's quizzes (course.c). */
static int
content_course_levels(const struct content *ct, const struct course *c,
    struct diaglist *dl)
{
	struct level_source	*mods, pool;
	const char		**levels;
	struct module		*m;
	size_t			 i;
	int			 n;

	mods = xcalloc(c->nmodules + 1, sizeof(*mods));
	levels = xcalloc(ct->framework->nlevels + 1, sizeof(*levels));
	for (i = 0; i < ct->framework->nlevels; i++)
		levels[i] = ct->framework->levels[i].name;
	for (i = 0; i < c->nmodules; i++) {
		m = content_find_module(ct, c->modules[i]);
		mods[i].quiz = &m->quiz;
		mods[i].path = m->path;
	}
	if (c->assessment != NULL) {
		m = content_find_module(ct, c->assessment);
		pool.quiz = &m->quiz;
		pool.path = m->path;
	}
	n = course_check_levels(c, mods, c->nmodules, c->assessment != NULL ?
	    &pool : NULL, levels, ct->framework->nlevels, dl);
	free(mods);
	free(levels);
	return (n);
}

static int
content_check_course(struct content *ct, struct course *c,
    struct diaglist *dl)
{
	size_t	i;
	int	errors;

	errors = 0;
	for (i = 0; i < c->nmodules; i++) {
		if (content_find_module(ct, c->modules[i]) == NULL) {
			diag_add(dl, c->path, c->module_lines[i], "module "
			    "'%s' does not exist or was not imported",
			    c->modules[i]);
			errors++;
		}
	}
	if (c->assessment != NULL &&
	    content_find_module(ct, c->assessment) == NULL) {
		diag_add(dl, c->path, c->assessment_line, "assessment module "
		    "'%s' does not exist or was not imported", c->assessment);
		errors++;
	}
	for (i = 0; i < c->nalignments; i++) {
		const struct course_alignment	*a = &c->alignments[i];
		const struct framework		*ref;

		/*
		 * A tree without courses/frameworks/ (a course imported on
		 * its own) aligns to what the database holds: the import
		 * checks it there.
		 */
		if (ct->nrefs == 0)
			continue;
		if ((ref = content_find_ref(ct, a->framework)) == NULL) {
			diag_add(dl, c->path, a->line, "no reference framework "
			    "'%s' in courses/frameworks/", a->framework);
			errors++;
		} else if (framework_find(ref, a->code) == NULL) {
			diag_add(dl, c->path, a->line, "'%s' is not a code of "
			    "the framework %s", a->code, ref->path);
			errors++;
		} else if (*a->level != '\0' &&
		    framework_level(ref, a->level) == 0) {
			struct buf	names;

			buf_init(&names, 64);
			framework_levels_list(ref, &names);
			diag_add(dl, c->path, a->line, "unknown level '%s': the "
			    "levels of %s are %s", a->level, a->framework,
			    names.data);
			buf_free(&names);
			errors++;
		}
	}
	if (errors == 0 && ct->framework != NULL)
		ct->nwarnings += content_course_levels(ct, c, dl);
	if (ct->framework != NULL) {
		for (i = 0; i < c->ncompetences; i++) {
			if (framework_find(ct->framework,
			    c->competences[i].code) == NULL) {
				diag_add(dl, c->path, c->competences[i].line,
				    "competence '%s' is not in the framework",
				    c->competences[i].code);
				errors++;
			} else if (framework_level(ct->framework,
			    c->competences[i].level) == 0) {
				diag_add(dl, c->path, c->competences[i].line,
				    "unknown level '%s'",
				    c->competences[i].level);
				errors++;
			}
		}
	}
	return (errors);
}

/*
 * The modules of DIR/modules/: each parsed, its slug its file's name
 * and unique, its competences and levels in the framework. Returns the
 * number of files left out, -1 when the directory cannot be read.
 */
static int
content_modules(struct content *ct, const char *dir, struct diaglist *dl)
{
	struct module	*m, *other;
	char		**files, *path, *src;
	size_t		 nfiles, i, len;
	int		 skipped;

	(void)xasprintf(&path, "%s/modules", dir);
	skipped = content_md_files(path, &files, &nfiles, dl);
	free(path);
	for (i = 0; skipped != -1 && i < nfiles; i++) {
		ct->nfiles++;
		m = NULL;
		if (content_read(files[i], 0, &src, &len, dl) == 1) {
			m = module_parse(files[i], src, len, dl);
			free(src);
		}
		if (m != NULL && (other = content_find_module(ct,
		    m->slug)) != NULL) {
			diag_add(dl, m->path, m->slug_line, "duplicate slug "
			    "'%s' (also in %s:%d)", m->slug, other->path,
			    other->slug_line);
			module_free(m);
			m = NULL;
		}
		if (m != NULL && (name_matches(m->path, m->slug,
		    m->slug_line, dl) || content_check_module(ct, m,
		    dl) > 0)) {
			module_free(m);
			m = NULL;
		}
		if (m == NULL) {
			skipped++;
			continue;
		}
		ct->modules = xreallocarray(ct->modules, ct->nmodules + 1,
		    sizeof(*ct->modules));
		ct->modules[ct->nmodules++] = m;
	}
	content_files_free(files, nfiles);
	return (skipped);
}

/*
 * The courses of DIR/courses/ (but framework.md): each parsed, its
 * slug its file's name and unique, checked against the modules and the
 * framework. Returns the number of files left out, -1 when the
 * directory cannot be read.
 */
static int
content_courses(struct content *ct, const char *dir, struct diaglist *dl)
{
	struct course	*c;
	char		**files, *path, *src;
	size_t		 nfiles, i, j, len;
	int		 skipped;

	(void)xasprintf(&path, "%s/courses", dir);
	skipped = content_md_files(path, &files, &nfiles, dl);
	free(path);
	for (i = 0; skipped != -1 && i < nfiles; i++) {
		if (str_has_suffix(files[i], "/framework.md"))
			continue;
		ct->nfiles++;
		c = NULL;
		if (content_read(files[i], 0, &src, &len, dl) == 1) {
			c = course_parse(files[i], src, len, dl);
			free(src);
		}
		for (j = 0; c != NULL && j < ct->ncourses; j++) {
			if (strcmp(ct->courses[j]->slug, c->slug) != 0)
				continue;
			diag_add(dl, c->path, c->slug_line, "duplicate slug "
			    "'%s' (also in %s:%d)", c->slug,
			    ct->courses[j]->path, ct->courses[j]->slug_line);
			course_free(c);
			c = NULL;
		}
		if (c != NULL && (name_matches(c->path, c->slug,
		    c->slug_line, dl) || content_check_course(ct, c,
		    dl) > 0)) {
			course_free(c);
			c = NULL;
		}
		if (c == NULL) {
			skipped++;
			continue;
		}
		ct->courses = xreallocarray(ct->courses, ct->ncourses + 1,
		    sizeof(*ct->courses));
		ct->courses[ct->ncourses++] = c;
	}
	content_files_free(files, nfiles);
	return (skipped);
}

/*
 * Load dir into ct. Returns the number of files left out because of
 * errors; -1 when a directory cannot be read at all.
 */
int
content_load(struct content *ct, const char *dir, struct diaglist *dl)
{
	char	*path, *src;
	size_t	 len;
	int	 skipped, n;

	memset(ct, 0, sizeof(*ct));
	skipped = 0;

	(void)xasprintf(&path, "%s/courses/framework.md", dir);
	if ((n = content_read(path, 1, &src, &len, dl)) == 1) {
		ct->nfiles++;
		if ((ct->framework = framework_parse(path, src, len, dl)) ==
		    NULL)
			skipped++;
		free(src);
	} else if (n == -1)
		skipped++;
	free(path);

	skipped += content_refs(ct, dir, dl);

	(void)xasprintf(&path, "%s/courses/roles.csv", dir);
	if ((n = content_read(path, 1, &src, &len, dl)) == 1) {
		ct->nfiles++;
		ct->roles = roles_parse(path, src, len, dl);
		if (ct->roles != NULL && (ct->framework == NULL ||
		    roles_check(ct->roles, ct->framework, dl) > 0)) {
			if (ct->framework == NULL)
				diag_add(dl, path, 0, "role profiles need the "
				    "framework (courses/framework.md)");
			roles_free(ct->roles);
			ct->roles = NULL;
		}
		if (ct->roles == NULL)
			skipped++;
		free(src);
	} else if (n == -1)
		skipped++;
	free(path);

	if ((n = content_modules(ct, dir, dl)) == -1)
		return (-1);
	skipped += n;
	if ((n = content_courses(ct, dir, dl)) == -1)
		return (-1);
	skipped += n;
	if ((n = gov_load(&ct->gov, dir, ct->framework, dl)) == -1)
		return (-1);
	ct->nfiles += ct->gov.nfiles;
	return (skipped + n);
}

void
content_free(struct content *ct)
{
	size_t	i;

	framework_free(ct->framework);
	for (i = 0; i < ct->nrefs; i++)
		framework_free(ct->refs[i]);
	free(ct->refs);
	roles_free(ct->roles);
	for (i = 0; i < ct->nmodules; i++)
		module_free(ct->modules[i]);
	free(ct->modules);
	for (i = 0; i < ct->ncourses; i++)
		course_free(ct->courses[i]);
	free(ct->courses);
	gov_content_free(&ct->gov);
	memset(ct, 0, sizeof(*ct));
}
