/*
 * svg.c: charts drawn on the server as inline SVG. Every chart carries
 * a <title> and a <desc> (role="img"), its numbers are written on the
 * marks as text so colour is never the only carrier, and the page shows
 * the same numbers in a table next to it (WCAG 1.1.1, 1.4.1).
 *
 * The colours are a sequential blue scale chosen for contrast with the
 * text drawn over them (at least 4.5:1 either black or white).
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define SVG_FONT	"font-family=\"Titillium Web, Geneva, Tahoma, " \
			"sans-serif\""

static const struct {
	const char	*fill;
	const char	*ink;
} heat_scale[] = {
	{ "#fbe9e7", "#1a1a1a" },	/* 0 - 20 %: a warm tint for alarm */
	{ "#deebf7", "#1a1a1a" },	/* 20 - 40 % */
	{ "#9ecae1", "#1a1a1a" },	/* 40 - 60 % */
	{ "#3182bd", "#ffffff" },	/* 60 - 80 % */
	{ "#08519c", "#ffffff" },	/* 80 - 100 % */
};

static void	svg_begin(struct buf *, const char *, const char *,
		    const char *, int, int);
static void	svg_open(struct buf *, const char *, const char *,
		    const char *, int, int);
static void	svg_label(struct buf *, double, double, const char *,
		    const char *, int);
static void	svg_text(struct buf *, double, double, const char *,
		    const char *, const char *);

/*
 * The <svg> element and its <title>; with a desc, also the <desc>
 * (labelled by both, 12-pixel text).
 */
static void
svg_open(struct buf *b, const char *id, const char *title, const char *desc,
    int w, int h)
{
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" aria-labelledby=\"%s-t%s%s%s\" %s%s>", w, h, w, h,
	    id, desc != NULL ? " " : "", desc != NULL ? id : "",
	    desc != NULL ? "-d" : "", SVG_FONT,
	    desc != NULL ? " font-size=\"12\"" : "");
	buf_printf(b, "<title id=\"%s-t\">", id);
	html_puts(b, title);
	buf_puts(b, "</title>");
	if (desc != NULL) {
		buf_printf(b, "<desc id=\"%s-d\">", id);
		html_puts(b, desc);
		buf_puts(b, "</desc>");
	}
}

/*
 * svg_open() with an unlabelled <desc>, then the group of 12-pixel text
 * the chart is drawn in (closed by the caller: "</g></svg>").
 */
static void
svg_begin(struct buf *b, const char *id, const char *title, const char *desc,
    int w, int h)
{
	svg_open(b, id, title, NULL, w, h);
	buf_puts(b, "<desc>");
	html_puts(b, desc);
	buf_puts(b, "</desc><g font-size=\"12\">");
}

static void
svg_text(struct buf *b, double x, double y, const char *anchor,
    const char *attrs, const char *text)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>",
	    x, y, anchor, *attrs != '\0' ? " " : "", attrs);
	html_puts(b, text);
	buf_puts(b, "</text>");
}

/* Index into heat_scale for a share from 0 to 1. */
int
svg_heat_bin(double share)
{
	int	bin;

	if (share < 0)
		return (-1);
	bin = (int)(share * 5);
	return (bin > 4 ? 4 : bin);
}

/*
 * A heatmap: rows x columns of shares from 0 to 1, negative where there
 * is nothing to show. The share is printed as a percentage in each cell.
 */
void
svg_heatmap(struct buf *b, const char *id, const char *title,
    const char *desc, const char *const *rows, size_t nrows,
    const char *const *cols, size_t ncols, const double *share)
{
	const int	cell = 44, rowh = 28, left = 260, top = 70;
	char		pct[16];
	size_t		i, j;
	int		w, h, bin;
	double		x, y;

	w = left + (int)ncols * cell + 10;
	h = top + (int)nrows * rowh + 10;
	svg_begin(b, id, title, desc, w, h);
	for (j = 0; j < ncols; j++) {
		x = left + (double)j * cell + cell / 2.0;
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"start\" "
		    "transform=\"rotate(-45 %.1f %d)\">", x, top - 8, x,
		    top - 8);
		html_puts(b, cols[j]);
		buf_puts(b, "</text>");
	}
	for (i = 0; i < nrows; i++) {
		y = top + (double)i * rowh;
		svg_text(b, left - 8, y + rowh / 2.0 + 4, "end", "", rows[i]);
		for (j = 0; j < ncols; j++) {
			x = left + (double)j * cell;
			bin = svg_heat_bin(share[i * ncols + j]);
			if (bin < 0) {
				buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
				    "width=\"%d\" height=\"%d\" fill=\"#ffffff\" "
				    "stroke=\"#c5c7c9\"/>", x, y, cell - 2,
				    rowh - 2);
				svg_text(b, x + (cell - 2) / 2.0,
				    y + rowh / 2.0 + 3, "middle",
				    "fill=\"#5c6f82\"", "-");
				continue;
			}
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\"/>", x, y, cell - 2,
			    rowh - 2, heat_scale[bin].fill);
			(void)snprintf(pct, sizeof(pct), "%.0f%%",
			    floor(share[i * ncols + j] * 100 + 0.5));
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\" fill=\"%s\">%s</text>",
			    x + (cell - 2) / 2.0, y + rowh / 2.0 + 3,
			    heat_scale[bin].ink, pct);
		}
	}
	buf_puts(b, "</g></svg>");
}

