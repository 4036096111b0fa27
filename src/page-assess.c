/*
 * page-assess.c: governance self-assessment and its peer review.
 *
 *	/gov			the rounds, the assessments one may see, a
 *				form to start one (assessors) and to open a
 *				round (administrators)
 *	/gov/assessments/N	one assessment: the assessed team's ratings,
 *				the partner reviewer's, the team's answers,
 *				the consolidated rating; the form of the step
 *				this user is due to take
 *	/gov/actions		the action plan's additions and updates
 *
 * Who does what (README.md, "Governance"): assessors of the unit's
 * subtree rate, answer and agree; an administrator or the HR office of
 * the unit's subtree assigns the reviewer (the assessed team does not
 * choose its own reviewer); the assigned reviewer rates and proposes
 * the consolidated rating. Anyone else gets 404.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define GOV_BODY_MAX	(256 * 1024)

struct gov_page {
	struct web		*w;
	struct gov_model	*m;
	struct gov_assessment	 a;
	int			 team;		/* assessor of the unit */
	int			 reviewer;	/* the assigned reviewer */
	int			 assigner;	/* admin or HR of the unit */
};

static int	in_scope(struct web *, int, const char *);
static const char *status_label(struct web *, const char *);
static void	level_text(struct gov_page *, int, char *, size_t);
static void	view_row(struct gov_page *, struct buf *, const char *,
		    int, const char *, const char *);
static void	links(struct web *, struct buf *, const char *);
static void	edit_fields(struct gov_page *, struct buf *, size_t,
		    enum gov_step);
static void	dims_render(struct gov_page *, struct buf *, int);
static int	step_of(struct gov_page *);
static void	action_row(struct gov_page *, struct buf *,
		    const struct gov_action *);
static void	actions_render(struct gov_page *, struct buf *);
static void	step_render(struct gov_page *, struct buf *, const char *);
static void	toc_render(struct gov_page *, struct buf *);
static void	assign_render(struct gov_page *, struct buf *, const char *);
static int	assessment_page(struct gov_page *, int, const char *,
		    const char *);
static int	assessment_post(struct gov_page *, struct form *);
static const char *list_scope(struct web *);
static int	gov_post(struct web *, struct buf *);

static int
in_scope(struct web *w, int role, const char *path)
{
	const char	*scope;

	return ((scope = web_scope(w, role)) != NULL &&
	    str_has_prefix(path, scope));
}

static const char *
status_label(struct web *w, const char *status)
{
	char	key[48];

	(void)snprintf(key, sizeof(key), "gov.st_%s", status);
	return (i18n_get(w->lang, key));
}

static void
level_text(struct gov_page *p, int level, char *out, size_t len)
{
	if (level <= 0 || (size_t)level > p->m->nlevels)
		xstrlcpy(out, "-", len);
	else
		(void)snprintf(out, len, "%d %s", level,
		    p->m->level_names[level - 1][p->w->lang]);
}

/* Every http(s) address in a text, as links (escaped by the template). */
static void
links(struct web *w, struct buf *out, const char *text)
{
	const char	*s, *e;
	char		*url;

	for (s = text; (s = strstr(s, "http")) != NULL; s = e) {
		e = s + strcspn(s, " \t\r\n<>\"");
		if (!str_has_prefix(s, "https://") &&
		    !str_has_prefix(s, "http://")) {
			e = s + 4;
			continue;
		}
		url = xstrndup(s, (size_t)(e - s));
		{
			struct tmpl_arg args[] = {
				T_TEXT("href", url),
			};

			(void)web_render(w, out, "gov-link", args,
			    T_NARGS(args));
		}
		free(url);
	}
}

static void
view_row(struct gov_page *p, struct buf *out, const char *view, int level,
    const char *text, const char *evidence)
{
	struct buf	 lk;
	char		 lv[96], key[32], value[8];

	buf_init(&lk, 128);
	if (evidence != NULL)
		links(p->w, &lk, evidence);
	level_text(p, level, lv, sizeof(lv));
	(void)snprintf(key, sizeof(key), "gov.view_%s", view);
	(void)snprintf(value, sizeof(value), "%d", level);
	{
		struct tmpl_arg args[] = {
			T_TEXT("view", view),
			T_TEXT("label", i18n_get(p->w->lang, key)),
			T_TEXT("value", value),
			T_TEXT("level", lv),
			T_TEXT("text", text),
			T_RAW("links", lk.data),
		};

		(void)web_render(p->w, out, "gov-view-row", args,
		    T_NARGS(args));
	}
	buf_free(&lk);
}

