# scripts/routes.awk: src/routes.def into the files that need its routes
# (the format is described at the top of src/routes.def). Run by make:
#   awk -v out=conf -f scripts/routes.awk src/routes.def conf/app.conf.in
#	conf/app.conf: app.conf.in with its @ROUTES@ line replaced by the
#	route, restrict and params sections
#   awk -v out=proto -f scripts/routes.awk src/routes.def	obj/routes.h
#   awk -v out=access -f scripts/routes.awk src/routes.def	obj/routes-access.h
#   awk -v out=json -f scripts/routes.awk src/routes.def	obj/routes.json
# A malformed line stops the build with file:line: message.

function fail(msg) {
	printf("%s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

function cstr(s) {
	gsub(/\\/, "&&", s)	# each backslash doubled
	return ("\"" s "\"")
}

function access_bits(words,	n, i, w, a, bits) {
	n = split(words, a, ",")
	bits = ""
	for (i = 1; i <= n; i++) {
		w = a[i]
		if (w in ACCESS)
			w = ACCESS[w]
		else if (w in ROLE)
			w = "ROLE_" toupper(w)
		else
			fail("unknown access '" w "' (public, user, nocsrf, " \
			    "cache, read or a role)")
		bits = bits (bits == "" ? "" : " | ") w
	}
	return (bits)
}

function json_list(s,	n, i, a, r) {
	if (s == "-")
		return ("[]")
	n = split(s, a, ",")
	r = ""
	for (i = 1; i <= n; i++)
		r = r (i > 1 ? ", " : "") "\"" a[i] "\""
	return ("[" r "]")
}

BEGIN {
	ACCESS["public"] = "ACCESS_PUBLIC"
	ACCESS["user"] = "ACCESS_USER"
	ACCESS["nocsrf"] = "ACCESS_NOCSRF"
	ACCESS["cache"] = "ACCESS_CACHE"
	ACCESS["read"] = "ACCESS_READ"
	split("learner trainer hr issuer admin assessor reviewer", r, " ")
	for (i in r)
		ROLE[r[i]] = 1
	split("get head post put delete patch options", m, " ")
	for (i in m)
		METHOD[m[i]] = 1
	KIND["qs:get"] = KIND["post"] = KIND["qs:post"] = KIND["get"] = 1
	if (out !~ /^(conf|proto|access|json)$/) {
		print "routes.awk: out=conf|proto|access|json" > "/dev/stderr"
		failed = 1
		exit 1
	}
	if (out == "conf")
		printf("# conf/app.conf: generated from conf/app.conf.in and " \
		    "src/routes.def by\n# scripts/routes.awk (make): edit " \
		    "those, not this file.\n#\n")
}

# The route table (the first file).
FILENAME == ARGV[1] && /^##/ {
	title = $0
	sub(/^##[ \t]*/, "", title)
	next
}

FILENAME == ARGV[1] && (/^#/ || /^[ \t]*$/) {
	next
}

FILENAME == ARGV[1] && /^[ \t]/ {
	if (n == 0)
		fail("parameters before any route")
	kind = $1
	if (!(kind in KIND))
		fail("unknown params kind '" kind "' (qs:get, post, qs:post)")
	if (NF < 2)
		fail("no parameters after '" kind "'")
	if (!((n, kind) in block)) {
		block[n, kind] = ""
		nkinds[n]++
		kinds[n, nkinds[n]] = kind
	}
	for (i = 2; i <= NF; i++) {
		if ($i !~ /^[A-Za-z0-9_-]+=v_[a-z0-9_]+$/)
			fail("expected name=validator, not '" $i "'")
		split($i, pv, "=")
		if ((n, kind, pv[1]) in seen)
			fail("parameter '" pv[1] "' twice for " kind)
		seen[n, kind, pv[1]] = 1
		block[n, kind] = block[n, kind] "\t\tvalidate\t" pv[1] "\t" \
		    pv[2] "\n"
	}
	next
}

FILENAME == ARGV[1] {
	if (NF != 4)
		fail("expected: path handler methods access (" NF " fields)")
	if ($1 in byroute)
		fail("route '" $1 "' twice (line " byroute[$1] ")")
	if ($2 !~ /^[a-z_][a-z0-9_]*$/)
		fail("handler '" $2 "' is not a C name")
	if ($3 != "-") {
		nm = split($3, ms, ",")
		for (i = 1; i <= nm; i++)
			if (!(ms[i] in METHOD))
				fail("unknown method '" ms[i] "'")
	}
	n++
	byroute[$1] = FNR
	path[n] = $1
	handler[n] = $2
	methods[n] = $3
	access[n] = $4
	bits[n] = access_bits($4)
	group[n] = title
	title = ""
	next
}

# conf/app.conf.in (the second file, out=conf only).
/^[ \t]*@ROUTES@[ \t]*$/ {
	conf_routes()
	done = 1
	next
}

{
	print
}

function conf_routes(	i, j, k, m) {
	for (i = 1; i <= n; i++) {
		if (group[i] != "")
			printf("%s\t# %s\n", i > 1 ? "\n" : "", group[i])
		printf("\troute\t%s\t%s\n", path[i], handler[i])
	}
	print ""
	for (i = 1; i <= n; i++) {
		if (methods[i] == "-")
			continue
		m = methods[i]
		gsub(/,/, " ", m)
		printf("\trestrict\t%s\t%s\n", path[i], m)
	}
	for (i = 1; i <= n; i++) {
		for (j = 1; j <= nkinds[i]; j++) {
			k = kinds[i, j]
			printf("\n\tparams %s %s {\n%s\t}\n", k, path[i],
			    block[i, k])
		}
	}
}

END {
	if (failed)
		exit 1
	if (out == "conf") {
		if (!done) {
			print "conf/app.conf.in: no @ROUTES@ line" > "/dev/stderr"
			exit 1
		}
		exit 0
	}
	gen = "generated from src/routes.def by scripts/routes.awk"
	if (out == "proto") {
		printf("/* routes.h: %s. */\n", gen)
		printf("/* The handlers Kore calls, by route group (the file " \
		    "that defines a\n * handler does not matter). */\n")
		for (i = 1; i <= n; i++) {
			if (group[i] != "")
				printf("\n/* %s */\n", group[i])
			if (!(handler[i] in proto))
				printf("int\t%s(struct http_request *);\n",
				    handler[i])
			proto[handler[i]] = 1
		}
	} else if (out == "access") {
		printf("/* routes-access.h: %s. */\n", gen)
		for (i = 1; i <= n; i++) {
			if (group[i] != "")
				printf("\t/* %s */\n", group[i])
			printf("\t{ %s, %s },\n", cstr(path[i]), bits[i])
		}
	} else if (out == "json") {
		printf("[\n")
		for (i = 1; i <= n; i++) {
			p = path[i]
			gsub(/\\/, "&&", p)
			printf("  {\"route\": \"%s\", \"handler\": \"%s\", " \
			    "\"methods\": %s, \"access\": %s}%s\n", p,
			    handler[i], json_list(methods[i]),
			    json_list(access[i]), i < n ? "," : "")
		}
		printf("]\n")
	}
}
