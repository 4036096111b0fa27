/*
 * Capacita: capacity building for public administrations.
 * Licensed under the EUPL v. 1.2 (see LICENSE).
 *
 * This header is the map of the program. Every structure and every
 * function shared between files is declared here, grouped by the file
 * that defines it.
 *
 * The program has three layers (README.md, "Layout"):
 *
 *   core    plain C on plain data: parsing, rendering, templates,
 *           grading, JSON, crypto. No Kore, no libpq. Unit-tested under
 *           ASan/UBSan and linked into both the server and the CLI.
 *   store   libpq queries and the import/migration logic. Shared by
 *           the server (on a connection borrowed from Kore's pgsql
 *           pool) and by bin/capacita (on its own connection).
 *   web     Kore handlers and hooks (app.c, page*.c, assets.c); they
 *           include <kore/kore.h> and the web.h header.
 *   cli     bin/capacita: cli.c's command table and main(), one
 *           cli-*.c per family of commands, over core and store.
 *
 * Naming: a file foo-bar.c exports foo_bar_*; the kore_, http_, net_,
 * fatal and worker prefixes belong to Kore and are never used here.
 */

#ifndef CAPACITA_H
#define CAPACITA_H

#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define CAPACITA_VERSION	"0.1.0"

/*
 * The database schema version this build knows: the number of the
 * newest file in sql/. tests/unit checks that the two agree.
 */
#define SCHEMA_VERSION		22

#define SHA256_HEX_LEN		64
#define SLUG_MAX		80
#define TITLE_MAX		200
#define SUMMARY_MAX		1000
#define SOURCE_MAX		(1024 * 1024)
#define HOURS_TARGET		40	/* training hours a year per person */

#define PRINTFLIKE(a, b)	__attribute__((format (printf, a, b)))
#define NORETURN		__attribute__((noreturn))
#define STRINGIFY_(x)		#x
#define STRINGIFY(x)		STRINGIFY_(x)

/* buf.c: growable byte buffer, always NUL-terminated. */
struct buf {
	char		*data;
	size_t		 len;
	size_t		 cap;
};

void	 buf_init(struct buf *, size_t);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void	 buf_vprintf(struct buf *, const char *, va_list);
char	*buf_release(struct buf *);

/* util.c: allocation that never fails, strings, UTF-8, files. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	 str_array_free(char **, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);
void	 die(const char *, ...) PRINTFLIKE(1, 2) NORETURN;
size_t	 xstrlcpy(char *, const char *, size_t);
char	*str_trim(char *);
int	 str_has_prefix(const char *, const char *);
int	 str_has_suffix(const char *, const char *);
int	 slug_valid(const char *);
size_t	 utf8_invalid_offset(const char *, size_t);
int	 utf8_valid(const char *, size_t);
enum byte_class {
	BYTES_ANY,		/* any byte but NUL */
	BYTES_NOSPACE,		/* no space, tab or line break */
	BYTES_VISIBLE,		/* printable ASCII, no space */
	BYTES_CODE,		/* a-z 0-9 - */
	BYTES_WORD		/* a-z _ */
};
int	 str_bounded(const char *, size_t, size_t, enum byte_class);
size_t	 utf8_strlen(const char *);
int	 line_of_offset(const char *, size_t);
int	 file_read(const char *, char **, size_t *, size_t);
void	 sha256_hex(const void *, size_t, char [SHA256_HEX_LEN + 1]);
int	 parse_int(const char *, long long, long long, long long *);
char	*text_fold(const char *);

/* diag.c: error messages in the form path:line: message. */
struct diag {
	char			*path;
	int			 line;
	char			*msg;
	TAILQ_ENTRY(diag)	 entry;
};
TAILQ_HEAD(diaglist, diag);

void	 diag_init(struct diaglist *);
void	 diag_add(struct diaglist *, const char *, int, const char *, ...)
	    PRINTFLIKE(4, 5);
void	 diag_vadd(struct diaglist *, const char *, int, const char *,
	    va_list);
size_t	 diag_count(const struct diaglist *);
void	 diag_print(FILE *, const struct diaglist *);
void	 diag_format(struct buf *, const struct diaglist *);
void	 diag_free(struct diaglist *);
void	 diag_move(struct diaglist *, struct diaglist *);

/*
 * fail.c: the one error type. Core and store functions return -1 and
 * fill a struct fail (kind, message key for people, detail for the
 * log); web_fail() answers it with the kind's status, the CLI prints
 * it. NULL may be passed where the caller does not want the detail.
 */
enum fail_kind {
	FAIL_NONE = 0,
	FAIL_INPUT,		/* 400: the request is wrong; key says how */
	FAIL_DENIED,		/* 403: not this user's to see or change */
	FAIL_NOTFOUND,		/* 404: no such thing (in the user's scope) */
	FAIL_CONFLICT,		/* 409: the state does not allow it (now) */
	FAIL_TOOLARGE,		/* 413: over a size limit */
	FAIL_UNAVAILABLE	/* 503: the database or a peer; Retry-After */
};

struct fail {
	enum fail_kind	 kind;
	const char	*key;		/* i18n key shown to people */
	char		 detail[256];	/* for the log, never shown */
};

void		 fail_clear(struct fail *);
int		 fail_set(struct fail *, enum fail_kind, const char *,
		    const char *, ...) PRINTFLIKE(4, 5);
int		 fail_status(const struct fail *);
const char	*fail_key(enum fail_kind);

/* html.c: escaping for HTML text and attribute values. */
void	 html_escape(struct buf *, const char *, size_t);
void	 html_puts(struct buf *, const char *);
void	 url_encode(struct buf *, const char *);
void	 json_quote(struct buf *, const char *);
char	*html_unescape(const char *);

/* i18n.c: message catalogues (assets/i18n/<lang>.txt). */
enum lang {
	LANG_IT = 0,
	LANG_EN,
	LANG_MAX
};

int		 i18n_load(const char *, struct diaglist *);
const char	*i18n_get(enum lang, const char *);
enum lang	 i18n_lang_from(const char *);
const char	*i18n_lang_code(enum lang);
const char	*i18n_plural(enum lang, const char *, const char *);
void		 i18n_free(void);

/* fmt.c: numbers and dates in the forms of the page's language. */
#define FMT_SIGN	0x01	/* +2,5 */
#define FMT_PLAIN	0x02	/* no thousands separator (spreadsheets) */

char	*fmt_num(char *, size_t, enum lang, double, int, int);
char	*fmt_numstr(char *, size_t, enum lang, const char *, int);
char	*fmt_pct(char *, size_t, enum lang, double, int);
char	*fmt_date(char *, size_t, enum lang, const char *);
char	*fmt_datetime(char *, size_t, enum lang, const char *);

/*
 * tmpl.c: HTML templates with escaped-by-default holes.
 *
 *   {{name}}	value of argument "name", HTML-escaped
 *   {{@key}}	message "key" from the catalogue of the page language
 *   {{n@key}}	argument "n", a space and message "key.one" when n is
 *		"1", "key.other" otherwise: "1 punto", "3 punti"
 *
 * Raw (already safe) HTML is passed with T_RAW(); grep for T_RAW to see
 * every place where it happens.
 */
struct tmpl;

struct tmpl_arg {
	const char	*key;
	const char	*val;
	int		 raw;
};

#define T_TEXT(k, v)	{ (k), (v), 0 }
#define T_RAW(k, v)	{ (k), (v), 1 }
#define T_NARGS(a)	(sizeof(a) / sizeof((a)[0]))

struct tmpl	*tmpl_parse(const char *, const char *, size_t,
		    struct diaglist *);
int		 tmpl_load_dir(const char *, struct diaglist *);
struct tmpl	*tmpl_find(const char *);
int		 tmpl_render(struct buf *, const struct tmpl *, enum lang,
		    const struct tmpl_arg *, size_t, struct buf *);
const char	*tmpl_name(const struct tmpl *);
int		 tmpl_has_hole(const struct tmpl *, const char *);
void		 tmpl_free(struct tmpl *);
void		 tmpl_free_all(void);

/*
 * frontmatter.c: the "---" block at the top of modules, courses and the
 * framework. key: value lines, "  - item" lists, indented continuations.
 */
struct fm_field {
	char		*key;
	char		*value;		/* "" when the field is a list */
	char		**items;
	size_t		 nitems;
	int		*item_lines;
	int		 line;
	int		 used;
};

struct frontmatter {
	struct fm_field	*fields;
	size_t		 nfields;
	size_t		 body_off;	/* offset of the body in the source */
	int		 body_line;	/* line number of the body's first line */
};

int		 fm_parse(const char *, const char *, size_t,
		    struct frontmatter *, struct diaglist *);
struct fm_field	*fm_get(struct frontmatter *, const char *);
const char	*fm_str(struct frontmatter *, const char *);
int		 fm_check_unknown(struct frontmatter *, const char *,
		    const char *, struct diaglist *);
int		 fm_source_ok(const char *, const char *, size_t, size_t,
		    struct diaglist *);
void		 fm_free(struct frontmatter *);

/* quiz.c: the ```quiz block language and grading. */
enum quiz_type {
	QUIZ_SINGLE = 0,
	QUIZ_MULTIPLE,
	QUIZ_TRUEFALSE,
	QUIZ_NUMERIC,
	QUIZ_SHORT,
	QUIZ_ORDER,
	QUIZ_TYPE_MAX
};

struct quiz_option {
	char		*text;		/* as the author wrote it */
	char		*html;		/* rendered inline, NULL: not loaded */
	char		*feedback;
	int		 correct;
	int		 line;
};

struct quiz_question {
	long long		 id;		/* questions.id once stored */
	int			 line;
	enum quiz_type		 type;
	char			*text;
	char			*competence;
	char			*level;
	int			 comp_line;
	int			 points;
	char			*fb_correct;
	char			*fb_wrong;
	struct quiz_option	*opts;		/* choices, items, answers */
	size_t			 nopts;
	double			 number;
	double			 tolerance;
	int			 truth;
};

struct quiz {
	struct quiz_question	*q;
	size_t			 nq;
};

#define QUIZ_MAX_OPTIONS	64
#define QUIZ_ANSWER_MAX		500

int		 quiz_parse(struct quiz *, const char *, const char *, size_t,
		    int, struct diaglist *);
int		 quiz_answer_check(const struct quiz_question *,
		    const char *);
double		 quiz_grade(const struct quiz_question *, const char *, int *);
void		 quiz_shuffle(uint64_t, long long, size_t, size_t *);
void		 quiz_free(struct quiz *);
void		 quiz_copy(struct quiz *, const struct quiz *);
const char	*quiz_type_name(enum quiz_type);
int		 quiz_type_from(const char *);
int		 quiz_parse_number(const char *, double *);
char		*quiz_short_fold(const char *);
void		 quiz_join(struct buf *, const char *const *, size_t,
		    const char *);

/*
 * quiz-form.c: the quiz as a form: field names and choice values are
 * tokens of a secret per-attempt key; one decoder of submitted forms.
 */
struct form;

#define QUIZ_KEY_LEN		32	/* bytes of a form key */
#define QUIZ_KEY_HEX		64
#define QUIZ_TOKEN_LEN		16	/* "t" and 15 base32 letters */

enum quiz_form_kind {
	QF_FIELD = 1,		/* a question's field */
	QF_OPTION,		/* the value of a choice */
	QF_ITEM			/* the field of an ordering item */
};

struct quiz_answers {
	char		**a;		/* per question, NULL: unanswered */
	size_t		  n;
};

int	 quiz_form_key_parse(const char *, unsigned char [QUIZ_KEY_LEN]);
void	 quiz_form_token(const unsigned char [QUIZ_KEY_LEN], long long, int,
	    size_t, char [QUIZ_TOKEN_LEN + 1]);
int	 quiz_form_decode(const struct quiz *, const unsigned char
	    [QUIZ_KEY_LEN], const struct form *, struct quiz_answers *,
	    const char **, size_t *);
void	 quiz_answers_free(struct quiz_answers *);

/* module.c: a training module file, parsed and rendered. */
struct module {
	char		*path;
	char		*slug;
	char		*title;
	char		*lang;
	char		*summary;
	char		*version_note;
	int		 minutes;
	char		**competences;
	size_t		 ncompetences;
	int		 competences_line;
	int		 slug_line;
	char		*source;
	size_t		 srclen;
	char		 sha256[SHA256_HEX_LEN + 1];
	char		*html;
	size_t		 words;
	struct quiz	 quiz;
	long long	 author_id;	/* web editor: who publishes */
	long long	 owner_org_id;	/* web editor: whose module */
};

struct module	*module_parse(const char *, const char *, size_t,
		    struct diaglist *);
void		 module_free(struct module *);
char		*md_render(const char *, size_t);
char		*md_render_inline(const char *);

/* course.c: a course file. */
enum grading {
	GRADING_HIGHEST = 0,
	GRADING_LAST
};

/* When a quiz's right answers are shown with its results. */
enum review {
	REVIEW_AFTER_PASS = 0,	/* passed, or no attempt left (default) */
	REVIEW_AFTER_LAST,	/* no attempt left */
	REVIEW_ALWAYS,
	REVIEW_NEVER,
	REVIEW_MAX
};

struct course_competence {
	char		*code;
	char		*level;
	int		 line;
};

/* An alignment to a reference framework: "FRAMEWORK CODE [level]". */
struct course_alignment {
	char		*framework;
	char		*code;
	char		*level;		/* "" when none */
	int		 line;
};

