/*
 * web-access.c: who may use each route. The rules are src/routes.def's,
 * written by the build into obj/routes-access.h beside conf/app.conf's
 * routes, keyed by the same route string; the server refuses to start
 * when a route Kore loaded has none (web_access_check), and
 * tests/integ/access.test.mjs walks every route with every role.
 *
 * A rule is ACCESS_PUBLIC (anyone), ACCESS_USER (any signed-in user) or
 * a set of ROLE_* bits, any of which is enough; web_begin() (web.c)
 * applies it. What a role may see inside a route (its subtree of the
 * organisation) is checked by the handler.
 */

#include <string.h>

#include "web.h"

static const struct web_rule	rules[] = {
#include "routes-access.h"
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
				    "rule (src/routes.def)", h->path);
				missing++;
			}
		}
	}
	return (missing);
}
