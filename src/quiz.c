/*
 * quiz.c: the quiz block language (modules/README.md, section 3).
 *
 *	? question text
 *	competenza: GOV.1 base
 *	( ) wrong		single choice	[ ] / [x]  multiple choice
 *	(x) right		= vero		true/false
 *	    -> feedback		= 90 ± 5	numeric
 *	giusto: ...		= a | b		short answer
 *	sbagliato: ...		1. 2. 3.	ordering, in the right order
 *
 * The parser is line-oriented and strict: every line is either blank, a
 * comment (//), question text, metadata or an answer, and anything else
 * is an error at its own line.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define QUIZ_KIND_NONE		0
#define QUIZ_KIND_CHOICE	1
#define QUIZ_KIND_VALUE		2
#define QUIZ_KIND_ORDER		3

struct qstate {
	const char		*path;
	struct diaglist		*dl;
	struct quiz		*quiz;
	struct quiz_question	*cur;
	int			 kind;
	int			 meta_seen;
	int			 value_line;
	int			 errors;
	int			 errors_before;	/* when cur started */
};

static const char *quiz_type_names[QUIZ_TYPE_MAX] = {
	"single", "multiple", "truefalse", "numeric", "short", "order"
};

static void	q_error(struct qstate *, int, const char *, ...)
		    PRINTFLIKE(3, 4);
static void	q_finish(struct qstate *);
static void	q_add_option(struct qstate *, int, const char *, int);
static int	q_keyword(const char *, const char *const *, const char **);
static void	q_value(struct qstate *, int, char *);
static int	q_competence(struct qstate *, int, const char *);
static int	q_order_item(const char *, long *, const char **);

const char *
quiz_type_name(enum quiz_type t)
{
	if ((int)t < 0 || t >= QUIZ_TYPE_MAX)
		return ("unknown");
	return (quiz_type_names[t]);
}

int
quiz_type_from(const char *s)
{
	int	i;

	for (i = 0; i < QUIZ_TYPE_MAX; i++) {
		if (strcmp(quiz_type_names[i], s) == 0)
			return (i);
	}
	return (-1);
}

static void
q_error(struct qstate *st, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_vadd(st->dl, st->path, line, fmt, ap);
	va_end(ap);
	st->errors++;
}

/*
 * Parse a number written by a person: optional sign, digits, an optional
 * decimal part after '.' or ','. Returns 0 on success.
 */
