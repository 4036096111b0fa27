// `make loadtest USERS=N [THINK=1]`: exam day. N learners, signed in
// beforehand, are released together to start the same 16-question exam
// (tests/data/exam), then each views the attempt's page 8 times with a
// think time of 30 to 90 s between views (scaled by THINK: 0.01 makes
// 0.3 to 0.9 s) and submits. The learners are driven by obj/examgen
// (tests/load/examgen.c: one process, one keep-alive connection per
// learner, epoll), which reports per step requests, errors, p50, p95,
// p99, and its own CPU beside PostgreSQL's and Kore's. Afterwards the
// database must hold every attempt the generator submitted once, with
// the score its answers deserve (tests/load/exam-lib.mjs).
//
// `node tests/load/exam.mjs search` looks for the largest N with zero
// errors and p99 under 1 s at the synchronised start, and writes it to
// var/bench/results.json (exam_max_users).
//
// Our quiz shows all its questions on one page, where the published
// Moodle test had 8 pages of 2: each of the 8 "page" steps here is a
// reload of the attempt page, which costs the server what a Moodle page
// change costs (the attempt, its questions and options from the
// database, rendered).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.BASE_URL ||= 'http://127.0.0.1:1';
const { ROOT } = await import('../lib/util.mjs');
const { examStack, exam, clean, table } = await import('./exam-lib.mjs');

const THINK = Number(process.env.THINK ?? 1);
// COURSE_PAGE=1: each learner reads the course page (its start button)
// before the release, as a browser does.
const COURSE = process.env.COURSE_PAGE === '1';

const cmd = process.argv[2] || 'run';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-exam-'));
const s = await examStack(dir);
let code = 0;
try {
	// EXAM_LOG_MS=N: the database logs statements slower than N ms.
	if (process.env.EXAM_LOG_MS)
		s.sql(`ALTER SYSTEM SET log_min_duration_statement = ${Number(process.env.EXAM_LOG_MS)}`), s.sql('SELECT pg_reload_conf()');
	if (cmd === 'search') {
		// Double until the start step fails, then bisect (to 10%).
		const ok = (r) => clean(r) && r.steps[0].p99 < 1000;
		let lo = 0, hi = 0, n = Number(process.env.USERS || 500), from = 1;
		const runs = [];
		const one = async (k) => {
			const r = await exam(s, k, from, { think: THINK, coursePage: COURSE });
			from += k;
			runs.push(r);
			console.log(JSON.stringify({ users: k, ok: ok(r), start: r.steps[0], submitted: r.submitted, wrongScore: r.wrongScore,
			    duplicated: r.duplicated, pgMsPerStart: Number(r.pgMsPerStart.toFixed(2)), generatorCores: r.gen.generator.cores }));
			return r;
		};
		for (;;) {
			const r = await one(n);
			if (ok(r)) {
				lo = n;
				if (hi)
					break;
				n *= 2;
				if (n > 20000)
					break;
			} else {
				hi = n;
				if (lo)
					break;
				n = Math.floor(n / 2);
				if (n < 50)
					break;
			}
		}
		while (hi && lo && hi - lo > Math.max(100, lo / 10)) {
			const mid = Math.floor((lo + hi) / 2);
			if (ok(await one(mid)))
				lo = mid;
			else
				hi = mid;
		}
		console.log(`exam_max_users ${lo}${hi ? ` (${hi} failed)` : ''}`);
		const out = path.join(ROOT, 'var/bench/results.json');
		fs.mkdirSync(path.dirname(out), { recursive: true });
		const all = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
		const best = runs.filter((r) => r.users === lo)[0];
		all.exam_max_users = { value: lo, baseline: 3000, ratio: Number((lo / 3000).toFixed(3)), unit: 'users',
		    start_p99_ms: best ? best.steps[0].p99 : null, think: THINK,
		    generator_cores: best ? best.gen.generator.cores : null };
		fs.writeFileSync(out, JSON.stringify(all, null, 2) + '\n');
	} else {
		const n = Number(process.env.USERS || 1000);
		const r = await exam(s, n, 1, { think: THINK, coursePage: COURSE, log: true });
		console.log(table(r, THINK));
		if (process.env.EXAM_JSON)
			fs.writeFileSync(process.env.EXAM_JSON, JSON.stringify(r, null, 1) + '\n');
		if (!clean(r))
			code = 1;
	}
} finally {
	if (process.env.EXAM_LOG_MS)
		fs.copyFileSync(path.join(s.dir, 'pg', 'postgres.log'), path.join(os.tmpdir(), 'capacita-exam-postgres.log'));
	fs.copyFileSync(s.log, path.join(os.tmpdir(), 'capacita-exam-kore.log'));
	await s.destroy();
}
process.exit(code);
