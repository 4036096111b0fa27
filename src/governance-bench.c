/*
 * governance-bench.c: the numbers of the governance pages, out of the
 * parser's way: the benchmark's means per group and dimension, a mean
 * of levels, numbers and dates in the page's language, short titles.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

/*
 * The mean of n levels (0 for missing ones are skipped), or -1 when none
 * is there: the benchmark's number for a group of units.
 */
double
gov_mean(const int *levels, size_t n, size_t *counted)
{
	double	sum;
	size_t	i, k;

	sum = 0;
	for (i = 0, k = 0; i < n; i++) {
		if (levels[i] <= 0)
			continue;
		sum += levels[i];
		k++;
	}
	if (counted != NULL)
		*counted = k;
	return (k > 0 ? sum / (double)k : -1);
}

/* A number with a decimal comma and one decimal, "-" for none (< 0). */
void
gov_fmt(char *out, size_t len, double v)
{
	char	*dot;

	if (v < 0) {
		xstrlcpy(out, "-", len);
		return;
	}
	(void)snprintf(out, len, "%.1f", v);
	if ((dot = strchr(out, '.')) != NULL)
		*dot = ',';
}

/*
 * A title of at most max characters (UTF-8) for the browser's tab: cut
 * at the last space that fits, with an ellipsis.
 */
void
gov_short_title(char *out, size_t len, const char *title, size_t max)
{
	size_t	i, chars, cut;

	if (utf8_strlen(title) <= max || max < 2) {
		xstrlcpy(out, title, len);
		return;
	}
	cut = 0;
	for (i = 0, chars = 0; title[i] != '\0' && chars < max - 1; i++) {
		if (((unsigned char)title[i] & 0xc0) == 0x80)
			continue;
		if (title[i] == ' ')
			cut = i;
		chars++;
	}
	/* No space: cut at the character boundary reached. */
	while (title[i] != '\0' && ((unsigned char)title[i] & 0xc0) == 0x80)
		i++;
	if (cut == 0)
		cut = i;
	while (cut > 0 && (title[cut - 1] == ' ' || title[cut - 1] == ',' ||
	    title[cut - 1] == ':'))
		cut--;
	if (cut + sizeof("\xe2\x80\xa6") > len)
		cut = len > sizeof("\xe2\x80\xa6") ? len - sizeof("\xe2\x80\xa6") : 0;
	memcpy(out, title, cut);
	memcpy(out + cut, "\xe2\x80\xa6", sizeof("\xe2\x80\xa6"));
}

/* The same for the page's language: a decimal point in English. */
void
gov_fmt_lang(char *out, size_t len, double v, enum lang lang)
{
	char	*comma;

	gov_fmt(out, len, v);
	if (lang == LANG_EN && (comma = strchr(out, ',')) != NULL)
		*comma = '.';
}

/*
 * A calendar date "YYYY-MM-DD" (years 1900 to 2999): 0 if it is one,
 * -1 if not (2026-02-30, 2026-13-01 and the like are not).
 */
int
gov_date_valid(const char *s)
{
	static const int	 days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 y, m, d, i, leap;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (-1);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (-1);
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return (-1);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return (d <= days[m - 1] + (m == 2 && leap) ? 0 : -1);
}

/*
 * A date "YYYY-MM-DD" as people read it: 30/06/2026 in Italian,
 * 30 June 2026 in English; anything else is copied as it is.
 */
void
gov_date_format(char *out, size_t len, const char *iso, enum lang lang)
{
	static const char *const	 months[12] = {
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November",
		"December"
	};
	int				 m;

	if (gov_date_valid(iso) == -1) {
		xstrlcpy(out, iso != NULL ? iso : "", len);
		return;
	}
	m = (iso[5] - '0') * 10 + (iso[6] - '0');
	if (lang == LANG_IT)
		(void)snprintf(out, len, "%.2s/%.2s/%.4s", iso + 8, iso + 5,
		    iso);
	else
		(void)snprintf(out, len, "%d %s %.4s", (iso[8] - '0') * 10 +
		    (iso[9] - '0'), months[m - 1], iso);
}

/*
 * The benchmark's numbers: the mean level of each group (a region, or
 * one unit with by_unit) in each dimension, over the rows of one round.
 * means[g * ndims + d] is -1 where the group has no rating; counts the
 * ratings averaged.
 */
void
gov_bench_means(const struct gov_bench_row *rows, size_t n,
    const char *const *groups, size_t ngroups, const char *const *dims,
    size_t ndims, int by_unit, double *means, size_t *counts)
{
	double	*sum;
	size_t	 i, g, d;

	sum = xcalloc(ngroups * ndims + 1, sizeof(*sum));
	memset(counts, 0, ngroups * ndims * sizeof(*counts));
	for (i = 0; i < n; i++) {
		for (g = 0; g < ngroups; g++) {
			if (strcmp(groups[g], by_unit ? rows[i].org :
			    rows[i].region) == 0)
				break;
		}
		for (d = 0; d < ndims; d++) {
			if (strcmp(dims[d], rows[i].dimension) == 0)
				break;
		}
		if (g == ngroups || d == ndims || rows[i].level <= 0)
			continue;
		sum[g * ndims + d] += rows[i].level;
		counts[g * ndims + d]++;
	}
	for (i = 0; i < ngroups * ndims; i++)
		means[i] = counts[i] > 0 ? sum[i] / (double)counts[i] : -1;
	free(sum);
}
