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
			"badge-criteria competences alignments assessment " \
			"review"

static int	course_required(struct course *, struct frontmatter *,
		    const char *, char **, struct diaglist *);
static void	course_fm_value(struct buf *, const char *);

static const char *const review_names[REVIEW_MAX] = {
	"after-pass", "after-last-attempt", "always", "never"
};

const char *
course_review_name(enum review r)
{
	if ((int)r < 0 || r >= REVIEW_MAX)
		return (review_names[REVIEW_AFTER_PASS]);
	return (review_names[r]);
}

/* The policy named s, or -1. */
int
course_review_from(const char *s)
{
	int	i;

	for (i = 0; i < REVIEW_MAX; i++) {
		if (strcmp(review_names[i], s) == 0)
			return (i);
	}
	return (-1);
}

/*
 * May a learner see the right answers of a quiz's results? passed: the
 * quiz was passed in this course (any attempt); used and max: attempts
 * submitted and allowed (0 = no limit). Which of their own answers were
 * right is shown whatever the answer.
 */
int
course_review_shows(enum review r, int passed, int used, int max)
{
	int	last = max > 0 && used >= max;

	switch (r) {
	case REVIEW_ALWAYS:
		return (1);
	case REVIEW_NEVER:
		return (0);
	case REVIEW_AFTER_LAST:
		return (last);
	case REVIEW_AFTER_PASS:
	default:
		return (passed || last);
	}
}

static int
course_required(struct course *c, struct frontmatter *fm, const char *key,
    char **out, struct diaglist *dl)
{
	const char	*v;

	if ((v = fm_str(fm, key)) == NULL) {
		diag_add(dl, c->path, 1, "missing required key '%s'", key);
		return (1);
	}
	if (*v == '\0') {
		diag_add(dl, c->path, fm_get(fm, key)->line, "'%s' is empty",
		    key);
		return (1);
	}
	*out = xstrdup(v);
	return (0);
}

/* One "CODE level" item of competences, added to c; 1 on an error. */
static int
course_competence(struct course *c, const char *item, int line,
    struct diaglist *dl)
{
	char	*copy, *lvl;
	size_t	 j;
	int	 rc = 1;

	copy = xstrdup(item);
	if ((lvl = strchr(copy, ' ')) == NULL) {
		diag_add(dl, c->path, line, "write a competence as 'CODE "
		    "level', for example 'GOV.1 intermedio'");
		goto out;
	}
	*lvl++ = '\0';
	for (j = 0; j < c->ncompetences; j++) {
		if (strcmp(c->competences[j].code, copy) == 0) {
			diag_add(dl, c->path, line, "competence '%s' listed "
			    "twice: a course names one level for each "
			    "competence", copy);
			goto out;
		}
	}
	c->competences[c->ncompetences].code = xstrdup(copy);
	c->competences[c->ncompetences].level = xstrdup(str_trim(lvl));
	c->competences[c->ncompetences].line = line;
	c->ncompetences++;
	rc = 0;
out:
	free(copy);
	return (rc);
}

/*
 * One "FRAMEWORK CODE [level]" item of alignments (a reference
 * framework's competence), added to c; 1 on an error.
 */
static int
course_alignment(struct course *c, const char *item, int line,
    struct diaglist *dl)
{
	struct course_alignment	*a;
	char			*copy, *fwk, *code, *lv;

	copy = xstrdup(item);
	fwk = str_trim(copy);
	code = fwk + strcspn(fwk, " \t");
	if (*code != '\0')
		*code++ = '\0';
	code = str_trim(code);
	lv = code + strcspn(code, " \t");
	if (*lv != '\0')
		*lv++ = '\0';
	lv = str_trim(lv);
	if (!competence_code_valid(fwk) || !competence_code_valid(code)) {
		diag_add(dl, c->path, line, "write an alignment as 'FRAMEWORK "
		    "CODE [level]', for example 'digcomp-2.2 4.2'");
		free(copy);
		return (1);
	}
	a = &c->alignments[c->nalignments++];
	a->framework = xstrdup(fwk);
	a->code = xstrdup(code);
	a->level = xstrdup(lv);
	a->line = line;
	free(copy);
	return (0);
}

/*
 * The number text (the value of key, or the number in it) from lo to hi
 * into *out; else one error saying what key must be.
 */
static int
course_int(struct course *c, struct frontmatter *fm, const char *key,
    const char *text, long long lo, long long hi, const char *must, int *out,
    struct diaglist *dl)
{
	long long	 n;

	if (parse_int(text, lo, hi, &n) != 0) {
		diag_add(dl, c->path, fm_get(fm, key)->line,
		    "%s must be %s, not '%s'", key, must, fm_str(fm, key));
		return (1);
	}
	*out = (int)n;
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
	char			*copy, *base, *end;
	double			 hours;
	long long		 n;
	size_t			 i, j;
	int			 errors;