struct course {
	char			*path;
	char			*slug;
	char			*title;
	char			*lang;
	char			*summary;
	char			*html;
	double			 hours;
	char			**modules;
	int			*module_lines;
	size_t			 nmodules;
	int			 pass_percent;
	int			 attempts;
	enum grading		 grading;
	enum review		 review;
	char			*badge_name;
	char			*badge_description;
	char			*badge_criteria;
	struct course_competence *competences;
	size_t			 ncompetences;
	struct course_alignment	*alignments;
	size_t			 nalignments;
	char			*assessment;
	int			 assessment_line;
	int			 slug_line;
	char			*source;
	size_t			 srclen;
	char			 sha256[SHA256_HEX_LEN + 1];
	long long		 owner_org_id;	/* web editor: whose course */
	long long		 author_id;	/* web editor: who publishes */
};

struct course	*course_parse(const char *, const char *, size_t,
		    struct diaglist *);
void		 course_free(struct course *);
/*
 * A level is met with at least this many answers (80 % right): the
 * threshold of competence_rule() in sql/0011-latest-answers.sql and of
 * course_certifiable_rank() in sql/0013-integrity.sql.
 */
#define COMPETENCE_MIN_ITEMS	2

struct level_source {
	const struct quiz	*quiz;
	const char		*path;
};

int		 course_check_levels(const struct course *,
		    const struct level_source *, size_t,
		    const struct level_source *, const char *const *, size_t,
		    struct diaglist *);
void		 course_write(const struct course *, const char *,
		    struct buf *);
const char	*course_review_name(enum review);
int		 course_review_from(const char *);
int		 course_review_shows(enum review, int, int, int);

/*
 * framework.c: a competence framework (courses/framework.md, and the
 * reference frameworks of courses/frameworks/), a tree of any depth.
 */
#define FW_CODE_MAX	100	/* bytes of a code or a level name */
#define FW_DEPTH_MAX	32	/* levels of the tree below the areas */

struct fw_level {
	char		*name;
	char		*description;
	int		 proficient;
};

/* A node of the tree: an area (depth 0, parent NULL) or below. */
struct fw_competence {
	char		*code;
	char		*parent;	/* NULL for an area */
	char		*area;		/* the area's code (its own for one) */
	char		*name;
	char		*description;	/* "" when none */
	int		 depth;
	int		 line;
};

struct framework {
	char			*path;
	char			*slug;
	char			*title;
	char			*summary;
	char			*introduction;	/* Markdown paragraphs, or "" */
	char			*taxonomy;	/* Moodle's, "" for the default */
	char			*source;	/* where it comes from, or "" */
	char			*url;
	struct fw_level		*levels;
	size_t			 nlevels;
	size_t			 default_level;	/* index in levels */
	int			 reference;	/* a reference framework */
	struct fw_competence	*comps;		/* every node, in preorder */
	size_t			 ncomps;
	char			 sha256[SHA256_HEX_LEN + 1];
};

int			 competence_code_valid(const char *);
struct framework	*framework_parse(const char *, const char *, size_t,
			    struct diaglist *);
void			 framework_free(struct framework *);
int			 framework_level_name_valid(const char *);
const struct fw_competence *framework_find(const struct framework *,
			    const char *);
int			 framework_level(const struct framework *,
			    const char *);
void			 framework_levels_list(const struct framework *,
			    struct buf *);
void			 framework_md_paragraphs(const char *, struct buf *);
void			 md_escape(struct buf *, const char *, int, int);

/* framework-csv.c: the framework as Moodle competency-framework CSV. */
void	 framework_csv_write(const struct framework *, struct buf *);
int	 framework_csv_read(const char *, const char *, size_t, struct buf *,
	    struct diaglist *);
void	 framework_md_write(const struct framework *, struct buf *);

/*
 * governance.c: the governance maturity model and the good-practice
 * cards (courses/governance/), parsed and cross-checked.
 */
#define GOV_CODE_MAX		8	/* letters of a dimension code */
#define GOV_DIMS_MAX		16
#define GOV_LEVELS_MIN		4
#define GOV_LEVELS_MAX		5
#define GOV_WEAK		2.5	/* a mean below this is weak */
#define GOV_TEXT_MAX		4000	/* characters of a text field */

struct gov_source {
	char		*key;
	char		*url;
	char		*title;
	int		 line;
};

struct gov_level {
	char		*text[LANG_MAX];
	char		*evidence[LANG_MAX];
	int		 line;
};

struct gov_dimension {
	char		*code;
	char		*name[LANG_MAX];
	char		*text[LANG_MAX];
	char		**competences;
	size_t		 ncompetences;
	int		 comp_line;
	char		**sources;	/* keys of gov_model.sources */
	size_t		 nsources;
	struct gov_level levels[GOV_LEVELS_MAX];
	size_t		 nlevels;
	int		 line;
};

struct gov_model {
	char			*path;
	char			*slug;
	char			*title[LANG_MAX];
	char			*summary[LANG_MAX];
	char			*level_names[GOV_LEVELS_MAX][LANG_MAX];
	size_t			 nlevels;
	struct gov_source	*sources;
	size_t			 nsources;
	struct gov_dimension	*dims;
	size_t			 ndims;
	char			 sha256[SHA256_HEX_LEN + 1];
};

struct gov_practice {
	char		*path;
	char		*slug;
	int		 slug_line;
	char		*title[LANG_MAX];
	char		 country[3];
	char		*region;
	char		*sector[LANG_MAX];
	char		*contact[LANG_MAX];
	char		*part[LANG_MAX][3];	/* what, results, evidence */
	char		**dimensions;
	size_t		 ndimensions;
	int		 dim_line;
	char		**sources;		/* addresses */
	char		**source_titles;
	size_t		 nsources;
	char		 sha256[SHA256_HEX_LEN + 1];
};

struct gov_content {
	struct gov_model	*model;
	struct gov_practice	**practices;
	size_t			 npractices;
	size_t			 nfiles;
};

struct gov_model	*gov_model_parse(const char *, const char *, size_t,
			    struct diaglist *);
void			 gov_model_free(struct gov_model *);
const struct gov_dimension *gov_model_find(const struct gov_model *,
			    const char *);
int			 gov_check_model(const struct gov_model *,
			    const struct framework *, struct diaglist *);
struct gov_practice	*gov_practice_parse(const char *, const char *,
			    size_t, struct diaglist *);
void			 gov_practice_markdown(const struct gov_practice *,
			    enum lang, struct buf *);
void			 gov_practice_free(struct gov_practice *);
int			 gov_load(struct gov_content *, const char *,
			    const struct framework *, struct diaglist *);
void			 gov_content_free(struct gov_content *);
int			 gov_words(const char *, char ***, size_t *);

/* One consolidated rating of the benchmark (store-governance.c). */
struct gov_bench_row {
	char		 region[SLUG_MAX + 1];
	char		*region_name;
	char		 org[SLUG_MAX + 1];
	char		*org_name;
	int		 is_region;
	char		 dimension[GOV_CODE_MAX + 1];
	int		 level;
};

/*
 * governance-bench.c: the benchmark's means, numbers and dates in the
 * page's language, short titles.
 */
double			 gov_mean(const int *, size_t, size_t *);
void			 gov_fmt(char *, size_t, double);
void			 gov_fmt_lang(char *, size_t, double, enum lang);
void			 gov_short_title(char *, size_t, const char *, size_t);
int			 gov_date_valid(const char *);
void			 gov_date_format(char *, size_t, const char *,
			    enum lang);
void			 gov_bench_means(const struct gov_bench_row *, size_t,
			    const char *const *, size_t, const char *const *,
			    size_t, int, double *, size_t *);

/* content.c: a whole content tree (modules/ and courses/), cross-checked. */
struct content {
	struct framework	*framework;
	struct framework	**refs;		/* courses/frameworks/ */
	size_t			 nrefs;
	struct roles		*roles;
	struct module		**modules;
	size_t			 nmodules;
	struct course		**courses;
	size_t			 ncourses;
	size_t			 nfiles;
	int			 nwarnings;	/* kept, but against the rules */
	struct gov_content	 gov;		/* courses/governance/ */
};

int	 content_load(struct content *, const char *, struct diaglist *);
int	 content_md_files(const char *, char ***, size_t *,
	    struct diaglist *);
void	 content_files_free(char **, size_t);
int	 content_read(const char *, int, char **, size_t *,
	    struct diaglist *);
int	 content_check_module(const struct content *, struct module *,
	    struct diaglist *);
struct module *content_find_module(const struct content *, const char *);
const struct framework *content_find_ref(const struct content *,
	    const char *);
void	 content_free(struct content *);

/*
 * db.c: the store layer's thin wrapper over libpq. Parameters are always
 * passed separately from the SQL text (PQexecParams), as text, NULL for
 * SQL NULL. The server borrows its connection from Kore's pgsql pool
 * (web-db.c); the CLI opens its own.
 */
struct pg_conn;
struct pg_result;

struct db {
	struct pg_conn	*conn;
	int		 owned;
	int		 broken;
	/*
	 * A web worker's connection: the hot paths ask the triggers not to
	 * NOTIFY (sql/0020-hot-path.sql) and leave in notify_user whose
	 * pages to forget, which the worker sends after the commit.
	 */
	int		 defer_notify;
	long long	 notify_user;
	char		 error[512];
};

int		  db_open(struct db *, const char *);
void		  db_attach(struct db *, struct pg_conn *);
void		  db_close(struct db *);
int		  db_ok(struct db *);
struct pg_result *db_query(struct db *, const char *, int, ...);
struct pg_result *db_queryv(struct db *, const char *, int,
		    const char *const *);
int		  db_exec(struct db *, const char *, int, ...);
int		  db_begin(struct db *);
int		  db_begin_deferred(struct db *);
int		  db_begin_nowait(struct db *);
int		  db_commit(struct db *);
void		  db_rollback(struct db *);
int		  db_in_transaction(struct db *);
const char	 *db_error(struct db *);
int		  db_fail(struct db *, struct fail *);
void		  db_clear(struct pg_result *);
const char	 *db_value(struct pg_result *, int, int);
int		  db_isnull(struct pg_result *, int, int);
int		  db_one(struct pg_result *);
int		  db_found(struct db *, struct pg_result *);
void		 *db_rows_new(struct pg_result *, size_t, size_t *);
char		 *db_text(struct pg_result *, int, int);
int		  db_lines(struct pg_result *, struct buf *);
long long	  db_ll(struct pg_result *, int, int);
int		  db_int(struct pg_result *, int, int);
int		  db_rows(struct pg_result *);
int		  db_exec_script(struct db *, const char *);
void		  pg_array_add(struct buf *, const char *);
int		  db_notifies(struct db *, void (*)(const char *, void *),
		    void *);
void		  pg_array_end(struct buf *);

/* migrate.c: sql/NNNN-name.sql files, applied in order. */
int	 migrate_current(struct db *, int *);
int	 migrate_apply(struct db *, const char *, int *, struct diaglist *);
int	 migrate_latest_file(const char *, int *);

/* store-content.c: writes parsed content to the database. */
struct import_stats {
	int	modules_new;
	int	modules_unchanged;
	int	courses_new;
	int	courses_changed;
	int	courses_unchanged;
	int	framework_changed;
	int	refs_changed;
	int	roles;
};

int	 store_framework(struct db *, const struct framework *, int,
	    struct diaglist *);
int	 store_module(struct db *, const struct module *, const char *,
	    long long *, int *, struct diaglist *);
int	 store_course(struct db *, const struct course *, int *,
	    struct diaglist *);
int	 store_roles(struct db *, const struct roles *, long long,
	    struct diaglist *);
struct framework *store_framework_get(struct db *, const char *, int *);
int	 store_content(struct db *, struct content *, struct import_stats *,
	    struct diaglist *);
int	 store_check_module(struct db *, const struct module *,
	    struct diaglist *);

/* store-framework.c: the courses of a framework's competences. */
struct fw_course {
	char	*code;
	char	*slug;
	char	*title;
	char	*level;
};

/* The gap report's requirement cells rolled up a competence's subtree. */
struct gap_rollup {
	char		*code;
	char		*name;
	int		 depth;
	long long	 need;		/* cells of the subtree */
	long long	 met;
	long long	 own;		/* cells of the competence itself */
};

int	 store_framework_courses(struct db *, const char *, int,
	    struct fw_course **, size_t *, struct fail *);
void	 fw_courses_free(struct fw_course *, size_t);
int	 store_gap_rollup(struct db *, int, const char *, const char *,
	    const char *, struct gap_rollup **, size_t *, struct fail *);
void	 gap_rollup_free(struct gap_rollup *, size_t);

/*
 * store-governance.c: the governance model and cards in the database,
 * rounds, the benchmark's rows; store-governance-review.c:
 * self-assessments, peer reviews, consolidated ratings, action plans.
 * -1 with an i18n key in err (the user's mistake) or an empty err (the
 * database); -2 for "not yours".
 */
struct form;

struct gov_card {
	char		*slug;
	char		 country[3];
	char		*region;
	char		*title;
	char		*sector;
	char		*contact;
	char		*html;		/* cmark, safe mode */
	char		*sources;	/* "url\ttitle\n" lines */
	char		*dimensions;	/* codes separated by spaces */
};