/* The fields of one dimension for the step this user takes. */
static void
edit_fields(struct gov_page *p, struct buf *out, size_t i,
    enum gov_step step)
{
	static const struct {
		const char	*level;
		const char	*text;
		const char	*legend;
		const char	*label;
	} f[] = {
		{ "level", "just", "gov.f_self", "gov.f_just" },
		{ "peer", "comment", "gov.f_peer", "gov.f_comment" },
		{ NULL, "answer", NULL, "gov.f_answer" },
		{ "cons", "note", "gov.f_cons", "gov.f_note" },
	};
	const struct gov_dimension	*d = &p->m->dims[i];
	const struct gov_rating		*r = &p->a.ratings[i];
	struct buf			 radios;
	const char			*text;
	char				 id[48], name[32], v[8];
	size_t				 j;
	int				 cur;

	cur = step == GOV_STEP_SELF ? r->self_level : step == GOV_STEP_PEER ?
	    r->peer_level : step == GOV_STEP_PROPOSE ? (r->cons_level > 0 ?
	    r->cons_level : r->peer_level) : 0;
	text = step == GOV_STEP_SELF ? r->justification : step ==
	    GOV_STEP_PEER ? r->peer_comment : step == GOV_STEP_ANSWER ?
	    r->answer : r->cons_note;
	if (f[step].level != NULL) {
		buf_init(&radios, 2048);
		(void)snprintf(name, sizeof(name), "%s-%s", f[step].level,
		    d->code);
		for (j = 0; j < d->nlevels; j++) {
			(void)snprintf(id, sizeof(id), "f-%s-%zu", name, j + 1);
			(void)snprintf(v, sizeof(v), "%zu", j + 1);
			{
				struct tmpl_arg args[] = {
					T_TEXT("id", id),
					T_TEXT("name", name),
					T_TEXT("value", v),
					T_RAW("checked", cur == (int)j + 1 ?
					    " checked" : ""),
					T_TEXT("label", p->m->level_names[j]
					    [p->w->lang]),
					T_TEXT("text",
					    d->levels[j].text[p->w->lang]),
					T_TEXT("evidence", d->levels[j].evidence
					    [p->w->lang]),
				};

				(void)web_render(p->w, &radios, "gov-radio",
				    args, T_NARGS(args));
			}
		}
		{
			char	legend[160];

			(void)snprintf(legend, sizeof(legend), "%s %s",
			    i18n_get(p->w->lang, f[step].legend), d->code);
			{
				struct tmpl_arg args[] = {
					T_TEXT("legend", legend),
					T_RAW("radios", radios.data),
				};

				(void)web_render(p->w, out, "gov-fieldset",
				    args, T_NARGS(args));
			}
		}
		buf_free(&radios);
	}
	(void)snprintf(name, sizeof(name), "%s-%s", f[step].text, d->code);
	(void)snprintf(id, sizeof(id), "f-%s", name);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("name", name),
			T_TEXT("label", i18n_get(p->w->lang, f[step].label)),
			T_TEXT("value", text),
		};

		(void)web_render(p->w, out, "gov-textarea", args,
		    T_NARGS(args));
	}
	if (step == GOV_STEP_SELF) {
		(void)snprintf(name, sizeof(name), "evid-%s", d->code);
		(void)snprintf(id, sizeof(id), "f-%s", name);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("name", name),
				T_TEXT("label", i18n_get(p->w->lang,
				    "gov.f_evidence")),
				T_TEXT("value", r->evidence),
			};

			(void)web_render(p->w, out, "gov-textarea", args,
			    T_NARGS(args));
		}
	}
}

/* The step this user may take now, or -1. */
static int
step_of(struct gov_page *p)
{
	const char	*s = p->a.status;

	if (p->team && strcmp(s, "draft") == 0 && p->a.round_open)
		return (GOV_STEP_SELF);
	if (p->reviewer && strcmp(s, "submitted") == 0)
		return (GOV_STEP_PEER);
	if (p->team && strcmp(s, "reviewed") == 0)
		return (GOV_STEP_ANSWER);
	if (p->reviewer && strcmp(s, "answered") == 0)
		return (GOV_STEP_PROPOSE);
	return (-1);
}

/*
 * Every dimension with the views there are so far; step >= 0 adds the
 * fields of that step (the caller wraps them in the form).
 */
