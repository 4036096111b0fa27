/*
 * fmt.c: numbers and dates as people read them, in the language of the
 * page. Every number and date the interface shows goes through here.
 *
 * Italian follows Designers Italia's writing guidelines (design system,
 * "Linguaggio"): a decimal comma (2,5), a point between thousands from
 * ten thousand up (8700, 11.800), dates with the month in words
 * (25 gennaio 2018), times with a colon (23:59). English: 2.5, 8,700,
 * 11,800, 25 January 2018, 23:59. Spreadsheet files ask for FMT_PLAIN:
 * no thousands separator, the decimal mark of the language.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capacita.h"

static const char *const months[LANG_MAX][12] = {
	{ "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	    "luglio", "agosto", "settembre", "ottobre", "novembre",
	    "dicembre" },
	{ "January", "February", "March", "April", "May", "June", "July",
	    "August", "September", "October", "November", "December" },
};

static int	fmt_ymd(const char *, int *, int *, int *);
static const char *fmt_local(const char *, char [32]);

/*
 * v with decimals digits after the mark. FMT_SIGN writes + before a
 * positive number; FMT_PLAIN leaves out the thousands separator. A
 * number that is not finite gives "". Returns out.
 */
char *
fmt_num(char *out, size_t len, enum lang lang, double v, int decimals,
    int flags)
{
	char		 digits[64], *dot;
	const char	*sign;
	size_t		 n, i, o, intlen;
	int		 group;
	char		 mark, sep;

	if (len == 0)
		return (out);
	out[0] = '\0';
	if (!isfinite(v) || fabs(v) >= 1e15)
		return (out);
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	(void)snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(v));
	/* A value that rounds to zero has no sign: never "-0,0". */
	sign = "";
	if (strspn(digits, "0.") != strlen(digits)) {
		if (v < 0)
			sign = "-";
		else if (flags & FMT_SIGN)
			sign = "+";
	}
	mark = lang == LANG_EN ? '.' : ',';
	sep = lang == LANG_EN ? ',' : '.';
	dot = strchr(digits, '.');
	intlen = dot != NULL ? (size_t)(dot - digits) : strlen(digits);
	group = !(flags & FMT_PLAIN) && intlen >= (lang == LANG_EN ? 4 : 5);
	o = strlen(sign);
	if (o + intlen + intlen / 3 + (size_t)decimals + 2 > len)
		return (out);
	memcpy(out, sign, o);
	for (i = 0; i < intlen; i++) {
		if (group && i > 0 && (intlen - i) % 3 == 0)
			out[o++] = sep;
		out[o++] = digits[i];
	}
	if (dot != NULL) {
		out[o++] = mark;
		n = strlen(dot + 1);
		memcpy(out + o, dot + 1, n);
		o += n;
	}
	out[o] = '\0';
	return (out);
}

/*
 * A number written by the database or C ("1234.5", "-3", "0.50"), with
 * the digits after the point it has. "" and text that is no number give
 * "" (a missing value is the caller's to show).
 */
char *
fmt_numstr(char *out, size_t len, enum lang lang, const char *s, int flags)
{
	const char	*dot;
	char		*end;
	double		 v;
	int		 decimals;

	if (len > 0)
		out[0] = '\0';
	if (s == NULL || *s == '\0')
		return (out);
	v = strtod(s, &end);
	if (*end != '\0' || end == s)
		return (out);
	dot = strchr(s, '.');
	decimals = dot != NULL ? (int)strspn(dot + 1, "0123456789") : 0;
	return (fmt_num(out, len, lang, v, decimals, flags));
}

/* A percentage: "72,5%" (it), "72.5%" (en). */
char *
fmt_pct(char *out, size_t len, enum lang lang, double v, int decimals)
{
	size_t	n;

	(void)fmt_num(out, len, lang, v, decimals, 0);
	n = strlen(out);
	if (n > 0 && n + 2 <= len) {
		out[n] = '%';
		out[n + 1] = '\0';
	}
	return (out);
}