struct gov_practice_query {
	enum lang	 lang;
	const char	*text;
	const char	*country;
	const char	*dimension;
	const char	*slug;
};

struct gov_round {
	long long	 id;
	char		 code[41];
	char		*name;
	int		 open;
};

struct gov_rating {
	char		 dimension[GOV_CODE_MAX + 1];
	int		 self_level;	/* 0: none */
	char		*justification;
	char		*evidence;
	int		 peer_level;
	char		*peer_comment;
	char		*answer;
	int		 cons_level;
	char		*cons_note;
	int		 previous_level;	/* consolidated, earlier round */
};

struct gov_assessment {
	long long		 id;
	long long		 round_id;
	char			 round_code[41];
	char			*round_name;
	int			 round_open;
	long long		 org_id;
	char			*org_name;
	char			*org_path;
	char			 status[16];
	long long		 reviewer_id;
	char			*reviewer_name;
	char			*partner_name;
	char			*revision_note;
	char			*agreed_by;
	char			*agreed_at;
	long long		 previous_id;	/* consolidated, earlier */
	struct gov_rating	*ratings;	/* in the model's order */
	size_t			 nratings;
};

enum gov_step {
	GOV_STEP_SELF = 0,
	GOV_STEP_PEER,
	GOV_STEP_ANSWER,
	GOV_STEP_PROPOSE
};

struct gov_action {
	long long	 id;
	long long	 assessment_id;
	char		 dimension[GOV_CODE_MAX + 1];
	char		*title;
	char		*owner;
	char		 due[11];
	char		 status[12];
	char		*notes;
	char		 round_code[41];
	char		 updated[11];
};

struct gov_action_edit {
	long long	 id;		/* 0: a new action */
	long long	 assessment;
	const char	*dimension;
	const char	*title;
	const char	*owner;
	const char	*due;
	const char	*status;
	const char	*notes;
};

int	 store_governance(struct db *, const struct gov_content *,
	    struct diaglist *);
struct gov_model *gov_model_load(struct db *, struct fail *);
int	 gov_courses(struct db *, const struct gov_dimension *, struct buf *,
	    struct fail *);
int	 gov_practices_find(struct db *, const struct gov_practice_query *,
	    struct gov_card **, size_t *, struct fail *);
void	 gov_cards_free(struct gov_card *, size_t);
int	 gov_rounds_list(struct db *, struct gov_round **, size_t *,
	    struct fail *);
void	 gov_rounds_free(struct gov_round *, size_t);
int	 gov_round_open(struct db *, const char *, const char *, const char *,
	    const char *, struct fail *);
int	 gov_bench_rows(struct db *, long long, struct gov_bench_row **,
	    size_t *, struct fail *);
void	 gov_bench_free(struct gov_bench_row *, size_t);

/* store-governance-review.c: assessments, reviews, action plans. */
int	 gov_assessments_list(struct db *, const char *, long long, long long,
	    struct gov_assessment **, size_t *, struct fail *);
void	 gov_assessments_free(struct gov_assessment *, size_t);
int	 gov_assessment_load(struct db *, long long, const struct gov_model *,
	    struct gov_assessment *, struct fail *);
void	 gov_assessment_free(struct gov_assessment *);
int	 gov_assessment_start(struct db *, const char *, const char *,
	    long long, const char *, const char *, long long *, struct fail *);
int	 gov_step_save(struct db *, const struct gov_assessment *,
	    const struct gov_model *, enum gov_step, int, const struct form *,
	    const char *, long long, const char *, struct fail *, char *,
	    size_t);
int	 gov_assign(struct db *, const struct gov_assessment *, long long,
	    long long, const char *, const char *, struct fail *);
int	 gov_agree(struct db *, const struct gov_assessment *, long long,
	    const char *, const char *, struct fail *);
int	 gov_refuse(struct db *, const struct gov_assessment *, const char *,
	    long long, const char *, const char *, struct fail *);
int	 gov_reviewers(struct db *, struct buf *, struct fail *);
int	 gov_units(struct db *, const char *, struct buf *, struct fail *);
int	 gov_actions_list(struct db *, long long, long long,
	    struct gov_action **, size_t *, struct fail *);
void	 gov_actions_free(struct gov_action *, size_t);
int	 gov_action_save(struct db *, const struct gov_action_edit *,
	    const char *, long long, const char *, const char *, long long *,
	    struct fail *);

/* demo-governance.c: the governance part of bootstrap --demo. */
int	 gov_demo(struct db *, const char *, FILE *);

/* generate.c: synthetic staff, evidence and hours for benchmarks. */
int	 generate(struct db *, int, int, int, int, struct buf *);
int	 generate_people(struct db *, const char *const *, size_t, int,
	    const char *, struct buf *);

/* demo.c: the demo of make run DEMO=1 (bin/capacita demo). */
#define DEMO_PEOPLE	300
int	 demo_run(struct db *, int, FILE *, struct buf *);

/* auth.c: passwords (Argon2id), random tokens, roles, e-mail addresses. */
#define AUTH_HASH_MAX		128	/* crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_LEN		43	/* 32 bytes, base64url, no padding */
#define AUTH_PASSWORD_LEN	19	/* xxxx-xxxx-xxxx-xxxx */

#define ROLE_LEARNER		0x01
#define ROLE_TRAINER		0x02
#define ROLE_HR			0x04
#define ROLE_ISSUER		0x08
#define ROLE_ADMIN		0x10
#define ROLE_ASSESSOR		0x20	/* governance self-assessment */
#define ROLE_REVIEWER		0x40	/* partner peer reviewer */
#define ROLE_COUNT		7

/* Sign-in throttling (auth_login_wait): see auth.c. */
#define AUTH_WINDOW		"1 hour"	/* failures counted */
#define AUTH_ADDRESS_WINDOW	"15 minutes"
#define AUTH_ADDRESS_MAX	20	/* failures of one address */
#define AUTH_PAIR_FREE		3	/* failures before delays */
#define AUTH_ACCOUNT_SOFT	10	/* account under attack */
#define AUTH_DELAY_BASE		2	/* seconds, doubling */
#define AUTH_DELAY_MAX		900

struct login_counts {
	int	pair;		/* this account from this address */
	int	pair_age;	/* seconds since the pair's last failure */
	int	account;	/* this account from any address */
	int	address;	/* this address on any account */
	int	address_left;	/* seconds until the oldest one expires */
};

int		 auth_hash_password(const char *, char [AUTH_HASH_MAX]);
int		 auth_verify_password(const char *, const char *);
const char	*auth_password_problem(const char *, const char *);
void		 auth_token(char [AUTH_TOKEN_LEN + 1]);
int		 auth_login_wait(const struct login_counts *);
const char	*auth_home(int);
int		 auth_token_valid(const char *);
void		 auth_token_hash(const char *, char [SHA256_HEX_LEN + 1]);
int		 auth_equal(const char *, const char *);
void		 auth_random_password(char [AUTH_PASSWORD_LEN + 1]);
const char	*auth_role_name(int);
int		 auth_role_from(const char *);
char		*auth_email_normalise(const char *);

/* csv.c: RFC 4180 CSV, with the line number of every record. */
struct csv_row {
	char		**fields;
	size_t		  nfields;
	int		  line;
};

struct csv {
	struct csv_row	*rows;
	size_t		 nrows;
};

int	 csv_parse(struct csv *, const char *, size_t, struct buf *);
void	 csv_free(struct csv *);
void	 csv_field(struct buf *, const char *);

struct csv_out {
	struct buf	*b;
	enum lang	 lang;		/* LANG_IT: the Italian form */
	char		 sep;
	int		 col;
};

void	 csv_out_init(struct csv_out *, struct buf *, enum lang);
void	 csv_out_head(struct csv_out *, const char *);
void	 csv_out_text(struct csv_out *, const char *);
void	 csv_out_num(struct csv_out *, const char *);
void	 csv_out_double(struct csv_out *, double, int);
void	 csv_out_bool(struct csv_out *, int);
void	 csv_out_end(struct csv_out *);

/* vault.c: the issuer's keys sealed with a passphrase, for backups. */
#define VAULT_PASS_MIN	12
int	 vault_seal(const char *, const void *, size_t, struct buf *,
	    struct buf *);
int	 vault_open(const char *, const void *, size_t, struct buf *,
	    struct buf *);

/* svg.c: server-rendered charts; each page shows a table with them. */
int	 svg_heat_bin(double);
void	 svg_heatmap(struct buf *, const char *, const char *, const char *,
	    const char *const *, size_t, const char *const *, size_t,
	    const double *);
void	 svg_bars(struct buf *, enum lang, const char *, const char *,
	    const char *, const char *const *, const double *, size_t, double,
	    double, const char *);
void	 svg_levels(struct buf *, const char *, const char *, const char *,
	    const char *const *, const int *, const int *, size_t,
	    const char *const *, size_t);
void	 svg_grouped_bars(struct buf *, const char *, const char *,
	    const char *, const char *const *, size_t, const char *const *,
	    size_t, const double *, double, double, int);

#define SVG_LABEL_MAX	44	/* characters of a row's group */

struct stats_box;

/* A row of a box or interval chart: its group, what it shows, a kind. */
struct svg_row {
	const char	*group;
	const char	*label;
	int		 kind;
};

struct svg_interval {
	double		 est;
	double		 lo;
	double		 hi;
};

void	 svg_boxes(struct buf *, enum lang, const char *, const char *,
	    const char *, const struct svg_row *, const struct stats_box *,
	    size_t);
void	 svg_forest(struct buf *, enum lang, const char *, const char *,
	    const char *, const struct svg_row *, const struct svg_interval *,
	    size_t);

/* roles.c: role profiles (courses/roles.csv), levels required per role. */
struct role_req {
	char		*competence;
	char		*level;
	int		 line;
};

struct job_role {
	char		*code;
	char		*name;
	struct role_req	*reqs;
	size_t		 nreqs;
	int		 line;
};

struct roles {
	char		*path;
	struct job_role	*roles;
	size_t		 nroles;
	char		 sha256[SHA256_HEX_LEN + 1];
};

struct roles	*roles_parse(const char *, const char *, size_t,
		    struct diaglist *);
int		 roles_check(const struct roles *, const struct framework *,
		    struct diaglist *);
void		 roles_free(struct roles *);

/* store-account.c: organisations, users, password links, audit log. */
struct vc_trust;
struct role_grant {
	int		 role;
	long long	 scope;		/* org id, 0 for none */
};

struct account_new {
	const char	*name;
	const char	*email;
	const char	*org_code;
	const char	*roles;		/* "learner;hr@org-code" */
	int		 demo;
};

int		 org_find(struct db *, const char *, long long *, char *,
		    size_t, struct fail *);
int		 org_create(struct db *, const char *, const char *,
		    const char *, int, long long *, struct fail *);
int		 account_create(struct db *, const struct account_new *,
		    long long *, struct fail *);
int		 account_set_roles(struct db *, long long, const char *,
		    struct fail *);
int		 account_by_email(struct db *, const char *, long long *,
		    struct fail *);
int		 account_in_scope(struct db *, long long, const char *,
		    struct fail *);
int		 account_set_active(struct db *, long long, int,
		    struct fail *);
int		 account_password_link(struct db *, long long, int,
		    char [AUTH_TOKEN_LEN + 1], struct fail *);
int		 account_password_use(struct db *, const char *,
		    const char *, long long *, struct fail *);
int		 account_password_who(struct db *, const char *, char *,
		    size_t, struct fail *);
int		 login_wait(struct db *, const char *, const char *, int *,
		    struct fail *);
int		 login_failed(struct db *, const char *, const char *,
		    struct fail *);
int		 login_succeeded(struct db *, const char *, const char *,
		    struct fail *);
/* The set-password links an import made, to print (no relay). */
struct import_link {
	char	*email;
	char	 token[AUTH_TOKEN_LEN + 1];
};

struct import_links {
	struct import_link	*v;
	size_t			 n;
};

int		 account_import_csv(struct db *, const char *, size_t,
		    const char *, const char *, int *, struct import_links *,
		    struct diaglist *, struct fail *);
void		 import_links_free(struct import_links *);
int		 audit_append(struct db *, const char *, const char *,
		    const char *, const char *, const char *);
int		 audit_verify(struct db *, long long *, struct diaglist *,
		    struct fail *);
int		 audit_checkpoint(struct db *, int, struct fail *);
int		 audit_checkpoint_last(char **, struct fail *);
int		 audit_checkpoint_verify(struct db *, const char *,
		    struct vc_trust *, struct diaglist *, struct fail *);

/*
 * store-rows.c: rows read by a column table, a list by its descriptor
 * (store_list: held in the query's result until rows_release(), or
 * copied), a result already run (rows_held, rows_copy, row_one); the
 * choices of a select list; the shared SQL clauses.
 */
struct choice_row {
	const char	*value;
	const char	*label;
	int		 on;
};

struct choices {
	struct pg_result	*res;
	struct choice_row	*v;
	size_t			 n;
};

/* A column of a held row: where it goes in the row, and as what. */
enum row_kind {
	ROW_TEXT = 0,		/* const char *, into the result */
	ROW_DUP,		/* char *, a copy ("" for NULL) */
	ROW_COPY,		/* char [len], copied in */
	ROW_LL,			/* long long, 0 for NULL */
	ROW_INT,		/* int, 0 for NULL */
	ROW_BOOL,		/* int, 1 for 't' */
	ROW_DOUBLE,		/* double, 0 for NULL */
	ROW_U64			/* uint64_t, 0 for NULL */
};