/*
 * Horizontal bars with their value written at the end, and an optional
 * target drawn as a dashed line (target < 0: none).
 */
void
svg_bars(struct buf *b, enum lang lang, const char *id, const char *title,
    const char *desc, const char *const *labels, const double *values,
    size_t n, double max, double target, const char *unit)
{
	const int	left = 260, width = 420, rowh = 26, top = 10;
	char		val[64], num[32];
	size_t		i;
	double		len, x;
	int		h;

	if (max <= 0)
		max = 1;
	if (target > max)
		max = target;
	h = top + (int)n * rowh + 24;
	svg_begin(b, id, title, desc, left + width + 90, h);
	for (i = 0; i < n; i++) {
		len = values[i] / max * width;
		svg_text(b, left - 8, top + (double)i * rowh + 17, "end", "",
		    labels[i]);
		buf_printf(b, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"18\" fill=\"#0066cc\"/>", left,
		    top + (double)i * rowh + 4, len < 1 && values[i] > 0 ?
		    1 : len);
		(void)snprintf(val, sizeof(val), "%s%s%s", fmt_num(num,
		    sizeof(num), lang, values[i], values[i] == floor(values[i]) ?
		    0 : 1, 0), *unit != '\0' ? " " : "", unit);
		svg_text(b, left + len + 6, top + (double)i * rowh + 17,
		    "start", "", val);
	}
	if (target >= 0) {
		x = left + target / max * width;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#a61919\" stroke-width=\"2\" "
		    "stroke-dasharray=\"6 4\"/>", x, top, x,
		    top + (int)n * rowh);
		(void)snprintf(val, sizeof(val), "%.0f%s%s", target,
		    *unit != '\0' ? " " : "", unit);
		svg_text(b, x, top + (double)n * rowh + 16, "middle",
		    "fill=\"#a61919\"", val);
	}
	buf_puts(b, "</g></svg>");
}

/*
 * Required against achieved level per competence: for each row, a pale
 * bar to the required level and a solid bar to the achieved one, on a
 * scale of level names.
 */
void
svg_levels(struct buf *b, const char *id, const char *title,
    const char *desc, const char *const *labels, const int *required,
    const int *achieved, size_t n, const char *const *levels,
    size_t nlevels)
{
	const int	left = 260, width = 420, rowh = 34, top = 30;
	size_t		i;
	double		step, y;
	int		h;

	if (nlevels == 0)
		nlevels = 1;
	step = (double)width / (double)nlevels;
	h = top + (int)n * rowh + 10;
	svg_begin(b, id, title, desc, left + width + 20, h);
	for (i = 0; i < nlevels; i++) {
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#c5c7c9\"/>", left + step * (i + 1),
		    top - 6, left + step * (i + 1), top + (int)n * rowh);
		svg_text(b, left + step * (i + 1), top - 12, "end", "",
		    levels != NULL ? levels[i] : "");
	}
	for (i = 0; i < n; i++) {
		y = top + (double)i * rowh;
		svg_text(b, left - 8, y + 20, "end", "", labels[i]);
		if (required[i] > 0)
			buf_printf(b, "<rect x=\"%d\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"12\" fill=\"#e6f0fa\" "
			    "stroke=\"#0066cc\" stroke-dasharray=\"3 2\"/>",
			    left, y + 4, step * required[i]);
		if (achieved[i] > 0)
			buf_printf(b, "<rect x=\"%d\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"12\" fill=\"%s\"/>",
			    left, y + 18, step * achieved[i],
			    achieved[i] >= required[i] ? "#00805a" :
			    "#a66300");
	}
	buf_puts(b, "</g></svg>");
}

