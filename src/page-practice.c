/*
 * page-practice.c: the governance maturity model (/gov/model) and the
 * good-practice library (/gov/practices, /gov/practices/SLUG): public
 * content, in the page's language, searchable and filtered by country
 * and dimension.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static const char *const	countries[] = {
	"IT", "GB", "DE", "ES", "GR", "PT"
};

static void	refs(struct web *, struct buf *, const char *, char **,
		    size_t);
static void	card_sources(struct web *, struct buf *, const char *);
static void	card_dims(struct web *, struct buf *, const char *);
static int	practice_open(struct web *, struct http_request *,
		    struct gov_practice_query *);
static const char *country_name(struct web *, const char *);

/* Links to the competences (tmpl gov-comp-ref) or sources of a list. */
static void
refs(struct web *w, struct buf *out, const char *tmpl, char **codes,
    size_t n)
{
	char	anchor[32], *p;
	size_t	i;

	for (i = 0; i < n; i++) {
		xstrlcpy(anchor, codes[i], sizeof(anchor));
		for (p = anchor; *p != '\0'; p++)
			if (*p == '.')
				*p = '-';
		/* Each template names only the holes it has. */
		if (strcmp(tmpl, "gov-comp-ref") == 0) {
			struct tmpl_arg args[] = {
				T_TEXT("code", codes[i]),
				T_TEXT("anchor", anchor),
			};

			(void)web_render(w, out, tmpl, args, T_NARGS(args));
		} else {
			struct tmpl_arg args[] = {
				T_TEXT(strcmp(tmpl, "gov-source-ref") == 0 ?
				    "key" : "code", codes[i]),
			};

			(void)web_render(w, out, tmpl, args, T_NARGS(args));
		}
	}
}

/* The dimensions of a card (space-separated codes) as gov-dim-ref links. */
static void
card_dims(struct web *w, struct buf *out, const char *dimensions)
{
	char	**codes;
	size_t	  ncodes;

	(void)gov_words(dimensions, &codes, &ncodes);
	refs(w, out, "gov-dim-ref", codes, ncodes);
	while (ncodes > 0)
		free(codes[--ncodes]);
	free(codes);
}

/*
 * The request begun, the database at hand and an empty card query in the
 * page's language; -1 once the page has been answered instead.
 */
static int
practice_open(struct web *w, struct http_request *req,
    struct gov_practice_query *q)
{
	if (web_begin(w, req) == -1)
		return (-1);
	if (web_db(w) == -1) {
		(void)web_db_error(w);
		return (-1);
	}
	memset(q, 0, sizeof(*q));
	q->lang = w->lang;
	return (0);
}

static const char *
country_name(struct web *w, const char *code)
{
	char	key[32];

	(void)snprintf(key, sizeof(key), "country.%s", code);
	return (i18n_get(w->lang, key));
}

int
page_gov_model(struct http_request *req)
{
	const struct gov_dimension	*d;
	struct gov_model		*m;
	struct web			 w;
	struct fail			 f;
	struct buf			 main, dims, levels, comps, srcs;
	char				 n[8];
	size_t				 i, j;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	fail_clear(&f);
	if ((m = gov_model_load(&w.db, &f)) == NULL)
		return (web_fail(&w, &f));
	buf_init(&main, 32768);
	buf_init(&dims, 32768);
	buf_init(&levels, 4096);
	buf_init(&comps, 256);
	buf_init(&srcs, 1024);
	for (i = 0; i < m->ndims; i++) {
		d = &m->dims[i];
		buf_reset(&levels);
		buf_reset(&comps);
		buf_reset(&srcs);
		for (j = 0; j < d->nlevels; j++) {
			(void)snprintf(n, sizeof(n), "%zu", j + 1);
			{
				struct tmpl_arg args[] = {
					T_TEXT("n", n),
					T_TEXT("name",
					    m->level_names[j][w.lang]),
					T_TEXT("text",
					    d->levels[j].text[w.lang]),
					T_TEXT("evidence",
					    d->levels[j].evidence[w.lang]),
				};

				(void)web_render(&w, &levels, "gov-level-row",
				    args, T_NARGS(args));
			}
		}
		refs(&w, &comps, "gov-comp-ref", d->competences,
		    d->ncompetences);
		refs(&w, &srcs, "gov-source-ref", d->sources, d->nsources);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", d->code),
				T_TEXT("name", d->name[w.lang]),
				T_TEXT("text", d->text[w.lang]),
				T_RAW("competences", comps.data),
				T_RAW("sources", srcs.data),
				T_RAW("levels", levels.data),
			};

			(void)web_render(&w, &dims, "gov-model-dim", args,
			    T_NARGS(args));
		}
	}
	buf_reset(&srcs);
	for (i = 0; i < m->nsources; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("key", m->sources[i].key),
			T_TEXT("url", m->sources[i].url),
			T_TEXT("title", m->sources[i].title),
		};

		(void)web_render(&w, &srcs, "gov-source", args,
		    T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", m->title[w.lang]),
			T_TEXT("summary", m->summary[w.lang]),
			T_RAW("dims", dims.data),
			T_RAW("sources", srcs.data),
		};

		(void)web_render(&w, &main, "gov-model", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, m->title[w.lang], main.data);
	gov_model_free(m);
	buf_free(&main);
	buf_free(&dims);
	buf_free(&levels);
	buf_free(&comps);
	buf_free(&srcs);
	return (KORE_RESULT_OK);
}