struct row_col {
	enum row_kind	 kind;
	size_t		 off;		/* offsetof() in the row struct */
	size_t		 len;		/* ROW_COPY: the array's size */
};

#define ROW_NCOLS(cols)	(sizeof(cols) / sizeof((cols)[0]))
#define ROW_ARRAY(type, field)	ROW_COPY, offsetof(type, field), \
				sizeof(((type *)0)->field)

/*
 * A list read by one query: its SQL, the column table of its rows
 * (cols[c] is column c of the SELECT) and the size of a row.
 */
struct store_list {
	const char		*sql;
	const struct row_col	*cols;
	size_t			 ncols;
	size_t			 size;
};

#define STORE_LIST(sql, cols, type)	{ (sql), (cols), ROW_NCOLS(cols), \
					sizeof(type) }

void		*rows_hold(struct pg_result *, struct pg_result **, size_t,
		    int *);
void		*rows_load(struct pg_result *, struct pg_result **, size_t,
		    const struct row_col *, size_t, size_t *);
void		 rows_fill(struct pg_result *, void *, size_t,
		    const struct row_col *, size_t);
void		 rows_dup_free(void *, size_t, size_t, const struct row_col *,
		    size_t);
void		 rows_release(struct pg_result *, void *);
int		 store_abort(struct db *, struct fail *);

/*
 * Who sees a thing a unit may own (an edition, a role profile): owned
 * by nobody, by a unit of the subtree $n, or by a unit above it. The
 * query joins the owner's unit as "orgs o"; owner is its column.
 */
/* The measured framework's level names, lowest first, twice. */
#define SQL_MEASURED_LEVELS	"SELECT l.name, l.name FROM levels l " \
				"WHERE l.framework_id = (SELECT min(id) " \
				"FROM frameworks WHERE kind = 'measured') " \
				"ORDER BY l.rank"

#define SQL_SEEN_FROM(owner, n)	"(" owner " IS NULL OR o.path LIKE $" n \
				" || '%' OR $" n " LIKE o.path || '%')"
int		 rows_held(struct db *, struct pg_result *, struct pg_result **,
		    size_t, const struct row_col *, size_t, void *, size_t *,
		    struct fail *);
int		 rows_copy(struct db *, struct pg_result *, size_t,
		    const struct row_col *, size_t, void *, size_t *,
		    struct fail *);
int		 row_one(struct db *, struct pg_result *, void *,
		    const struct row_col *, size_t, const char *,
		    struct fail *);
int		 store_list(struct db *, const struct store_list *,
		    struct pg_result **, void *, size_t *, struct fail *, int,
		    ...);
int		 store_list_id(struct db *, const struct store_list *,
		    struct pg_result **, void *, size_t *, struct fail *,
		    long long);
void		*store_rows(struct db *, struct pg_result **, size_t *, size_t,
		    struct fail *, const char *, int, ...);
int		 choices_load(struct db *, struct pg_result *, int,
		    struct choices *, struct fail *);
void		 choices_free(struct choices *);

/*
 * store-hr.c: an HR office's staff within its scope (an org path):
 * people, one person, job roles and courses to choose, assignment.
 */
struct person {
	long long	 id;
	const char	*name;
	const char	*email;
	const char	*org;		/* the unit's name */
	int		 active;
	const char	*hours;		/* this year's, "12.5" */
	const char	*roles;		/* "admin, hr", hr_person_get() only */
};

struct people {
	struct pg_result	*res;
	struct person		*v;
	size_t			 n;
};

struct hr_assignment {
	const char	*scope;
	const char	*course;	/* slug */
	const char	*org;		/* unit code, "" with email */
	const char	*email;		/* one person, "" for the unit */
	const char	*due;		/* YYYY-MM-DD or NULL */
	long long	 by;		/* the HR user */
	const char	*actor;		/* their email, for the audit */
	const char	*ip;
};

int	 hr_people_find(struct db *, const char *, const char *,
	    const char *, struct people *, struct fail *);
int	 hr_person_get(struct db *, const char *, long long,
	    struct people *, struct fail *);
int	 people_load(struct db *, struct pg_result *, int, const char *,
	    struct people *, struct fail *);
void	 people_free(struct people *);
int	 hr_course_choices(struct db *, struct choices *, struct fail *);
int	 hr_org_choices(struct db *, const char *, struct choices *,
	    struct fail *);
int	 hr_job_role_choices(struct db *, const char *, long long,
	    struct choices *, struct fail *);
int	 hr_assign(struct db *, const struct hr_assignment *, int *,
	    struct fail *);

/*
 * store-roles.c: role profiles within an HR scope: the list, one role,
 * the CSV rows, saving a unit's profile, giving profiles to people.
 */
struct role_row {
	const char	*code;
	const char	*name;
	const char	*owner;		/* unit's name, "" for the programme */
	const char	*reqs;		/* "ACC.1 base, ACC.2 intermedio" */
	long long	 people;	/* holders in the scope */
};

struct role_list {
	struct pg_result	*res;
	struct role_row		*v;
	size_t			 n;
};

struct role_line {
	const char	*code;
	const char	*name;		/* "" after a role's first line */
	const char	*competence;
	const char	*level;
};

struct role_lines {
	struct pg_result	*res;
	struct role_line	*v;
	size_t			 n;
};

struct role_assignment {
	const char	*scope;
	long long	 person;	/* role_assign() */
	const char	*role;		/* role_assign(): the code */
	int		 add;		/* role_assign(): 0 takes it away */
	long long	 by;
	const char	*actor;		/* email, for the audit */
	const char	*ip;
	enum lang	 lang;		/* of role_import()'s messages */
};

int	 roles_list(struct db *, const char *, struct role_list *,
	    struct fail *);
int	 role_find(struct db *, const char *, const char *, char *, size_t,
	    int *, struct fail *);
int	 role_requirements(struct db *, const char *, struct choices *,
	    struct fail *);
int	 roles_csv(struct db *, const char *, struct role_lines *,
	    struct fail *);
int	 role_save(struct db *, const struct roles *, long long,
	    const char *, const char *, struct diaglist *, struct fail *);
int	 role_assign(struct db *, const struct role_assignment *,
	    struct fail *);
int	 role_import(struct db *, const struct role_assignment *,
	    struct csv *, int, int *, struct diaglist *, struct fail *);

/*
 * store-admin.c: the administrators' reads (counts, users, one user,
 * the organisation tree, the audit log) and writes (users, units), each
 * write with its audit row.
 */
struct admin_counts {
	long long	 users;
	long long	 active;
	long long	 orgs;
	char		 audit[32];	/* the audit log's last id */
};

struct org_row {
	const char	*code;
	const char	*name;
	const char	*kind;		/* region, partner, agency, office */
	long long	 users;
};

struct org_list {
	struct pg_result	*res;
	struct org_row		*v;
	size_t			 n;
};

struct audit_row {
	const char	*id;
	const char	*at;		/* the database's timestamp */
	const char	*actor;
	const char	*event;
	const char	*subject;
	const char	*details;
	const char	*ip;
};

struct audit_rows {
	struct pg_result	*res;
	struct audit_row	*v;
	size_t			 n;
};

/* Who changes something, for the audit row. */
struct admin_act {
	const char	*actor;		/* email */
	const char	*ip;
};

int	 admin_counts(struct db *, struct admin_counts *, struct fail *);
int	 account_list(struct db *, const char *, struct people *,
	    struct fail *);
int	 account_get(struct db *, long long, struct people *, struct fail *);
int	 org_list(struct db *, int, struct org_list *, struct fail *);
int	 audit_list(struct db *, int, struct audit_rows *, struct fail *);
int	 account_add(struct db *, const struct account_new *,
	    const struct admin_act *, long long *, char [AUTH_TOKEN_LEN + 1],
	    struct fail *);
int	 account_change(struct db *, long long, const char *, const char *,
	    const struct admin_act *, char [AUTH_TOKEN_LEN + 1],
	    struct fail *);
int	 org_save(struct db *, int, const char *, const char *, const char *,
	    const struct admin_act *, struct buf *, struct fail *);

/*
 * store-profile.c: competence profiles, the explanation of a level,
 * the rating form's lists, trainers' ratings.
 */
#define PROFILE_ANSWERS_MAX	200	/* answers an explanation lists */
#define RATINGS_MAX		50	/* ratings the form lists */

struct profile_row {
	const char	*code;
	const char	*name;
	int		 required;	/* rank, 0: not required */
	int		 achieved;	/* rank, 0: none */
	const char	*required_name;	/* "" when not required */
	const char	*achieved_name;	/* "" when none */
	int		 by_rating;	/* else by the rule over answers */
	int		 by_placement;	/* the placement test's verdicts */
	const char	*items;		/* answers counted */
	const char	*correct;	/* right among them */
	const char	*courses;	/* "slug\ttitle" lines; NULL: no gap */
};

struct profile {
	struct pg_result	*roles_res;
	const char		*roles;	/* job roles held, "" for none */
	struct choices		 levels;
	struct pg_result	*res;
	struct profile_row	*v;
	size_t			 n;
};

struct explain_level {
	const char	*level;
	int		 items;
	int		 ok;
	int		 met;
	int		 reached;
	int		 placed;	/* met by a placement verdict */
};

struct rating_row {
	const char	*at;		/* YYYY-MM-DD HH24:MI */
	const char	*level;
	const char	*note;
	const char	*who;		/* the rater; in ratings_given the rated */
	const char	*code;		/* competence */
};

struct explain_answer {
	const char	*at;		/* YYYY-MM-DD HH24:MI */
	const char	*module;
	const char	*slug;
	const char	*question;
	const char	*level;
	int		 correct;
	int		 counts;	/* the last answer to its question */
};

struct explanation {
	struct pg_result	*res;
	const char		*name;
	const char		*description;
	const char		*area;
	const char		*level;		/* "" for none */
	int			 by_rating;
	int			 by_placement;
	const char		*computed;	/* YYYY-MM-DD HH24:MI or "" */
	const char		*person;
	struct pg_result	*levels_res;
	struct explain_level	*levels;
	size_t			 nlevels;
	struct pg_result	*ratings_res;
	struct rating_row	*ratings;
	size_t			 nratings;
	struct pg_result	*answers_res;
	struct explain_answer	*answers;
	size_t			 nanswers;
};

struct ratings {
	struct pg_result	*res;
	struct rating_row	*v;
	size_t			 n;
};

struct rating_new {
	const char	*scope;		/* the trainer's org path */
	const char	*email;		/* the person rated */
	const char	*competence;
	const char	*level;
	const char	*note;
	long long	 by;
	const char	*actor;
	const char	*ip;
};

int	 profile_levels(struct db *, struct choices *, struct fail *);
int	 profile_competences(struct db *, struct choices *, struct fail *);
int	 profile_get(struct db *, long long, struct profile *, struct fail *);
void	 profile_free(struct profile *);
int	 profile_explain(struct db *, long long, const char *,
	    struct explanation *, struct fail *);
void	 explanation_free(struct explanation *);
int	 ratings_given(struct db *, long long, struct ratings *,
	    struct fail *);
int	 rating_add(struct db *, const struct rating_new *, struct fail *);

/* diff.c: line differences between two versions of a text. */
enum diff_op {
	DIFF_SAME = 0,
	DIFF_DEL,
	DIFF_ADD
};

struct diff_line {
	enum diff_op	 op;
	char		*text;
	int		 old_no;	/* 0 for added lines */
	int		 new_no;	/* 0 for removed lines */
};

struct diff {
	struct diff_line	*lines;
	size_t			 n;
	size_t			 added;
	size_t			 removed;
};

void	 diff_lines(struct diff *, const char *, const char *);
void	 diff_free(struct diff *);

/* form.c: application/x-www-form-urlencoded bodies. */
struct form_field {
	char	*name;
	char	*value;
};

struct form {
	struct form_field	*f;
	size_t			 n;
};

int		 form_parse(struct form *, const char *, size_t, struct buf *);
const char	*form_get(const struct form *, const char *);
void		 form_free(struct form *);

/* store-learning.c: enrolment, reading, attempts, completion, hours. */
struct attempt_result {
	char		 id[32];
	int		 already;	/* submitted before: nothing changed */
	double		 score;
	double		 max_score;
	double		 percent;
	int		 passed;
	int		 course_completed;
	int		 bad_question;	/* 1-based, the one at fault; 0 */
};

struct attempt_view {
	char		 id[32];
	char		 version[32];
	char		 course_slug[SLUG_MAX + 1];
	char		 course_title[4 * TITLE_MAX + 1];
	char		 module_title[4 * TITLE_MAX + 1];
	char		 module_slug[SLUG_MAX + 1];
	char		 form_key[QUIZ_KEY_HEX + 1];
	uint64_t	 seed;
	int		 submitted;
	int		 number;
	double		 score;		/* once submitted */
	double		 max_score;
	double		 percent;
	int		 passed;
	int		 pass_percent;
	enum review	 review;
	int		 passed_any;	/* this quiz passed in this course */
	int		 used;		/* attempts submitted */
	int		 max_attempts;	/* 0: no limit */
};

int	 learn_load_quiz(struct db *, const char *, struct quiz *,
	    struct fail *);
int	 learn_attempt_get(struct db *, const char *, long long,
	    struct attempt_view *, struct fail *);
