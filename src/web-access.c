/*
 * web-access.c: who may use each route. Every route of conf/app.conf has
 * one rule here, keyed by the same route string; the server refuses to
 * start when a route has none (web_access_check), and
 * tests/integ/access.test.mjs walks every route with every role.
 *
 * A rule is PUBLIC (anyone), USER (any signed-in user) or a set of
 * roles, any of which is enough. What a role may see inside a route
 * (its subtree of the organisation) is checked by the handler.
 */

#include <string.h>

#include "web.h"

static const struct web_rule	rules[] = {
	/* Public pages. */
	{ "/",					ACCESS_PUBLIC | ACCESS_CACHE |
						    ACCESS_READ },
	{ "^/courses/[a-z0-9-]+$",		ACCESS_PUBLIC | ACCESS_CACHE |
						    ACCESS_READ },
	{ "^/modules/[a-z0-9-]+$",		ACCESS_PUBLIC | ACCESS_CACHE |
						    ACCESS_READ },
	{ "^/lang/(it|en)$",			ACCESS_PUBLIC },
	{ "/healthz",				ACCESS_PUBLIC },
	{ "^/assets/[A-Za-z0-9_./-]+$",	ACCESS_PUBLIC },
	{ "/login",				ACCESS_PUBLIC },
	{ "/password",				ACCESS_PUBLIC },
	{ "/verify",				ACCESS_PUBLIC },
	{ "/api/verify",			ACCESS_PUBLIC | ACCESS_NOCSRF },
	{ "/issuer",				ACCESS_PUBLIC | ACCESS_READ },
	{ "^/status/1$",			ACCESS_PUBLIC | ACCESS_READ },
	{ "/audit/checkpoint",			ACCESS_PUBLIC },
	{ "/competences",			ACCESS_PUBLIC | ACCESS_CACHE |
						    ACCESS_READ },
	{ "/competences.csv",			ACCESS_PUBLIC | ACCESS_READ },
	{ "^/frameworks/[A-Za-z0-9._-]+$",	ACCESS_PUBLIC | ACCESS_CACHE |
						    ACCESS_READ },
	{ "/accessibility",			ACCESS_PUBLIC },
	{ "^/oidc/login/[a-z0-9-]+$",		ACCESS_PUBLIC },
	{ "/oidc/callback",			ACCESS_PUBLIC },
	/* One-click unsubscribe (RFC 8058) posts no form token: the random
	 * token in the link is the proof. */
	{ "/unsubscribe",			ACCESS_PUBLIC | ACCESS_NOCSRF },
	/* A certificate, by its unguessable id: the handler checks that
	 * the learner left it public (or who is asking). */
	{ "^/badges/[0-9a-f-]{36}(\\.json|\\.pdf)?$", ACCESS_PUBLIC },

	/* Any signed-in user. */
	{ "/logout",				ACCESS_USER },
	{ "/me",				ACCESS_USER },
	{ "/me/mail",				ACCESS_USER },
	{ "/me/competences",			ACCESS_USER },
	{ "^/me/competences/[A-Za-z0-9._-]+$",	ACCESS_USER },
	/* The placement test's form (keyed fields) is read, and its CSRF
	 * token checked, by page_me_placement_test. */
	{ "/me/placement",			ACCESS_USER },
	{ "^/me/placement/[0-9]+$",		ACCESS_USER | ACCESS_NOCSRF },
	{ "/me/plan",				ACCESS_USER },

	/* Learners (any signed-in user can follow courses). */
	{ "/learn",				ACCESS_USER },
	{ "/learn/enrol",			ACCESS_USER },
	{ "/learn/read",			ACCESS_USER },
	{ "/learn/history",			ACCESS_USER },
	{ "^/learn/[a-z0-9-]+$",		ACCESS_USER },
	{ "/quiz/start",			ACCESS_USER },
	/* The quiz form's fields are parsed, and its CSRF token checked,
	 * by page_attempt itself (form.c). */
	{ "^/attempt/[A-Za-z0-9_-]{22}$",	ACCESS_USER | ACCESS_NOCSRF },
	{ "/api/me",				ACCESS_USER },
	{ "/api/me/enrolments",			ACCESS_USER | ACCESS_NOCSRF },
	{ "/api/me/attempts",			ACCESS_USER },
	{ "/api/me/hours",			ACCESS_USER },
	{ "/badges",				ACCESS_USER },


	/* Issuers (badges of their subtree). */
	{ "/issuer/badges",			ROLE_ISSUER },

	/* Administration. */
	{ "/admin",				ROLE_ADMIN },
	{ "/admin/users",			ROLE_ADMIN },
	{ "^/admin/users/[0-9]+$",		ROLE_ADMIN },
	{ "/admin/users/import",		ROLE_ADMIN },
	{ "/admin/orgs",			ROLE_ADMIN },
	{ "/admin/audit",			ROLE_ADMIN },

	/* Trainers' editor (modules of their subtree). */
	{ "/author",				ROLE_TRAINER | ROLE_ADMIN },
	{ "/author/edit",			ROLE_TRAINER | ROLE_ADMIN },
	{ "/author/diff",			ROLE_TRAINER | ROLE_ADMIN },
	{ "/author/source",			ROLE_TRAINER | ROLE_ADMIN },
	{ "/author/courses",			ROLE_TRAINER | ROLE_ADMIN },
	/* POST: the CSRF token is checked in the form (form.c). */
	{ "/author/course",			ROLE_TRAINER | ROLE_ADMIN |
						    ACCESS_NOCSRF },

	/* Trainers' ratings (people of their subtree). */
	{ "/ratings",				ROLE_TRAINER },

	/* HR offices, within their subtree. */
	{ "/hr/people",				ROLE_HR },
	{ "^/hr/people/[0-9]+$",		ROLE_HR },
	{ "^/hr/people/[0-9]+/plan$",		ROLE_HR },
	{ "/hr/plans.csv",			ROLE_HR },
	{ "/hr/assign",				ROLE_HR },
	{ "^/hr/people/[0-9]+/competences/[A-Za-z0-9._-]+$",
						ROLE_HR },
	{ "/hr/report",				ROLE_HR },
	{ "/hr/report.csv",			ROLE_HR },
	{ "/hr/hours.csv",			ROLE_HR },
	{ "/hr/roles",				ROLE_HR },
	{ "/hr/roles.csv",			ROLE_HR },
	{ "/hr/roles/assign",			ROLE_HR },
	{ "/hr/roles/import",			ROLE_HR },

	/* Impact evaluation (page-impact.c): a person's pre/post tests and
	 * learning records; HR offices within their subtree, and
	 * administrators, for the reports. The test form's fields are
	 * parsed, and its CSRF token checked, by page_assessment. */
	{ "/assessments",			ACCESS_USER },
	{ "^/assessment/[0-9a-f-]{36}$",	ACCESS_USER | ACCESS_NOCSRF },
	{ "/api/xapi/statements",		ACCESS_USER },
	{ "/hr/editions",			ROLE_HR },
	{ "/hr/impact",				ROLE_HR | ROLE_ADMIN },
	{ "/hr/impact.csv",			ROLE_HR | ROLE_ADMIN },
	{ "/hr/funder",				ROLE_HR | ROLE_ADMIN },
	{ "/hr/funder.csv",			ROLE_HR | ROLE_ADMIN },

	/* Governance (issue 24): the model and the practice library are
	 * public; self-assessment, peer review and benchmark are for
	 * assessors, HR offices, partner reviewers and administrators,
	 * each within what is theirs (page-assess.c). The assessment's
	 * form has one field per dimension, parsed and its CSRF token
	 * checked by page_gov_assessment (form.c). */
	{ "/gov/model",				ACCESS_PUBLIC | ACCESS_READ },
	{ "/gov/practices",			ACCESS_PUBLIC | ACCESS_READ },
	{ "^/gov/practices/[a-z0-9-]+$",	ACCESS_PUBLIC | ACCESS_READ },
	{ "/gov",				ROLE_ASSESSOR | ROLE_REVIEWER |
						    ROLE_HR | ROLE_ADMIN },
	{ "^/gov/assessments/[0-9]+$",		ROLE_ASSESSOR | ROLE_REVIEWER |
						    ROLE_HR | ROLE_ADMIN |
						    ACCESS_NOCSRF },
	{ "/gov/actions",			ROLE_ASSESSOR },
	{ "/gov/bench",				ROLE_ASSESSOR | ROLE_REVIEWER |
						    ROLE_HR | ROLE_ADMIN },
	{ "/gov/bench.csv",			ROLE_ASSESSOR | ROLE_REVIEWER |
						    ROLE_HR | ROLE_ADMIN },

	/* The 404 page for everything else. */
	{ "^/.*$",				ACCESS_PUBLIC },
};

const struct web_rule *
web_access_find(const char *route)
{
	size_t	i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strcmp(rules[i].route, route) == 0)
			return (&rules[i]);
	}
	return (NULL);
}

/* Every route Kore loaded from the conf must have a rule. */
int
web_access_check(void)
{
	struct kore_module_handle	*h;
	struct kore_domain		*dom;
	struct kore_server		*srv;
	int				 missing;

	missing = 0;
	LIST_FOREACH(srv, &kore_servers, list) {
		TAILQ_FOREACH(dom, &srv->domains, list) {
			TAILQ_FOREACH(h, &dom->handlers, list) {
				if (web_access_find(h->path) != NULL)
					continue;
				kore_log(LOG_ERR, "route '%s' has no access "
				    "rule in src/web-access.c", h->path);
				missing++;
			}
		}
	}
	return (missing);
}