static void
dims_render(struct gov_page *p, struct buf *out, int step)
{
	const struct gov_dimension	*d;
	const struct gov_rating		*r;
	struct buf			 views, edit, weak, courses;
	const char			*s = p->a.status;
	size_t				 i;
	int				 peer_seen, self_seen;

	buf_init(&views, 2048);
	buf_init(&edit, 4096);
	buf_init(&weak, 1024);
	buf_init(&courses, 512);
	/* The team sees the review once submitted; the reviewer, always. */
	peer_seen = p->reviewer || (strcmp(s, "draft") != 0 &&
	    strcmp(s, "submitted") != 0);
	self_seen = !p->reviewer || strcmp(s, "draft") != 0;
	for (i = 0; i < p->m->ndims; i++) {
		d = &p->m->dims[i];
		r = &p->a.ratings[i];
		buf_reset(&views);
		buf_reset(&edit);
		buf_reset(&weak);
		if (r->previous_level > 0)
			view_row(p, &views, "prev", r->previous_level, "",
			    NULL);
		if (self_seen && step != GOV_STEP_SELF)
			view_row(p, &views, "self", r->self_level,
			    r->justification, r->evidence);
		if (peer_seen && step != GOV_STEP_PEER && (r->peer_level > 0 ||
		    *r->peer_comment != '\0'))
			view_row(p, &views, "peer", r->peer_level,
			    r->peer_comment, NULL);
		if (step != GOV_STEP_ANSWER && *r->answer != '\0' &&
		    peer_seen)
			view_row(p, &views, "answer", 0, r->answer, NULL);
		if (step != GOV_STEP_PROPOSE && r->cons_level > 0 &&
		    (strcmp(s, "proposed") == 0 ||
		    strcmp(s, "consolidated") == 0))
			view_row(p, &views, "cons", r->cons_level,
			    r->cons_note, NULL);
		if (step >= 0)
			edit_fields(p, &edit, i, (enum gov_step)step);
		if (strcmp(s, "consolidated") == 0 && r->cons_level > 0 &&
		    r->cons_level < GOV_WEAK) {
			gov_course_links(p->w, d, &courses);
			{
				struct tmpl_arg args[] = {
					T_TEXT("code", d->code),
					T_RAW("courses", courses.data),
				};

				(void)web_render(p->w, &weak, "gov-weak",
				    args, T_NARGS(args));
			}
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", d->code),
				T_TEXT("name", d->name[p->w->lang]),
				T_TEXT("text", d->text[p->w->lang]),
				T_RAW("views", views.data),
				T_RAW("weak", weak.data),
				T_RAW("edit", edit.data),
			};

			(void)web_render(p->w, out, "gov-dim", args,
			    T_NARGS(args));
		}
	}
	buf_free(&views);
	buf_free(&edit);
	buf_free(&weak);
	buf_free(&courses);
}

/* One action of the plan, with its update form for the team. */
static void
action_row(struct gov_page *p, struct buf *out, const struct gov_action *x)
{
	static const char *const	 statuses[] = {
		"planned", "started", "done", "dropped"
	};
	const struct gov_dimension	*d;
	struct buf			 edit, opts;
	char				 id[32], key[48], due[32];
	size_t				 j;

	buf_init(&edit, 1024);
	buf_init(&opts, 512);
	(void)snprintf(id, sizeof(id), "%lld", x->id);
	if (p->team) {
		for (j = 0; j < sizeof(statuses) / sizeof(statuses[0]); j++) {
			(void)snprintf(key, sizeof(key), "gov.ast_%s",
			    statuses[j]);
			(void)web_option(p->w, &opts, statuses[j],
			    i18n_get(p->w->lang, key),
			    strcmp(statuses[j], x->status) == 0);
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("csrf", web_csrf(p->w)),
				T_TEXT("id", id),
				T_TEXT("title", x->title),
				T_RAW("statuses", opts.data),
				T_TEXT("notes", x->notes),
			};

			(void)web_render(p->w, &edit, "gov-action-edit", args,
			    T_NARGS(args));
		}
	}
	d = gov_model_find(p->m, x->dimension);
	gov_date_format(due, sizeof(due), x->due, p->w->lang);
	(void)snprintf(key, sizeof(key), "gov.ast_%s", x->status);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("round", x->round_code),
			T_TEXT("dimension", x->dimension),
			T_TEXT("dimension_name", d != NULL ?
			    d->name[p->w->lang] : x->dimension),
			T_TEXT("title", x->title),
			T_TEXT("owner", x->owner),
			T_TEXT("due_iso", x->due),
			T_TEXT("due", due),
			T_TEXT("status_code", x->status),
			T_TEXT("status", i18n_get(p->w->lang, key)),
			T_TEXT("notes", x->notes),
			T_RAW("edit", edit.data),
		};

		(void)web_render(p->w, out, "gov-action-row", args,
		    T_NARGS(args));
	}
	buf_free(&edit);
	buf_free(&opts);
}