int	 learn_attempt_answers(struct db *, const char *, const struct quiz *,
	    char **, int *, struct fail *);
int	 learn_enrol(struct db *, long long, const char *, const char *,
	    long long, const char *, int *, struct fail *);
int	 learn_read_open(struct db *, long long, const char *,
	    struct fail *);
struct read_state {
	int		 opened;	/* the server recorded an opening */
	int		 finished;
	char		 finished_at[32];
	char		 opened_at[16];	/* HH:MM */
	char		 ready_at[16];	/* HH:MM: from then "finished" counts */
	int		 ready;
	long long	 wait;		/* seconds until ready */
};

/* The learner's courses (learn_my_courses), for /learn. */
struct my_course {
	char		*slug;
	char		*title;
	char		*lang;
	char		 due[16];	/* YYYY-MM-DD, "" when none */
	int		 completed;
	int		 overdue;
	int		 total;		/* modules */
	int		 done;
	char		*next_slug;	/* first module not done, or NULL */
	char		*next_title;
};

/* One course as its learner sees it (learn_course_view), /learn/<slug>. */
struct course_module_row {
	char		*slug;
	char		*title;
	int		 minutes;
	int		 read;
	int		 nq;		/* questions */
	int		 used;		/* attempts submitted */
	char		 best[16];	/* "85%", "" when none */
	int		 done;
};

struct course_view {
	char			*title;
	int			 attempts;	/* 0: unlimited */
	int			 pass_percent;
	int			 grading_last;
	int			 completed;
	char			 due[16];
	struct course_module_row *rows;
	size_t			 n;
};

/* A submitted attempt in the learner's history (learn_history). */
struct history_row {
	char		 id[32];
	char		 at[32];	/* YYYY-MM-DD HH24:MI */
	char		*course;
	char		*module;
	int		 version_no;
	char		 sha[16];	/* the first 12 digits */
	int		 number;
	char		 score[16];	/* 9990.0 */
	char		 max[16];
	char		 percent[8];
	int		 passed;
};

int	 learn_my_courses(struct db *, long long, struct my_course **,
	    size_t *, struct fail *);
void	 learn_my_courses_free(struct my_course *, size_t);
int	 learn_hours_year(struct db *, long long, double *, struct fail *);
int	 learn_course_view(struct db *, long long, const char *,
	    struct course_view *, struct fail *);
void	 learn_course_view_free(struct course_view *);
int	 learn_version_slug(struct db *, const char *, char *, size_t,
	    struct fail *);
int	 learn_history(struct db *, long long, struct history_row **,
	    size_t *, struct fail *);
void	 learn_history_free(struct history_row *, size_t);

/* A module's reading page (learn_module_view). */
struct module_course {
	char		*slug;
	char		*title;
	int		 enrolled;
};

struct module_view {
	char			*title;
	char			*summary;
	char			*lang;
	char			*sha256;
	char			*html;
	int			 minutes;
	int			 version_no;
	int			 nq;		/* questions */
	char			 version[24];
	char			 module[24];
	struct read_state	 read;		/* signed in only */
	struct module_course	*courses;	/* signed in only */
	size_t			 ncourses;
};

int	 learn_module_view(struct db *, const char *, long long, int,
	    struct module_view *, struct fail *);
void	 learn_module_view_free(struct module_view *);
int	 learn_read_finish(struct db *, long long, const char *, int,
	    long long *, struct fail *);
int	 learn_read_state(struct db *, long long, const char *, int,
	    struct read_state *, struct fail *);

/* A credit of the hours ledger, as HR sees it. */
struct ledger_row {
	char		 date[16];	/* YYYY-MM-DD */
	long long	 user;
	char		*name;
	char		*email;
	char		*org;
	int		 course;	/* 1: course completion, 0: module */
	char		*title;
	double		 hours;
	long long	 seconds;	/* measured; -1: not recorded */
};

struct ledger {
	struct ledger_row	*rows;
	size_t			 n;
};

int	 learn_ledger(struct db *, const char *, long long, int,
	    struct ledger *, struct fail *);
void	 learn_ledger_free(struct ledger *);
int	 learn_attempt_start(struct db *, long long, const char *,
	    const char *, char *, size_t, struct fail *);
int	 learn_attempt_submit(struct db *, const char *, long long,
	    const struct form *, struct attempt_result *, struct fail *);
int	 learn_progress(struct db *, long long, long long, int *,
	    struct fail *);

/* store-author.c: what the trainers' editors read and check. */
struct owner {
	int		 exists;
	int		 programme;	/* imported: no owner */
	char		 path[256];	/* the owner unit's path */
	char		 name[256];
	int		 draft;		/* modules: a draft exists */
	char		 draft_path[256];
};

struct author_module {
	char		*slug;
	char		*title;
	int		 minutes;
	int		 programme;
	char		*owner;		/* unit's name, "" for the programme */
	int		 questions;
	int		 pool;		/* some course's assessment pool */
};

struct author_course {
	char		*slug;
	char		*title;
	int		 programme;
	char		*owner;
	int		 editable;
	int		 modules;
};

int	 author_owner(struct db *, int, const char *, struct owner *,
	    struct fail *);
int	 author_modules(struct db *, struct author_module **, size_t *,
	    struct fail *);
void	 author_modules_free(struct author_module *, size_t);
int	 author_courses(struct db *, const char *, int,
	    struct author_course **, size_t *, struct fail *);
void	 author_courses_free(struct author_course *, size_t);
int	 author_course_source(struct db *, const char *, char **,
	    struct fail *);
int	 author_levels(struct db *, char ***, size_t *, struct fail *);
int	 author_module_quiz(struct db *, const char *, struct quiz *,
	    struct fail *);
int	 author_check_course(struct db *, const struct course *,
	    struct diaglist *, struct fail *);
int	 author_module_source(struct db *, const char *, int, char **,
	    struct fail *);

struct author_version {
	int		 no;
	const char	*at;		/* YYYY-MM-DD HH24:MI */
	const char	*sha256;
	int		 web;		/* from the web editor, not imported */
	const char	*author;	/* "-": none */
	int		 current;
};

struct author_versions {
	struct pg_result	*res;
	struct author_version	*rows;
	size_t			 n;
};

struct author_entry {
	const char	*slug;
	const char	*title;
	const char	*version;	/* "-": a draft never published */
	const char	*owner;		/* the unit's name, "": the programme */
	int		 draft;
	int		 editable;
};

struct author_entries {
	struct pg_result	*res;
	struct author_entry	*rows;
	size_t			 n;
};

int	 author_versions(struct db *, const char *, struct author_versions *,
	    struct fail *);
void	 author_versions_free(struct author_versions *);
int	 author_list(struct db *, const char *, int, struct author_entries *,
	    struct fail *);
void	 author_list_free(struct author_entries *);
int	 author_version_source(struct db *, const char *, const char *,
	    char **, char *, struct fail *);
int	 author_save_draft(struct db *, const char *, long long, long long,
	    const char *, struct fail *);
int	 author_publish(struct db *, struct module *, const char *,
	    const char *, struct diaglist *, struct fail *);
int	 author_course_publish(struct db *, struct course *, const char *,
	    const char *, struct diaglist *, struct fail *);

/* jcs.c: JSON Canonicalization Scheme (RFC 8785) over jansson. */
struct json_t;

int		 jcs_canonicalize(struct buf *, struct json_t *);
int		 jcs_number(struct buf *, double);
void		 jcs_quote(struct buf *, const char *, size_t, int);
struct json_t	*jcs_parse(const char *, size_t, struct buf *);

/* multibase.c: base58btc, base64url and Ed25519 Multikeys. */
void		 base58_encode(struct buf *, const unsigned char *, size_t);
int		 base58_decode(const char *, unsigned char *, size_t,
		    size_t *);
void		 multikey_public(struct buf *, const unsigned char [32]);
void		 multikey_secret(struct buf *, const unsigned char [32]);
int		 multikey_public_decode(const char *, unsigned char [32]);
int		 multikey_secret_decode(const char *, unsigned char [32]);
void		 multibase_base64url(struct buf *, const unsigned char *,
		    size_t);
unsigned char	*multibase_base64url_decode(const char *, size_t *);

/* status.c: Bitstring Status List encoding. */
#define STATUS_LIST_BITS	131072
#define STATUS_LIST_BYTES	(STATUS_LIST_BITS / 8)

unsigned char	*status_gzip(const unsigned char *, size_t, size_t *);
int		 status_gunzip(const unsigned char *, size_t,
		    unsigned char *, unsigned long *);
char		*status_encode(const long *, size_t);

/* vc.c: Data Integrity proofs (eddsa-jcs-2022) and credential checks. */
struct vc_key {
	unsigned char	 pk[32];
	unsigned char	 sk[64];
	unsigned char	 seed[32];
	char		 public_mb[64];
	int		 has_secret;
};

#define VC_MALFORMED		0x01
#define VC_BAD_SIGNATURE	0x02
#define VC_CONTEXT_BAD		0x04
#define VC_UNKNOWN_KEY		0x08
#define VC_NOT_YET_VALID	0x10
#define VC_EXPIRED		0x20
#define VC_REVOKED		0x40
#define VC_STATUS		0x80	/* the status list could not be read */
#define VC_UNKNOWN_ISSUER	0x100	/* no controller document trusted */
#define VC_CONTROLLER		0x200	/* the key is not the issuer's */

struct vc_result {
	int		 flags;		/* 0: valid */
	struct buf	 reasons;	/* one per line */
	char		*issuer;
	char		*name;		/* the issuer's name */
	char		*vm;
	char		*status_list;
	long		 status_index;
	int		 status_checked;
	struct json_t	*doc;
};

struct vc_trust;

void		 vc_key_generate(struct vc_key *);
void		 vc_key_from_seed(struct vc_key *, const unsigned char [32]);
void		 vc_key_did(const struct vc_key *, struct buf *);
char		*vc_key_json(const struct vc_key *);
int		 vc_key_parse(const char *, size_t, struct vc_key *,
		    struct buf *);
int		 vc_did_key(const char *, unsigned char [32]);
int		 vc_sign(struct json_t *, const struct vc_key *, const char *,
		    const char *, struct buf *);
int		 vc_datetime(const char *, time_t *);
int		 vc_datetime_valid(const char *);
void		 vc_datetime_format(time_t, char [32]);
int		 vc_status_bit(const char *, size_t, const char *, long,
		    const char *, const char *, struct vc_trust *, int *,
		    struct vc_result *);
void		 vc_verify(const char *, size_t, time_t, struct vc_trust *,
		    const char *, size_t, struct vc_result *);
void		 vc_verify_proof(const char *, size_t, struct vc_trust *,
		    struct vc_result *);
void		 vc_result_free(struct vc_result *);

/* trust.c: the controller documents a verifier believes. */
struct vc_trust {
	struct json_t	*docs;
	int		(*fetch)(const char *, struct buf *, struct buf *,
			    void *);
	void		*fetch_arg;
};

struct vc_issuer_key {
	int		 id;
	const char	*public_mb;
	const char	*retired;	/* NULL or "" when active */
};

void		 vc_trust_init(struct vc_trust *);
void		 vc_trust_free(struct vc_trust *);
int		 vc_trust_add(struct vc_trust *, const char *, size_t,
		    struct buf *);
int		 vc_trust_key(struct vc_trust *, const char *, const char *,
		    unsigned char [32], struct buf *);
char		*vc_controller_doc(const char *, const char *, const char *,
		    const struct vc_issuer_key *, size_t);

/* pdf.c: the PDF certificate; pdfattach.c: its embedded file read back. */
#define PDF_ATTACH_MAX	(256 * 1024)

struct pdf_cert {
	const char	*id;
	const char	*learner;
	const char	*title;		/* the badge's name */
	const char	*course;
	const char	*date;
	const char	*hours;
	const char	*issuer;
	const char	*url;		/* the public verification page */
	const char	*revoked_date;	/* NULL when valid */
	const char	*revoked_reason;
	const char	*credential;	/* the signed JSON */
	const char	*root;		/* where node_modules/ is */
	const char	*tmp_dir;
};

int	 pdf_certificate(const struct pdf_cert *, struct buf *, struct buf *);
int	 pdf_attachment(const char *, size_t, struct buf *, struct buf *);

/* qr.c: QR codes as inline SVG. */
int	 qr_svg(struct buf *, const char *, const char *);

/* store-jobs.c: the job queue in PostgreSQL. */
struct job_handler {
	const char	*kind;
	int		(*run)(struct db *, const char *, struct fail *);
};

int	 jobs_run_one(struct db *, int *, struct fail *);
int	 jobs_drain(struct db *, int, int *, struct fail *);
int	 jobs_drain_mail(struct db *, int, int *, struct fail *);

/* store-badge.c: issuing, revoking and verifying badges; issuer keys. */
int	 job_badge(struct db *, const char *, struct fail *);
int	 badge_key_new(struct db *, int *, struct fail *);
int	 badge_key_active(struct db *, struct vc_key *, int *, struct fail *);
int	 badge_sign(struct json_t *, const struct vc_key *, const char *, int,
	    struct fail *);
int	 badge_init(struct db *, int *, struct fail *);
int	 badge_status_publish(struct db *, struct fail *);
int	 badge_revoke(struct db *, const char *, long long, const char *,
	    const char *, const char *, struct fail *);
