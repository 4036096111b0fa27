// Faults under load (issue 10), shared by `make faults` (long) and
// tests/integ/faults.test.mjs (short, in make test). Every function runs
// against a stack of its own (tests/lib/stack.mjs) and returns figures;
// the callers assert on them.
import fs from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, elapse } from '../lib/util.mjs';
import { quizPairs } from '../lib/quiz.mjs';

// The attempt's page read as a learner does, and its fields for every
// question answered 'true' (the names are tokens of the attempt: a form
// cannot be sent without the page); null when the page did not come.
async function trueFields(c, loc, n) {
	const page = await c.get(loc);
	if (page.status !== 200)
		return null;
	return quizPairs(page.body, Array(n).fill('true'));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const COURSE = 'faults-corso', MODULE = 'faults-quiz';

// A five-question true/false quiz in a course with unlimited attempts.
export function content(stack) {
	const dir = path.join(stack.dir, 'content');
	fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'courses'), { recursive: true });
	let quiz = '';
	for (let i = 1; i <= 5; i++)
		quiz += `? Domanda ${i}\ncompetenza: ACC.1 base\n= vero\n\n`;
	fs.writeFileSync(path.join(dir, 'modules', `${MODULE}.md`), `---\ntitle: Quiz dei guasti\nslug: ${MODULE}\nlang: it\nminutes: 5\nsummary: Cinque domande.\n---\nTesto.\n\n\`\`\`quiz\n${quiz}\`\`\`\n`);
	fs.writeFileSync(path.join(dir, 'courses', `${COURSE}.md`), `---\ntitle: Corso dei guasti\nslug: ${COURSE}\nlang: it\nsummary: Prova.\nhours: 1\nmodules:\n  - ${MODULE}\nattempts: 0\n---\nCorso.\n`);
	const r = stack.cli(['import', dir]);
	if (r.status !== 0)
		throw new Error(r.stderr);
	return stack.sql(`SELECT string_agg(q.id::text, ',' ORDER BY q.position) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE m.slug = '${MODULE}'`).split(',');
}

// n learners with passwords, signed in and enrolled.
export async function learners(stack, n, tag) {
	const r = stack.cli(['org', 'add', 'campania', `${tag}-ente`, `Ente ${tag}`]);
	if (r.status !== 0 && !/already used/.test(r.stderr))
		throw new Error(r.stderr);
	const out = [];
	for (let i = 0; i < n; i++) {
		const email = `${tag}-${i}@example.org`;
		const add = stack.cli(['user', 'add', `Persona ${i}`, email, `${tag}-ente`, 'learner']);
		const token = /password\?token=([A-Za-z0-9_-]{43})/.exec(add.stdout)[1];
		const c = new Client(stack.base);
		let csrf = await c.csrf('/password?token=' + token);
		await c.post('/password', { form: { csrf, token, password: PASSWORD, password2: PASSWORD } });
		const l = await c.login(email, PASSWORD);
		if (l.status !== 303)
			throw new Error(`login ${email}: ${l.status}`);
		csrf = await c.csrf('/me');
		const e = await c.post('/learn/enrol', { form: { csrf, course: COURSE } });
		if (e.status !== 303)
			throw new Error(`enrol: ${e.status}`);
		out.push({ c, csrf, email });
	}
	return out;
}

/*
 * Every learner starts and submits quizzes until stop() says so. Returns
 * the log: acknowledged submissions (attempt ids answered 2xx/3xx), the
 * statuses seen, 503s with and without Retry-After, and network errors.
 */