/* The action plan: this round's actions and the earlier rounds'. */
static void
actions_render(struct gov_page *p, struct buf *out)
{
	struct gov_action		*x;
	struct buf			 rows, opts, add, label, head, empty;
	char				 id[32];
	size_t				 n, i;
	int				 consolidated;

	if (gov_actions_list(&p->w->db, p->a.id, p->a.org_id, &x, &n,
	    NULL) == -1)
		return;
	consolidated = strcmp(p->a.status, "consolidated") == 0;
	if (n == 0 && !consolidated) {
		gov_actions_free(x, n);
		return;
	}
	buf_init(&rows, 4096);
	buf_init(&opts, 512);
	buf_init(&add, 2048);
	buf_init(&label, 128);
	buf_init(&head, 128);
	buf_init(&empty, 256);
	for (i = 0; i < n; i++)
		action_row(p, &rows, &x[i]);
	if (p->team) {
		struct tmpl_arg args[] = {
			T_TEXT("text", i18n_get(p->w->lang, "gov.update")),
		};

		(void)web_render(p->w, &head, "gov-th-plain", args,
		    T_NARGS(args));
	}
	if (n == 0) {
		struct tmpl_arg args[] = {
			T_TEXT("cols", p->team ? "8" : "7"),
			T_TEXT("text", i18n_get(p->w->lang, "gov.no_actions")),
		};

		(void)web_render(p->w, &empty, "gov-empty-row", args,
		    T_NARGS(args));
	}
	if (p->team && consolidated) {
		for (i = 0; i < p->m->ndims; i++) {
			buf_reset(&label);
			buf_printf(&label, "%s %s", p->m->dims[i].code,
			    p->m->dims[i].name[p->w->lang]);
			(void)web_option(p->w, &opts, p->m->dims[i].code,
			    label.data, 0);
		}
		(void)snprintf(id, sizeof(id), "%lld", p->a.id);
		{
			struct tmpl_arg args[] = {
				T_TEXT("csrf", web_csrf(p->w)),
				T_TEXT("id", id),
				T_RAW("dims", opts.data),
			};

			(void)web_render(p->w, &add, "gov-action-add", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("edit_head", head.data),
			T_RAW("rows", rows.data),
			T_RAW("empty", empty.data),
			T_RAW("add", add.data),
		};

		(void)web_render(p->w, out, "gov-actions", args,
		    T_NARGS(args));
	}
	gov_actions_free(x, n);
	buf_free(&rows);
	buf_free(&opts);
	buf_free(&add);
	buf_free(&label);
	buf_free(&head);
	buf_free(&empty);
}

/*
 * The next step in words; where its form is further down the page (the
 * team's agreement, the action plan), a link to it.
 */
static void
step_render(struct gov_page *p, struct buf *out, const char *key)
{
	struct buf	 link;
	const char	*anchor = NULL;

	buf_init(&link, 128);
	if (p->team && strcmp(p->a.status, "proposed") == 0)
		anchor = "gov-agree-t";
	else if (p->team && strcmp(p->a.status, "consolidated") == 0)
		anchor = "gov-actions-t";
	if (anchor != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("anchor", anchor),
		};

		(void)web_render(p->w, &link, "gov-step-link", args,
		    T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("text", i18n_get(p->w->lang, key)),
			T_RAW("link", link.data),
		};

		(void)web_render(p->w, out, "gov-step", args, T_NARGS(args));
	}
	buf_free(&link);
}

/* Links to each dimension of the (long) page. */
static void
toc_render(struct gov_page *p, struct buf *out)
{
	size_t	i;

	for (i = 0; i < p->m->ndims; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("code", p->m->dims[i].code),
			T_TEXT("name", p->m->dims[i].name[p->w->lang]),
		};

		(void)web_render(p->w, out, "gov-toc-item", args,
		    T_NARGS(args));
	}
}

/* The form that assigns a partner's reviewer (administrators, HR). */
static void
assign_render(struct gov_page *p, struct buf *out, const char *id)
{
	struct buf	 list, opts;
	char		*line, *next, *f[4], label[512];
	int		 i;

	buf_init(&list, 1024);
	buf_init(&opts, 1024);
	if (gov_reviewers(&p->w->db, &list, NULL) == 0) {
		for (line = list.data; line != NULL && *line != '\0';
		    line = next) {
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			for (i = 0; i < 4; i++) {
				f[i] = line;
				line += strcspn(line, "\t");
				if (*line == '\t')
					*line++ = '\0';
			}
			(void)snprintf(label, sizeof(label), "%s, %s (%s)",
			    f[1], f[2], f[3]);
			(void)web_option(p->w, &opts, f[0], label,
			    atoll(f[0]) == p->a.reviewer_id);
		}
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("csrf", web_csrf(p->w)),
			T_RAW("options", opts.data),
		};

		(void)web_render(p->w, out, "gov-assign", args,
		    T_NARGS(args));
	}
	buf_free(&list);
	buf_free(&opts);
}

