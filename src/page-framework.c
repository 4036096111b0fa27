/*
 * page-framework.c: the frameworks, public. /competences shows the
 * measured framework (courses/framework.md), /frameworks/SLUG a
 * reference framework (courses/frameworks/SLUG.md): the levels, the
 * introduction, and the tree, area by area, each competence with the
 * courses that teach it or align to it. Every competence has the
 * anchor c-CODE: the public address of a competence, which badges give
 * as their alignments' targetUrl. Both download as Moodle's competency
 * framework CSV (framework-csv.c).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"


static int	framework_page(struct web *, const struct framework *, int,
		    const char *);
static void	framework_areas(struct web *, const struct framework *,
		    const struct fw_course *, size_t, struct buf *);
static int	framework_csv(struct web *, const char *);
static const char *framework_slug(struct http_request *, char *, size_t);

/* Validators of conf/app.conf.in: the one rule for codes, for levels. */
int
v_comp(struct http_request *req, const void *data)
{
	return (competence_code_valid(data) ? KORE_RESULT_OK :
	    KORE_RESULT_ERROR);
}

int
v_level(struct http_request *req, const void *data)
{
	return (framework_level_name_valid(data) &&
	    utf8_valid(data, strlen(data)) ? KORE_RESULT_OK :
	    KORE_RESULT_ERROR);
}

/* The rows under one area, the courses of each. */
static void
framework_areas(struct web *w, const struct framework *fw,
    const struct fw_course *cs, size_t ncs, struct buf *out)
{
	const struct fw_competence	*c, *area;
	struct buf			 rows, list, links, table;
	size_t				 i, j;
	static const char *const indent[] = {
		"", "", "ps-3", "ps-4", "ps-5",
	};

	buf_init(&rows, 4096);
	buf_init(&list, 256);
	buf_init(&links, 512);
	buf_init(&table, 4096);
	area = NULL;
	for (i = 0; i <= fw->ncomps; i++) {
		c = i < fw->ncomps ? &fw->comps[i] : NULL;
		if (area != NULL && (c == NULL || c->depth == 0)) {
			buf_reset(&table);
			if (rows.len > 0) {
				struct tmpl_arg args[] = {
					T_TEXT("name", area->name),
					T_RAW("rows", rows.data),
				};

				(void)web_render(w, &table, "competence-table",
				    args, T_NARGS(args));
			}
			{
				struct tmpl_arg args[] = {
					T_TEXT("code", area->code),
					T_TEXT("name", area->name),
					T_TEXT("description",
					    area->description),
					T_RAW("table", table.data),
				};

				(void)web_render(w, out, "competence-area",
				    args, T_NARGS(args));
			}
			buf_reset(&rows);
		}
		if (c == NULL)
			break;
		if (c->depth == 0) {
			area = c;
			continue;
		}
		buf_reset(&list);
		for (j = 0; j < ncs; j++) {
			if (strcmp(cs[j].code, c->code) != 0)
				continue;
			buf_printf(&list, "%s\t%s%s%s%s\n", cs[j].slug,
			    cs[j].title, *cs[j].level != '\0' ? " (" : "",
			    cs[j].level, *cs[j].level != '\0' ? ")" : "");
		}
		buf_reset(&links);
		profile_courses_links(w, &links, list.data);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", c->code),
				T_TEXT("indent", indent[c->depth < 4 ?
				    c->depth : 4]),
				T_TEXT("name", c->name),
				T_TEXT("description", c->description),
				T_RAW("courses", links.data),
			};

			(void)web_render(w, &rows, "competence-row", args,
			    T_NARGS(args));
		}
	}
	buf_free(&rows);
	buf_free(&list);
	buf_free(&links);
	buf_free(&table);
}