	if (!fm_source_ok(path, src, len, SOURCE_MAX, dl))
		return (NULL);

	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	c->source = xstrndup(src, len);
	c->srclen = len;
	c->pass_percent = 70;
	c->attempts = 3;
	c->grading = GRADING_HIGHEST;
	c->review = REVIEW_AFTER_PASS;
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
		errors += course_int(c, &fm, "completion", str_trim(base), 1,
		    100, "a pass mark such as 'quiz 70%'", &c->pass_percent,
		    dl);
		free(copy);
	}
	if ((v = fm_str(&fm, "attempts")) != NULL)
		errors += course_int(c, &fm, "attempts", v, 0, 100,
		    "a number from 0 (no limit) to 100", &c->attempts, dl);
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

	if ((v = fm_str(&fm, "review")) != NULL) {
		if ((n = course_review_from(v)) == -1) {
			diag_add(dl, path, fm_get(&fm, "review")->line,
			    "review must be after-pass, after-last-attempt, "
			    "always or never, not '%s'", v);
			errors++;
		} else
			c->review = (enum review)n;
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
		for (i = 0; i < f->nitems; i++)
			errors += course_competence(c, f->items[i],
			    f->item_lines[i], dl);
	}

	/* "FRAMEWORK CODE [level]": a reference framework's competence. */
	if ((f = fm_get(&fm, "alignments")) != NULL) {
		c->alignments = xcalloc(f->nitems + 1, sizeof(*c->alignments));
		for (i = 0; i < f->nitems; i++)
			errors += course_alignment(c, f->items[i],
			    f->item_lines[i], dl);
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

/*
 * Does a course fit the competence rule (competence_rule() in SQL: a
 * level is met with at least COMPETENCE_MIN_ITEMS answers, 80 % right;
 * reached is the highest met level with no lower level that has
 * questions and is not met)? mods are the quizzes of its modules with
 * the path of each (for path:line), pool the pre/post question bank or
 * NULL, levels the framework's level names from the lowest. Reports,
 * as warnings in dl:
 *
 *  - a competence level the course's quizzes assess with fewer than
 *    COMPETENCE_MIN_ITEMS questions (at the first such question): a
 *    perfect result can never reach it, and when it is the lowest, the
 *    profile says "none" after a perfect course;
 *  - a level the course claims (competences:) that a learner answering
 *    every question right would not reach (at the claim's line): the
 *    rule could never certify it, and a badge will not name it;
 *  - a claimed level with fewer than 2 questions in the pool (at the
 *    assessment line): two parallel forms need one each.
 *
 * Returns the number of warnings.
 */
int
course_check_levels(const struct course *c, const struct level_source *mods,
    size_t nmods, const struct level_source *pool, const char *const *levels,
    size_t nlevels, struct diaglist *dl)
{
	const struct quiz_question	*q;
	size_t				 i, j, k, m, n, r, rank, reach;
	int				*count, warnings;

	warnings = 0;
	count = xcalloc(nlevels + 1, sizeof(*count));
	/* Thin levels, each reported once, at its first question. */
	for (m = 0; m < nmods; m++) {
		for (i = 0; i < mods[m].quiz->nq; i++) {
			q = &mods[m].quiz->q[i];
			if (q->competence == NULL || q->level == NULL)
				continue;
			n = 0;
			for (k = 0; k < nmods; k++) {
				for (j = 0; j < mods[k].quiz->nq; j++) {
					const struct quiz_question *o =
					    &mods[k].quiz->q[j];

					if (o->competence == NULL ||
					    o->level == NULL)
						continue;
					if (strcmp(o->competence,
					    q->competence) != 0 ||
					    strcmp(o->level, q->level) != 0)
						continue;
					/* Only the first reports. */
					if (k < m || (k == m && j < i))
						n = COMPETENCE_MIN_ITEMS + 1000;
					n++;
				}
			}
			if (n >= COMPETENCE_MIN_ITEMS)
				continue;
			diag_add(dl, mods[m].path, q->comp_line, "warning: %s %s "
			    "has only this question in the quizzes of course "
			    "'%s'; the competence rule needs %d per level, so "
			    "a perfect result never reaches it: add a question "
			    "at this level or change its level", q->competence,
			    q->level, c->slug, COMPETENCE_MIN_ITEMS);
			warnings++;
		}
	}
	/* Claims: the level a perfect learner reaches. */
	for (i = 0; i < c->ncompetences; i++) {
		const struct course_competence	*cc = &c->competences[i];

		memset(count, 0, (nlevels + 1) * sizeof(*count));
		for (m = 0; m < nmods; m++) {
			for (j = 0; j < mods[m].quiz->nq; j++) {
				q = &mods[m].quiz->q[j];
				if (q->competence == NULL || q->level == NULL ||
				    strcmp(q->competence, cc->code) != 0)
					continue;
				for (r = 0; r < nlevels; r++) {
					if (strcmp(levels[r], q->level) == 0)
						count[r]++;
				}
			}
		}
		for (rank = 0; rank < nlevels; rank++) {
			if (strcmp(levels[rank], cc->level) == 0)
				break;
		}
		if (rank == nlevels)
			continue;	/* an unknown level: an error elsewhere */
		/* reach: 1 + the highest rank met with no thin one below. */
		for (r = 0, reach = 0; r < nlevels; r++) {
			if (count[r] > 0 && count[r] < COMPETENCE_MIN_ITEMS)
				break;
			if (count[r] >= COMPETENCE_MIN_ITEMS)
				reach = r + 1;
		}
		if (reach <= rank) {
			/* The level that stops it: the claimed one or below. */
			for (r = 0; r < rank; r++) {
				if (count[r] > 0 && count[r] <
				    COMPETENCE_MIN_ITEMS)
					break;
			}
			if (r < rank)
				diag_add(dl, c->path, cc->line, "warning: %s %s "
				    "cannot be certified by this course: its "
				    "quizzes have %d question%s at the lower "
				    "level %s, which must be met too, and the "
				    "competence rule needs %d per level",
				    cc->code, cc->level, count[r], count[r] ==
				    1 ? "" : "s", levels[r],
				    COMPETENCE_MIN_ITEMS);
			else
				diag_add(dl, c->path, cc->line, "warning: %s %s "
				    "cannot be certified by this course: its "
				    "quizzes have %d question%s at that level, "
				    "and the competence rule needs %d", cc->code,
				    cc->level, count[rank], count[rank] == 1 ?
				    "" : "s", COMPETENCE_MIN_ITEMS);
			warnings++;
		}
		if (pool == NULL)
			continue;
		for (j = 0, n = 0; j < pool->quiz->nq; j++) {
			q = &pool->quiz->q[j];
			n += q->competence != NULL && q->level != NULL &&
			    strcmp(q->competence, cc->code) == 0 &&
			    strcmp(q->level, cc->level) == 0;
		}
		if (n < 2) {
			diag_add(dl, c->path, c->assessment_line, "warning: "
			    "assessment pool '%s' has %zu question%s for %s %s: "
			    "two parallel forms need at least 2 for every "
			    "competence and level the course claims",
			    c->assessment, n, n == 1 ? "" : "s", cc->code,
			    cc->level);
			warnings++;
		}
	}
	free(count);
	return (warnings);
}

/* A front matter value on one line, quoted so that it reads back as is. */
static void
course_fm_value(struct buf *out, const char *v)
{
	struct buf	 b;
	const char	*p;
	size_t		 len;

	buf_init(&b, strlen(v) + 3);
	for (p = v; *p != '\0'; p++)
		buf_putc(&b, *p == '\r' || *p == '\n' ? ' ' : *p);
	len = b.len;
	/* str_trim and fm_unquote would change these: quote them. */
	if (len > 0 && (strchr(" \t\v\f", b.data[0]) != NULL ||
	    strchr(" \t\v\f", b.data[len - 1]) != NULL ||
	    b.data[0] == '"' || b.data[0] == '\''))
		buf_printf(out, "%c%s%c", b.data[0] == '"' ? '\'' : '"',
		    b.data, b.data[0] == '"' ? '\'' : '"');
	else
		buf_puts(out, b.data);
	buf_free(&b);
}

/*
 * A course as the text of a course file (courses/README.md): what the
 * web editor publishes, so that the course is parsed and checked by
 * course_parse() like one from the repository, and its source can be
 * kept in the repository as it is. body is the description (Markdown).
 */
void
course_write(const struct course *c, const char *body, struct buf *out)
{
	size_t	i;

	buf_puts(out, "---\ntitle: ");
	course_fm_value(out, c->title != NULL ? c->title : "");
	buf_puts(out, "\nslug: ");
	course_fm_value(out, c->slug != NULL ? c->slug : "");
	buf_printf(out, "\nlang: %s\nsummary: ", c->lang != NULL ? c->lang :
	    "it");
	course_fm_value(out, c->summary != NULL ? c->summary : "");
	buf_printf(out, "\nhours: %.15g\nmodules:\n", c->hours);
	for (i = 0; i < c->nmodules; i++)
		buf_printf(out, "  - %s\n", c->modules[i]);
	buf_printf(out, "completion: quiz %d%%\nattempts: %d\ngrading: %s\n"
	    "review: %s\n", c->pass_percent, c->attempts, c->grading ==
	    GRADING_LAST ? "last" : "highest", course_review_name(c->review));
	if (c->badge_name != NULL && *c->badge_name != '\0') {
		buf_puts(out, "badge-name: ");
		course_fm_value(out, c->badge_name);
		buf_putc(out, '\n');
	}
	if (c->badge_description != NULL && *c->badge_description != '\0') {
		buf_puts(out, "badge-description: ");
		course_fm_value(out, c->badge_description);
		buf_putc(out, '\n');
	}
	if (c->badge_criteria != NULL && *c->badge_criteria != '\0') {
		buf_puts(out, "badge-criteria: ");
		course_fm_value(out, c->badge_criteria);
		buf_putc(out, '\n');
	}
	if (c->ncompetences > 0) {
		buf_puts(out, "competences:\n");
		for (i = 0; i < c->ncompetences; i++)
			buf_printf(out, "  - %s %s\n", c->competences[i].code,
			    c->competences[i].level);
	}
	if (c->assessment != NULL && *c->assessment != '\0')
		buf_printf(out, "assessment: %s\n", c->assessment);
	buf_puts(out, "---\n\n");
	if (body != NULL)
		buf_puts(out, body);
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
}
