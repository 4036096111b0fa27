# Capacita: see README.md. Plain make; no kodev (its output names depend on
# the checkout's directory name), same flags as kodev plus stricter ones.

PORT		?= 8080
DEMO		?= 0
CC		?= cc
OPT		?= -O2
OBJ		 = obj
BIN		 = bin

WARN		 = -Wall -Wextra -Wmissing-declarations -Wshadow \
		   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
		   -Wcast-qual -Wsign-compare -Wformat=2 -Wundef \
		   -Wdeclaration-after-statement -Wno-unused-parameter
KORE_CFLAGS	 = -DKORE_USE_PGSQL -DKORE_USE_TASKS -I/usr/include/postgresql
BASE_CFLAGS	 = -std=gnu99 $(OPT) -g -fPIC $(WARN) -Werror \
		   -I/usr/include/postgresql -Isrc -I$(OBJ)
LIBS		 = -lsodium -lcmark -lz -lqrencode -ljansson -lcjose -lcurl -lpq \
		   -lhpdf -lpwquality -lm

# Core: plain C on plain data (no Kore, no libpq calls).
CORE_SRC	 = buf.c util.c diag.c fail.c html.c i18n.c fmt.c tmpl.c frontmatter.c \
		   quiz.c quiz-form.c module.c course.c framework.c framework-csv.c \
		   content.c settings.c \
		   auth.c csv.c diff.c form.c roles.c svg.c \
		   jcs.c multibase.c status.c vc.c trust.c qr.c vault.c \
		   pdf.c pdfattach.c \
		   stats.c impact.c xapi.c governance.c governance-bench.c oidc.c \
		   mime.c placement.c
# Store: libpq queries shared by the server and the CLI.
STORE_SRC	 = db.c migrate.c store-content.c store-account.c store-jobs.c \
		   fetch.c \
		   store-badge.c generate.c demo.c \
		   store-learning.c \
		   store-impact.c store-edition.c store-report.c \
		   store-author.c store-governance.c store-governance-review.c \
		   demo-governance.c httpc.c idp.c store-identity.c store-mail.c \
		   store-framework.c store-xapi.c store-placement.c
STORE_SRC	+= store-rows.c store-hr.c store-roles.c store-admin.c \
		   store-profile.c
STORE_SRC	+= store-health.c store-catalogue.c store-api.c store-auth.c
# Web: Kore handlers and hooks.
WEB_SRC		 = app.c web.c web-access.c web-session.c web-cache.c web-valid.c \
		   assets.c \
		   page-catalogue.c page-module.c page-health.c page-auth.c \
		   page-admin.c page-hr.c page-author.c \
		   page-author-course.c \
		   page-learn.c page-quiz.c page-api.c page-badge.c \
		   page-profile.c page-report.c page-roles.c \
		   page-impact.c page-assessment.c page-edition.c \
		   page-funder.c page-assess.c page-bench.c page-practice.c \
		   page-oidc.c page-mail.c page-framework.c page-xapi.c \
		   page-placement.c
CLI_SRC		 = cli.c cli-account.c cli-backup.c cli-badge.c cli-content.c \
		   cli-setup.c cli-xapi.c xapi-push.c

CORE_OBJ	 = $(CORE_SRC:%.c=$(OBJ)/%.o)
STORE_OBJ	 = $(STORE_SRC:%.c=$(OBJ)/%.o)
WEB_OBJ		 = $(WEB_SRC:%.c=$(OBJ)/%.o)
CLI_OBJ		 = $(CLI_SRC:%.c=$(OBJ)/%.o)

.PHONY: all clean run test bench faults loadtest loadtest-search backup \
	cluster-test \
	restore deps deps-test \
	db-start \
	db-stop migrate \
	import check unit-tests routes-check

all: $(BIN)/capacita $(BIN)/capacita.so routes-check $(OBJ)/routes.json

# The two commands of the README.
run: deps all
	@PORT=$(PORT) DEMO=$(DEMO) scripts/run.sh

test: deps-test all unit-tests $(OBJ)/examgen
	@tests/run.sh

# Backups: the database and the issuer's keys (sealed with a
# passphrase); see scripts/backup.sh and scripts/restore.sh.
backup: all
	@scripts/backup.sh

restore: all
	@scripts/restore.sh "$(FILE)"

# Faults under load and a 64-connection mixed load (long; a short
# version runs in make test): see tests/faults/.
faults: deps-test all
	@node tests/faults/run.mjs

