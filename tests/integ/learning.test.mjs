// Issue 5: enrolment, reading, the quiz engine, completion with its
// queued jobs, the hours ledger, history and the JSON API.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, Client, PASSWORD, ROOT, TMP, cli, contentDir, org, sql, user, signedIn, unique } from '../lib/util.mjs';

const tag = unique('le').replace(/[^a-z0-9-]/g, '');
const M1 = `${tag}-m1`, M2 = `${tag}-m2`, C = `${tag}-corso`, CL = `${tag}-last`;

const m1 = (extra = '') => `---
title: Modulo uno ${tag}
slug: ${M1}
lang: it
minutes: 30
summary: Il primo modulo.
competences:
  - GOV.1
---
Testo del primo modulo.${extra}

\`\`\`quiz
? Chi rilascia il permesso di soggiorno?
competenza: ACC.1 base
( ) Il Comune
    -> FEEDBACK-COMUNE
(x) La Questura
    -> FEEDBACK-QUESTURA
( ) La Regione

? Quali sono servizi del Comune?
competenza: GOV.1 intermedio
[x] Anagrafe
[x] Servizi sociali
[ ] Permesso di soggiorno

? Le cure urgenti sono garantite a tutti.
competenza: ACC.2 base
= vero
giusto: FEEDBACK-GIUSTO
sbagliato: FEEDBACK-SBAGLIATO

? Entro quanti giorni si chiede il permesso?
competenza: ACC.1 base
= 8 ± 0

? Quale ufficio rilascia il permesso?
competenza: ACC.1 base
= Questura | la Questura

? Ordinate le fasi.
competenza: INT.2 base
1. Accoglienza
2. Piano
3. Chiusura
\`\`\`
`;
const m2 = `---
title: Modulo due ${tag}
slug: ${M2}
lang: it
minutes: 45
summary: Il secondo modulo.
---
Testo del secondo modulo.

\`\`\`quiz
? Due più due?
competenza: VAL.1 base
= 4
\`\`\`
`;
const course = (slug, grading, hours = 2) => `---
title: Corso ${slug}
slug: ${slug}
lang: it
summary: Corso di prova.
hours: ${hours}
modules:
  - ${M1}
  - ${M2}
completion: quiz 70%
attempts: 3
grading: ${grading}
competences:
  - GOV.1 base
---
Descrizione.
`;

let learner, dir;

// The question ids of a version, in order, with their options' positions.
function questions(slug) {
	const rows = sql(`SELECT q.id, q.type FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}' ORDER BY q.position`);
	return rows.split('\n').map((r) => { const [id, type] = r.split('|'); return { id, type }; });
}

// A fully right answer set for M1, as the form would send it.
function rightAnswers(qs) {
	return [
		[`q${qs[0].id}`, '2'],
		[`q${qs[1].id}`, '1'], [`q${qs[1].id}`, '2'],
		[`q${qs[2].id}`, 'true'],
		[`q${qs[3].id}`, '8'],
		[`q${qs[4].id}`, '  LA questura '],
		[`q${qs[5].id}_1`, '1'], [`q${qs[5].id}_2`, '2'], [`q${qs[5].id}_3`, '3'],
	];
}

function body(csrf, pairs) {
	const p = new URLSearchParams();
	p.append('csrf', csrf);
	for (const [k, v] of pairs)
		p.append(k, v);
	return p.toString();
}

async function startAttempt(c, courseSlug, moduleSlug) {
	const csrf = await c.csrf('/me');
	const r = await c.post('/quiz/start', { form: { csrf, course: courseSlug, module: moduleSlug } });
	return { status: r.status, id: (r.headers.get('location') || '').replace('/attempt/', ''), body: r.body };
}