static int
assessment_page(struct gov_page *p, int status, const char *alert_key,
    const char *bad)
{
	static const char *const	 step_done[] = {
		"gov.submit", "gov.peer_submit", "gov.answer_submit",
		"gov.propose_submit"
	};
	static const char *const	 step_names[][2] = {
		{ "save", "submit" }, { "peer_save", "peer_submit" },
		{ "answer_save", "answer_submit" },
		{ "propose_save", "propose_submit" },
	};
	struct buf	 main, dims, form, alert, step, assign, agree, acts;
	struct buf	 msg, toc;
	char		 id[32], rid[32], key[48];
	int		 k;

	buf_init(&main, 32768);
	buf_init(&dims, 32768);
	buf_init(&form, 32768);
	buf_init(&alert, 256);
	buf_init(&step, 512);
	buf_init(&assign, 1024);
	buf_init(&agree, 1024);
	buf_init(&acts, 4096);
	buf_init(&msg, 256);
	buf_init(&toc, 1024);
	(void)snprintf(id, sizeof(id), "%lld", p->a.id);
	(void)snprintf(rid, sizeof(rid), "%lld", p->a.round_id);
	k = step_of(p);
	if (alert_key != NULL) {
		buf_puts(&msg, i18n_get(p->w->lang, alert_key));
		if (bad != NULL && *bad != '\0')
			buf_printf(&msg, " (%s)", bad);
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", status < 400 ? "success" :
				    "danger"),
				T_TEXT("text", msg.data),
			};

			(void)web_render(p->w, &alert, "alert", args,
			    T_NARGS(args));
		}
	}
	/* What this user is expected to do next, in words. */
	(void)snprintf(key, sizeof(key), "gov.next_%s_%s", p->a.status,
	    p->team ? "team" : p->reviewer ? "reviewer" : "other");
	step_render(p, &step, key);
	toc_render(p, &toc);
	dims_render(p, &dims, k);
	if (k >= 0) {
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("csrf", web_csrf(p->w)),
			T_RAW("fields", dims.data),
			T_TEXT("save", step_names[k][0]),
			T_TEXT("done", step_names[k][1]),
			T_TEXT("done_label", i18n_get(p->w->lang,
			    step_done[k])),
		};

		(void)web_render(p->w, &form, "gov-form", args,
		    T_NARGS(args));
	} else
		buf_append(&form, dims.data, dims.len);
	if (p->assigner && strcmp(p->a.status, "submitted") == 0)
		assign_render(p, &assign, id);
	if (p->team && strcmp(p->a.status, "proposed") == 0) {
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("csrf", web_csrf(p->w)),
		};

		(void)web_render(p->w, &agree, "gov-agree", args,
		    T_NARGS(args));
	}
	actions_render(p, &acts);
	buf_reset(&msg);
	if (*p->a.reviewer_name != '\0')
		buf_printf(&msg, "%s, %s", p->a.reviewer_name,
		    p->a.partner_name);
	else
		buf_puts(&msg, i18n_get(p->w->lang, "gov.no_reviewer"));
	{
		struct tmpl_arg args[] = {
			T_TEXT("unit", p->a.org_name),
			T_TEXT("round", p->a.round_name),
			T_TEXT("round_id", rid),
			T_TEXT("status_code", p->a.status),
			T_TEXT("status", status_label(p->w, p->a.status)),
			T_TEXT("reviewer", msg.data),
			T_RAW("alert", alert.data),
			T_RAW("step", step.data),
			T_RAW("toc", toc.data),
			T_RAW("dims", form.data),
			T_RAW("assign", assign.data),
			T_RAW("agree", agree.data),
			T_RAW("actions", acts.data),
		};

		(void)web_render(p->w, &main, "gov-assessment", args,
		    T_NARGS(args));
	}
	(void)web_page(p->w, status, p->a.org_name, main.data);
	buf_free(&main);
	buf_free(&dims);
	buf_free(&form);
	buf_free(&alert);
	buf_free(&step);
	buf_free(&assign);
	buf_free(&agree);
	buf_free(&acts);
	buf_free(&msg);
	buf_free(&toc);
	return (KORE_RESULT_OK);
}

/*
 * One POST: the action decides the step and who may take it. Returns
 * 0 (done: redirect), or an HTTP status with the page already sent.
 */
