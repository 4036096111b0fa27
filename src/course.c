/*
 * course.c: a course file (courses/<slug>.md): front matter naming the
 * modules in order, the completion rule, the hours credited and the
 * badge's achievement, then a Markdown description.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define COURSE_KEYS	"title slug lang summary hours modules completion " \
			"attempts grading badge-name badge-description " \
			"badge-criteria competences alignments assessment"

static int	course_required(struct course *, struct frontmatter *,
		    const char *, char **, struct diaglist *);

static int
course_required(struct course *c, struct frontmatter *fm, const char *key,
    char **out, struct diaglist *dl)
{
	const char	*v;

	if ((v = fm_str(fm, key)) == NULL) {
		diag_add(dl, c->path, 1, "missing required key '%s'", key);
		return (1);
	}
	*out = xstrdup(v);
	return (0);
}

struct course *
course_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct fm_field		*f;
	struct course		*c;
	const char		*v;
	char			*copy, *base, *lvl, *end;
	double			 hours;
	long long		 n;
	size_t			 i, j, bad;
	int			 errors;

	if (len > SOURCE_MAX) {
		diag_add(dl, path, 0, "file larger than %d bytes",
		    SOURCE_MAX);
		return (NULL);
	}
	if ((bad = utf8_invalid_offset(src, len)) != len) {
		diag_add(dl, path, line_of_offset(src, bad), "invalid UTF-8 "
		    "(byte 0x%02x at offset %zu): save the file as UTF-8",
		    (unsigned char)src[bad], bad);
		return (NULL);
	}

	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	c->source = xstrndup(src, len);
	c->srclen = len;
	c->pass_percent = 70;
	c->attempts = 3;
	c->grading = GRADING_HIGHEST;
	sha256_hex(src, len, c->sha256);

	errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		course_free(c);
		return (NULL);
	}
	errors += fm_check_unknown(&fm, path, COURSE_KEYS, dl);
	errors += course_required(c, &fm, "title", &c->title, dl);
	errors += course_required(c, &fm, "summary", &c->summary, dl);
	errors += course_required(c, &fm, "slug", &c->slug, dl);
	errors += course_required(c, &fm, "lang", &c->lang, dl);

	if (c->slug != NULL) {
		c->slug_line = fm_get(&fm, "slug")->line;
		if (!slug_valid(c->slug)) {
			diag_add(dl, path, c->slug_line, "invalid slug '%s': "
			    "use lower-case letters, digits and '-'",
			    c->slug);
			errors++;
		}
	}
	if (c->lang != NULL && strcmp(c->lang, "it") != 0 &&
	    strcmp(c->lang, "en") != 0) {
		diag_add(dl, path, fm_get(&fm, "lang")->line,
		    "unsupported lang '%s': use 'it' or 'en'", c->lang);
		errors++;
	}

	if ((v = fm_str(&fm, "hours")) == NULL) {
		diag_add(dl, path, 1, "missing required key 'hours'");
		errors++;
	} else if (quiz_parse_number(v, &hours) != 0 || hours <= 0 ||
	    hours > 1000) {
		diag_add(dl, path, fm_get(&fm, "hours")->line, "hours must "
		    "be a number greater than 0 and at most 1000, not '%s'",
		    v);
		errors++;
	} else
		c->hours = hours;

	if ((f = fm_get(&fm, "modules")) == NULL || f->nitems == 0) {
		diag_add(dl, path, f != NULL ? f->line : 1, "'modules' must "
		    "list at least one module, one '  - slug' per line");
		errors++;
	} else {
		c->modules = xcalloc(f->nitems, sizeof(char *));
		c->module_lines = xcalloc(f->nitems, sizeof(int));
		for (i = 0; i < f->nitems; i++) {
			if (!slug_valid(f->items[i])) {
				diag_add(dl, path, f->item_lines[i], "invalid "
				    "module slug '%s'", f->items[i]);
				errors++;
				continue;
			}
			for (j = 0; j < c->nmodules; j++) {
				if (strcmp(c->modules[j], f->items[i]) == 0)
					break;
			}
			if (j < c->nmodules) {
				diag_add(dl, path, f->item_lines[i], "module "
				    "'%s' listed twice", f->items[i]);
				errors++;
				continue;
			}
			c->modules[c->nmodules] = xstrdup(f->items[i]);
			c->module_lines[c->nmodules++] = f->item_lines[i];
		}
	}

	if ((v = fm_str(&fm, "completion")) != NULL) {
		copy = xstrdup(v);
		base = copy;
		if (strncasecmp(base, "quiz", 4) == 0)
			base += 4;
		base = str_trim(base);
		if ((end = strchr(base, '%')) != NULL && end[1] == '\0')
			*end = '\0';
		if (parse_int(str_trim(base), 1, 100, &n) != 0) {
			diag_add(dl, path, fm_get(&fm, "completion")->line,
			    "completion must be a pass mark such as "
			    "'quiz 70%%', not '%s'", v);
			errors++;
		} else
			c->pass_percent = (int)n;
		free(copy);
	}
	if ((v = fm_str(&fm, "attempts")) != NULL) {
		if (parse_int(v, 0, 100, &n) != 0) {
			diag_add(dl, path, fm_get(&fm, "attempts")->line,
			    "attempts must be a number from 0 (no limit) to "
			    "100, not '%s'", v);
			errors++;
		} else
			c->attempts = (int)n;
	}
	if ((v = fm_str(&fm, "grading")) != NULL) {
		if (strcmp(v, "highest") == 0 || strcmp(v, "migliore") == 0)
			c->grading = GRADING_HIGHEST;
		else if (strcmp(v, "last") == 0 || strcmp(v, "ultimo") == 0)
			c->grading = GRADING_LAST;
		else {
			diag_add(dl, path, fm_get(&fm, "grading")->line,
			    "grading must be 'highest' or 'last', not '%s'",
			    v);
			errors++;
		}
	}

	v = fm_str(&fm, "badge-name");
	c->badge_name = xstrdup(v != NULL ? v : (c->title ? c->title : ""));
	v = fm_str(&fm, "badge-description");
	c->badge_description = xstrdup(v != NULL ? v :
	    (c->summary ? c->summary : ""));
	v = fm_str(&fm, "badge-criteria");
	c->badge_criteria = xstrdup(v != NULL ? v : "");

	if ((f = fm_get(&fm, "competences")) != NULL) {
		c->competences = xcalloc(f->nitems + 1, sizeof(*c->competences));
		for (i = 0; i < f->nitems; i++) {
			copy = xstrdup(f->items[i]);
			lvl = strchr(copy, ' ');
			if (lvl == NULL) {
				diag_add(dl, path, f->item_lines[i], "write a "
				    "competence as 'CODE level', for example "
				    "'GOV.1 intermedio'");
				errors++;
				free(copy);
				continue;
			}
			*lvl++ = '\0';
			c->competences[c->ncompetences].code = xstrdup(copy);
			c->competences[c->ncompetences].level =
			    xstrdup(str_trim(lvl));
			c->competences[c->ncompetences].line =
			    f->item_lines[i];
			c->ncompetences++;
			free(copy);
		}
	}

	/* "FRAMEWORK CODE [level]": a reference framework's competence. */
	if ((f = fm_get(&fm, "alignments")) != NULL) {
		c->alignments = xcalloc(f->nitems + 1, sizeof(*c->alignments));
		for (i = 0; i < f->nitems; i++) {
			struct course_alignment	*a;
			char			*fwk, *code, *lv;

			copy = xstrdup(f->items[i]);
			fwk = str_trim(copy);
			code = fwk + strcspn(fwk, " \t");
			if (*code != '\0')
				*code++ = '\0';
			code = str_trim(code);
			lv = code + strcspn(code, " \t");
			if (*lv != '\0')
				*lv++ = '\0';
			lv = str_trim(lv);
			if (!competence_code_valid(fwk) ||
			    !competence_code_valid(code)) {
				diag_add(dl, path, f->item_lines[i], "write an "
				    "alignment as 'FRAMEWORK CODE [level]', for "
				    "example 'digcomp-2.2 4.2'");
				errors++;
				free(copy);
				continue;
			}
			a = &c->alignments[c->nalignments++];
			a->framework = xstrdup(fwk);
			a->code = xstrdup(code);
			a->level = xstrdup(lv);
			a->line = f->item_lines[i];
			free(copy);
		}
	}

	if ((v = fm_str(&fm, "assessment")) != NULL) {
		c->assessment_line = fm_get(&fm, "assessment")->line;
		if (!slug_valid(v)) {
			diag_add(dl, path, c->assessment_line, "invalid "
			    "assessment module slug '%s'", v);
			errors++;
		} else
			c->assessment = xstrdup(v);
	}

	c->html = md_render(src + fm.body_off, len - fm.body_off);
	fm_free(&fm);
	if (errors > 0) {
		course_free(c);
		return (NULL);
	}
	return (c);
}

void
course_free(struct course *c)
{
	size_t	i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->slug);
	free(c->title);
	free(c->lang);
	free(c->summary);
	free(c->html);
	for (i = 0; i < c->nmodules; i++)
		free(c->modules[i]);
	free(c->modules);
	free(c->module_lines);
	free(c->badge_name);
	free(c->badge_description);
	free(c->badge_criteria);
	for (i = 0; i < c->ncompetences; i++) {
		free(c->competences[i].code);
		free(c->competences[i].level);
	}
	free(c->competences);
	for (i = 0; i < c->nalignments; i++) {
		free(c->alignments[i].framework);
		free(c->alignments[i].code);
		free(c->alignments[i].level);
	}
	free(c->alignments);
	free(c->assessment);
	free(c->source);
	free(c);
}