struct badge_view {
	char		*credential;
	char		*learner;
	char		*name;
	char		*date;		/* YYYY-MM-DD */
	double		 hours;
	char		*course;
	int		 revoked;
	char		*reason;
	char		*revoked_date;	/* YYYY-MM-DD, "" when valid */
	int		 public;
	long long	 user_id;
	char		*org_path;	/* the learner's unit */
};

struct badge_row {
	char		 id[40];
	char		*name;
	char		 date[16];
	int		 revoked;
	char		*reason;
	char		 revoked_date[16];
	int		 public;
};

int	 badge_get(struct db *, const char *, struct badge_view *,
	    struct fail *);
void	 badge_view_free(struct badge_view *);
int	 badge_set_public(struct db *, const char *, long long, int,
	    struct fail *);
int	 badge_list_user(struct db *, long long, struct badge_row **, int *,
	    struct fail *);
void	 badge_rows_free(struct badge_row *, int);
int	 badge_issuer_doc(struct db *, char **, struct fail *);
int	 badge_trust(struct db *, struct vc_trust *, struct fail *);
int	 badge_reissue(struct db *, int *, struct fail *);
void	 badge_verify(struct db *, const char *, size_t, time_t,
	    struct vc_result *);

struct issuer_badge {
	const char	*id;
	const char	*learner;
	const char	*name;		/* the course's badge */
	const char	*date;		/* issued, YYYY-MM-DD */
	int		 revoked;
	const char	*reason;	/* why revoked, "" */
};

struct issuer_badges {
	struct pg_result	*res;
	struct issuer_badge	*rows;
	size_t			 n;
};

int	 badge_status_credential(struct db *, char **, struct fail *);
int	 badge_issuer_list(struct db *, const char *, struct issuer_badges *,
	    struct fail *);
void	 badge_issuer_list_free(struct issuer_badges *);
int	 badge_revoke_in(struct db *, const char *, const char *, long long,
	    const char *, const char *, const char *, struct fail *);

/* fetch.c: other issuers' controller documents, from allow-listed
 * origins only (libcurl; timeout, size limit, same-host redirects). */
int	 issuer_fetch(const char *, struct buf *, struct buf *, void *);
int	 issuer_allowed(const char *, const char *);

/*
 * oidc.c: OpenID Connect relying party checks, no network (README.md,
 * "Signing in with an identity provider"). A provider is configured by
 * "oidc.NAME.KEY = value" lines of conf/capacita.conf.
 */
#define OIDC_LEEWAY		60	/* seconds of clock skew allowed */
#define OIDC_IAT_MAX		600	/* older ID tokens are refused */

enum oidc_err {
	OIDC_OK = 0,
	OIDC_MALFORMED,
	OIDC_ALG,		/* none, HS*, unknown, or the wrong key type */
	OIDC_KID,		/* the key is not in the JWKS */
	OIDC_SIGNATURE,
	OIDC_ISSUER,
	OIDC_AUDIENCE,
	OIDC_EXPIRED,
	OIDC_IAT,
	OIDC_NONCE,
	OIDC_SUBJECT,
	OIDC_ERR_MAX
};

struct oidc_provider {
	char			*name;		/* [a-z0-9-], in URLs */
	char			*label;		/* on the sign-in button */
	char			*issuer;
	char			*client_id;
	char			*secret_file;
	char			*client_secret;
	char			*scopes;
	char			*redirect_uri;
	char			*claim_email;
	char			*claim_email_verified;
	char			*claim_name;
	char			*claim_fiscal;
	char			*claim_unit;	/* NULL: no unit claim */
	char			*claim_roles;	/* NULL: no role claim */
	char			*link;		/* "fiscal_code email" */
	char			*userinfo;	/* "yes", "no"; NULL: if offered */
	char			*unit_map;	/* "value=org-code; ..." */
	char			*role_map;	/* "value=role; ..." */
	struct oidc_provider	*next;
};

struct oidc_discovery {
	char	*issuer;
	char	*authorization_endpoint;
	char	*token_endpoint;
	char	*jwks_uri;
	char	*end_session_endpoint;	/* NULL: no RP-initiated logout */
	char	*userinfo_endpoint;	/* NULL: the provider has none */
};

struct oidc_identity {
	char	 *subject;
	char	 *email;
	int	  email_verified;
	char	 *name;
	char	 *fiscal_code;		/* normalised, NULL if absent */
	char	 *unit;
	char	**groups;
	size_t	  ngroups;
};

const char	*oidc_err_name(int);
void		 oidc_pkce_challenge(const char *, char [AUTH_TOKEN_LEN + 1]);
void		 oidc_auth_url(struct buf *, const struct oidc_provider *,
		    const char *, const char *, const char *, const char *);
void		 oidc_logout_url(struct buf *, const struct oidc_provider *,
		    const char *, const char *, const char *);
int		 oidc_discovery_parse(const char *, size_t, const char *,
		    struct oidc_discovery *, struct buf *);
void		 oidc_discovery_free(struct oidc_discovery *);
int		 oidc_token_parse(const char *, size_t, char **, char **,
		    struct buf *);
int		 oidc_verify(const char *, size_t, const char *,
		    const struct oidc_provider *, const char *, time_t,
		    struct oidc_identity *, struct buf *);
int		 oidc_userinfo_merge(const char *, size_t,
		    const struct oidc_provider *, struct oidc_identity *,
		    struct buf *);
void		 oidc_identity_free(struct oidc_identity *);
char		*oidc_fiscal_code(const char *);
const char	*oidc_map(const char *, const char *, char *, size_t);

/* mime.c: e-mail messages (RFC 5322, MIME, quoted-printable). */
struct mime_msg {
	const char	*from;		/* addr-spec */
	const char	*from_name;
	const char	*to;		/* addr-spec */
	const char	*subject;	/* UTF-8 */
	time_t		 date;
	const char	*message_id;	/* local@domain, without <> */
	const char	*text;		/* UTF-8, LF lines */
	const char	*html;
	const char	*unsubscribe;	/* List-Unsubscribe URL, or NULL */
};

void	 mime_qp(struct buf *, const char *);
void	 mime_date(time_t, char [40]);
int	 mime_message(struct buf *, const struct mime_msg *);
void	 mime_date_long(enum lang, const char *, char *, size_t);

/*
 * httpc.c: outgoing HTTP (identity providers) and SMTP (the relay)
 * through libcurl, bounded in time and size; called from task threads.
 */
void	 httpc_init(void);
int	 httpc_get(const char *, const char *, size_t, struct buf *, long *,
	    struct buf *);
int	 httpc_post_form(const char *, const char *, const char *,
	    const char *, size_t, struct buf *, long *, struct buf *);
int	 smtp_send(const char *, const char *, const char *, size_t,
	    struct buf *);

/* idp.c: discovery, keys and the token endpoint, cached per process. */
#define IDP_OK			0
#define IDP_UNREACHABLE		1	/* network, timeout, 5xx, bad doc */
#define IDP_REFUSED		2	/* the code or the ID token */

int	 idp_discover(const struct oidc_provider *, struct oidc_discovery *,
	    struct buf *);
int	 idp_sign_in(const struct oidc_provider *, const char *, const char *,
	    const char *, struct oidc_identity *, char **, char **,
	    struct buf *);

/* store-identity.c: pending sign-ins, identities linked to accounts. */
struct oidc_pending {
	char	provider[64];
	char	nonce[AUTH_TOKEN_LEN + 1];
	char	verifier[AUTH_TOKEN_LEN + 1];
	char	next[512];
};

int	 oidc_state_save(struct db *, const char *, const char *,
	    const char *, const char *, const char *, struct fail *);
int	 oidc_state_take(struct db *, const char *, struct oidc_pending *,
	    struct fail *);
int	 identity_sign_in(struct db *, const struct oidc_provider *,
	    const struct oidc_identity *, long long *, const char **,
	    struct fail *);
int	 session_logout_url(struct db *, const char *, char **,
	    struct fail *);

/* store-mail.c: messages queued with their event, sent by a job. */
int	 mail_enabled(void);
int	 mail_queue(struct db *, const char *, const char *, const char *,
	    struct fail *);
int	 mail_queue_id(struct db *, long long, const char *, const char *,
	    struct fail *);
int	 mail_reminders_due(struct db *, struct fail *);
int	 job_mail(struct db *, const char *, struct fail *);
int	 mail_unsubscribe(struct db *, const char *, struct fail *);
int	 mail_reminders_set(struct db *, long long, int, struct fail *);
int	 mail_reminders_get(struct db *, long long, int *, struct fail *);
int	 account_set_lang(struct db *, long long, const char *,
	    struct fail *);

/* settings.c: conf/capacita.conf, overridden by CAPACITA_* variables. */
struct settings {
	char		*dsn;
	char		*dsn_read;	/* a streaming replica, or NULL */
	char		*proxy_addresses;	/* trusted for X-Forwarded-* */
	char		*base_url;
	char		*site_name;
	char		*root;
	char		*var_dir;
	char		*port_file;
	int		 import_at_start;
	int		 tls_proxy;
	char		*keys_dir;
	char		*trusted_issuers;	/* origins, or NULL */
	char		*audit_file;	/* signed checkpoints of the audit log */
	int		 base_url_auto;	/* not configured: follows the port */
	int		 issuer_url_auto;
	char		*issuer_id;	/* base_url + "/issuer" */
	char		*issuer_name;
	char		*issuer_url;
	int		 read_min_percent;	/* of a module's minutes */
	int		 local_passwords;	/* 0: providers only */
	struct oidc_provider *providers;
	char		*smtp_host;		/* NULL: no mail is sent */
	int		 smtp_port;
	char		*smtp_security;		/* starttls, tls, none */
	char		*smtp_user;
	char		*smtp_password_file;
	char		*smtp_password;
	char		*mail_from;
	int		 reminder_days;		/* before a deadline */
	char		*timezone;		/* of shown times; PGTZ */
};

#define TIMEZONE_DEFAULT	"Europe/Rome"
#define TIMEZONE_DIR		"/usr/share/zoneinfo"

/*
 * A module counts as read only this share (%) of its declared minutes
 * after its first opening, measured on the server (read_min_percent).
 */
#define READ_MIN_PERCENT	50

extern struct settings	settings;

int	 settings_load(const char *, struct diaglist *);
int	 settings_kv_next(char **, int *, const char *, const char *,
	    char **, char **, int *, struct diaglist *);
void	 settings_port(int);
int	 settings_proxy_trusted(const char *);
const struct oidc_provider *settings_provider_find(const char *);

/*
 * stats.c: the statistics of the impact report (README.md, "Impact
 * evaluation"): means, variances, quantiles, Student's t, intervals,
 * Hake's gain, a seeded percentile bootstrap.
 */
#define STATS_LEVEL		0.95	/* confidence level of intervals */
#define STATS_BOOTSTRAP		2000	/* bootstrap resamples */
#define STATS_SEED		20250611ULL	/* bootstrap seed, fixed */

struct stats_box {
	size_t		 n;
	double		 min;
	double		 q1;
	double		 median;
	double		 q3;
	double		 max;
};

struct stats_group {
	size_t		 n;		/* people with both measures */
	double		 mean_first;
	double		 mean_second;
	double		 mean_change;
	double		 sd_change;
	double		 ci_lo;		/* t interval of the mean change */
	double		 ci_hi;
	double		 gain;		/* Hake's gain on the group's means */
	double		 gain_mean;	/* mean of the individual gains */
	size_t		 n_gain;	/* people counted in gain_mean */
};

struct stats_did {
	double		 estimate;
	double		 lo;
	double		 hi;
	double		 se;		/* sd of the bootstrap values */
	int		 resamples;
};

struct stats_rng {
	uint64_t	 s[4];
};

double	 stats_mean(const double *, size_t);
double	 stats_var(const double *, size_t);
double	 stats_sd(const double *, size_t);
void	 stats_sort(double *, size_t);
double	 stats_quantile(const double *, size_t, double);
void	 stats_box(double *, size_t, struct stats_box *);
double	 stats_t_cdf(double, double);
double	 stats_t_quantile(double, double);
int	 stats_mean_ci(const double *, size_t, double, double *, double *);
double	 stats_hake_gain(double, double);
void	 stats_group(struct stats_group *, const double *, const double *,
	    size_t, double);
void	 stats_rng_seed(struct stats_rng *, uint64_t);
uint64_t stats_rng_next(struct stats_rng *);
size_t	 stats_rng_index(struct stats_rng *, size_t);
int	 stats_bootstrap_did(const double *, size_t, const double *, size_t,
	    int, uint64_t, double, struct stats_did *);

/*
 * placement.c: the adaptive placement test (per competence, Bayes on
 * a staircase of levels) and the order of the personal plan.
 */
#define PLACEMENT_SLIP		0.1	/* chance that one who knows errs */
#define PLACEMENT_CONFIDENCE	0.95	/* a level this likely ends a test */
#define PLACEMENT_MIN		2	/* questions per competence, least */
#define PLACEMENT_MAX		9	/* questions per competence, most */
#define PLACEMENT_POOL		3	/* questions a level it is made for */
#define PLACEMENT_LEVELS_MAX	16

struct placement_item {			/* a question of the pool */
	long long	 id;
	int		 level;		/* rank 1..L */
	double		 guess;		/* placement_guess() */
	int		 asked;		/* in this test */
	int		 seen;		/* in the person's last test */
};