static int
assessment_post(struct gov_page *p, struct form *f)
{
	static const struct {
		const char	*action;
		enum gov_step	 step;
		int		 done;
	} saves[] = {
		{ "save", GOV_STEP_SELF, 0 },
		{ "submit", GOV_STEP_SELF, 1 },
		{ "peer_save", GOV_STEP_PEER, 0 },
		{ "peer_submit", GOV_STEP_PEER, 1 },
		{ "answer_save", GOV_STEP_ANSWER, 0 },
		{ "answer_submit", GOV_STEP_ANSWER, 1 },
		{ "propose_save", GOV_STEP_PROPOSE, 0 },
		{ "propose_submit", GOV_STEP_PROPOSE, 1 },
	};
	struct web	*w = p->w;
	struct fail	 fl;
	const char	*action, *v;
	char		 bad[GOV_CODE_MAX + 1];
	size_t		 i;
	int		 rc, allowed;

	action = (v = form_get(f, "action")) != NULL ? v : "";
	fail_clear(&fl);
	bad[0] = '\0';
	rc = 1;
	for (i = 0; i < sizeof(saves) / sizeof(saves[0]); i++) {
		if (strcmp(action, saves[i].action) == 0)
			break;
	}
	if (i < sizeof(saves) / sizeof(saves[0])) {
		allowed = step_of(p) == (int)saves[i].step;
		if (!allowed)
			goto forbidden;
		rc = gov_step_save(&w->db, &p->a, p->m, saves[i].step,
		    saves[i].done, f, w->user->email, w->user->id, w->ip, &fl,
		    bad, sizeof(bad));
	} else if (strcmp(action, "assign") == 0) {
		if (!p->assigner)
			goto forbidden;
		v = form_get(f, "reviewer");
		rc = gov_assign(&w->db, &p->a, v != NULL ? atoll(v) : 0,
		    w->user->id, w->user->email, w->ip, &fl);
	} else if (strcmp(action, "agree") == 0) {
		if (!p->team)
			goto forbidden;
		rc = gov_agree(&w->db, &p->a, w->user->id, w->user->email,
		    w->ip, &fl);
	} else if (strcmp(action, "refuse") == 0) {
		if (!p->team)
			goto forbidden;
		rc = gov_refuse(&w->db, &p->a, form_get(f, "reason"),
		    w->user->id, w->user->email, w->ip, &fl);
	} else {
		(void)web_error(w, 400, "gov.err_action_unknown");
		return (400);
	}
	if (rc == 0)
		return (0);
	/* Show the page again, as it now is, with the message. */
	if (fl.kind != FAIL_UNAVAILABLE) {
		gov_assessment_free(&p->a);
		if (gov_assessment_load(&w->db, atoll(web_path_tail(w->req,
		    "/gov/assessments/")), p->m, &p->a, &fl) == 0) {
			(void)assessment_page(p, 400, fl.key, bad);
			return (400);
		}
	}
	(void)web_fail(w, &fl);
	return (fail_status(&fl));
forbidden:
	(void)web_error(w, 403, "gov.err_not_yours");
	return (403);
}

int
page_gov_assessment(struct http_request *req)
{
	struct gov_page	 p;
	struct form	 f;
	struct fail	 fl;
	struct web	 w;
	struct buf	 body, err;
	const char	*csrf;
	char		 chunk[4096], loc[64];
	long long	 id;
	ssize_t		 n;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&p, 0, sizeof(p));
	p.w = &w;
	if (web_path_id(req, "/gov/assessments/", &id) == -1)
		return (web_error(&w, 400, "error.400.number"));
	fail_clear(&fl);
	if ((p.m = gov_model_load(&w.db, &fl)) == NULL) {
		rc = web_fail(&w, &fl);
		goto out;
	}
	if (gov_assessment_load(&w.db, id, p.m, &p.a, &fl) == -1) {
		rc = web_fail(&w, &fl);
		goto out;
	}
	p.team = in_scope(&w, ROLE_ASSESSOR, p.a.org_path);
	p.reviewer = web_has_role(&w, ROLE_REVIEWER) &&
	    p.a.reviewer_id == w.user->id && strcmp(p.a.status, "draft") != 0;
	p.assigner = web_has_role(&w, ROLE_ADMIN) ||
	    in_scope(&w, ROLE_HR, p.a.org_path);
	if (!p.team && !p.reviewer && !p.assigner) {
		rc = web_error(&w, 404, "gov.no_assessment");
		goto out;
	}
	if (req->method != HTTP_METHOD_POST) {
		rc = assessment_page(&p, 200, NULL, NULL);
		goto out;
	}
	buf_init(&body, 8192);
	n = 0;
	while (body.len <= GOV_BODY_MAX &&
	    (n = http_body_read(req, chunk, sizeof(chunk))) > 0)
		buf_append(&body, chunk, (size_t)n);
	buf_init(&err, 64);
	if (n < 0 || body.len > GOV_BODY_MAX ||
	    form_parse(&f, body.data, body.len, &err) == -1) {
		buf_free(&body);
		buf_free(&err);
		rc = web_error(&w, body.len > GOV_BODY_MAX ? 413 : 400,
		    "gov.err_form");
		goto out;
	}
	buf_free(&body);
	buf_free(&err);
	csrf = form_get(&f, "csrf");
	if (csrf == NULL || !auth_equal(csrf, w.user->csrf)) {
		form_free(&f);
		rc = web_error(&w, 403, "error.403.csrf");
		goto out;
	}
	rc = assessment_post(&p, &f);
	form_free(&f);
	if (rc == 0) {
		(void)snprintf(loc, sizeof(loc), "/gov/assessments/%lld", id);
		rc = web_redirect(&w, loc);
	} else
		rc = KORE_RESULT_OK;
