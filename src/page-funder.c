/*
 * page-funder.c: /hr/funder(.csv): the funder's report per course and
 * region, printable (README.md, "Impact evaluation"; the numbers from
 * store_impact_funder, the gain from impact.c). HR offices see their
 * subtree only; administrators see everything.
 */

#include <math.h>
#include <string.h>
#include <time.h>

#include "web.h"

static void	funder_table(struct web *, const struct funder_report *,
		    struct buf *);
static void	funder_gain_csv(struct csv_out *, const struct impact_group *);
static void	funder_csv(struct web *, const struct funder_report *,
		    struct buf *);

/* The report's table: a line per course and region, then its total. */
static void
funder_table(struct web *w, const struct funder_report *fr, struct buf *out)
{
	const struct funder_row	*r;
	struct buf		 rows;
	char			 rate[32], gain[160], part[32], done[32];
	char			 badges[160];
	size_t			 i;

	if (fr->n == 0)
		return;
	buf_init(&rows, 8192);
	for (i = 0; i < fr->n; i++) {
		r = &fr->r[i];
		(void)fmt_pct(rate, sizeof(rate), w->lang, r->participants > 0 ?
		    100.0 * r->completions / r->participants : 0.0, 1);
		(void)impact_fmt_funder(gain, sizeof(gain), w->lang,
		    impact_find(&fr->gain, r->course, r->region_id));
		(void)snprintf(part, sizeof(part), "%lld", r->participants);
		(void)snprintf(done, sizeof(done), "%lld", r->completions);
		if (strcmp(r->revoked, "0") != 0)
			(void)snprintf(badges, sizeof(badges), "%s (%s %s)",
			    r->badges, r->revoked, i18n_get(w->lang,
			    "funder.revoked"));
		else
			xstrlcpy(badges, r->badges, sizeof(badges));
		{
			struct tmpl_arg args[] = {
				T_RAW("total", r->total ?
				    " class=\"total\"" : ""),
				T_TEXT("slug", r->slug),
				T_TEXT("region", r->total ? "" : r->region),
				T_TEXT("title", r->title),
				T_TEXT("where", r->total ? i18n_get(w->lang,
				    "funder.total") : r->region),
				T_TEXT("participants", part),
				T_TEXT("completions", done),
				T_TEXT("rate", rate),
				T_TEXT("hours", web_num(w, r->hours)),
				T_TEXT("badges", badges),
				T_TEXT("gain", gain),
			};

			(void)web_render(w, &rows, "impact-funder-row", args,
			    T_NARGS(args));
		}
	}
	page_impact_raw(w, out, "impact-funder-table", "rows", rows.data);
	buf_free(&rows);
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
	struct funder_report	 fr;
	struct fail		 f;
	struct web		 w;
	struct buf		 table, csv;
	const char		*scope, *year;
	char			 gen[64], iso[16], name[256];
	time_t			 now;
	struct tm		 tm;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&fr, 0, sizeof(fr));
	buf_init(&table, 8192);
	buf_init(&csv, 128);
	scope = page_impact_scope(&w);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (web_db_open(&w, &f) == -1 ||
	    store_impact_funder(&w.db, scope, year, &fr, &f) == -1 ||
	    (strcmp(scope, "/") != 0 && store_impact_org_name(&w.db, scope,
	    name, sizeof(name), &f) == -1)) {
		rc = web_fail(&w, &f);
		goto out;
	}
	if (strcmp(scope, "/") == 0)
		xstrlcpy(name, i18n_get(w.lang, "funder.programme"),
		    sizeof(name));
	funder_table(&w, &fr, &table);
	buf_puts(&csv, "/hr/funder.csv?year=");
	url_encode(&csv, year);
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	(void)fmt_date(gen, sizeof(gen), w.lang, iso);
	{
		struct tmpl_arg args[] = {
			T_TEXT("scope", name),
			T_TEXT("period", *year != '\0' ? year :
			    i18n_get(w.lang, "funder.all_time")),
			T_TEXT("generated", gen),
			T_TEXT("year", year),
			T_TEXT("empty", fr.n == 0 ? i18n_get(w.lang,
			    "funder.empty") : ""),
			T_RAW("table", table.data),
			T_TEXT("csv", csv.data),
		};

		rc = web_show(&w, 200, "funder.title", "impact-funder", args,
		    T_NARGS(args));
	}
out:
	store_impact_funder_free(&fr);
	buf_free(&table);
	buf_free(&csv);
	return (rc);
}

/* The report as CSV into out: a line per course and region. */
static void
funder_csv(struct web *w, const struct funder_report *fr, struct buf *out)
{
	const struct funder_row	*r;
	struct csv_out		 c;
	size_t			 i;

	csv_out_init(&c, out, web_csv_lang(w));
	csv_out_head(&c, "course,title,region,participants,completions,"
	    "completion_rate,hours_delivered,badges_issued,badges_revoked,"
	    "gain_n,mean_pre,mean_post,mean_change,change_ci_low,"
	    "change_ci_high,hake_gain,gain_suppressed");
	for (i = 0; i < fr->n; i++) {
		r = &fr->r[i];
		csv_out_text(&c, r->slug);
		csv_out_text(&c, r->title);
		csv_out_text(&c, r->total ? "*" : r->region);
		csv_out_double(&c, (double)r->participants, 0);
		csv_out_double(&c, (double)r->completions, 0);
		csv_out_double(&c, r->participants > 0 ?
		    (double)r->completions / r->participants : 0.0, 4);
		csv_out_num(&c, r->hours);
		csv_out_num(&c, r->badges);
		csv_out_num(&c, r->revoked);
		funder_gain_csv(&c, impact_find(&fr->gain, r->course,
		    r->region_id));
		csv_out_end(&c);
	}
}

/* GET /hr/funder.csv: the same numbers, one line per course and region. */
int
page_hr_funder_csv(struct http_request *req)
{
	struct funder_report	 fr;
	struct fail		 f;
	struct web		 w;
	struct buf		 out;
	const char		*year;
	char			 disp[128];
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&fr, 0, sizeof(fr));
	buf_init(&out, 4096);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (web_db_open(&w, &f) == -1 || store_impact_funder(&w.db,
	    page_impact_scope(&w), year, &fr, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	funder_csv(&w, &fr, &out);
	(void)snprintf(disp, sizeof(disp), "capacita-funder-%s.csv",
	    *year != '\0' ? year : "all");
	(void)web_csv(req, disp, 1, &out);
	web_end(&w);
	rc = KORE_RESULT_OK;
out:
	store_impact_funder_free(&fr);
	buf_free(&out);
	return (rc);
}
