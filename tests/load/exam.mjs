// `make loadtest USERS=N [THINK=1]`: exam day. N learners, signed in
// beforehand, are released together to start the same 16-question exam
// (tests/data/exam), then each views the attempt's page 8 times with a
// think time of 30 to 90 s between views (scaled by THINK: 0.01 makes
// 0.3 to 0.9 s) and submits. Reported per step: requests, errors, p50,
// p95, p99. Afterwards the database must hold every submitted attempt
// once with the score its answers deserve.
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
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.BASE_URL ||= 'http://127.0.0.1:1';
const { startStack } = await import('../lib/stack.mjs');
const { ROOT } = await import('../lib/util.mjs');
const { quizPairs } = await import('../lib/quiz.mjs');

const THINK = Number(process.env.THINK ?? 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pct(xs, p) {
	if (xs.length === 0)
		return 0;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
}

function stats(name, step) {
	return { step: name, requests: step.times.length + step.errors, errors: step.errors,
	    p50: Math.round(pct(step.times, 50)), p95: Math.round(pct(step.times, 95)), p99: Math.round(pct(step.times, 99)) };
}

// The stack, with room for thousands of connections.
async function stack(dir) {
	const s = await startStack(dir);
	const r = s.cli(['import', path.join(ROOT, 'tests/data/exam')]);
	if (r.status !== 0)
		throw new Error(r.stderr);
	s.sql("INSERT INTO orgs (parent_id, kind, code, name, path) SELECT id, 'agency', 'esame-ente', 'Ente d''esame', '' FROM orgs WHERE code = 'puglia' ON CONFLICT DO NOTHING");
	s.sql("UPDATE orgs o SET path = p.path || o.id || '/' FROM orgs p WHERE o.code = 'esame-ente' AND p.id = o.parent_id");
	await s.start();
	return s;
}

/*
 * n learners with a session each, enrolled in the exam course. Sessions
 * are written to the database the way a sign-in writes them (a random
 * token, stored as its SHA-256, and a CSRF secret), which is quicker
 * than n Argon2id sign-ins and measures nothing less of the exam.
 */
function learners(s, n, from) {
	const rows = [];
	for (let i = from; i < from + n; i++) {
		const token = crypto.randomBytes(32).toString('base64url');
		const csrf = crypto.randomBytes(32).toString('base64url');
		const hash = crypto.createHash('sha256').update(token).digest('hex');
		rows.push({ i, token, csrf, hash });
	}
	const file = path.join(s.dir, `learners-${from}.sql`);
	fs.writeFileSync(file, `BEGIN;
INSERT INTO users (name, email, org_id) SELECT 'Candidato ' || i, 'exam' || i || '@load.capacita.test', (SELECT id FROM orgs WHERE code = 'esame-ente') FROM generate_series(${from}, ${from + n - 1}) i;
INSERT INTO user_roles (user_id, role) SELECT id, 'learner' FROM users WHERE email LIKE 'exam%@load.capacita.test' AND id NOT IN (SELECT user_id FROM user_roles);
INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES
${rows.map((r) => `(decode('${r.hash}', 'hex'), (SELECT id FROM users WHERE email = 'exam${r.i}@load.capacita.test'), '${r.csrf}', now() + interval '12 hours')`).join(',\n')};
INSERT INTO enrolments (user_id, course_id, source) SELECT u.id, c.id, 'assigned' FROM users u, courses c WHERE c.slug = 'esame' AND u.email LIKE 'exam%@load.capacita.test' ON CONFLICT DO NOTHING;
COMMIT;
`);
	execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', file], { env: s.env });
	return rows;
}

// The answers a candidate gives on the page (html): all right, or the
// i-th single-choice question wrong for every third candidate. The
// fields are the attempt's tokens, so the form is built from its page.
// Returns the form body and the score it deserves (each question 1 point).
function answers(qs, i, csrf, html) {
	const p = new URLSearchParams({ csrf });
	const singles = qs.list.filter((q) => q.type === 'single');
	const wrong = i % 3 === 0 ? singles[i % singles.length] : null;
	const given = qs.list.map((q) => {
		switch (q.type) {
		case 'single': return q === wrong ? q.opts[1] : q.opts[0];
		case 'multiple': return [q.opts[0], q.opts[1]];
		case 'truefalse': return 'true';
		case 'order': return q.opts;
		case 'short': return 'Questura';
		default: return undefined;
		}
	});
	for (const [k, v] of quizPairs(html, given))
		p.append(k, v);
	const total = qs.list.length;
	return { body: p.toString(), score: wrong ? total - 1 : total, max: total };
}

function questionIds(s) {
	const rows = s.sql("SELECT q.type, q.id, (SELECT json_agg(o.text ORDER BY o.position) FROM question_options o WHERE o.question_id = q.id) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE m.slug = 'esame-finale' ORDER BY q.position").split('\n');
	const qs = { list: [] };
	for (const r of rows) {
		const [type, id, opts] = r.split('|');
		qs.list.push({ type, id, opts: JSON.parse(opts) });
	}
	return qs;
}

async function request(base, step, method, p, cookie, body) {
	const t0 = performance.now();
	try {
		const r = await fetch(base + p, { method, redirect: 'manual', body,
		    headers: { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
		r.html = await r.text();
		if (r.status >= 400) {
			step.errors++;
			step.codes[r.status] = (step.codes[r.status] || 0) + 1;
			return null;
		}
		step.times.push(performance.now() - t0);
		return r;
	} catch (e) {
		step.errors++;
		step.codes[e.cause?.code || 'neterr'] = (step.codes[e.cause?.code || 'neterr'] || 0) + 1;
		return null;
	}
}

// One exam for n candidates. Returns the per-step figures and the check.
async function exam(s, n, from) {
	const people = learners(s, n, from);
	// EXAM_LOG_MS=N: the database logs statements slower than N ms.
	if (process.env.EXAM_LOG_MS)
		s.sql(`ALTER SYSTEM SET log_min_duration_statement = ${Number(process.env.EXAM_LOG_MS)}`), s.sql('SELECT pg_reload_conf()');
	const qs = questionIds(s);
	const steps = { start: { times: [], errors: 0, codes: {} }, page: { times: [], errors: 0, codes: {} }, submit: { times: [], errors: 0, codes: {} } };
	const submitted = [];
	// Every candidate waits for the same instant.
	let go;
	const gate = new Promise((r) => { go = r; });
	const runs = people.map(async (p) => {
		const cookie = `capacita_session=${p.token}`;
		await gate;
		const s1 = await request(s.base, steps.start, 'POST', '/quiz/start', cookie,
		    new URLSearchParams({ csrf: p.csrf, course: 'esame', module: 'esame-finale' }).toString());
		const loc = s1?.headers.get('location');
		if (!loc || !loc.startsWith('/attempt/')) {
			if (s1)
				steps.start.errors++;
			return;
		}
		let html = null;
		for (let page = 0; page < 8; page++) {
			await sleep((30 + Math.random() * 60) * 1000 * THINK);
			const pg = await request(s.base, steps.page, 'GET', loc, cookie);
			if (pg)
				html = pg.html;
		}
		await sleep((30 + Math.random() * 60) * 1000 * THINK);
		if (html === null)
			return;
		const a = answers(qs, p.i, p.csrf, html);
		const r = await request(s.base, steps.submit, 'POST', loc, cookie, a.body);
		if (r)
			submitted.push({ id: loc.slice('/attempt/'.length), score: a.score, max: a.max });
	});
	await sleep(200);
	go();
	await Promise.all(runs);
	// Every submitted attempt once, with its score.
	let bad = 0;
	if (submitted.length > 0) {
		const got = new Map(s.sql(`SELECT id, score, max_score, submitted_at IS NOT NULL FROM attempts WHERE id IN (${submitted.map((x) => `'${x.id}'`).join(',')})`)
		    .split('\n').map((l) => l.split('|')).map(([id, sc, mx, ok]) => [id, { sc: Number(sc), mx: Number(mx), ok }]));
		for (const x of submitted) {
			const g = got.get(x.id);
			if (!g || g.ok !== 't' || Math.abs(g.sc - x.score) > 1e-6 || g.mx !== x.max)
				bad++;
		}
	}
	const dup = s.sql(`SELECT count(*) FROM (SELECT user_id FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'exam%@load.capacita.test' AND a.id IN (${submitted.length ? submitted.map((x) => `'${x.id}'`).join(',') : "''"}) GROUP BY a.id HAVING count(*) > 1) d`);
	return { users: n, steps: ['start', 'page', 'submit'].map((k) => stats(k, steps[k])), codes: { start: steps.start.codes, page: steps.page.codes, submit: steps.submit.codes },
	    submitted: submitted.length, wrongScore: bad, duplicated: Number(dup) };
}

const cmd = process.argv[2] || 'run';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-exam-'));
const s = await stack(dir);
let code = 0;
try {
	if (cmd === 'search') {
		// Double until the start step fails, then bisect (to 10%).
		const ok = (r) => r.steps[0].errors === 0 && r.steps[0].p99 < 1000 && r.wrongScore === 0;
		let lo = 0, hi = 0, n = Number(process.env.USERS || 500), from = 1;
		const runs = [];
		for (;;) {
			const r = await exam(s, n, from);
			from += n;
			runs.push(r);
			console.log(JSON.stringify({ users: n, start: r.steps[0], codes: r.codes.start, wrongScore: r.wrongScore }));
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
			const r = await exam(s, mid, from);
			from += mid;
			runs.push(r);
			console.log(JSON.stringify({ users: mid, start: r.steps[0], codes: r.codes.start, wrongScore: r.wrongScore }));
			if (ok(r))
				lo = mid;
			else
				hi = mid;
		}
		console.log(`exam_max_users ${lo}`);
		const out = path.join(ROOT, 'var/bench/results.json');
		fs.mkdirSync(path.dirname(out), { recursive: true });
		const all = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
		const best = runs.filter((r) => r.users === lo)[0];
		all.exam_max_users = { value: lo, baseline: 3000, ratio: Number((lo / 3000).toFixed(3)), unit: 'users',
		    start_p99_ms: best ? best.steps[0].p99 : null, think: THINK };
		fs.writeFileSync(out, JSON.stringify(all, null, 2) + '\n');
	} else {
		const n = Number(process.env.USERS || 1000);
		const r = await exam(s, n, 1);
		console.log(`exam: ${n} users released together, think time x${THINK}`);
		console.log('step    requests  errors   p50 ms   p95 ms   p99 ms');
		for (const x of r.steps)
			console.log(`${x.step.padEnd(8)}${String(x.requests).padStart(8)}${String(x.errors).padStart(8)}${String(x.p50).padStart(9)}${String(x.p95).padStart(9)}${String(x.p99).padStart(9)}`);
		if (Object.keys(r.codes.start).length + Object.keys(r.codes.page).length + Object.keys(r.codes.submit).length)
			console.log('errors:', JSON.stringify(r.codes));
		console.log(`submitted ${r.submitted}, recorded with a wrong score ${r.wrongScore}, recorded twice ${r.duplicated}`);
		if (r.wrongScore || r.duplicated || r.submitted !== n || r.steps.some((x) => x.errors))
			code = 1;
	}
} finally {
	if (process.env.EXAM_LOG_MS)
		fs.copyFileSync(path.join(s.dir, 'pg', 'postgres.log'), path.join(os.tmpdir(), 'capacita-exam-postgres.log'));
	fs.copyFileSync(s.log, path.join(os.tmpdir(), 'capacita-exam-kore.log'));
	await s.destroy();
}
process.exit(code);