out:
	gov_assessment_free(&p.a);
	gov_model_free(p.m);
	return (rc);
}

/* The subtree whose assessments this user lists: "" for none. */
static const char *
list_scope(struct web *w)
{
	const char	*s;

	if (web_has_role(w, ROLE_ADMIN))
		return ("/");
	if ((s = web_scope(w, ROLE_ASSESSOR)) != NULL)
		return (s);
	if ((s = web_scope(w, ROLE_HR)) != NULL)
		return (s);
	return ("");
}

/*
 * A POST to /gov: start a self-assessment (assessors) or open a round
 * (administrators). Returns 400 with the reason in alert (the caller
 * shows the page again), or the result of the response already sent.
 * A missing action or field is a bad request; an action of another
 * role is forbidden.
 */
static int
gov_post(struct web *w, struct buf *alert)
{
	struct fail	 f;
	const char	*action, *scope, *org, *code, *name;
	char		 loc[64];
	long long	 nid;

	action = web_arg(w, "action");
	org = web_arg(w, "org");
	code = web_arg(w, "code");
	name = web_arg(w, "name");
	scope = web_scope(w, ROLE_ASSESSOR);
	if (action == NULL)
		return (web_error(w, 400, "gov.err_action_unknown"));
	if (strcmp(action, "start") == 0 && scope == NULL)
		return (web_error(w, 403, "gov.err_not_yours"));
	if (strcmp(action, "round") == 0 && !web_has_role(w, ROLE_ADMIN))
		return (web_error(w, 403, "gov.err_not_yours"));
	fail_clear(&f);
	if (strcmp(action, "start") == 0) {
		if (org == NULL)
			(void)fail_set(&f, FAIL_INPUT, "gov.err_start", NULL);
		else if (gov_assessment_start(&w->db, scope, org,
		    w->user->id, w->user->email, w->ip, &nid, &f) == 0) {
			(void)snprintf(loc, sizeof(loc), "/gov/assessments/%lld",
			    nid);
			return (web_redirect(w, loc));
		}
	} else {
		if (code == NULL)
			(void)fail_set(&f, FAIL_INPUT, "gov.err_round_code",
			    NULL);
		else if (name == NULL)
			(void)fail_set(&f, FAIL_INPUT, "gov.err_round_name",
			    NULL);
		else if (gov_round_open(&w->db, code, name,
		    w->user->email, w->ip, &f) == 0)
			return (web_redirect(w, "/gov"));
	}
	if (f.kind == FAIL_UNAVAILABLE)
		return (web_fail(w, &f));
	{
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, f.key)),
		};

		(void)web_render(w, alert, "alert", args, T_NARGS(args));
	}
	return (400);
}

