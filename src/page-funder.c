/*
 * page-funder.c: /hr/funder(.csv): the funder's report per course and
 * region, printable (README.md, "Impact evaluation"). HR offices see
 * their subtree only; administrators see everything.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

static int	funder_load(struct web *, const char *, const char *,
		    struct pg_result **, struct impact *);
static void	funder_gain_csv(struct csv_out *, const struct impact_group *);

/*
 * The funder's numbers, per course and region of the scope (optionally
 * the people enrolled in a year): counts from SQL into *res, and the
 * learning gain of each course and region (treated people with both
 * tests, not excluded) into im: groups keyed by the course's id and
 * labelled with the region's id, "" for the course's total.
 */
static int
funder_load(struct web *w, const char *scope, const char *year,
    struct pg_result **res, struct impact *im)
{
	struct pg_result	*p;
	int			 i;

	impact_init(im, "");
	*res = db_query(&w->db, "WITH e AS (SELECT e.*, c.slug, c.title, "
	    "c.hours, r.id AS region_id, r.name AS region FROM enrolments e "
	    "JOIN users u ON u.id = e.user_id JOIN orgs o ON o.id = u.org_id "
	    "JOIN orgs r ON r.id = org_at_depth(o.path, 1) JOIN courses c ON "
	    "c.id = e.course_id WHERE o.path LIKE $1 || '%' AND ($2 = '' OR "
	    "extract(year FROM e.enrolled_at) = nullif($2, '')::int)) SELECT "
	    "e.course_id, "
	    "e.slug, e.title, coalesce(e.region_id, 0), coalesce(e.region, "
	    "''), count(*), count(e.completed_at), to_char(coalesce(sum("
	    "e.hours) FILTER (WHERE e.completed_at IS NOT NULL), 0), "
	    "'FM9999990.0'), count(b.id), count(b.revoked_at) FROM e LEFT JOIN "
	    "badges b ON b.enrolment_id = e.id GROUP BY GROUPING SETS ((1, 2, "
	    "3, 4, 5), (1, 2, 3)) ORDER BY 3, 2, 4 NULLS FIRST, 5", 2, scope,
	    year);
	if (*res == NULL)
		return (-1);
	p = db_query(&w->db, "SELECT c.id, r.id, x.first, x.second FROM "
	    "courses c CROSS JOIN LATERAL impact_people($1, '', c.id) x JOIN "
	    "orgs r ON r.id = org_at_depth(x.org_path, 1) WHERE "
	    "c.assessment_module_id IS NOT NULL AND x.grp = 'treated' AND "
	    "x.second IS NOT NULL AND NOT x.excluded AND ($2 = '' OR "
	    "extract(year FROM x.enrolled_at) = nullif($2, '')::int)", 2, scope,
	    year);
	if (p == NULL) {
		db_clear(*res);
		*res = NULL;
		return (-1);
	}
	for (i = 0; i < db_rows(p); i++)
		impact_funder_add(im, strtoll(db_value(p, i, 0), NULL, 10),
		    db_value(p, i, 1), strtod(db_value(p, i, 2), NULL),
		    strtod(db_value(p, i, 3), NULL));
	db_clear(p);
	impact_funder_compute(im);
	return (0);
}

/* The learning gain's CSV fields: none, suppressed (n < 5) or numbers. */
static void
funder_gain_csv(struct csv_out *c, const struct impact_group *g)
{
	int	i, show;

	show = g != NULL && g->t.n >= IMPACT_MIN_N;
	if (g != NULL && g->t.n > 0)
		csv_out_double(c, show ? (double)g->t.n : NAN, 0);
	else
		csv_out_text(c, "");
	if (!show) {
		for (i = 0; i < 6; i++)
			csv_out_text(c, "");
		if (g != NULL && g->t.n > 0)
			csv_out_bool(c, 1);
		else
			csv_out_text(c, "");
		return;
	}
	csv_out_double(c, g->gt.mean_first, 4);
	csv_out_double(c, g->gt.mean_second, 4);
	csv_out_double(c, g->gt.mean_change, 4);
	csv_out_double(c, g->gt.ci_lo, 4);
	csv_out_double(c, g->gt.ci_hi, 4);
	csv_out_double(c, g->gt.gain, 4);
	csv_out_bool(c, 0);
}