/* The whole page of a framework; csv is the address of its CSV. */
static int
framework_page(struct web *w, const struct framework *fw, int reference,
    const char *csv)
{
	struct fw_course	*cs;
	struct fail		 f;
	struct buf		 main, levels, areas, source, text;
	char			*intro;
	size_t			 ncs, i;

	fail_clear(&f);
	if (store_framework_courses(&w->db, fw->slug, reference, &cs,
	    &ncs, &f) == -1)
		return (web_fail(w, &f));
	buf_init(&main, 16384);
	buf_init(&levels, 1024);
	buf_init(&areas, 16384);
	buf_init(&source, 512);
	buf_init(&text, 256);
	for (i = 0; i < fw->nlevels; i++) {
		buf_reset(&text);
		buf_puts(&text, fw->levels[i].description);
		if (fw->levels[i].proficient)
			buf_printf(&text, "%s(%s)", text.len > 0 ? " " : "",
			    i18n_get(w->lang, "competences.proficient"));
		{
			struct tmpl_arg args[] = {
				T_TEXT("term", fw->levels[i].name),
				T_TEXT("text", text.data),
			};

			(void)web_render(w, &levels, "dl-item", args,
			    T_NARGS(args));
		}
	}
	if (*fw->source != '\0') {
		int	web = str_has_prefix(fw->url, "https://") ||
			    str_has_prefix(fw->url, "http://");
		struct tmpl_arg args[] = {
			T_TEXT("source", fw->source),
			T_TEXT("url", fw->url),
		};

		(void)web_render(w, &source, web ? "framework-source" :
		    "framework-source-text", args, T_NARGS(args) - !web);
	}
	framework_areas(w, fw, cs, ncs, &areas);
	intro = md_render(fw->introduction, strlen(fw->introduction));
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", fw->title),
			T_TEXT("summary", fw->summary),
			T_RAW("source", source.data),
			T_RAW("introduction", intro),
			T_TEXT("csv", csv),
			T_RAW("levels", levels.data),
			T_RAW("areas", areas.data),
		};

		(void)web_render(w, &main, "competences", args,
		    T_NARGS(args));
	}
	(void)web_page(w, 200, fw->title, main.data);
	free(intro);
	fw_courses_free(cs, ncs);
	buf_free(&main);
	buf_free(&levels);
	buf_free(&areas);
	buf_free(&source);
	buf_free(&text);
	return (KORE_RESULT_OK);
}

/* The framework slug (NULL: the measured one) as Moodle CSV. */
static int
framework_csv(struct web *w, const char *slug)
{
	struct framework	*fw;
	struct buf		 out, name;
	int			 missing;

	if ((fw = store_framework_get(&w->db, slug, &missing)) == NULL)
		return (missing ? web_error(w, 404, "error.404.text") :
		    web_db_error(w));
	buf_init(&out, 16384);
	buf_init(&name, 64);
	framework_csv_write(fw, &out);
	buf_printf(&name, "%s.csv", slug != NULL ? fw->slug : "framework");
	(void)web_csv(w->req, name.data, 0, &out);
	framework_free(fw);
	buf_free(&out);
	buf_free(&name);
	web_end(w);
	return (KORE_RESULT_OK);
}

/* The slug of /frameworks/SLUG or /frameworks/SLUG.csv, or NULL. */
static const char *
framework_slug(struct http_request *req, char *out, size_t len)
{
	const char	*tail;
	size_t		 n;

	tail = web_path_tail(req, "/frameworks/");
	n = strlen(tail);
	if (str_has_suffix(tail, ".csv"))
		n -= 4;
	if (n == 0 || n >= len)
		return (NULL);
	memcpy(out, tail, n);
	out[n] = '\0';
	return (competence_code_valid(out) ? out : NULL);
}

/* GET /competences: the measured framework. */
int
page_competences(struct http_request *req)
{
	struct framework	*fw;
	struct web		 w;
	int			 missing, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if ((fw = store_framework_get(&w.db, NULL, &missing)) == NULL)
		return (missing ? web_error(&w, 404, "error.404.text") :
		    web_db_error(&w));
	rc = framework_page(&w, fw, 0, "/competences.csv");
	framework_free(fw);
	return (rc);
}

/* GET /competences.csv: the measured framework as Moodle CSV. */
int
page_competences_csv(struct http_request *req)
{
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	return (framework_csv(&w, NULL));
}

/* GET /frameworks/SLUG, /frameworks/SLUG.csv: a reference framework. */
int
page_framework(struct http_request *req)
{
	struct framework	*fw;
	struct web		 w;
	struct buf		 csv;
	const char		*slug;
	char			 buf[FW_CODE_MAX + 1];
	int			 missing, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((slug = framework_slug(req, buf, sizeof(buf))) == NULL)
		return (web_error(&w, 404, "error.404.text"));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (str_has_suffix(req->path, ".csv"))
		return (framework_csv(&w, slug));
	if ((fw = store_framework_get(&w.db, slug, &missing)) == NULL)
		return (missing ? web_error(&w, 404, "error.404.text") :
		    web_db_error(&w));
	buf_init(&csv, 64);
	buf_printf(&csv, "/frameworks/%s.csv", fw->slug);
	rc = framework_page(&w, fw, fw->reference, csv.data);
	buf_free(&csv);
	framework_free(fw);
	return (rc);
}