/* The year, month and day at the start of an ISO 8601 date. */
static int
fmt_ymd(const char *iso, int *y, int *m, int *d)
{
	if (iso == NULL || strlen(iso) < 10 ||
	    strspn(iso, "0123456789") != 4 || iso[4] != '-' ||
	    strspn(iso + 5, "0123456789") != 2 || iso[7] != '-' ||
	    strspn(iso + 8, "0123456789") != 2)
		return (-1);
	*y = atoi(iso);
	*m = atoi(iso + 5);
	*d = atoi(iso + 8);
	if (*m < 1 || *m > 12 || *d < 1 || *d > 31)
		return (-1);
	return (0);
}

/*
 * A time with its zone ("2026-12-03 14:20:33.1+00", "...T14:20:33Z",
 * "...+01:00"), as PostgreSQL's ::text and the audit log write it, in
 * the local zone (TZ, set from the timezone setting): "2026-12-03
 * 15:20" in local[]. Anything else (a date, a time without zone, which
 * SQL already wrote in the session's zone) is returned as it is.
 */
static const char *
fmt_local(const char *iso, char local[32])
{
	struct tm	 tm, lt;
	const char	*z;
	time_t		 t;
	int		 y, m, d, sign, oh, om;

	if (fmt_ymd(iso, &y, &m, &d) == -1 || strlen(iso) < 16 ||
	    (iso[10] != ' ' && iso[10] != 'T') ||
	    strspn(iso + 11, "0123456789") != 2 || iso[13] != ':' ||
	    strspn(iso + 14, "0123456789") != 2)
		return (iso);
	z = iso + 16;
	if (z[0] == ':' && strspn(z + 1, "0123456789") == 2)
		z += 3;
	if (z[0] == '.')
		z += 1 + strspn(z + 1, "0123456789");
	oh = om = 0;
	if (strcmp(z, "Z") == 0)
		sign = 1;
	else if ((z[0] == '+' || z[0] == '-') &&
	    strspn(z + 1, "0123456789") == 2 && (z[3] == '\0' ||
	    (z[3] == ':' && strspn(z + 4, "0123456789") == 2 &&
	    z[6] == '\0'))) {
		sign = z[0] == '-' ? -1 : 1;
		oh = atoi(z + 1);
		om = z[3] == ':' ? atoi(z + 4) : 0;
	} else
		return (iso);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = atoi(iso + 11);
	tm.tm_min = atoi(iso + 14);
	t = timegm(&tm) - sign * (oh * 3600 + om * 60);
	if (localtime_r(&t, &lt) == NULL ||
	    strftime(local, 32, "%Y-%m-%d %H:%M", &lt) == 0)
		return (iso);
	return (local);
}

/*
 * A date from its ISO 8601 form (what PostgreSQL's ::text writes, time
 * and zone after it ignored): "2 gennaio 2027", "2 January 2027". What
 * is no date gives "".
 */
char *
fmt_date(char *out, size_t len, enum lang lang, const char *iso)
{
	char	local[32];
	int	y, m, d;

	if (len > 0)
		out[0] = '\0';
	if ((int)lang < 0 || lang >= LANG_MAX)
		lang = LANG_IT;
	iso = fmt_local(iso, local);
	if (fmt_ymd(iso, &y, &m, &d) == -1)
		return (out);
	(void)snprintf(out, len, "%d %s %d", d, months[lang][m - 1], y);
	return (out);
}

/*
 * A date and time, "2026-03-12 08:38:16+00" or "2026-03-12T08:38":
 * "12 marzo 2026, 08:38", "12 March 2026, 08:38". Without a time, the
 * date alone.
 */
char *
fmt_datetime(char *out, size_t len, enum lang lang, const char *iso)
{
	char	date[64], local[32];

	if (len > 0)
		out[0] = '\0';
	iso = fmt_local(iso, local);
	if (fmt_date(date, sizeof(date), lang, iso)[0] == '\0')
		return (out);
	if (strlen(iso) >= 16 && (iso[10] == ' ' || iso[10] == 'T') &&
	    strspn(iso + 11, "0123456789") == 2 && iso[13] == ':' &&
	    strspn(iso + 14, "0123456789") == 2)
		(void)snprintf(out, len, "%s, %.5s", date, iso + 11);
	else
		(void)snprintf(out, len, "%s", date);
	return (out);
}