/* GET /hr/funder: the funder's report, printable. */
int
page_hr_funder(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct impact		 im;
	struct buf		 main, table, csv, scope_name;
	const char		*scope, *year;
	char			 rate[32], gain[160], gen[64], iso[16];
	long long		 course;
	int			 i, n, total, part, done;
	time_t			 now;
	struct tm		 tm;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	scope = page_impact_scope(&w);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (funder_load(&w, scope, year, &res, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&main, 16384);
	buf_init(&table, 8192);
	buf_init(&csv, 128);
	buf_init(&scope_name, 128);
	n = db_rows(res);
	if (n > 0) {
		buf_puts(&table, "<table class=\"table table-sm\">"
		    "<caption>");
		html_puts(&table, i18n_get(w.lang, "funder.caption"));
		buf_puts(&table, "</caption><thead><tr>");
		page_impact_th(&table, "col", i18n_get(w.lang, "learn.course"));
		page_impact_th(&table, "col", i18n_get(w.lang, "org.region"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.participants"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.completions"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.rate"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.hours"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.badges"));
		page_impact_th(&table, "col", i18n_get(w.lang, "funder.gain"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		total = db_isnull(res, i, 3);
		course = strtoll(db_value(res, i, 0), NULL, 10);
		part = atoi(db_value(res, i, 5));
		done = atoi(db_value(res, i, 6));
		(void)fmt_pct(rate, sizeof(rate), w.lang, part > 0 ?
		    100.0 * done / part : 0.0, 1);
		(void)impact_fmt_funder(gain, sizeof(gain), w.lang,
		    impact_find(&im, course, total ? "" : db_value(res, i, 3)));
		buf_printf(&table, "<tr%s data-course=\"", total ?
		    " class=\"total\"" : "");
		html_puts(&table, db_value(res, i, 1));
		buf_puts(&table, "\" data-region=\"");
		html_puts(&table, total ? "" : db_value(res, i, 4));
		buf_puts(&table, "\">");
		page_impact_th(&table, "row", db_value(res, i, 2));
		page_impact_td(&table, NULL, total ? i18n_get(w.lang, "funder.total") :
		    db_value(res, i, 4));
		buf_printf(&table, "<td data-stat=\"participants\">%d</td>"
		    "<td data-stat=\"completions\">%d</td>", part, done);
		buf_printf(&table, "<td data-stat=\"rate\">%s</td>", rate);
		buf_puts(&table, "<td data-stat=\"hours\">");
		html_puts(&table, web_num(&w, db_value(res, i, 7)));
		buf_puts(&table, "</td><td data-stat=\"badges\">");
		html_puts(&table, db_value(res, i, 8));
		if (strcmp(db_value(res, i, 9), "0") != 0) {
			buf_puts(&table, " (");
			html_puts(&table, db_value(res, i, 9));
			buf_puts(&table, " ");
			html_puts(&table, i18n_get(w.lang, "funder.revoked"));
			buf_puts(&table, ")");
		}
		buf_puts(&table, "</td><td data-stat=\"gain\">");
		html_puts(&table, gain);
		buf_puts(&table, "</td></tr>");
	}
	if (n > 0)
		buf_puts(&table, "</tbody></table>");
	db_clear(res);
	impact_free(&im);
	buf_puts(&csv, "/hr/funder.csv?year=");
	url_encode(&csv, year);
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	(void)fmt_date(gen, sizeof(gen), w.lang, iso);
	if (strcmp(scope, "/") == 0)
		buf_puts(&scope_name, i18n_get(w.lang, "funder.programme"));
	else if ((res = db_query(&w.db, "SELECT name FROM orgs WHERE path = "
	    "$1", 1, scope)) != NULL) {
		if (db_rows(res) == 1)
			buf_puts(&scope_name, db_value(res, 0, 0));
		db_clear(res);
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("scope", scope_name.data),
			T_TEXT("period", *year != '\0' ? year :
			    i18n_get(w.lang, "funder.all_time")),
			T_TEXT("generated", gen),
			T_TEXT("year", year),
			T_TEXT("empty", n == 0 ? i18n_get(w.lang,
			    "funder.empty") : ""),
			T_RAW("table", table.data),
			T_TEXT("csv", csv.data),
		};

		(void)web_render(&w, &main, "impact-funder", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "funder.title"), main.data);
	buf_free(&main);
	buf_free(&table);
	buf_free(&csv);
	buf_free(&scope_name);
	return (KORE_RESULT_OK);
}

/* GET /hr/funder.csv: the same numbers, one line per course and region. */
int
page_hr_funder_csv(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct impact		 im;
	struct buf		 out;
	struct csv_out		 c;
	const char		*scope, *year;
	char			 disp[128];
	long long		 course;
	int			 i, n, total, part, done;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	scope = page_impact_scope(&w);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (funder_load(&w, scope, year, &res, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&out, 4096);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "course,title,region,participants,completions,"
	    "completion_rate,hours_delivered,badges_issued,badges_revoked,"
	    "gain_n,mean_pre,mean_post,mean_change,change_ci_low,"
	    "change_ci_high,hake_gain,gain_suppressed");
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		total = db_isnull(res, i, 3);
		course = strtoll(db_value(res, i, 0), NULL, 10);
		part = atoi(db_value(res, i, 5));
		done = atoi(db_value(res, i, 6));
		csv_out_text(&c, db_value(res, i, 1));
		csv_out_text(&c, db_value(res, i, 2));
		csv_out_text(&c, total ? "*" : db_value(res, i, 4));
		csv_out_double(&c, part, 0);
		csv_out_double(&c, done, 0);
		csv_out_double(&c, part > 0 ? (double)done / part : 0.0, 4);
		csv_out_num(&c, db_value(res, i, 7));
		csv_out_num(&c, db_value(res, i, 8));
		csv_out_num(&c, db_value(res, i, 9));
		funder_gain_csv(&c, impact_find(&im, course, total ? "" :
		    db_value(res, i, 3)));
		csv_out_end(&c);
	}
	db_clear(res);
	impact_free(&im);
	(void)snprintf(disp, sizeof(disp), "capacita-funder-%s.csv",
	    *year != '\0' ? year : "all");
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