/*
 * Grouped horizontal bars: for each group (a dimension of the
 * governance model) one bar per series (a region or a unit), each bar
 * labelled with its series and its value (decimal comma), on a scale
 * from 0 to max numbered under the bars; a value below 0 is "no
 * rating" and is written "-". A mark above 0 (the governance model's
 * weak threshold) is drawn as a dashed line with its value. Numbers
 * have one decimal after the separator decimal (',' or '.').
 * values[g * nseries + s].
 */
void
svg_grouped_bars(struct buf *b, const char *id, const char *title,
    const char *desc, const char *const *groups, size_t ngroups,
    const char *const *series, size_t nseries, const double *values,
    double max, double mark, int decimal)
{
	const int	left = 250, width = 400, rowh = 20, head = 24, top = 6;
	char		val[32], *dot;
	size_t		g, s;
	double		y, len, v, x;
	int		h, k;

	if (max <= 0)
		max = 1;
	h = top + (int)ngroups * (head + (int)nseries * rowh + 8) + 20;
	svg_begin(b, id, title, desc, left + width + 70, h);
	y = top;
	for (g = 0; g < ngroups; g++) {
		svg_text(b, 4, y + 16, "start", "font-weight=\"bold\"",
		    groups[g]);
		y += head;
		for (s = 0; s < nseries; s++) {
			v = values[g * nseries + s];
			svg_text(b, left - 8, y + 14, "end", "", series[s]);
			len = v > 0 ? v / max * width : 0;
			if (v > 0)
				buf_printf(b, "<rect x=\"%d\" y=\"%.1f\" "
				    "width=\"%.1f\" height=\"14\" "
				    "fill=\"#0066cc\"/>", left, y + 3, len);
			if (v < 0)
				xstrlcpy(val, "-", sizeof(val));
			else {
				(void)snprintf(val, sizeof(val), "%.1f", v);
				if ((dot = strchr(val, '.')) != NULL)
					*dot = (char)decimal;
			}
			svg_text(b, left + len + 6, y + 14, "start", "", val);
			y += rowh;
		}
		y += 8;
	}
	/* The scale's ticks, one per level, numbered under the bars. */
	for (k = 0; k <= (int)max; k++) {
		x = left + k / max * width;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#767676\" stroke-width=\"0.5\"/>",
		    x, top, x, y);
		(void)snprintf(val, sizeof(val), "%d", k);
		svg_text(b, x, y + 14, "middle", "", val);
	}
	if (mark > 0 && mark < max) {
		x = left + mark / max * width;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#a66300\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"4 3\"/>", x, top, x, y);
		(void)snprintf(val, sizeof(val), "%.1f", mark);
		if ((dot = strchr(val, '.')) != NULL)
			*dot = (char)decimal;
		svg_text(b, x, y + 14, "middle", "fill=\"#a66300\" "
		    "font-weight=\"bold\"", val);
	}
	buf_puts(b, "</g></svg>");
}

/*
 * A row's label at the left of a chart, right-aligned at x: the group
 * (cut to SVG_LABEL_MAX characters) above, what the row shows below.
 */
static void
svg_label(struct buf *b, double x, double y, const char *group,
    const char *what, int bold)
{
	char	cut[SVG_LABEL_MAX * 4 + 4];
	size_t	i, n;

	if (utf8_strlen(group) > SVG_LABEL_MAX) {
		/* Cut at a character boundary, then an ellipsis. */
		for (i = 0, n = 0; group[i] != '\0' && n < SVG_LABEL_MAX - 1;
		    i++)
			if (((unsigned char)group[i] & 0xc0) != 0x80)
				n++;
		while (((unsigned char)group[i] & 0xc0) == 0x80)
			i++;
		(void)snprintf(cut, sizeof(cut), "%.*s\xe2\x80\xa6", (int)i,
		    group);
		group = cut;
	}
	svg_text(b, x, y - 3, "end", "fill=\"#5c6f82\" font-size=\"11\"",
	    group);
	svg_text(b, x, y + 11, "end", bold ? "font-weight=\"bold\"" : "",
	    what);
}

/*
 * Box plots on the 0-100 scale, one per row: whiskers from the lowest
 * to the highest score, the box from the first to the third quartile,
 * the median as a thick line and written out with n. kind 0: first
 * test (grey), 1: second test (blue).
 */