struct placement_answer {
	int		 level;
	double		 guess;
	int		 correct;
};

struct placement_state {
	int		 nlevels;
	double		 post[PLACEMENT_LEVELS_MAX + 1];
	int		 current;	/* the staircase's level */
	int		 asked;
	int		 level;		/* the most likely level, 0: none */
	double		 confidence;	/* its probability */
};

double	 placement_guess(enum quiz_type, size_t);
void	 placement_init(struct placement_state *, int);
void	 placement_update(struct placement_state *, int, double, int);
int	 placement_stopped(const struct placement_state *);
long	 placement_next(const struct placement_state *,
	    const struct placement_item *, size_t);
void	 placement_replay(struct placement_state *, int,
	    const struct placement_answer *, size_t);
int	 placement_pool_ok(const struct placement_item *, size_t, int);

#define PLAN_GAPS_MAX		32

struct plan_gap {
	const char	*competence;
	int		 required;	/* rank */
	int		 reached;	/* rank, 0: none */
};

struct plan_claim {
	const char	*competence;
	int		 rank;		/* the level the course certifies */
};

struct plan_course {
	const struct plan_claim	*claims;
	size_t			 nclaims;
	double			 hours;
	int			 pinned;	/* by HR */
	int			 removed;	/* by HR */
	int			 completed;	/* by the person */
};

struct plan_item {
	size_t		 course;	/* index into the courses */
	size_t		 gaps[PLAN_GAPS_MAX];	/* indexes into the gaps */
	size_t		 ngaps;
	size_t		 first_gap;	/* its largest gap, ngaps: none */
	int		 size;		/* that gap's size in levels */
	int		 fits;		/* within the hours left this year */
};

size_t	 plan_build(struct plan_gap *, size_t, const struct plan_course *,
	    size_t, double, struct plan_item *, size_t);

/* store-placement.c: the placement test's and the plan's records. */
struct placement_area {
	char		 code[FW_CODE_MAX + 1];
	char		 name[4 * TITLE_MAX + 1];
	int		 competences;
	int		 questions;
	char		 last[32];	/* last finished, ISO; "" none */
	int		 done;		/* finished tests */
	long long	 open;		/* an unfinished test, 0 none */
};

struct placement_view {
	long long	 id;
	long long	 user;
	char		 area[FW_CODE_MAX + 1];
	char		 area_name[4 * TITLE_MAX + 1];
	char		 phase[8];	/* first, final */
	char		 form_key[QUIZ_KEY_HEX + 1];
	uint64_t	 seed;
	long long	 question;	/* being asked, 0: finished */
	char		 started[32];
	char		 finished[32];
	int		 answered;
};

struct placement_row {			/* a result per competence */
	char		 code[FW_CODE_MAX + 1];
	char		 name[4 * TITLE_MAX + 1];
	int		 rank;		/* 0: none */
	char		 level[FW_CODE_MAX + 1];
	double		 confidence;
	int		 questions;
	int		 first_rank;	/* the first test's, -1 none */
	char		 first_level[FW_CODE_MAX + 1];
	char		 now[FW_CODE_MAX + 1];	/* the level the rule gives */
};

struct placement_evidence {
	char		 at[32];
	char		*question;
	char		 level[FW_CODE_MAX + 1];
	int		 correct;
	char		 phase[8];
};

struct placement_pair {		/* the first test beside the final check */
	char		 code[FW_CODE_MAX + 1];
	char		 name[4 * TITLE_MAX + 1];
	int		 first_rank;	/* 0: none */
	char		 first_level[FW_CODE_MAX + 1];	/* "": none */
	char		 first_at[16];	/* YYYY-MM-DD */
	int		 final_rank;	/* -1: no final check yet */
	char		 final_level[FW_CODE_MAX + 1];
	char		 final_at[16];	/* YYYY-MM-DD, "" none */
};

struct placement_gain {		/* the pairs of a competence in a subtree */
	char		 code[FW_CODE_MAX + 1];
	char		 name[4 * TITLE_MAX + 1];
	int		 n;		/* people with both tests */
	double		 first;		/* mean rank, 0: none */
	double		 final;
	int		 up;
	int		 same;
	int		 down;
};

struct plan_gap_row {
	char		 code[FW_CODE_MAX + 1];
	char		 name[4 * TITLE_MAX + 1];
	int		 required;
	int		 reached;
	char		 required_level[FW_CODE_MAX + 1];
	char		 reached_level[FW_CODE_MAX + 1];
};

struct plan_row {
	long long	 course_id;
	char		 slug[SLUG_MAX + 1];
	char		 title[4 * TITLE_MAX + 1];
	double		 hours;
	int		 in_plan;
	int		 fits;		/* within the year's hours */
	int		 enrolled;
	int		 completed;
	int		 pinned;
	int		 removed;
	char		 reason[2048];	/* HR's, for the latest change */
	char		 by[4 * TITLE_MAX + 1];
	char		 changed_at[32];
	size_t		 gaps[PLAN_GAPS_MAX];	/* into plan.gaps */
	size_t		 ngaps;
	size_t		 claim0;	/* loading only */
	size_t		 nclaims;
};

struct plan {
	int		 year;
	double		 hours_done;	/* in the ledger this year */
	double		 hours_planned;	/* of the items that fit */
	struct plan_gap_row *gaps;
	size_t		 ngaps;
	struct plan_row	*rows;		/* the plan's order, then removed */
	size_t		 n;
};

int	 placement_areas(struct db *, long long, struct placement_area **,
	    size_t *, struct fail *);
int	 placement_start(struct db *, long long, const char *, long long *,
	    struct fail *);
int	 placement_get(struct db *, long long, long long,
	    struct placement_view *, struct fail *);
int	 placement_question(struct db *, const struct placement_view *,
	    struct quiz *, struct fail *);
int	 placement_answer(struct db *, const struct placement_view *, int,
	    const struct form *, struct fail *);
int	 placement_results(struct db *, const struct placement_view *,
	    struct placement_row **, size_t *, struct fail *);
int	 placement_evidence(struct db *, long long, const char *,
	    struct placement_evidence **, size_t *, struct fail *);
void	 placement_evidence_free(struct placement_evidence *, size_t);
int	 placement_pairs(struct db *, long long, struct placement_pair **,
	    size_t *, struct fail *);
int	 placement_gains(struct db *, const char *, const char *,
	    struct placement_gain **, size_t *, struct fail *);
int	 plan_load(struct db *, long long, int, struct plan *, struct fail *);
void	 plan_free(struct plan *);
int	 plan_change(struct db *, long long, const char *, const char *,
	    const char *, long long, const char *, const char *,
	    struct fail *);
#define PLAN_CSV_PEOPLE_MAX	5000	/* people in one plans CSV */
int	 plan_people(struct db *, const char *, long long **, size_t *,
	    struct fail *);
struct plan_person {
	char		 name[4 * TITLE_MAX + 1];
	char		 email[320];
};
int	 plan_person(struct db *, long long, struct plan_person *,
	    struct fail *);

/*
 * xapi.c: learning records as xAPI statements, 2.0 or 1.0.3; one row of
 * store-impact.c's statement query is one statement.
 */
#define XAPI_VERSION		"2.0.0"
#define XAPI_VERSION_1		"1.0.3"

/* A question, for its interaction components and the responses. */
struct xapi_question {
	long long	 id;
	int		 type;		/* enum quiz_type */
	int		 truth;
	double		 number;
	double		 tolerance;
	char		**texts;	/* the options, in position order */
	int		*correct;
	size_t		 nopts;
};

struct xapi_row {
	const char	*key;		/* unique; names the statement id */
	const char	*timestamp;	/* ISO 8601, UTC */
	const char	*verb;		/* launched completed passed ... */
	long long	 user_id;
	const char	*registration;	/* enrolment id, or NULL */
	const char	*object_type;	/* course module quiz question ... */
	const char	*object_path;	/* IRI path under base_url */
	const char	*object_name;
	const char	*lang;
	const char	*interaction;	/* questions: choice, true-false ... */
	const char	*parent_type;
	const char	*parent_path;	/* NULL: no parent activity */
	const char	*parent_name;
	const char	*grouping_path;	/* the course, NULL: none */
	const char	*grouping_name;
	int		 has_score;
	double		 raw;
	double		 max;
	int		 success;	/* -1: not said */
	int		 completion;	/* -1: not said */
	const char	*response;	/* NULL: none */
	long long	 duration;	/* seconds, -1: none */
	const char	*revision;
	const char	*phase;		/* assessments: pre, retest, post */
	const struct xapi_question *question;	/* answers: the question */
	int		 answers;	/* with correctResponsesPattern */
};

void		 xapi_pseudonym(const char *, long long, char [65]);
void		 xapi_uuid(const char *, const char *, char [37]);
const char	*xapi_verb_iri(const char *, char *, size_t);
int		 xapi_verb_known(const char *);
void		 xapi_duration(long long, char *, size_t);
int		 xapi_time(const char *, char [32]);
const char	*xapi_interaction(const char *);
void		 xapi_statement(struct buf *, const struct xapi_row *,
		    const char *, const char *, const char *);
void		 xapi_choice_id(const char *, long long, size_t, char [16]);
int		 xapi_response(const struct xapi_question *, const char *,
		    const char *, struct buf *);
int		 xapi_cursor_valid(const char *);

/*
 * impact.c: the impact and funder's reports' groups and numbers from
 * the per-person rows (stats.c), and their forms for people.
 */
struct impact_sample {
	double		*first;		/* both tests, not excluded */
	double		*second;
	double		*days;
	size_t		 n;
	size_t		 cap;
	double		*did;		/* changes that enter the DiD */
	size_t		 ndid;
	size_t		 started;	/* first test, not excluded */
	size_t		 excluded;
};

struct impact_group {
	long long	 key;
	char		*label;
	struct impact_sample t;		/* treated */
	struct impact_sample c;		/* comparison */
	struct stats_group gt;
	struct stats_group gc;
	struct stats_did did;
	int		 has_did;
};

struct impact {
	struct impact_group *g;
	size_t		 n;
	struct impact_group all;
};

/* One person's row of the impact report (impact_people in SQL). */
struct impact_person {
	long long	 key;		/* edition or office id */
	const char	*label;
	int		 comparison;
	double		 first;
	double		 second;	/* NAN: no second test */
	double		 days;
	int		 excluded;
	int		 matched;	/* enters the DiD */
};

void	 impact_init(struct impact *, const char *);
void	 impact_add(struct impact *, const struct impact_person *);
void	 impact_compute(struct impact *);
void	 impact_funder_add(struct impact *, long long, const char *, double,
	    double);
void	 impact_funder_compute(struct impact *);
const struct impact_group *impact_find(const struct impact *, long long,
	    const char *);
void	 impact_free(struct impact *);
double	 impact_median_days(const struct impact_sample *);
char	*impact_fmt(char *, size_t, enum lang, double);
char	*impact_fmt_signed(char *, size_t, enum lang, double);
char	*impact_fmt_ci(char *, size_t, enum lang, double, double);
char	*impact_fmt_gain(char *, size_t, enum lang, double);
char	*impact_fmt_funder(char *, size_t, enum lang,
	    const struct impact_group *);

/*
 * store-impact.c: editions, pre/post assessments, the per-person rows
 * of the impact report and the xAPI statement query.
 */
#define IMPACT_MIN_N		5	/* smaller groups are not shown */
#define XAPI_PAGE_MAX		1000

struct impact_result {
	double		 score;
	double		 max_score;
	double		 percent;
	int		 already;
};

struct xapi_query {
	const char	*scope;		/* subtree path */
	const char	*org;		/* unit code, "" for all */
	const char	*user;		/* user id, "" for all */
	const char	*since;		/* ISO 8601, exclusive; "" for all */
	const char	*before;	/* ISO 8601, exclusive; "" for all */
	const char	*after;		/* paging cursor, "" for the start */
	const char	*version;	/* XAPI_VERSION or XAPI_VERSION_1 */
	int		 answers;	/* quiz answers' right answers */
	int		 limit;
	char		*last;		/* out: cursor of the last written */
	size_t		 lastlen;
};

/* A person's pre-, re- or post-test (numbers as the database prints). */
struct impact_test {
	char		 id[40];
	char		 version[32];
	char		 form[4];
	char		 phase[16];
	char		 course[256];
	char		 slug[96];
	char		 edition[64];	/* "" when none */
	char		 due_on[16];	/* YYYY-MM-DD */
	uint64_t	 seed;
	int		 submitted;
	int		 due;
	int		 closed;	/* course completed before it */
	char		 score[32];
	char		 max[32];
	char		 percent[32];	/* "" until submitted */
	char		 form_key[QUIZ_KEY_HEX + 1];
};

/* A retest of a comparison cohort not due yet. */
struct impact_retest {
	char		 course[256];
	char		 due_on[16];
};

struct impact_tests {
	struct impact_test	*t;
	size_t			 n;
	struct impact_retest	*r;
	size_t			 nr;
};

int	 impact_load_form(struct db *, const char *, const char *,
	    struct quiz *, struct fail *);
int	 impact_refresh(struct db *, long long, struct fail *);
int	 impact_submit(struct db *, const char *, long long,
	    const struct form *, struct impact_result *, struct fail *);
int	 impact_secret(struct db *, char *, size_t, struct fail *);
int	 store_impact_tests(struct db *, long long, struct impact_tests *,
	    struct fail *);