# Exam day: USERS learners released together on one 16-question exam
# (THINK scales the 30-90 s think time); `make loadtest-search` finds
# the largest number with no error and p99 under 1 s at the start.
USERS	?= 1000
THINK	?= 1
loadtest: deps-test all $(OBJ)/examgen
	@ulimit -n $$(ulimit -Hn) 2>/dev/null; USERS=$(USERS) THINK=$(THINK) node tests/load/exam.mjs run

loadtest-search: deps-test all $(OBJ)/examgen
	@ulimit -n $$(ulimit -Hn) 2>/dev/null; THINK=$(THINK) node tests/load/exam.mjs search

# The exam-day generator (tests/load/examgen.c): plain C, epoll, one
# process holding a keep-alive connection per learner.
$(OBJ)/examgen: tests/load/examgen.c tests/load/examgen-parse.c \
    tests/load/examgen.h
	@mkdir -p $(OBJ)
	@echo "cc $@"
	@$(CC) -std=gnu99 $(OPT) -g $(WARN) -Werror -o $@ \
	    tests/load/examgen.c tests/load/examgen-parse.c

# Two Kore nodes behind nginx on a PostgreSQL primary and streaming
# replica, on loopback: see tests/cluster/run.mjs and README.md's
# "Deployment".
cluster-test: deps-test all
	@node tests/cluster/run.mjs

# Performance against baselines on this machine (not part of make test):
# see scripts/bench.sh and BENCHMARKS.md.
bench: deps
	@scripts/bench.sh

# Unit tests: the core and store sources compiled again, under ASan and
# UBSan, with plain malloc (no Kore pools to hide overflows).
SAN_CFLAGS	 = -std=gnu99 -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   $(WARN) -Werror -I/usr/include/postgresql -Isrc -Itests/unit
UNIT_TESTS	 = $(patsubst tests/unit/%.c,tests/obj/%,$(wildcard tests/unit/test-*.c))
UNIT_SRC	 = $(addprefix src/,$(CORE_SRC) $(STORE_SRC))

unit-tests: $(UNIT_TESTS)

tests/obj/test-%: tests/unit/test-%.c tests/unit/harness.h $(UNIT_SRC) src/capacita.h
	@mkdir -p tests/obj
	@echo "cc $@ (asan, ubsan)"
	@$(CC) $(SAN_CFLAGS) -o $@ $< $(UNIT_SRC) $(LIBS)

# Fuzzing (tests/fuzz/README.md): one libFuzzer target per parser and
# encoder, tests/fuzz/fuzz-NAME.c, linked with the core sources (no
# libpq) built again by clang with the fuzzer's instrumentation, ASan
# and UBSan. `make fuzz` runs each for FUZZ_SECONDS, new inputs going to
# tests/obj/corpus/NAME (the seeds in tests/fuzz/corpus/NAME are only
# read) and crashes to tests/fuzz/crashes/NAME/. `make fuzz-replay` runs
# every seed and every saved crash once; tests/run.sh calls it.
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_CFLAGS	 = -std=gnu99 -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=all $(WARN) -Wno-format-nonliteral \
		   -Werror -Isrc -Itests/fuzz
FUZZ_LIBS	 = -lsodium -lcmark -lz -lqrencode -ljansson -lcjose -lhpdf \
		   -lpwquality -lm
FUZZ_NAMES	 = $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS	 = $(FUZZ_NAMES:%=tests/obj/fuzz-%)
FUZZ_OBJ	 = $(CORE_SRC:%.c=tests/obj/fuzzcore/%.o)

fuzz: fuzz-build
	@failed=""; for n in $(FUZZ_NAMES); do \
		mkdir -p tests/obj/corpus/$$n tests/fuzz/corpus/$$n \
		    tests/fuzz/crashes/$$n; \
		echo "fuzz $$n for $(FUZZ_SECONDS) s"; \
		tests/obj/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=10 -print_final_stats=1 \
		    -artifact_prefix=tests/fuzz/crashes/$$n/ \
		    tests/obj/corpus/$$n tests/fuzz/corpus/$$n || \
		    failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: failed:$$failed (inputs in tests/fuzz/crashes)"; \
		exit 1; \
	fi

fuzz-build: $(FUZZ_BINS)

.SECONDARY: $(FUZZ_OBJ)

# fuzz-examgen reads the load generator's parsers (tests/load).
tests/obj/fuzz-examgen: tests/load/examgen-parse.c tests/load/examgen.h