async function submit(c, id, pairs) {
	const csrf = await c.csrf('/me');
	return c.req('POST', `/attempt/${id}`, { body: body(csrf, pairs), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

async function read(c, slug) {
	const page = await c.get(`/modules/${slug}`);
	const m = /name="version" value="(\d+)"/.exec(page.body);
	if (!m)
		return page;
	const csrf = await c.csrf('/me');
	return c.post('/learn/read', { form: { csrf, version: m[1] } });
}

before(async () => {
	dir = contentDir(tag, {
		[`modules/${M1}.md`]: m1(), [`modules/${M2}.md`]: m2,
		[`courses/${C}.md`]: course(C, 'highest'), [`courses/${CL}.md`]: course(CL, 'last'),
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr);
	org('campania', `${tag}-ente`, 'Ente apprendimento');
	org(`${tag}-ente`, `${tag}-uff`, 'Ufficio apprendimento');
	learner = await signedIn(await user({ email: `l-${tag}@example.org`, org: `${tag}-uff` }));
});

test('enrol, dashboard with progress and next step, JSON API', async () => {
	let csrf = await learner.csrf(`/courses/${C}`);
	const r = await learner.post('/learn/enrol', { form: { csrf, course: C } });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/learn/${C}`);
	const dash = await learner.get('/learn');
	assert.equal(dash.status, 200);
	assert.match(dash.body, new RegExp(`href="/learn/${C}"`));
	assert.match(dash.body, /<progress class="progress-native" max="2" value="0"/);
	assert.match(dash.body, new RegExp(`Prossimo passo: <a href="/modules/${M1}">`));
	const api = JSON.parse((await learner.get('/api/me/enrolments')).body);
	const e = api.enrolments.find((x) => x.course === C);
	assert.deepEqual(e.progress, { modules: 2, done: 0 });
	assert.equal(e.completed_at, null);
	// Enrolling through the API needs the CSRF header.
	const me = JSON.parse((await learner.get('/api/me')).body);
	assert.equal((await learner.req('POST', '/api/me/enrolments', { body: JSON.stringify({ course: CL }), headers: { 'content-type': 'application/json' } })).status, 403);
	const ok = await learner.req('POST', '/api/me/enrolments', { body: JSON.stringify({ course: CL }), headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf } });
	assert.equal(ok.status, 201);
	assert.equal((await learner.req('POST', '/api/me/enrolments', { body: '{"course": 1}', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf } })).status, 400);
	csrf = await learner.csrf('/me');
	assert.equal((await learner.post('/learn/enrol', { form: { csrf, course: 'no-such-course' } })).status, 404);
});

test('reading is recorded without JavaScript: opened, finished, time spent', async () => {
	await learner.get(`/modules/${M1}`);
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	assert.equal(sql(`SELECT count(*) FROM module_reads r JOIN module_versions v ON v.id = r.version_id JOIN modules m ON m.id = v.module_id WHERE r.user_id = ${uid} AND m.slug = '${M1}' AND r.finished_at IS NULL`), '1');
	sql(`UPDATE module_reads SET opened_at = now() - interval '10 minutes' WHERE user_id = ${uid}`);
	const r = await read(learner, M1);
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT seconds BETWEEN 595 AND 700 FROM module_reads WHERE user_id = ${uid}`), 't');
	const page = await learner.get(`/modules/${M1}`);
	assert.match(page.body, /Lettura completata il/);
	// A tab left open for hours is capped at three times the module's minutes.
	await learner.get(`/modules/${M2}`);
	sql(`UPDATE module_reads r SET opened_at = now() - interval '20 hours' FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE v.id = r.version_id AND m.slug = '${M2}' AND r.user_id = ${uid}`);
	await read(learner, M2);
	assert.equal(sql(`SELECT r.seconds FROM module_reads r JOIN module_versions v ON v.id = r.version_id JOIN modules m ON m.id = v.module_id WHERE r.user_id = ${uid} AND m.slug = '${M2}'`), String(3 * 45 * 60));
});

test('the attempt page hides answers and feedback; options are shuffled reproducibly', async () => {
	const a = await startAttempt(learner, C, M1);
	assert.equal(a.status, 303);
	const page = await learner.get(`/attempt/${a.id}`);
	assert.equal(page.status, 200);
	for (const secret of ['FEEDBACK-QUESTURA', 'FEEDBACK-COMUNE', 'FEEDBACK-GIUSTO', 'FEEDBACK-SBAGLIATO', 'Questura | la', '(x)', 'correct', '= 8'])
		assert.ok(!page.body.includes(secret), `the page leaks ${secret}`);
	const order = (b) => [...b.matchAll(/<input name="q\d+" type="radio" id="q\d+-(\d)"/g)].map((m) => m[1]).join('');
	const again = await learner.get(`/attempt/${a.id}`);
	assert.equal(order(page.body), order(again.body), 'same attempt, same order');
	assert.equal((await startAttempt(learner, C, M1)).id, a.id, 'an open attempt is resumed, not doubled');
	const seed = sql(`SELECT seed FROM attempts WHERE id = '${a.id}'`);
	assert.match(seed, /^\d+$/);
	// The seed decides the order: other seeds give other orders.
	const seen = new Set();
	for (let i = 0; i < 12; i++) {
		sql(`UPDATE attempts SET seed = ${1000 + i} WHERE id = '${a.id}'`);
		seen.add(order((await learner.get(`/attempt/${a.id}`)).body));
	}
	sql(`UPDATE attempts SET seed = ${seed} WHERE id = '${a.id}'`);
	assert.ok(seen.size > 1, 'options are shuffled');
	// Another learner cannot see this attempt.
	const other = await signedIn(await user({ email: `o-${tag}@example.org`, org: `${tag}-uff` }));
	assert.equal((await other.get(`/attempt/${a.id}`)).status, 404);
	assert.equal((await submit(other, a.id, [])).status, 404);
});

test('answers outside the attempt get 400 and change nothing', async () => {
	const id = sql(`SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email = 'l-${tag}@example.org' AND a.submitted_at IS NULL`);
	const qs = questions(M1);
	const q2 = questions(M2);
	const bad = [
		[['q999999999', '1']],
		[[`q${q2[0].id}`, '4']],
		[[`q${qs[0].id}`, '9']],
		[[`q${qs[0].id}`, '1,2']],
		[[`q${qs[1].id}`, '7']],
		[[`q${qs[1].id}`, '1'], [`q${qs[1].id}`, '1']],
		[[`q${qs[2].id}`, 'maybe']],
		[[`q${qs[3].id}`, 'otto']],
		[[`q${qs[5].id}_1`, '1'], [`q${qs[5].id}_2`, '1'], [`q${qs[5].id}_3`, '3']],
		[[`q${qs[5].id}_1`, '1']],
		[[`q${qs[5].id}`, '1,2,3']],
		[['x', '1']],
	];
	for (const pairs of bad) {
		const r = await submit(learner, id, pairs);
		assert.equal(r.status, 400, JSON.stringify(pairs));
	}
	const raw = await learner.req('POST', `/attempt/${id}`, { body: 'csrf=%zz', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	assert.equal(raw.status, 400);
	assert.equal(sql(`SELECT submitted_at IS NULL FROM attempts WHERE id = '${id}'`), 't');
	assert.equal(sql(`SELECT count(*) FROM attempt_answers WHERE attempt_id = '${id}'`), '0');
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE attempt_id = '${id}'`), '0');
	const noCsrf = await learner.req('POST', `/attempt/${id}`, { body: `q${qs[0].id}=2`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	assert.equal(noCsrf.status, 403);
});

test('fail, feedback afterwards, retry and pass; a double submit is recorded once', async () => {
	const id = sql(`SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email = 'l-${tag}@example.org' AND a.submitted_at IS NULL`);
	const qs = questions(M1);
	// Wrong on purpose: Comune, only Anagrafe, falso, 9, Prefettura, reversed order.
	const wrong = [[`q${qs[0].id}`, '1'], [`q${qs[1].id}`, '1'], [`q${qs[2].id}`, 'false'], [`q${qs[3].id}`, '9'], [`q${qs[4].id}`, 'Prefettura'],
	    [`q${qs[5].id}_1`, '3'], [`q${qs[5].id}_2`, '2'], [`q${qs[5].id}_3`, '1']];
	const [r1, r2] = await Promise.all([submit(learner, id, wrong), submit(learner, id, wrong)]);
	assert.equal(r1.status, 303);
	assert.equal(r2.status, 303);
	assert.equal(sql(`SELECT count(*) FROM attempt_answers WHERE attempt_id = '${id}'`), '6');
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE attempt_id = '${id}'`), '6');
	// Partial credit: one of two right boxes = half of question 2's point.
	assert.equal(sql(`SELECT score || '/' || max_score || '/' || passed FROM attempts WHERE id = '${id}'`), '0.500/6.000/false');
	const res = await learner.get(`/attempt/${id}`);
	assert.match(res.body, /Quiz non superato/);
	assert.match(res.body, /FEEDBACK-COMUNE/, 'per-answer feedback after submission');
	assert.match(res.body, /FEEDBACK-SBAGLIATO/);
	assert.match(res.body, /Risposta giusta: La Questura/);
	// Submitting again later changes nothing either.
	assert.equal((await submit(learner, id, rightAnswers(qs))).status, 303);
	assert.equal(sql(`SELECT passed FROM attempts WHERE id = '${id}'`), 'f');

	const b = await startAttempt(learner, C, M1);
	assert.notEqual(b.id, id);
	assert.equal((await submit(learner, b.id, rightAnswers(qs))).status, 303);
	assert.equal(sql(`SELECT number || '/' || percent || '/' || passed FROM attempts WHERE id = '${b.id}'`), '2/100.00/true');
	assert.match((await learner.get(`/attempt/${b.id}`)).body, /Quiz superato/);
});

test('completion: one transaction with its jobs; hours credited to the ledger', async () => {
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	assert.equal(sql(`SELECT count(*) FROM hours_ledger WHERE user_id = ${uid} AND source = 'module'`), '1', 'M1 done: its minutes');
	assert.equal(sql(`SELECT hours FROM hours_ledger WHERE user_id = ${uid} AND source = 'module'`), '0.50');
	assert.equal(sql(`SELECT completed_at IS NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${C}'`), 't');
	const a = await startAttempt(learner, C, M2);
	const q = questions(M2);
	assert.equal((await submit(learner, a.id, [[`q${q[0].id}`, '4']])).status, 303);
	const row = sql(`SELECT e.id, e.completed_at IS NOT NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${C}'`);
	const [eid, done] = row.split('|');
	assert.equal(done, 't');
	assert.equal(sql(`SELECT string_agg(kind, ',' ORDER BY kind) FROM jobs WHERE ref = '${eid}'`), 'badge,competence');
	// 30 + 45 minutes of modules; the course's 2 hours credit the rest.
	assert.equal(sql(`SELECT sum(hours) FROM hours_ledger WHERE user_id = ${uid}`), '2.00');
	assert.equal(sql(`SELECT hours FROM hours_ledger WHERE user_id = ${uid} AND source = 'course'`), '0.75');
	const hours = JSON.parse((await learner.get('/api/me/hours')).body);
	assert.equal(hours.target, 40);
	assert.equal(Number(hours.hours), 2);
	const dash = await learner.get('/learn');
	assert.match(dash.body, /<strong>2<\/strong> ore su 40 ore/);
	assert.match(dash.body, /completato/);
});

test('attempt limit per course, and the "last attempt" grading method', async () => {
	const qs = questions(M1);
	// In the "last" course: pass, then fail: the module is no longer done.
	let a = await startAttempt(learner, CL, M1);
	await submit(learner, a.id, rightAnswers(qs));
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	const done = () => sql(`SELECT module_done(${uid}, c.id, m.id) FROM courses c, modules m WHERE c.slug = '${CL}' AND m.slug = '${M1}'`);
	assert.equal(done(), 't');
	a = await startAttempt(learner, CL, M1);
	await submit(learner, a.id, [[`q${qs[0].id}`, '1']]);
	assert.equal(done(), 'f', 'the last attempt counts');
	a = await startAttempt(learner, CL, M1);
	await submit(learner, a.id, [[`q${qs[0].id}`, '1']]);
	const fourth = await startAttempt(learner, CL, M1);
	assert.equal(fourth.status, 409);
	assert.match(fourth.body, /esaurito i tentativi/);
	assert.match((await learner.get(`/learn/${CL}`)).body, /Tentativi esauriti/);
});

test('history and API list every attempt with its module version', async () => {
	const h = await learner.get('/learn/history');
	assert.equal(h.status, 200);
	const api = JSON.parse((await learner.get('/api/me/attempts')).body);
	assert.ok(api.attempts.length >= 5);
	for (const x of api.attempts) {
		assert.match(x.sha256, /^[0-9a-f]{64}$/);
		assert.ok(h.body.includes(`/attempt/${x.id}`));
	}
	// A new version of the module: old results keep their old version.
	fs.writeFileSync(path.join(dir, `modules/${M1}.md`), m1('\n\nUn paragrafo nuovo.'));
	assert.equal(cli(['import', dir]).status, 0);
	const after = JSON.parse((await learner.get('/api/me/attempts')).body);
	const v1 = sql(`SELECT v.sha256 FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${M1}' AND v.version_no = 1`);
	assert.ok(after.attempts.filter((x) => x.module === M1).every((x) => x.sha256 === v1 && x.version === 1));
	assert.match((await learner.get(`/modules/${M1}`)).body, /versione 2/);
});

test('HR assigns a course to an office with a deadline; sees hours', async () => {
	const hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: `${tag}-ente`, roles: 'hr' }));
	const fresh = await signedIn(await user({ email: `n-${tag}@example.org`, org: `${tag}-uff` }));
	const csrf = await hr.csrf('/hr/people');
	const r = await hr.post('/hr/assign', { form: { csrf, course: C, org: `${tag}-uff`, email: '', due: '2031-06-30' } });
	assert.equal(r.status, 200);
	assert.match(r.body, /Corso assegnato. Persone: [3-9]/);
	const dash = await fresh.get('/learn');
	// Issue 18: one Italian date form (was 30/06/2031).
	assert.match(dash.body, /Scadenza: 30 giugno 2031/);
	assert.equal(sql(`SELECT e.source || '/' || e.due_date FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id WHERE u.email = 'n-${tag}@example.org' AND c.slug = '${C}'`), 'assigned/2031-06-30');
	const people = await hr.get('/hr/people');
	assert.match(people.body, new RegExp(`l-${tag}@example.org</td><td>[^<]*</td><td>[^<]*</td><td>2,0</td>`));
	// Outside the subtree: nobody.
	const out = await hr.post('/hr/assign', { form: { csrf, course: C, org: 'sicilia', email: '', due: '' } });
	assert.equal(out.status, 404);
});