int
page_gov(struct http_request *req)
{
	struct gov_assessment	*list;
	struct gov_round	*rounds;
	struct web		 w;
	struct fail		 f;
	struct buf		 main, rows, start, units, rl, alert, empty;
	const char		*scope, *open_name;
	char			 id[32], *line, *next, *tab;
	size_t			 n, nr, i;
	int			 status;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&alert, 256);
	status = 200;
	if (req->method == HTTP_METHOD_POST &&
	    (status = gov_post(&w, &alert)) != 400) {
		buf_free(&alert);
		return (status);
	}
	fail_clear(&f);
	if (gov_rounds_list(&w.db, &rounds, &nr, &f) == -1 ||
	    gov_assessments_list(&w.db, list_scope(&w), web_has_role(&w,
	    ROLE_REVIEWER) ? w.user->id : 0, 0, &list, &n, &f) == -1) {
		buf_free(&alert);
		return (web_fail(&w, &f));
	}
	buf_init(&main, 16384);
	buf_init(&rows, 4096);
	buf_init(&start, 1024);
	buf_init(&units, 1024);
	buf_init(&rl, 1024);
	buf_init(&empty, 256);
	open_name = i18n_get(w.lang, "gov.no_round");
	for (i = 0; i < nr; i++) {
		if (rounds[i].open) {
			open_name = rounds[i].name;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		(void)snprintf(id, sizeof(id), "%lld", list[i].id);
		buf_reset(&units);
		if (*list[i].reviewer_name != '\0')
			buf_printf(&units, "%s, %s", list[i].reviewer_name,
			    list[i].partner_name);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("round", list[i].round_name),
				T_TEXT("unit", list[i].org_name),
				T_TEXT("status", status_label(&w,
				    list[i].status)),
				T_TEXT("reviewer", units.data),
			};

			(void)web_render(&w, &rows, "gov-row", args,
			    T_NARGS(args));
		}
	}
	if (n == 0) {
		struct tmpl_arg args[] = {
			T_TEXT("cols", "4"),
			T_TEXT("text", i18n_get(w.lang, *list_scope(&w) ==
			    '\0' ? "gov.no_assessments_reviewer" :
			    "gov.no_assessments")),
		};

		(void)web_render(&w, &empty, "gov-empty-row", args,
		    T_NARGS(args));
	}
	if ((scope = web_scope(&w, ROLE_ASSESSOR)) != NULL && nr > 0 &&
	    rounds[0].open) {
		buf_reset(&units);
		buf_reset(&rl);
		if (gov_units(&w.db, scope, &rl, NULL) == 0) {
			for (line = rl.data; line != NULL && *line != '\0';
			    line = next) {
				if ((next = strchr(line, '\n')) != NULL)
					*next++ = '\0';
				if ((tab = strchr(line, '\t')) == NULL)
					continue;
				*tab++ = '\0';
				(void)web_option(&w, &units, line, tab, 0);
			}
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("csrf", web_csrf(&w)),
				T_RAW("units", units.data),
			};

			(void)web_render(&w, &start, "gov-start", args,
			    T_NARGS(args));
		}
	}
	buf_reset(&rl);
	if (web_has_role(&w, ROLE_ADMIN)) {
		buf_reset(&units);
		for (i = 0; i < nr; i++) {
			char	text[300];

			(void)snprintf(text, sizeof(text), "%s (%s) %s",
			    rounds[i].name, rounds[i].code, rounds[i].open ?
			    i18n_get(w.lang, "gov.round_is_open") : "");
			{
				struct tmpl_arg args[] = {
					T_TEXT("text", text),
				};

				(void)web_render(&w, &units, "li", args,
				    T_NARGS(args));
			}
		}
		{
			struct tmpl_arg args[] = {
				T_RAW("list", units.data),
				T_TEXT("csrf", web_csrf(&w)),
			};

			(void)web_render(&w, &rl, "gov-rounds", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_TEXT("round", open_name),
			T_RAW("start", start.data),
			T_RAW("rows", rows.data),
			T_RAW("empty", empty.data),
			T_RAW("rounds", rl.data),
		};

		(void)web_render(&w, &main, "gov", args, T_NARGS(args));
	}
	(void)web_page(&w, status, i18n_get(w.lang, "gov.title"), main.data);
	gov_assessments_free(list, n);
	gov_rounds_free(rounds, nr);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&start);
	buf_free(&units);
	buf_free(&rl);
	buf_free(&alert);
	buf_free(&empty);
	return (KORE_RESULT_OK);
}

/* Add an action to the plan, or update one's status and notes. */
int
page_gov_actions(struct http_request *req)
{
	struct gov_action_edit	 e;
	struct web		 w;
	struct fail		 f;
	const char		*scope, *v;
	char			 loc[80];
	long long		 assessment;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((scope = web_scope(&w, ROLE_ASSESSOR)) == NULL)
		return (web_error(&w, 403, "gov.err_not_yours"));
	if (web_arg_num(&w, "id", 1, WEB_ID_MAX, &assessment) == -1 ||
	    web_arg_num(&w, "assessment", 1, WEB_ID_MAX, &assessment) == -1)
		return (web_error(&w, 400, "error.400.number"));
	memset(&e, 0, sizeof(e));
	e.id = (v = web_arg(&w, "id")) != NULL ? atoll(v) : 0;
	e.assessment = (v = web_arg(&w, "assessment")) != NULL ? atoll(v) : 0;
	e.dimension = web_arg(&w, "dimension");
	e.title = web_arg(&w, "title");
	e.owner = web_arg(&w, "owner");
	e.due = web_arg(&w, "due");
	e.status = web_arg(&w, "status");
	e.notes = web_arg(&w, "notes");
	fail_clear(&f);
	if (gov_action_save(&w.db, &e, scope, w.user->id, w.user->email,
	    w.ip, &assessment, &f) == -1)
		return (web_fail(&w, &f));
	(void)snprintf(loc, sizeof(loc), "/gov/assessments/%lld#gov-actions-t",
	    assessment);
	return (web_redirect(&w, loc));
}
