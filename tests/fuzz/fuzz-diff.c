/*
 * fuzz-diff.c: diff_lines() over two texts (the input split at its
 * first NUL byte, or in half), as the editor's "compare versions" page
 * uses it. The old text must be the kept and removed lines in order,
 * the new text the kept and added lines, with consecutive line numbers.
 */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

struct lines {
	const char	**s;
	size_t		 *len;
	size_t		  n;
};

/* The lines of text as diff.c splits them. */
static void
split(const char *text, struct lines *l)
{
	const char	*p, *nl;

	memset(l, 0, sizeof(*l));
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		l->s = xreallocarray(l->s, l->n + 1, sizeof(*l->s));
		l->len = xreallocarray(l->len, l->n + 1, sizeof(*l->len));
		l->s[l->n] = p;
		l->len[l->n++] = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (nl == NULL)
			break;
	}
}

static void
same_line(const struct diff_line *dl, const struct lines *l, size_t i)
{
	FUZZ_ASSERT(i < l->n);
	FUZZ_ASSERT(strlen(dl->text) == l->len[i] &&
	    memcmp(dl->text, l->s[i], l->len[i]) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff	 d;
	struct lines	 a, b;
	char		*old, *new;
	size_t		 i, olen, nlen, oi, ni, added, removed;

	fuzz_split(data, size, &old, &olen, &new, &nlen);
	if (new == NULL) {
		free(old);
		old = fuzz_str(data, size / 2);
		new = fuzz_str(data + size / 2, size - size / 2);
	}
	diff_lines(&d, old, new);
	split(old, &a);
	split(new, &b);
	oi = ni = added = removed = 0;
	for (i = 0; i < d.n; i++) {
		if (d.lines[i].op != DIFF_ADD) {
			FUZZ_ASSERT(d.lines[i].old_no == (int)oi + 1);
			same_line(&d.lines[i], &a, oi++);
		} else
			FUZZ_ASSERT(d.lines[i].old_no == 0);
		if (d.lines[i].op != DIFF_DEL) {
			FUZZ_ASSERT(d.lines[i].new_no == (int)ni + 1);
			same_line(&d.lines[i], &b, ni++);
		} else
			FUZZ_ASSERT(d.lines[i].new_no == 0);
		added += d.lines[i].op == DIFF_ADD;
		removed += d.lines[i].op == DIFF_DEL;
	}
	FUZZ_ASSERT(oi == a.n && ni == b.n);
	FUZZ_ASSERT(added == d.added && removed == d.removed);
	diff_free(&d);
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
	free(old);
	free(new);
	return (0);
}