fuzz-replay: fuzz-build
	@tests/fuzz/replay.sh $(FUZZ_NAMES)

tests/obj/fuzzcore/%.o: src/%.c src/capacita.h
	@mkdir -p tests/obj/fuzzcore
	@echo "clang $< (libFuzzer, asan, ubsan)"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

tests/obj/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@echo "clang $@ (libFuzzer)"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) \
	    $(FUZZ_LIBS)

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

db-start:
	@scripts/pg.sh start

db-stop:
	@scripts/pg.sh stop

migrate: $(BIN)/capacita db-start
	@$(BIN)/capacita migrate

import: $(BIN)/capacita db-start
	@$(BIN)/capacita import .

# Validate modules/ and courses/ without touching the database.
check: $(BIN)/capacita
	@$(BIN)/capacita import --check .

$(OBJ) $(BIN):
	@mkdir -p $@

# Each object's headers are recorded by the compiler (-MMD -MP) in
# obj/NAME.d: editing web.h rebuilds the web layer only, editing
# capacita.h everything that includes it. An object whose .d is missing
# (a fresh checkout, an older build) is rebuilt, so its list is written.
DEPS		 = $(CORE_OBJ:.o=.d) $(STORE_OBJ:.o=.d) $(WEB_OBJ:.o=.d) \
		   $(CLI_OBJ:.o=.d)

$(OBJ)/%.o: src/%.c $(OBJ)/%.d | $(OBJ)
	@echo "cc $<"
	@$(CC) $(BASE_CFLAGS) $(KORE_CFLAGS) -MMD -MP -c $< -o $@

$(DEPS): ;
.PRECIOUS: $(DEPS)
-include $(wildcard $(DEPS))

# The route table: src/routes.def, one line per route, written by
# scripts/routes.awk into conf/app.conf (from conf/app.conf.in, kept in
# git: make run, tests and scripts read it), the handlers' prototypes
# (web.h includes obj/routes.h), web-access.c's rules and the access
# test's matrix. routes-check fails when conf/app.conf was edited by
# hand rather than through its two sources.
ROUTES_AWK	 = awk -f scripts/routes.awk
ROUTES_DEP	 = src/routes.def scripts/routes.awk
# A header whose text did not change keeps its date (and its objects).
ROUTES_NEW	 = if cmp -s $@.tmp $@; then rm $@.tmp; else \
		   echo "gen $@"; mv $@.tmp $@; fi

conf/app.conf: conf/app.conf.in $(ROUTES_DEP)
	@echo "gen $@"
	@$(ROUTES_AWK) -v out=conf src/routes.def conf/app.conf.in > $@.tmp
	@mv $@.tmp $@

$(OBJ)/routes.h: $(ROUTES_DEP) | $(OBJ)
	@$(ROUTES_AWK) -v out=proto src/routes.def > $@.tmp
	@$(ROUTES_NEW)

$(OBJ)/routes-access.h: $(ROUTES_DEP) | $(OBJ)
	@$(ROUTES_AWK) -v out=access src/routes.def > $@.tmp
	@$(ROUTES_NEW)

$(OBJ)/routes.json: $(ROUTES_DEP) | $(OBJ)
	@echo "gen $@"
	@$(ROUTES_AWK) -v out=json src/routes.def > $@.tmp
	@mv $@.tmp $@

routes-check: conf/app.conf
	@$(ROUTES_AWK) -v out=conf src/routes.def conf/app.conf.in | \
	    cmp -s - conf/app.conf || { echo "conf/app.conf: not what" \
	    "conf/app.conf.in and src/routes.def give: edit those (make" \
	    "writes it), or remove it to take theirs"; exit 1; }

# The first build of a web object has no .d yet: the generated headers
# must exist before it compiles.
$(WEB_OBJ): | $(OBJ)/routes.h $(OBJ)/routes-access.h

$(BIN)/capacita: $(CORE_OBJ) $(STORE_OBJ) $(CLI_OBJ) | $(BIN)
	@echo "ld $@"
	@$(CC) -o $@ $^ $(LIBS)

$(BIN)/capacita.so: $(CORE_OBJ) $(STORE_OBJ) $(WEB_OBJ) | $(BIN)
	@echo "ld $@"
	@$(CC) -shared -o $@ $^ $(LIBS)

clean:
	rm -rf $(OBJ) $(BIN) tests/obj