test('50 learners submitting at once are each recorded exactly once', async () => {
	const n = 50;
	const csv = path.join(TMP, `${tag}-50.csv`);
	fs.writeFileSync(csv, 'name,email,office,roles\n' + Array.from({ length: n }, (_, i) => `P ${i},p${i}-${tag}@example.org,${tag}-uff,learner\n`).join(''));
	assert.equal(cli(['user', 'import', csv]).status, 0);
	sql(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'l-${tag}@example.org') WHERE email LIKE 'p%-${tag}@example.org'`);
	const clients = await Promise.all(Array.from({ length: n }, (_, i) => signedIn({ email: `p${i}-${tag}@example.org`, password: PASSWORD })));
	const qs = questions(M1);
	const ids = [];
	for (const c of clients) {
		const csrf = await c.csrf('/me');
		await c.post('/learn/enrol', { form: { csrf, course: C } });
		ids.push((await startAttempt(c, C, M1)).id);
	}
	// Everyone submits twice, all at the same time.
	const results = await Promise.all(clients.flatMap((c, i) => [submit(c, ids[i], rightAnswers(qs)), submit(c, ids[i], rightAnswers(qs))]));
	assert.ok(results.every((r) => r.status === 303), results.map((r) => r.status).join(','));
	assert.equal(sql(`SELECT count(*) FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'p%-${tag}@example.org' AND a.submitted_at IS NOT NULL`), String(n));
	assert.equal(sql(`SELECT count(*) FROM attempt_answers x JOIN attempts a ON a.id = x.attempt_id JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'p%-${tag}@example.org'`), String(n * qs.length));
	assert.equal(sql(`SELECT count(DISTINCT a.user_id) FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'p%-${tag}@example.org' AND a.passed`), String(n));
});

test('a server killed in the middle of a completion leaves nothing half done', async () => {
	// A second server on the same database, which holds the completion's
	// transaction open for 5 s (CAPACITA_FAULT_COMPLETION_SLEEP).
	const port = path.join(TMP, `${tag}-crash.port`);
	const conf = path.join(TMP, `${tag}-crash.conf`);
	fs.writeFileSync(conf, fs.readFileSync(path.join(ROOT, 'conf/app.conf'), 'utf8')
	    .replace(/bind 127\.0\.0\.1 \d+/, 'bind 127.0.0.1 0').replace(/^pidfile.*$/m, `pidfile ${TMP}/${tag}-crash.pid`));
	const startServer = async (env) => {
		fs.rmSync(port, { force: true });
		const k = spawn('kore', ['-fnr', '-c', conf], { cwd: ROOT, detached: true, stdio: 'ignore',
		    env: { ...process.env, CAPACITA_PORT_FILE: port, ...env } });
		for (let i = 0; i < 200 && !fs.existsSync(port); i++)
			await new Promise((r) => setTimeout(r, 50));
		return { k, base: `http://127.0.0.1:${fs.readFileSync(port, 'utf8').trim()}` };
	};
	const u = await user({ email: `crash-${tag}@example.org`, org: `${tag}-uff` });
	const uid = u.id;
	let srv = await startServer({ CAPACITA_FAULT_COMPLETION_SLEEP: '5' });
	let c = new Client(srv.base);
	assert.equal((await c.login(u.email, PASSWORD)).status, 303);
	let csrf = await c.csrf('/me');
	await c.post('/learn/enrol', { form: { csrf, course: C } });
	await read(c, M1);
	await read(c, M2);
	const q2 = questions(M2);
	const qs = questions(M1);
	const a1 = await startAttempt(c, C, M1);
	await submit(c, a1.id, rightAnswers(qs));
	const a2 = await startAttempt(c, C, M2);
	const pending = submit(c, a2.id, [[`q${q2[0].id}`, '4']]).catch((e) => e);
	await new Promise((r) => setTimeout(r, 1500));
	process.kill(-srv.k.pid, 'SIGKILL');
	await pending;
	const state = () => sql(`SELECT (SELECT submitted_at IS NOT NULL FROM attempts WHERE id = '${a2.id}') || '/' || (SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${C}' AND e.completed_at IS NOT NULL) || '/' || (SELECT count(*) FROM jobs j JOIN enrolments e ON j.ref = e.id::text WHERE e.user_id = ${uid}) || '/' || (SELECT count(*) FROM hours_ledger WHERE user_id = ${uid} AND source = 'course')`);
	for (let i = 0; i < 50 && sql(`SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`) !== '0'; i++)
		await new Promise((r) => setTimeout(r, 200));
	assert.equal(state(), 'false/0/0/0', 'nothing of the interrupted completion');
	// The same submission after a restart completes, with its jobs.
	srv = await startServer({});
	c = new Client(srv.base);
	await c.login(u.email, PASSWORD);
	assert.equal((await submit(c, a2.id, [[`q${q2[0].id}`, '4']])).status, 303);
	assert.equal(state(), 'true/1/2/1', 'completion, both jobs and the hours, together');
	process.kill(-srv.k.pid, 'SIGTERM');
});