export function quizLoad(people, qs, base) {
	const log = { acked: [], statuses: {}, retryAfter: 0, noRetryAfter: 0, neterr: 0, firstOkAfter: [] };
	let running = true;
	const note = (r) => {
		log.statuses[r.status] = (log.statuses[r.status] || 0) + 1;
		if (r.status === 503) {
			if (r.headers.get('retry-after'))
				log.retryAfter++;
			else
				log.noRetryAfter++;
		}
	};
	const loops = people.map(async (p) => {
		p.c.base = base;
		while (running) {
			try {
				const s = await p.c.post('/quiz/start', { form: { csrf: p.csrf, course: COURSE, module: MODULE } });
				note(s);
				const loc = s.headers.get('location') || '';
				if (s.status !== 303 || !loc.startsWith('/attempt/')) {
					await sleep(100);
					continue;
				}
				const fields = await trueFields(p.c, loc, qs.length);
				if (fields === null) {
					await sleep(100);
					continue;
				}
				const body = new URLSearchParams({ csrf: p.csrf });
				for (const [k, v] of fields)
					body.append(k, v);
				const r = await p.c.req('POST', loc, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
				note(r);
				if (r.status >= 200 && r.status < 400)
					log.acked.push(loc.slice('/attempt/'.length));
				else
					await sleep(100);
			} catch {
				log.neterr++;
				await sleep(100);
			}
		}
	});
	return { log, async stop() { running = false; await Promise.all(loops); } };
}

// Acknowledged submissions missing from the database (must be none).
export function lost(stack, acked) {
	if (acked.length === 0)
		return [];
	const have = new Set(stack.sql(`SELECT id FROM attempts WHERE submitted_at IS NOT NULL AND id IN (${acked.map((a) => `'${a}'`).join(',')})`).split('\n'));
	return acked.filter((a) => !have.has(a));
}

// PostgreSQL restarted under load: 503 with Retry-After during the
// outage, service back within 5 s, nothing acknowledged lost.
export async function pgRestart(stack, people, qs, seconds) {
	const load = quizLoad(people, qs, stack.base);
	await sleep(seconds * 1000 / 3);
	const before = load.log.acked.length;
	await stack.pgRestart();
	const t0 = Date.now();
	// Time until a fresh request succeeds again.
	let back = null;
	while (Date.now() - t0 < 15000) {
		try {
			const h = await fetch(stack.base + '/');
			if (h.status === 200) {
				back = Date.now() - t0;
				break;
			}
		} catch { /* keep trying */ }
		await sleep(50);
	}
	await sleep(seconds * 1000 * 2 / 3);
	await load.stop();
	return { ...load.log, ackedBefore: before, backMs: back, lost: lost(stack, load.log.acked), workers: stack.workers().length };
}

// A worker killed with SIGKILL under load is replaced; nothing lost.
export async function workerKill(stack, people, qs, seconds) {
	const load = quizLoad(people, qs, stack.base);
	await sleep(seconds * 1000 / 3);
	const w = stack.workers();
	process.kill(w[0], 'SIGKILL');
	await sleep(seconds * 1000 * 2 / 3);
	await load.stop();
	const after = stack.workers();
	return { ...load.log, killed: w[0], workersBefore: w.length, workersAfter: after.length, replaced: !after.includes(w[0]) && after.length === w.length, lost: lost(stack, load.log.acked) };
}

// The server killed while a badge is being issued: after a restart the
// queue resumes and the badge is issued once.
export async function badgeKill(stack, person, qs) {
	await stack.stop();
	await stack.start({ CAPACITA_FAULT_JOB_SLEEP: '4' });
	// Sessions live in the database: the learner is still signed in.
	person.c.base = stack.base;
	person.csrf = await person.c.csrf('/me');
	// Read the module, then pass its quiz: the course completes.
	const page = await person.c.get(`/modules/${MODULE}`);
	const v = /name="version" value="(\d+)"/.exec(page.body);
	await elapse(person.c, v[1], (q) => stack.sql(q));
	await person.c.post('/learn/read', { form: { csrf: person.csrf, version: v[1] } });
	const s = await person.c.post('/quiz/start', { form: { csrf: person.csrf, course: COURSE, module: MODULE } });
	const body = new URLSearchParams({ csrf: person.csrf });
	for (const [k, v] of await trueFields(person.c, s.headers.get('location'), qs.length))
		body.append(k, v);
	await person.c.req('POST', s.headers.get('location'), { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	const uid = stack.sql(`SELECT id FROM users WHERE email = '${person.email}'`);
	const completed = stack.sql(`SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${COURSE}' AND e.completed_at IS NOT NULL`);
	// Wait until the badge job is running (holding its transaction).
	let running = false;
	for (let i = 0; i < 100 && !running; i++) {
		running = stack.sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()") !== '0';
		if (!running)
			await sleep(100);
	}
	stack.kill('SIGKILL');
	await sleep(500);
	const during = stack.sql(`SELECT count(*) FROM badges WHERE user_id = ${uid}`);
	const pending = stack.sql(`SELECT count(*) FROM jobs j JOIN enrolments e ON j.ref = e.id::text WHERE e.user_id = ${uid} AND j.kind = 'badge' AND j.done_at IS NULL`);
	await stack.start();
	let after = '0';
	for (let i = 0; i < 100 && after === '0'; i++) {
		after = stack.sql(`SELECT count(*) FROM badges WHERE user_id = ${uid}`);
		if (after === '0')
			await sleep(100);
	}
	const done = stack.sql(`SELECT count(*) FROM jobs j JOIN enrolments e ON j.ref = e.id::text WHERE e.user_id = ${uid} AND j.kind = 'badge' AND j.done_at IS NOT NULL`);
	return { completed, wasRunning: running, badgesWhileDown: during, pendingWhileDown: pending, badgesAfter: after, jobsDone: done };
}

/*
 * A mixed journey for `seconds` over `conns` concurrent clients: the
 * catalogue, a module page, the learner's dashboard, a quiz start and
 * submission, the JSON API. Returns requests and errors (non-2xx/3xx).
 */
export async function mixedLoad(stack, people, qs, seconds) {
	const end = Date.now() + seconds * 1000;
	const r = { requests: 0, errors: 0, byStatus: {}, submissions: 0 };
	const ms = [];
	const timed = async (pending) => {
		const t = performance.now();
		const res = await pending;
		ms.push(performance.now() - t);
		return res;
	};
	const hit = (res) => {
		r.requests++;
		r.byStatus[res.status] = (r.byStatus[res.status] || 0) + 1;
		if (res.status >= 400)
			r.errors++;
	};
	await Promise.all(people.map(async (p) => {
		p.c.base = stack.base;
		while (Date.now() < end) {
			try {
				hit(await timed(p.c.get('/')));
				hit(await timed(p.c.get(`/modules/${MODULE}`)));
				hit(await timed(p.c.get('/learn')));
				hit(await timed(p.c.get('/api/me/attempts')));
				const s = await timed(p.c.post('/quiz/start', { form: { csrf: p.csrf, course: COURSE, module: MODULE } }));
				hit(s);
				const loc = s.headers.get('location') || '';
				if (loc.startsWith('/attempt/')) {
					const page = await timed(p.c.get(loc));
					hit(page);
					const body = new URLSearchParams({ csrf: p.csrf });
					for (const [k, v] of page.status === 200 ? quizPairs(page.body, qs.map(() => 'true')) : [])
						body.append(k, v);
					const x = await timed(p.c.req('POST', loc, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
					hit(x);
					if (x.status < 400)
						r.submissions++;
				}
			} catch (e) {
				// A network error: counted, and named in byStatus.
				const code = e.cause?.code || e.code || e.message;
				console.error(`network error ${code} at ${((Date.now() - end) / 1000 + seconds).toFixed(1)} s of ${seconds}`);
				r.requests++;
				r.errors++;
				r.byStatus[code] = (r.byStatus[code] || 0) + 1;
			}
		}
	}));
	// Response times, in ms: a fair server keeps the slowest close to
	// the typical one; a starved request shows here first.
	ms.sort((a, b) => a - b);
	const at = (q) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] || 0);
	r.latency = { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: Math.round(ms[ms.length - 1] || 0) };
	return r;
}