int
page_gov_practices(struct http_request *req)
{
	struct gov_practice_query	 q;
	struct gov_model		*m;
	struct gov_card			*cards;
	struct web			 w;
	struct fail			 f;
	struct buf			 main, list, opts, dims, label;
	char				 count[16];
	size_t				 n, i;

	if (practice_open(&w, req, &q) == -1)
		return (KORE_RESULT_OK);
	q.text = web_arg(&w, "q");
	q.country = web_arg(&w, "country");
	q.dimension = web_arg(&w, "dimension");
	/* Without a model the cards are listed all the same. */
	fail_clear(&f);
	if ((m = gov_model_load(&w.db, &f)) == NULL &&
	    f.kind != FAIL_NOTFOUND)
		return (web_fail(&w, &f));
	if (gov_practices_find(&w.db, &q, &cards, &n, &f) == -1) {
		gov_model_free(m);
		return (web_fail(&w, &f));
	}
	buf_init(&main, 16384);
	buf_init(&list, 8192);
	buf_init(&opts, 512);
	buf_init(&dims, 512);
	buf_init(&label, 128);
	for (i = 0; i < n; i++) {
		buf_reset(&dims);
		card_dims(&w, &dims, cards[i].dimensions);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", cards[i].slug),
				T_TEXT("title", cards[i].title),
				T_TEXT("country", country_name(&w,
				    cards[i].country)),
				T_TEXT("region", cards[i].region),
				T_TEXT("sector", cards[i].sector),
				T_RAW("dimensions", dims.data),
			};

			(void)web_render(&w, &list, "gov-card-item", args,
			    T_NARGS(args));
		}
	}
	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		(void)web_option(&w, &opts, countries[i], country_name(&w,
		    countries[i]), q.country != NULL &&
		    strcmp(q.country, countries[i]) == 0);
	buf_reset(&dims);
	for (i = 0; m != NULL && i < m->ndims; i++) {
		buf_reset(&label);
		buf_printf(&label, "%s %s", m->dims[i].code,
		    m->dims[i].name[w.lang]);
		(void)web_option(&w, &dims, m->dims[i].code, label.data,
		    q.dimension != NULL && strcmp(q.dimension,
		    m->dims[i].code) == 0);
	}
	(void)snprintf(count, sizeof(count), "%zu", n);
	buf_reset(&label);
	if (n == 0) {
		struct tmpl_arg args[] = {
			T_TEXT("text", i18n_get(w.lang, "gov.no_cards")),
		};

		(void)web_render(&w, &label, "gov-none", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("q", q.text != NULL ? q.text : ""),
			T_RAW("countries", opts.data),
			T_RAW("dims", dims.data),
			T_TEXT("count", count),
			T_TEXT("found", i18n_get(w.lang, n == 1 ?
			    "gov.card_found" : "gov.cards_found")),
			T_RAW("cards", list.data),
			T_RAW("none", label.data),
		};

		(void)web_render(&w, &main, "gov-practices", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "gov.practices"), main.data);
	gov_cards_free(cards, n);
	gov_model_free(m);
	buf_free(&main);
	buf_free(&list);
	buf_free(&opts);
	buf_free(&dims);
	buf_free(&label);
	return (KORE_RESULT_OK);
}

/* "url\ttitle\n" lines as a list of links. */
static void
card_sources(struct web *w, struct buf *out, const char *list)
{
	char	*copy, *line, *next, *tab;

	copy = xstrdup(list);
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		{
			struct tmpl_arg args[] = {
				T_TEXT("url", line),
				T_TEXT("title", tab),
			};

			(void)web_render(w, out, "gov-card-source", args,
			    T_NARGS(args));
		}
	}
	free(copy);
}

int
page_gov_practice(struct http_request *req)
{
	struct gov_practice_query	 q;
	struct gov_card			*cards;
	struct web			 w;
	struct fail			 f;
	struct buf			 main, srcs, dims;
	char				 title[256];
	size_t				 n;

	if (practice_open(&w, req, &q) == -1)
		return (KORE_RESULT_OK);
	q.slug = web_path_tail(req, "/gov/practices/");
	if (strlen(q.slug) > SLUG_MAX || *q.slug == '\0')
		return (web_error(&w, 404, "gov.no_card"));
	fail_clear(&f);
	if (gov_practices_find(&w.db, &q, &cards, &n, &f) == -1)
		return (web_fail(&w, &f));
	if (n != 1) {
		gov_cards_free(cards, n);
		return (web_error(&w, 404, "gov.no_card"));
	}
	buf_init(&main, 16384);
	buf_init(&srcs, 1024);
	buf_init(&dims, 256);
	card_sources(&w, &srcs, cards[0].sources);
	card_dims(&w, &dims, cards[0].dimensions);
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", cards[0].title),
			T_TEXT("country", country_name(&w, cards[0].country)),
			T_TEXT("region", cards[0].region),
			T_TEXT("sector", cards[0].sector),
			T_RAW("dimensions", dims.data),
			T_TEXT("contact", cards[0].contact),
			T_RAW("body", cards[0].html),
			T_RAW("sources", srcs.data),
		};

		(void)web_render(&w, &main, "gov-practice", args,
		    T_NARGS(args));
	}
	/* The layout adds " · site name": within 70 characters. */
	gov_short_title(title, sizeof(title), cards[0].title, 50);
	(void)web_page(&w, 200, title, main.data);
	gov_cards_free(cards, n);
	buf_free(&main);
	buf_free(&srcs);
	buf_free(&dims);
	return (KORE_RESULT_OK);
}