int
quiz_parse_number(const char *s, double *out)
{
	char		 tmp[64], *end;
	size_t		 i, len;
	int		 digits;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return (-1);
	digits = 0;
	for (i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (!(s[i] == '.' || s[i] == ',' ||
		    (i == 0 && (s[i] == '-' || s[i] == '+'))))
			return (-1);
		tmp[i] = s[i] == ',' ? '.' : s[i];
	}
	tmp[len] = '\0';
	if (digits == 0)
		return (-1);
	errno = 0;
	*out = strtod(tmp, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return (-1);
	return (0);
}

/* Match "keyword:" (any of names) at the start of s; sets *rest. */
static int
q_keyword(const char *s, const char *const *names, const char **rest)
{
	size_t	n;

	for (; *names != NULL; names++) {
		n = strlen(*names);
		if (strncasecmp(s, *names, n) == 0 && s[n] == ':') {
			*rest = s + n + 1;
			while (**rest == ' ' || **rest == '\t')
				(*rest)++;
			return (1);
		}
	}
	return (0);
}

static int
q_competence(struct qstate *st, int line, const char *v)
{
	char		*copy, *code, *level;
	size_t		 n;
	int		 ok;

	/* "CODE level": the code is one word, the level the rest. */
	copy = xstrdup(v);
	code = str_trim(copy);
	n = strcspn(code, " \t");
	level = code + n;
	if (*level != '\0')
		*level++ = '\0';
	level = str_trim(level);
	ok = 0;
	if (*code == '\0' || *level == '\0') {
		q_error(st, line, "write the competence as 'competenza: CODE "
		    "level', for example 'competenza: GOV.1 base'");
		goto out;
	}
	if (!competence_code_valid(code)) {
		q_error(st, line, "invalid competence code '%s': a code is "
		    "letters, digits, '.', '-' and '_', such as GOV.1", code);
		goto out;
	}
	free(st->cur->competence);
	free(st->cur->level);
	st->cur->competence = xstrdup(code);
	st->cur->level = xstrdup(level);
	ok = 1;
out:
	free(copy);
	return (ok);
}

static void
q_add_option(struct qstate *st, int line, const char *text, int correct)
{
	struct quiz_question	*q = st->cur;
	struct quiz_option	*o;

	if (q->nopts >= QUIZ_MAX_OPTIONS) {
		q_error(st, line, "more than %d answers in one question",
		    QUIZ_MAX_OPTIONS);
		return;
	}
	q->opts = xreallocarray(q->opts, q->nopts + 1, sizeof(*q->opts));
	o = &q->opts[q->nopts++];
	memset(o, 0, sizeof(*o));
	o->text = xstrdup(text);
	o->correct = correct;
	o->line = line;
}

/* "= ..." lines: true/false, numeric (with tolerance) or short answer. */
static void
q_value(struct qstate *st, int line, char *v)
{
	struct quiz_question	*q = st->cur;
	char			*tol, *alt, *next;
	double			 num, t;

	v = str_trim(v);
	if (*v == '\0') {
		q_error(st, line, "'=' must be followed by the right answer");
		return;
	}
	if (strcasecmp(v, "vero") == 0 || strcasecmp(v, "true") == 0 ||
	    strcasecmp(v, "falso") == 0 || strcasecmp(v, "false") == 0) {
		q->type = QUIZ_TRUEFALSE;
		q->truth = (strcasecmp(v, "vero") == 0 ||
		    strcasecmp(v, "true") == 0);
		q_add_option(st, line, q->truth ? "vero" : "falso", 1);
		return;
	}

	/* A number, optionally followed by "± t", "+- t" or "+/- t". */
	tol = strstr(v, "\xc2\xb1");
	if (tol != NULL) {
		*tol = '\0';
		tol += 2;
	} else if ((tol = strstr(v, "+/-")) != NULL) {
		*tol = '\0';
		tol += 3;
	} else if ((tol = strstr(v, "+-")) != NULL) {
		*tol = '\0';
		tol += 2;
	}
	if (quiz_parse_number(v, &num) == 0) {
		t = 0;
		if (tol != NULL && (quiz_parse_number(tol, &t) != 0 ||
		    t < 0)) {
			q_error(st, line, "invalid tolerance '%s': write "
			    "'= 90 ± 5'", str_trim(tol));
			return;
		}
		q->type = QUIZ_NUMERIC;
		q->number = num;
		q->tolerance = t;
		q_add_option(st, line, v, 1);
		return;
	}
	if (tol != NULL) {
		q_error(st, line, "a tolerance needs a number before it: "
		    "write '= 90 ± 5'");
		return;
	}

	q->type = QUIZ_SHORT;
	for (alt = v; alt != NULL; alt = next) {
		if ((next = strchr(alt, '|')) != NULL)
			*next++ = '\0';
		alt = str_trim(alt);
		if (*alt == '\0') {
			q_error(st, line, "empty accepted answer between "
			    "'|' separators");
			return;
		}
		q_add_option(st, line, alt, 1);
	}
}

/* "N. text": an ordering item. */
static int
q_order_item(const char *s, long *num, const char **text)
{
	const char	*p;

	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (p == s || p - s > 3 || *p != '.' || (p[1] != ' ' &&
	    p[1] != '\t'))
		return (0);
	*num = strtol(s, NULL, 10);
	*text = p + 1;
	while (**text == ' ' || **text == '\t')
		(*text)++;
	return (1);
}

static void
q_finish(struct qstate *st)
{
	struct quiz_question	*q = st->cur;
	size_t			 i, ncorrect;

	if (q == NULL)
		return;
	st->cur = NULL;
	/* One error per question is enough: skip the consequences. */
	if (st->errors > st->errors_before)
		return;

	if (q->nopts == 0) {
		q_error(st, q->line, "question has no answers: add ( ) or "
		    "[ ] choices, an '=' answer or numbered items");
		return;
	}
	if (q->competence == NULL)
		q_error(st, q->line, "question has no 'competenza: CODE "
		    "level' line");

	ncorrect = 0;
	for (i = 0; i < q->nopts; i++)
		ncorrect += q->opts[i].correct != 0;

	switch (q->type) {
	case QUIZ_SINGLE:
		if (q->nopts < 2)
			q_error(st, q->line, "single-choice question needs at "
			    "least 2 answers");
		if (ncorrect != 1)
			q_error(st, q->line, "single-choice question has %zu "
			    "right answers: mark exactly one with (x)",
			    ncorrect);
		break;
	case QUIZ_MULTIPLE:
		if (q->nopts < 2)
			q_error(st, q->line, "multiple-choice question needs "
			    "at least 2 answers");
		if (ncorrect == 0)
			q_error(st, q->line, "multiple-choice question has no "
			    "right answer: mark at least one with [x]");
		break;
	case QUIZ_ORDER:
		if (q->nopts < 2)
			q_error(st, q->line, "ordering question needs at "
			    "least 2 items");
		break;
	default:
		break;
	}
}

/*
 * Parse a quiz block (the content of a ```quiz fence) into quiz, adding
 * to any questions already there. line0 is the file line of the block's
 * first line. Returns the number of errors added to dl.
 */
int
quiz_parse(struct quiz *quiz, const char *path, const char *text,
    size_t len, int line0, struct diaglist *dl)
{
	static const char *const kw_comp[] = { "competenza", "competence",
	    NULL };
	static const char *const kw_points[] = { "punti", "points", NULL };
	static const char *const kw_ok[] = { "giusto", "correct", NULL };
	static const char *const kw_ko[] = { "sbagliato", "incorrect",
	    "wrong", NULL };
	struct qstate		 st;
	struct quiz_question	*q;
	struct quiz_option	*o;
	const char		*p, *end, *nl, *rest;
	char			*line, *s, *tmp;
	size_t			 llen;
	long long		 pts;
	long			 num;
	int			 lineno, correct, multiple;

	memset(&st, 0, sizeof(st));
	st.path = path;
	st.dl = dl;
	st.quiz = quiz;

	end = text + len;
	lineno = line0 - 1;
	for (p = text; p < end; p = nl != NULL ? nl + 1 : end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		llen = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		line = xstrndup(p, llen);
		s = str_trim(line);

		if (*s == '\0' || strncmp(s, "//", 2) == 0) {
			free(line);
			continue;
		}

		if (s[0] == '?') {
			q_finish(&st);
			quiz->q = xreallocarray(quiz->q, quiz->nq + 1,
			    sizeof(*quiz->q));
			q = &quiz->q[quiz->nq++];
			memset(q, 0, sizeof(*q));
			q->line = lineno;
			q->points = 1;
			q->type = QUIZ_SINGLE;
			q->text = xstrdup(str_trim(s + 1));
			st.cur = q;
			st.errors_before = st.errors;
			st.kind = QUIZ_KIND_NONE;
			st.meta_seen = 0;
			st.value_line = 0;
			if (q->text[0] == '\0')
				q_error(&st, lineno, "question without text "
				    "after '?'");
			free(line);
			continue;
		}

		if (st.cur == NULL) {
			q_error(&st, lineno, "expected a question: a line "
			    "starting with '?'");
			free(line);
			continue;
		}
		q = st.cur;

		if (q_keyword(s, kw_comp, &rest)) {
			st.meta_seen = 1;
			q->comp_line = lineno;
			(void)q_competence(&st, lineno, rest);
		} else if (q_keyword(s, kw_points, &rest)) {
			st.meta_seen = 1;
			if (parse_int(rest, 1, 100, &pts) != 0)
				q_error(&st, lineno, "points must be a whole "
				    "number from 1 to 100");
			else
				q->points = (int)pts;
		} else if (q_keyword(s, kw_ok, &rest)) {
			st.meta_seen = 1;
			free(q->fb_correct);
			q->fb_correct = xstrdup(rest);
		} else if (q_keyword(s, kw_ko, &rest)) {
			st.meta_seen = 1;
			free(q->fb_wrong);
			q->fb_wrong = xstrdup(rest);
		} else if (strncmp(s, "->", 2) == 0) {
			if (q->nopts == 0) {
				q_error(&st, lineno, "feedback '->' must "
				    "follow an answer");
			} else {
				o = &q->opts[q->nopts - 1];
				rest = str_trim(s + 2);
				if (o->feedback != NULL) {
					(void)xasprintf(&tmp, "%s %s",
					    o->feedback, rest);
					free(o->feedback);
					o->feedback = tmp;
				} else
					o->feedback = xstrdup(rest);
			}
		} else if ((s[0] == '(' || s[0] == '[') &&
		    (s[1] == ' ' || s[1] == 'x' || s[1] == 'X') &&
		    s[2] == (s[0] == '(' ? ')' : ']')) {
			multiple = s[0] == '[';
			correct = s[1] != ' ';
			if (st.kind == QUIZ_KIND_CHOICE &&
			    (q->type == QUIZ_MULTIPLE) != multiple) {
				q_error(&st, lineno, "cannot mix ( ) and "
				    "[ ] answers in one question");
			} else if (st.kind != QUIZ_KIND_NONE &&
			    st.kind != QUIZ_KIND_CHOICE) {
				q_error(&st, lineno, "choices cannot be mixed "
				    "with '=' answers or numbered items");
			} else if (*str_trim(s + 3) == '\0') {
				q_error(&st, lineno, "empty answer");
			} else {
				st.kind = QUIZ_KIND_CHOICE;
				q->type = multiple ? QUIZ_MULTIPLE :
				    QUIZ_SINGLE;
				q_add_option(&st, lineno, str_trim(s + 3),
				    correct);
			}
		} else if (s[0] == '=') {
			if (st.kind != QUIZ_KIND_NONE) {
				q_error(&st, lineno, "only one '=' answer per "
				    "question, and not together with choices "
				    "or items (use '|' to accept several "
				    "answers)");
			} else {
				st.kind = QUIZ_KIND_VALUE;
				st.value_line = lineno;
				q_value(&st, lineno, s + 1);
			}
		} else if (q_order_item(s, &num, &rest) &&
		    (st.kind == QUIZ_KIND_ORDER ||
		    (st.kind == QUIZ_KIND_NONE && num == 1))) {
			if (num != (long)q->nopts + 1) {
				q_error(&st, lineno, "expected item number "
				    "%zu", q->nopts + 1);
			} else if (*rest == '\0') {
				q_error(&st, lineno, "empty item");
			} else {
				st.kind = QUIZ_KIND_ORDER;
				q->type = QUIZ_ORDER;
				q_add_option(&st, lineno, rest, 1);
			}
		} else if (st.kind == QUIZ_KIND_NONE && !st.meta_seen) {
			/* The question text goes on. */
			(void)xasprintf(&tmp, "%s\n%s", q->text, s);
			free(q->text);
			q->text = tmp;
		} else {
			q_error(&st, lineno, "unexpected line '%.40s': answers "
			    "start with ( ), [ ], '=', '->' or a number",
			    s);
		}
		free(line);
	}
	q_finish(&st);
	return (st.errors);
}

static char *
quiz_strdup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/* A deep copy of src into dst (which is overwritten, not freed). */
void
quiz_copy(struct quiz *dst, const struct quiz *src)
{
	const struct quiz_question	*s;
	struct quiz_question		*d;
	size_t				 i, j;

	dst->nq = src->nq;
	dst->q = xcalloc(src->nq + 1, sizeof(*dst->q));
	for (i = 0; i < src->nq; i++) {
		s = &src->q[i];
		d = &dst->q[i];
		*d = *s;
		d->text = quiz_strdup(s->text);
		d->competence = quiz_strdup(s->competence);
		d->level = quiz_strdup(s->level);
		d->fb_correct = quiz_strdup(s->fb_correct);
		d->fb_wrong = quiz_strdup(s->fb_wrong);
		d->opts = xcalloc(s->nopts + 1, sizeof(*d->opts));
		for (j = 0; j < s->nopts; j++) {
			d->opts[j] = s->opts[j];
			d->opts[j].text = quiz_strdup(s->opts[j].text);
			d->opts[j].html = quiz_strdup(s->opts[j].html);
			d->opts[j].feedback =
			    quiz_strdup(s->opts[j].feedback);
		}
	}
}

void
quiz_free(struct quiz *quiz)
{
	size_t	i, j;

	for (i = 0; i < quiz->nq; i++) {
		struct quiz_question	*q = &quiz->q[i];

		free(q->text);
		free(q->competence);
		free(q->level);
		free(q->fb_correct);
		free(q->fb_wrong);
		for (j = 0; j < q->nopts; j++) {
			free(q->opts[j].text);
			free(q->opts[j].html);
			free(q->opts[j].feedback);
		}
		free(q->opts);
	}
	free(quiz->q);
	quiz->q = NULL;
	quiz->nq = 0;
}

/*
 * Answers, as the quiz page submits them and attempt_answers stores them:
 *
 *	single		"2"		the option's position (1-based)
 *	multiple	"1,3"		positions, ascending, no repeats
 *	truefalse	"true" / "false"
 *	numeric		"40,5"		a number, '.' or ',' as decimal mark
 *	short		any text of at most QUIZ_ANSWER_MAX bytes
 *	order		"3,1,2"		item positions in the learner's order
 */

/* Parse "1,3,2" into positions; -1 unless each is in 1..n, no repeats. */
static int
parse_positions(const char *s, size_t n, int *out, size_t *count)
{
	const char	*p;
	size_t		 k, i;
	long		 v;
	char		*end;

	*count = 0;
	if (*s == '\0')
		return (0);
	for (p = s; ; p = end + 1) {
		if (!isdigit((unsigned char)*p))
			return (-1);
		v = strtol(p, &end, 10);
		if (v < 1 || (size_t)v > n || *count >= n)
			return (-1);
		for (i = 0; i < *count; i++) {
			if (out[i] == (int)v)
				return (-1);
		}
		out[(*count)++] = (int)v;
		if (*end == '\0')
			break;
		if (*end != ',')
			return (-1);
	}
	k = *count;
	return (k > 0 ? 0 : -1);
}

/* Is answer a well-formed answer to q? 0 yes, -1 no. */
int
quiz_answer_check(const struct quiz_question *q, const char *answer)
{
	int	pos[QUIZ_MAX_OPTIONS];
	size_t	n, i;
	double	d;

	if (q->nopts > QUIZ_MAX_OPTIONS)
		return (-1);
	switch (q->type) {
	case QUIZ_SINGLE:
		return (parse_positions(answer, q->nopts, pos, &n) == 0 &&
		    n == 1 ? 0 : -1);
	case QUIZ_MULTIPLE:
		if (parse_positions(answer, q->nopts, pos, &n) == -1)
			return (-1);
		for (i = 1; i < n; i++) {
			if (pos[i] < pos[i - 1])
				return (-1);
		}
		return (0);
	case QUIZ_TRUEFALSE:
		return (strcmp(answer, "true") == 0 ||
		    strcmp(answer, "false") == 0 ? 0 : -1);
	case QUIZ_NUMERIC:
		return (quiz_parse_number(answer, &d));
	case QUIZ_SHORT:
		return (strlen(answer) <= QUIZ_ANSWER_MAX &&
		    utf8_valid(answer, strlen(answer)) ? 0 : -1);
	case QUIZ_ORDER:
		return (parse_positions(answer, q->nopts, pos, &n) == 0 &&
		    n == q->nopts ? 0 : -1);
	default:
		return (-1);
	}
}

/*
 * Grade a (well-formed) answer: the fraction of the question's points
 * earned, from 0 to 1; *correct is 1 only for a fully right answer. A
 * NULL answer is unanswered: 0. Multiple choice gives partial credit:
 * (right picks - wrong picks) / right options, never below 0.
 */
double
quiz_grade(const struct quiz_question *q, const char *answer, int *correct)
{
	int	 pos[QUIZ_MAX_OPTIONS];
	size_t	 n, i, right, picked_right, picked_wrong;
	double	 d, frac;
	char	*a, *b;

	*correct = 0;
	if (answer == NULL || quiz_answer_check(q, answer) == -1)
		return (0);
	switch (q->type) {
	case QUIZ_SINGLE:
		(void)parse_positions(answer, q->nopts, pos, &n);
		*correct = q->opts[pos[0] - 1].correct;
		return (*correct ? 1.0 : 0.0);
	case QUIZ_MULTIPLE:
		(void)parse_positions(answer, q->nopts, pos, &n);
		right = picked_right = picked_wrong = 0;
		for (i = 0; i < q->nopts; i++)
			right += q->opts[i].correct != 0;
		for (i = 0; i < n; i++) {
			if (q->opts[pos[i] - 1].correct)
				picked_right++;
			else
				picked_wrong++;
		}
		*correct = picked_right == right && picked_wrong == 0;
		if (right == 0 || picked_right <= picked_wrong)
			return (0);
		frac = (double)(picked_right - picked_wrong) / (double)right;
		return (frac > 1 ? 1 : frac);
	case QUIZ_TRUEFALSE:
		*correct = (strcmp(answer, "true") == 0) == (q->truth != 0);
		return (*correct ? 1.0 : 0.0);
	case QUIZ_NUMERIC:
		(void)quiz_parse_number(answer, &d);
		*correct = fabs(d - q->number) <= q->tolerance + 1e-9 *
		    (fabs(q->number) + 1);
		return (*correct ? 1.0 : 0.0);
	case QUIZ_SHORT:
		a = quiz_short_fold(answer);
		for (i = 0; i < q->nopts && !*correct; i++) {
			b = quiz_short_fold(q->opts[i].text);
			*correct = *a != '\0' && strcmp(a, b) == 0;
			free(b);
		}
		free(a);
		return (*correct ? 1.0 : 0.0);
	case QUIZ_ORDER:
		(void)parse_positions(answer, q->nopts, pos, &n);
		*correct = 1;
		for (i = 0; i < n; i++) {
			if (pos[i] != (int)i + 1)
				*correct = 0;
		}
		return (*correct ? 1.0 : 0.0);
	default:
		return (0);
	}
}

/*
 * A short answer as it is compared: character references decoded (what
 * the learner typed, "Stato &amp; Regioni" or "Stato & Regioni", and
 * what the author wrote, either way), then folded by text_fold(): case,
 * accents, typographic apostrophes and runs of white space.
 */
char *
quiz_short_fold(const char *s)
{
	char	*u, *f;

	u = html_unescape(s);
	f = text_fold(u);
	free(u);
	return (f);
}

/*
 * items as a list for people: "a", "a o b", "a, b o c" (last_sep is the
 * word before the last item, " o " or " or ").
 */
void
quiz_join(struct buf *out, const char *const *items, size_t n,
    const char *last_sep)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(out, i + 1 == n ? last_sep : ", ");
		buf_puts(out, items[i]);
	}
}

/* splitmix64: small, fast and good enough to shuffle options. */
static uint64_t
quiz_rand(uint64_t *state)
{
	uint64_t	z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/*
 * The order in which an attempt shows a question's n options: perm[i] is
 * the 0-based option shown i-th. The same seed and question always give
 * the same order (Fisher-Yates).
 */
void
quiz_shuffle(uint64_t seed, long long qid, size_t n, size_t *perm)
{
	uint64_t	state;
	size_t		i, j, t;

	state = seed ^ ((uint64_t)qid * 0x632be59bd9b4e019ULL);
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n; i > 1; i--) {
		j = (size_t)(quiz_rand(&state) % i);
		t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}