void
svg_boxes(struct buf *b, enum lang lang, const char *id, const char *title,
    const char *desc, const struct svg_row *rows, const struct stats_box *box,
    size_t n)
{
	const int	left = 300, width = 400, rowh = 34, top = 28;
	static const char *stroke[] = { "#5c6f82", "#0066cc" };
	static const char *fill[] = { "#e8ecf0", "#cce0f5" };
	char		val[64], num[32];
	double		y, x0, x1;
	size_t		i;
	int		t;

	svg_open(b, id, title, desc, left + width + 150,
	    top + (int)n * rowh + 10);
	for (t = 0; t <= 100; t += 20) {
		x0 = left + width * t / 100.0;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#c5c7c9\"/>", x0, top - 6, x0,
		    top + (int)n * rowh);
		(void)snprintf(val, sizeof(val), "%d%%", t);
		svg_text(b, x0, top - 10, "middle", "", val);
	}
	for (i = 0; i < n; i++) {
		y = top + (double)i * rowh + rowh / 2.0;
		t = rows[i].kind ? 1 : 0;
		svg_label(b, left - 8, y, rows[i].group, rows[i].label, 0);
		x0 = left + width * box[i].min / 100;
		x1 = left + width * box[i].max / 100;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>", x0, y, x1, y, stroke[t]);
		x0 = left + width * box[i].q1 / 100;
		x1 = left + width * box[i].q3 / 100;
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"16\" fill=\"%s\" stroke=\"%s\"/>", x0, y - 8,
		    x1 - x0 < 1 ? 1 : x1 - x0, fill[t], stroke[t]);
		x0 = left + width * box[i].median / 100;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>", x0,
		    y - 8, x0, y + 8, stroke[t]);
		(void)snprintf(val, sizeof(val), "Me %s (n %zu)", fmt_num(num,
		    sizeof(num), lang, box[i].median, 1, 0), box[i].n);
		svg_text(b, left + width + 8, y + 4, "start", "", val);
	}
	buf_puts(b, "</svg>");
}

/*
 * Estimates with their intervals on a common scale with zero marked:
 * the mean change of each group (kind 0 treated, 1 comparison) and the
 * difference in differences (kind 2), each written out at the right.
 */
void
svg_forest(struct buf *b, enum lang lang, const char *id, const char *title,
    const char *desc, const struct svg_row *rows, const struct svg_interval *v,
    size_t n)
{
	const int	left = 300, width = 400, rowh = 34, top = 28;
	static const char *ink[] = { "#0066cc", "#5c6f82", "#a61919" };
	char		val[96], ci[64], num[32];
	double		min, max, y, x0, x1, step, tick;
	size_t		i;
	int		k;

	min = 0;
	max = 0;
	for (i = 0; i < n; i++) {
		if (v[i].lo < min)
			min = v[i].lo;
		if (v[i].hi > max)
			max = v[i].hi;
	}
	step = max - min > 50 ? 20 : max - min > 20 ? 10 : 5;
	min = floor(min / step) * step;
	max = ceil(max / step) * step;
	if (max <= min)
		max = min + step;
	svg_open(b, id, title, desc, left + width + 190,
	    top + (int)n * rowh + 10);
	for (tick = min; tick <= max + 1e-9; tick += step) {
		x0 = left + width * (tick - min) / (max - min);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"%s\"%s/>", x0, top - 6, x0,
		    top + (int)n * rowh, fabs(tick) < 1e-9 ? "#1a1a1a" :
		    "#c5c7c9", fabs(tick) < 1e-9 ? " stroke-width=\"2\"" : "");
		if (fabs(tick) < 1e-9)
			xstrlcpy(val, "0", sizeof(val));
		else
			(void)snprintf(val, sizeof(val), "%+.0f", tick);
		svg_text(b, x0, top - 10, "middle", "", val);
	}
	for (i = 0; i < n; i++) {
		y = top + (double)i * rowh + rowh / 2.0;
		k = rows[i].kind >= 0 && rows[i].kind <= 2 ? rows[i].kind : 0;
		svg_label(b, left - 8, y, rows[i].group, rows[i].label, k == 2);
		x0 = left + width * (v[i].lo - min) / (max - min);
		x1 = left + width * (v[i].hi - min) / (max - min);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>", x0, y,
		    x1, y, ink[k]);
		x0 = left + width * (v[i].est - min) / (max - min);
		if (k == 2)
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"10\" height=\"10\" fill=\"%s\"/>", x0 - 5,
			    y - 5, ink[2]);
		else
			buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
			    "fill=\"%s\"/>", x0, y, ink[k]);
		(void)snprintf(val, sizeof(val), "%s %s", fmt_num(num,
		    sizeof(num), lang, v[i].est, 1, FMT_SIGN),
		    impact_fmt_ci(ci, sizeof(ci), lang, v[i].lo, v[i].hi));
		svg_text(b, left + width + 8, y + 4, "start", "", val);
	}
	buf_puts(b, "</svg>");
}
