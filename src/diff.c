/*
 * diff.c: line differences between two texts, for the editor's "compare
 * versions" page. Common leading and trailing lines are set aside, then
 * the longest common subsequence of the middle is found by dynamic
 * programming. Past DIFF_MAX_CELLS the middle is shown as a whole
 * replacement, which is still correct, only less precise.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define DIFF_MAX_CELLS	(4 * 1024 * 1024)

struct lines {
	const char	**s;
	size_t		 *len;
	size_t		  n;
};

static void	split_lines(const char *, struct lines *);
static int	line_eq(const struct lines *, size_t, const struct lines *,
		    size_t);
static void	diff_push(struct diff *, enum diff_op, const struct lines *,
		    size_t, int, int);

static void
split_lines(const char *text, struct lines *l)
{
	const char	*p, *nl;

	memset(l, 0, sizeof(*l));
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		l->s = xreallocarray(l->s, l->n + 1, sizeof(*l->s));
		l->len = xreallocarray(l->len, l->n + 1, sizeof(*l->len));
		l->s[l->n] = p;
		l->len[l->n] = nl != NULL ? (size_t)(nl - p) : strlen(p);
		l->n++;
		if (nl == NULL)
			break;
	}
}

static int
line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return (a->len[i] == b->len[j] &&
	    memcmp(a->s[i], b->s[j], a->len[i]) == 0);
}

static void
diff_push(struct diff *d, enum diff_op op, const struct lines *l, size_t i,
    int old_no, int new_no)
{
	struct diff_line	*dl;

	d->lines = xreallocarray(d->lines, d->n + 1, sizeof(*d->lines));
	dl = &d->lines[d->n++];
	dl->op = op;
	dl->text = xstrndup(l->s[i], l->len[i]);
	dl->old_no = old_no;
	dl->new_no = new_no;
	if (op == DIFF_ADD)
		d->added++;
	else if (op == DIFF_DEL)
		d->removed++;
}

void
diff_lines(struct diff *d, const char *old, const char *new)
{
	struct lines	 a, b;
	size_t		 pre, suf, n, m, i, j;
	unsigned int	*t;

	memset(d, 0, sizeof(*d));
	split_lines(old, &a);
	split_lines(new, &b);

	pre = 0;
	while (pre < a.n && pre < b.n && line_eq(&a, pre, &b, pre))
		pre++;
	suf = 0;
	while (suf < a.n - pre && suf < b.n - pre &&
	    line_eq(&a, a.n - 1 - suf, &b, b.n - 1 - suf))
		suf++;
	for (i = 0; i < pre; i++)
		diff_push(d, DIFF_SAME, &a, i, (int)i + 1, (int)i + 1);

	n = a.n - pre - suf;
	m = b.n - pre - suf;
	if (n > 0 && m > 0 && (n + 1) * (m + 1) <= DIFF_MAX_CELLS) {
		/* t[i][j]: LCS length of a[pre+i..] and b[pre+j..]. */
		t = xcalloc((n + 1) * (m + 1), sizeof(*t));
		for (i = n; i-- > 0; ) {
			for (j = m; j-- > 0; ) {
				if (line_eq(&a, pre + i, &b, pre + j))
					t[i * (m + 1) + j] =
					    t[(i + 1) * (m + 1) + j + 1] + 1;
				else {
					unsigned int	x, y;

					x = t[(i + 1) * (m + 1) + j];
					y = t[i * (m + 1) + j + 1];
					t[i * (m + 1) + j] = x > y ? x : y;
				}
			}
		}
		i = j = 0;
		while (i < n && j < m) {
			if (line_eq(&a, pre + i, &b, pre + j)) {
				diff_push(d, DIFF_SAME, &a, pre + i,
				    (int)(pre + i) + 1, (int)(pre + j) + 1);
				i++;
				j++;
			} else if (t[(i + 1) * (m + 1) + j] >=
			    t[i * (m + 1) + j + 1]) {
				diff_push(d, DIFF_DEL, &a, pre + i,
				    (int)(pre + i) + 1, 0);
				i++;
			} else {
				diff_push(d, DIFF_ADD, &b, pre + j, 0,
				    (int)(pre + j) + 1);
				j++;
			}
		}
		free(t);
	} else
		i = j = 0;
	for (; i < n; i++)
		diff_push(d, DIFF_DEL, &a, pre + i, (int)(pre + i) + 1, 0);
	for (; j < m; j++)
		diff_push(d, DIFF_ADD, &b, pre + j, 0, (int)(pre + j) + 1);
	for (i = 0; i < suf; i++)
		diff_push(d, DIFF_SAME, &a, a.n - suf + i,
		    (int)(a.n - suf + i) + 1, (int)(b.n - suf + i) + 1);

	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
}

void
diff_free(struct diff *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}
