/*
 * fail.c: the one way to say that something failed. Core and store
 * functions return -1 and fill a struct fail; the web layer answers
 * it with web_fail() (web.c), the CLI prints it. The kind decides the
 * HTTP status, the key is the message people read (assets/i18n), the
 * detail is for the log (a database error, a file:line), never shown.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capacita.h"

static const struct {
	enum fail_kind	 kind;
	int		 status;
	const char	*key;
} fail_kinds[] = {
	{ FAIL_NONE,		200, "" },
	{ FAIL_INPUT,		400, "error.400.text" },
	{ FAIL_DENIED,		403, "error.403.text" },
	{ FAIL_NOTFOUND,	404, "error.404.text" },
	{ FAIL_CONFLICT,	409, "error.409.text" },
	{ FAIL_TOOLARGE,	413, "error.413.text" },
	{ FAIL_UNAVAILABLE,	503, "error.503.db" },
};

void
fail_clear(struct fail *f)
{
	f->kind = FAIL_NONE;
	f->key = "";
	f->detail[0] = '\0';
}

/* Fill f; always returns -1, so that "return (fail_set(...));" reads. */
int
fail_set(struct fail *f, enum fail_kind kind, const char *key,
    const char *fmt, ...)
{
	va_list	ap;

	if (f == NULL)
		return (-1);
	f->kind = kind;
	f->key = key != NULL ? key : fail_key(kind);
	f->detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
		va_end(ap);
	}
	return (-1);
}

int
fail_status(const struct fail *f)
{
	size_t	i;

	for (i = 0; i < sizeof(fail_kinds) / sizeof(fail_kinds[0]); i++)
		if (fail_kinds[i].kind == f->kind)
			return (fail_kinds[i].status);
	return (500);
}

/* The generic message of a kind, when the failure names none. */
const char *
fail_key(enum fail_kind kind)
{
	size_t	i;

	for (i = 0; i < sizeof(fail_kinds) / sizeof(fail_kinds[0]); i++)
		if (fail_kinds[i].kind == kind)
			return (fail_kinds[i].key);
	return ("error.500");
}