void	 store_impact_tests_free(struct impact_tests *);
int	 store_impact_test(struct db *, const char *, long long,
	    struct impact_test *, struct fail *);
int	 store_impact_start(struct db *, const char *, struct fail *);

/* A line of the funder's report: a course in a region, or its total. */
struct funder_row {
	long long	 course;
	char		*slug;
	char		*title;
	int		 total;		/* the course's total line */
	char		 region_id[32];	/* "" on the total */
	char		*region;
	long long	 participants;
	long long	 completions;
	char		 hours[32];	/* as the database prints it */
	char		 badges[32];
	char		 revoked[32];
};

struct funder_report {
	struct funder_row *r;
	size_t		 n;
	struct impact	 gain;		/* impact_funder_add's groups */
};

/* The impact report's selection; the course is filled by the store. */
struct impact_filter {
	const char	*scope;
	const char	*org;		/* unit code, "" for all */
	const char	*edition;	/* edition id, "" for all */
	const char	*by;		/* "edition" or "office" */
	char		 course_id[32];	/* "" when no course has a pool */
	char		 course_slug[96];
	char		 course_title[256];
};

int	 store_impact_course(struct db *, const char *, struct impact_filter *,
	    struct fail *);
int	 store_impact_people(struct db *, const struct impact_filter *,
	    const char *, struct impact *, struct fail *);
int	 store_impact_funder(struct db *, const char *, const char *,
	    struct funder_report *, struct fail *);
void	 store_impact_funder_free(struct funder_report *);
int	 store_impact_org_name(struct db *, const char *, char *, size_t,
	    struct fail *);

/*
 * store-edition.c: editions, their comparison cohorts and who is in
 * which; the courses and units of the HR pages' select lists.
 */
struct edition {
	long long	 id;
	const char	*code;
	const char	*course;	/* title */
	const char	*starts;	/* YYYY-MM-DD */
	const char	*ends;
	const char	*compares;	/* code of the compared edition, "" */
	long long	 people;	/* of the scope */
	long long	 pre_taken;
};

/* Both lists point into their query's result (store-rows.c). */
struct edition_list {
	struct edition	*e;
	size_t		 n;
	struct pg_result *res;
};

struct edition_opt {
	const char	*value;
	const char	*label;
	const char	*extra;		/* a date or a unit's kind, or "" */
};

struct edition_opts {
	struct edition_opt *o;
	size_t		 n;
	struct pg_result *res;
};

/* A new edition (NULL: not given); compares: an edition id or NULL. */
struct edition_new {
	const char	*course;	/* slug */
	const char	*code;
	const char	*starts;
	const char	*ends;
	const char	*compares;
	const char	*scope;
	long long	 owner;		/* org id, 0 for everyone's */
	long long	 by;
	const char	*actor;		/* email, for the audit log */
	const char	*ip;
};

/* People into an edition: one by email, or a unit by code. */
struct edition_assign {
	const char	*edition;
	const char	*org;
	const char	*email;
	const char	*scope;
	long long	 by;
	const char	*actor;
	const char	*ip;
};

int	 store_edition_list(struct db *, const char *, struct edition_list *,
	    struct fail *);
int	 store_edition_opts(struct db *, const char *, struct edition_opts *,
	    struct fail *);
int	 store_edition_opts_course(struct db *, const char *,
	    struct edition_opts *, struct fail *);
int	 store_edition_opts_courses(struct db *, int, struct edition_opts *,
	    struct fail *);
int	 store_edition_opts_orgs(struct db *, const char *,
	    struct edition_opts *, struct fail *);
void	 store_edition_opts_free(struct edition_opts *);
int	 store_edition_create(struct db *, const struct edition_new *,
	    struct fail *);
int	 store_edition_assign(struct db *, const struct edition_assign *, int *,
	    struct fail *);

/*
 * store-report.c: the HR gap report's numbers over the temporary
 * cells, persons and staffhours of a selection; its CSV parts.
 */
#define REPORT_GROUPS_MAX	60	/* units drawn on the page */
#define REPORT_PEOPLE_MAX	50	/* people listed on the page */
#define REPORT_GAPS_MAX		15	/* gaps listed on the page */

struct report_filter {
	const char	*scope;
	const char	*org;
	const char	*role;
	const char	*by;		/* region, agency or office */
	char		 depth[2];	/* of by: "1", "2" or "3" */
	char		 year[16];
};

/* Rows of text, as the database prints them. */
struct report_table {
	char		**v;		/* nrows x ncols */
	size_t		  nrows;
	size_t		  ncols;
};

/* The columns of store_report_gaps, _people and _hours. */
enum report_gap_col {
	RG_CODE = 0, RG_NAME, RG_LEVEL, RG_NEED, RG_SHORT, RG_COURSES, RG_MAX
};
enum report_people_col {
	RP_ID = 0, RP_NAME, RP_ORG, RP_SHORT, RP_CELLS, RP_TOTAL, RP_MAX
};
enum report_hours_col {
	RH_UNIT = 0, RH_STAFF, RH_AVG, RH_MET, RH_MAX
};

struct report_grid {
	char		**cols;		/* competence codes */
	char		**colnames;
	size_t		  ncols;
	char		**rows;		/* unit names */
	size_t		  nrows;
	size_t		  ngroups;	/* all units, also those not drawn */
	int		 *need;		/* nrows x ncols */
	int		 *met;
};

struct report_summary {
	char		 staff[32];
	char		 with_role[32];
	char		 cells[32];
	char		 met[32];
	char		 with_gap[32];
	char		 hours_avg[32];
	char		 hours_met[32];
};

struct report_csv {
	const char	*head;
	const char	*kinds;		/* t text, n number, b yes or no */
	struct report_table t;
};

const char *store_report_cell(const struct report_table *, size_t, size_t);
void	 store_report_table_free(struct report_table *);
int	 store_report_begin(struct db *, const struct report_filter *,
	    struct fail *);
int	 store_report_end(struct db *, struct fail *);
int	 store_report_grid(struct db *, const struct report_filter *, size_t,
	    struct report_grid *, struct fail *);
void	 store_report_grid_free(struct report_grid *);
int	 store_report_summary(struct db *, struct report_summary *,
	    struct fail *);
int	 store_report_gaps(struct db *, struct report_table *, struct fail *);
int	 store_report_levels(struct db *, struct report_table *,
	    struct fail *);
int	 store_report_people(struct db *, struct report_table *,
	    struct fail *);
int	 store_report_hours(struct db *, const struct report_filter *,
	    struct report_table *, struct fail *);
int	 store_report_roles(struct db *, const char *, struct report_table *,
	    struct fail *);
int	 store_report_csv(struct db *, const struct report_filter *,
	    const char *, struct report_csv *, struct fail *);

/* xapi-push.c: bin/capacita push-xapi (libcurl, the CLI only). */
struct xapi_push {
	const char	*url;		/* the store's endpoint */
	const char	*auth;		/* user:password, or NULL */
	const char	*version;	/* XAPI_VERSION or XAPI_VERSION_1 */
	int		 batch;
	int		 retries;
};

int	 xapi_push(struct db *, const struct xapi_push *, const char *);

/* store-xapi.c: statement pages, scope checks, push-xapi's marks. */
int	 store_xapi_page(struct db *, const struct xapi_query *, const char *,
	    struct buf *, int *, char *, size_t, struct fail *);
int	 store_xapi_in_scope(struct db *, const char *, const char *,
	    const char *, struct fail *);
int	 store_xapi_horizon(struct db *, char *, size_t, struct fail *);
int	 store_xapi_mark(struct db *, const char *, const char *, char *,
	    size_t, long long *, struct fail *);
int	 store_xapi_mark_set(struct db *, const char *, const char *,
	    const char *, long long, struct fail *);

/* store-health.c: the schema version, for /healthz. */
int	 store_health(struct db *, int *, struct fail *);

/*
 * store-catalogue.c: the public catalogue's courses and modules. Rows
 * point into res; the _free() functions clear it.
 */
struct catalogue_module {
	const char	*slug;
	const char	*title;
	int		 minutes;
	const char	*lang;
	const char	*summary;
};

struct catalogue_modules {
	struct pg_result	*res;
	struct catalogue_module	*rows;
	size_t			 n;
};

struct catalogue_course {
	struct pg_result	*res;		/* store_catalogue_course() */
	long long		 id;
	const char		*slug;
	const char		*title;
	const char		*summary;
	double			 hours;
	const char		*lang;
	const char		*html;		/* the course page only */
	const char		*pass;
	const char		*badge_name;
	const char		*badge_description;
	int			 enrolled;
	struct catalogue_modules modules;
};

struct catalogue_courses {
	struct pg_result	*res;
	struct catalogue_course	*rows;
	size_t			 n;
};

int	 store_catalogue_modules(struct db *, long long,
	    struct catalogue_modules *, struct fail *);
void	 store_catalogue_modules_free(struct catalogue_modules *);
int	 store_catalogue_courses(struct db *, struct catalogue_courses *,
	    struct fail *);
void	 store_catalogue_courses_free(struct catalogue_courses *);
int	 store_catalogue_course(struct db *, const char *, long long,
	    struct catalogue_course *, struct fail *);
void	 store_catalogue_course_free(struct catalogue_course *);

/*
 * store-api.c: the JSON API's reads about the person signed in. Values
 * are the database's text; rows (of the type each function names)
 * point into res, released by rows_release(res, rows).
 */
struct api_rows {
	struct pg_result	*res;
	void			*rows;
	size_t			 n;
	const char		*total;		/* store_api_hours() */
};

struct api_enrolment {
	const char	*course;
	const char	*title;
	const char	*enrolled_at;
	const char	*due_date;	/* NULL: none */
	const char	*completed_at;	/* NULL: not yet */
	const char	*source;
	const char	*modules;
	const char	*done;
};

struct api_attempt {
	const char	*id;
	const char	*course;
	const char	*module;
	const char	*version;
	const char	*sha256;
	const char	*number;
	const char	*submitted_at;
	const char	*score;
	const char	*max_score;
	const char	*percent;
	int		 passed;
};

struct api_hours {
	const char	*year;
	const char	*hours;
	const char	*source;
	const char	*description;
	const char	*at;
};

int	 store_api_enrolments(struct db *, long long, struct api_rows *,
	    struct fail *);
int	 store_api_attempts(struct db *, long long, struct api_rows *,
	    struct fail *);
int	 store_api_hours(struct db *, long long, struct api_rows *,
	    struct fail *);

/*
 * store-auth.c: sessions, sign-ins (password, identity provider) and
 * set-password links, each one transaction with its audit event.
 */
struct auth_role {
	const char	*role;
	const char	*scope;		/* the unit's name, "" */
};

struct auth_roles {
	struct pg_result	*res;
	struct auth_role	*rows;
	size_t			 n;
};

int	 store_auth_session(struct db *, long long, const char *,
	    const char *, const char *, char [AUTH_TOKEN_LEN + 1],
	    struct fail *);
int	 store_auth_account(struct db *, const char *, long long *, char **,
	    struct fail *);
int	 store_auth_login(struct db *, long long, const char *, const char *,
	    char [AUTH_TOKEN_LEN + 1], struct fail *);
void	 store_auth_failure(struct db *, const char *, const char *);
int	 store_auth_password_set(struct db *, const char *, const char *,
	    const char *, struct fail *);
int	 store_auth_oidc(struct db *, const struct oidc_provider *,
	    const struct oidc_identity *, const char *, const char *,
	    char [AUTH_TOKEN_LEN + 1], struct fail *);
int	 store_auth_roles(struct db *, long long, struct auth_roles *,
	    struct fail *);
void	 store_auth_roles_free(struct auth_roles *);

/*
 * bin/capacita's commands: cli.c holds the table and main(), each
 * cli-*.c one family; every command takes main's argc and argv from the
 * command name on and returns the exit status.
 */
/* cli.c: the command table, usage, the database and the acting user. */
void	 cli_usage(void) NORETURN;
int	 cli_db(struct db *);
int	 cli_fail(const char *, const struct fail *);
int	 cli_rollback(struct db *, struct fail *);
const char *cli_actor(void);

/* cli-content.c: migrate, import [--check], render, framework. */
int	 cli_content_migrate(int, char **);
int	 cli_content_import(int, char **);
int	 cli_content_render(int, char **);
int	 cli_content_framework(int, char **);

/* cli-account.c: user and org. */
int	 cli_account_user(int, char **);
int	 cli_account_org(int, char **);

/* cli-badge.c: keys, badges reissue, sign, verify, jcs, audit. */
int	 cli_badge_audit(int, char **);
int	 cli_badge_keys(int, char **);
int	 cli_badge_reissue(int, char **);
int	 cli_badge_sign(int, char **);
int	 cli_badge_verify(int, char **);
int	 cli_badge_jcs(int, char **);

/* cli-backup.c: keys export and import, sealed with a passphrase. */
int	 cli_backup_export(const char *);
int	 cli_backup_import(const char *, int);

/* cli-setup.c: bootstrap, demo, generate, jobs run. */
int	 cli_setup_bootstrap(int, char **);
int	 cli_setup_demo(int, char **);
int	 cli_setup_generate(int, char **);
int	 cli_setup_jobs(int, char **);

/* cli-xapi.c: export-xapi and push-xapi. */
int	 cli_xapi_export(int, char **);
int	 cli_xapi_push(int, char **);

#endif /* !CAPACITA_H */
