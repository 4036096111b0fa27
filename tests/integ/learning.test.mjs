// Issue 5: enrolment, reading, the quiz engine, completion with its
// queued jobs, the hours ledger, history and the JSON API.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, Client, PASSWORD, ROOT, TMP, cli, contentDir, org, readModule, sql, user, signedIn, unique } from '../lib/util.mjs';
import { answer, parseQuiz, quizPairs } from '../lib/quiz.mjs';

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

// The question ids of a version, in order.
function questions(slug) {
	const rows = sql(`SELECT q.id, q.type FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}' ORDER BY q.position`);
	return rows.split('\n').map((r) => { const [id, type] = r.split('|'); return { id, type }; });
}

// M1 answered right and wrong, as a learner picks on the page.
const RIGHT = ['La Questura', ['Anagrafe', 'Servizi sociali'], 'true', '8', '  LA questura ', ['Accoglienza', 'Piano', 'Chiusura']];
const WRONG = ['Il Comune', ['Anagrafe'], 'false', '9', 'Prefettura', ['Chiusura', 'Piano', 'Accoglienza']];

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

// The fields of an attempt's page for answers given by place.
async function fields(c, id, answers) {
	return quizPairs((await c.get(`/attempt/${id}`)).body, answers);
}

// Read to the end, the module's minimum time having passed.
const read = (c, slug) => readModule(c, slug);

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

test('reading is recorded without JavaScript: opened, finished after the minimum time, time spent', async () => {
	await learner.get(`/modules/${M1}`);
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	assert.equal(sql(`SELECT count(*) FROM module_reads r JOIN module_versions v ON v.id = r.version_id JOIN modules m ON m.id = v.module_id WHERE r.user_id = ${uid} AND m.slug = '${M1}' AND r.finished_at IS NULL`), '1');
	const version = sql(`SELECT current_version_id FROM modules WHERE slug = '${M1}'`);
	const finish = async () => learner.post('/learn/read', { form: { csrf: await learner.csrf('/me'), version } });
	// Issue 18: "finished" at once credited a 30-minute module's half
	// hour. Now it needs half its minutes from the first opening.
	let r = await finish();
	assert.equal(r.status, 409);
	assert.match(r.body, /Lettura non ancora registrata/);
	assert.match(r.body, /data-stat="ready">Si potrà segnare come letto dalle ore \d\d:\d\d \(minuti mancanti: 15\)/);
	sql(`UPDATE module_reads SET opened_at = now() - interval '10 minutes' WHERE user_id = ${uid}`);
	assert.match((await learner.get(`/modules/${M1}`)).body, /Il modulo si potrà segnare come letto dalle \d\d:\d\d/);
	r = await finish();
	assert.equal(r.status, 409);
	assert.match(r.body, /minuti mancanti: 5\)/);
	assert.equal(sql(`SELECT count(*) FROM module_reads WHERE user_id = ${uid} AND finished_at IS NOT NULL`), '0');
	assert.equal(sql(`SELECT count(*) FROM hours_ledger WHERE user_id = ${uid}`), '0');
	// Never opened: nothing to measure from, nothing recorded.
	const v2 = sql(`SELECT current_version_id FROM modules WHERE slug = '${M2}'`);
	r = await learner.post('/learn/read', { form: { csrf: await learner.csrf('/me'), version: v2 } });
	assert.equal(r.status, 409);
	assert.match(r.body, /non risulta aperto/);
	assert.equal(sql(`SELECT count(*) FROM module_reads WHERE user_id = ${uid} AND version_id = ${v2}`), '0');
	// After 20 minutes of a 30-minute module: recorded, with the time.
	sql(`UPDATE module_reads SET opened_at = now() - interval '20 minutes' WHERE user_id = ${uid}`);
	r = await finish();
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT seconds BETWEEN 1195 AND 1300 FROM module_reads WHERE user_id = ${uid}`), 't');
	const page = await learner.get(`/modules/${M1}`);
	assert.match(page.body, /Lettura completata il/);
	assert.equal((await finish()).status, 303, 'a second click changes nothing');
	assert.equal(sql(`SELECT seconds BETWEEN 1195 AND 1300 FROM module_reads WHERE user_id = ${uid}`), 't');
	// A tab left open for hours is capped at three times the module's minutes.
	await learner.get(`/modules/${M2}`);
	sql(`UPDATE module_reads r SET opened_at = now() - interval '20 hours' FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE v.id = r.version_id AND m.slug = '${M2}' AND r.user_id = ${uid}`);
	assert.equal((await learner.post('/learn/read', { form: { csrf: await learner.csrf('/me'), version: v2 } })).status, 303);
	assert.equal(sql(`SELECT r.seconds FROM module_reads r JOIN module_versions v ON v.id = r.version_id JOIN modules m ON m.id = v.module_id WHERE r.user_id = ${uid} AND m.slug = '${M2}'`), String(3 * 45 * 60));
});

test('the attempt page hides answers and feedback; options are shuffled reproducibly', async () => {
	const a = await startAttempt(learner, C, M1);
	assert.equal(a.status, 303);
	const page = await learner.get(`/attempt/${a.id}`);
	assert.equal(page.status, 200);
	for (const secret of ['FEEDBACK-QUESTURA', 'FEEDBACK-COMUNE', 'FEEDBACK-GIUSTO', 'FEEDBACK-SBAGLIATO', 'Questura | la', '(x)', 'correct', '= 8'])
		assert.ok(!page.body.includes(secret), `the page leaks ${secret}`);
	// Issue 18: no field name or value says which question, which item's
	// right position or which of the author's choices it is.
	const qs = questions(M1);
	const form = page.body.slice(page.body.indexOf('<form method="post" action="/attempt/'), page.body.indexOf('</form>', page.body.indexOf('<form method="post" action="/attempt/')));
	const names = [...form.matchAll(/ name="([^"]+)"/g)].map((m) => m[1]).filter((n) => n !== 'csrf');
	const values = [...form.matchAll(/<input name="[^"]+" type="(?:radio|checkbox)" id="[^"]+" value="([^"]+)"/g)].map((m) => m[1]);
	assert.ok(names.length >= 6 && values.length >= 6);
	// Tokens: 't' and 15 base32 letters, no q<id> or q<id>_<k> any more.
	for (const n of [...names, ...values.filter((v) => v !== 'true' && v !== 'false')])
		assert.match(n, /^t[a-z2-7]{15}$/, `a field or value that is not a token: ${n}`);
	const ids = [...form.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
	for (const id of ids) {
		assert.match(id, /^t[a-z2-7]{15}(-(\d+|true|false|input))?$/, `id ${id}`);
		for (const q of qs)
			assert.ok(!id.startsWith(`q${q.id}`), `id ${id} names question ${q.id}`);
	}
	const order = (b) => parseQuiz(b)[0].choices.map((c) => c.label).join('|');
	const again = await learner.get(`/attempt/${a.id}`);
	assert.equal(order(page.body), order(again.body), 'same attempt, same order');
	assert.deepEqual(parseQuiz(page.body).map((q) => q.name), parseQuiz(again.body).map((q) => q.name), 'same attempt, same fields');
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

// Issue 18: ranking an ordering question's fields by their names was
// graded right (q86_1, q86_3, q86_2). Now each attempt has its own
// tokens: the same learner ranking by field names gets the order right
// no more often than chance.
test('ranking the ordering fields by name earns nothing', async () => {
	const u = await signedIn(await user({ email: `rank-${tag}@example.org`, org: `${tag}-uff` }));
	const csrf = await u.csrf('/me');
	await u.post('/learn/enrol', { form: { csrf, course: CL } });
	sql(`UPDATE courses SET attempts = 0 WHERE slug = '${CL}'`);
	let right = 0;
	const n = 12;
	for (let i = 0; i < n; i++) {
		const a = await startAttempt(u, CL, M1);
		const q = parseQuiz((await u.get(`/attempt/${a.id}`)).body)[5];
		const byName = [...q.items].sort((x, y) => (x.name < y.name ? -1 : 1));
		assert.equal((await submit(u, a.id, byName.map((it, k) => [it.name, String(k + 1)]))).status, 303);
		right += sql(`SELECT x.correct FROM attempt_answers x WHERE x.attempt_id = '${a.id}' AND x.answer IS NOT NULL`) === 't' ? 1 : 0;
	}
	sql(`UPDATE courses SET attempts = 3 WHERE slug = '${CL}'`);
	// One order in six by chance: 2 of 12 expected; 12 of 12 before.
	assert.ok(right < 8, `${right} of ${n} right by field names`);
	sql(`DELETE FROM enrolments WHERE user_id = (SELECT id FROM users WHERE email = 'rank-${tag}@example.org')`);
});

test('answers outside the attempt get 400 and change nothing', async () => {
	const id = sql(`SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email = 'l-${tag}@example.org' AND a.submitted_at IS NULL`);
	const qs = questions(M1);
	const q = parseQuiz((await learner.get(`/attempt/${id}`)).body);
	const bad = [
		[['q999999999', '1']],
		// The field names before issue 18 are no fields of the form.
		[[`q${qs[0].id}`, '2']],
		[[`q${qs[5].id}_1`, '1'], [`q${qs[5].id}_2`, '2'], [`q${qs[5].id}_3`, '3']],
		[[q[0].name, '9']],
		[[q[0].name, q[0].choices[0].value], [q[0].name, q[0].choices[1].value]],
		[[q[0].name, q[1].choices[0].value]],
		[[q[1].name, '7']],
		[[q[1].name, q[1].choices[0].value], [q[1].name, q[1].choices[0].value]],
		[[q[2].name, 'maybe']],
		[[q[3].name, 'otto']],
		[[q[5].items[0].name, '1'], [q[5].items[1].name, '1'], [q[5].items[2].name, '3']],
		[[q[5].items[0].name, '1']],
		[[q[5].items[0].name, '4'], [q[5].items[1].name, '1'], [q[5].items[2].name, '2']],
		[[q[5].name, '1,2,3']],
		[['x', '1']],
	];
	for (const pairs of bad) {
		const r = await submit(learner, id, pairs);
		assert.equal(r.status, 400, JSON.stringify(pairs));
	}
	// A partial ordering says what is wrong and keeps what was given.
	const partial = await submit(learner, id, [[q[5].items[0].name, '2'], [q[0].name, q[0].choices[1].value]]);
	assert.match(partial.body, /alcune voci non hanno una posizione/);
	assert.match(partial.body, /\(Domanda 6\)/);
	assert.match(partial.body, new RegExp(`value="${q[0].choices[1].value}" checked`));
	const raw = await learner.req('POST', `/attempt/${id}`, { body: 'csrf=%zz', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	assert.equal(raw.status, 400);
	assert.equal(sql(`SELECT submitted_at IS NULL FROM attempts WHERE id = '${id}'`), 't');
	assert.equal(sql(`SELECT count(*) FROM attempt_answers WHERE attempt_id = '${id}'`), '0');
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE attempt_id = '${id}'`), '0');
	const noCsrf = await learner.req('POST', `/attempt/${id}`, { body: `${q[0].name}=${q[0].choices[0].value}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	assert.equal(noCsrf.status, 403);
});

test('fail: which answers were wrong, no right answer until passed; a double submit is recorded once', async () => {
	const id = sql(`SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email = 'l-${tag}@example.org' AND a.submitted_at IS NULL`);
	// Wrong on purpose: Comune, only Anagrafe, falso, 9, Prefettura, reversed order.
	const wrong = await fields(learner, id, WRONG);
	const [r1, r2] = await Promise.all([submit(learner, id, wrong), submit(learner, id, wrong)]);
	assert.equal(r1.status, 303);
	assert.equal(r2.status, 303);
	assert.equal(sql(`SELECT count(*) FROM attempt_answers WHERE attempt_id = '${id}'`), '6');
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE attempt_id = '${id}'`), '6');
	// Issue 20: the answers are arrays in the attempt row, in question
	// order, one per question of its version; evidence mirrors them.
	assert.equal(sql(`SELECT count(*) FROM attempts a JOIN questions q ON q.version_id = a.version_id WHERE a.id = '${id}' AND a.answer_q[q.position] = q.id`), '6');
	assert.equal(sql(`SELECT count(*) FROM attempt_answers x JOIN evidence e ON e.attempt_id = x.attempt_id AND e.question_id = x.question_id AND e.correct = x.correct WHERE x.attempt_id = '${id}'`), '6');
	// Evidence refers to attempts and questions without a foreign key:
	// neither can be deleted.
	for (const t of ['attempts', 'questions'])
		assert.throws(() => sql(`DELETE FROM ${t} WHERE false`), (e) => /never deleted/.test(`${e.stderr}${e.message}`));
	// Partial credit: one of two right boxes = half of question 2's point.
	assert.equal(sql(`SELECT score || '/' || max_score || '/' || passed FROM attempts WHERE id = '${id}'`), '0.500/6.000/false');
	// Issue 18: a failed attempt with attempts left listed every right
	// answer. Now it says which answers were wrong, and nothing more.
	const res = await learner.get(`/attempt/${id}`);
	assert.match(res.body, /Quiz non superato/);
	assert.equal((res.body.match(/>Sbagliata</g) || []).length, 6, 'every answer marked wrong');
	assert.match(res.body, /La tua risposta: Il Comune/);
	for (const secret of ['Risposta giusta', 'Risposte accettate', 'La Questura', 'Servizi sociali', 'FEEDBACK-COMUNE', 'FEEDBACK-SBAGLIATO', 'FEEDBACK-QUESTURA', 'Accoglienza \u2192 Piano'])
		assert.ok(!res.body.includes(secret), `a failed result shows ${secret}`);
	assert.match(res.body, /le risposte giuste si vedono quando il quiz è superato o i tentativi sono finiti/);
	// Submitting again later changes nothing either.
	assert.equal((await submit(learner, id, wrong)).status, 303);
	assert.equal(sql(`SELECT passed FROM attempts WHERE id = '${id}'`), 'f');

	const b = await startAttempt(learner, C, M1);
	assert.notEqual(b.id, id);
	assert.equal((await submit(learner, b.id, await fields(learner, b.id, RIGHT))).status, 303);
	assert.equal(sql(`SELECT number || '/' || percent || '/' || passed FROM attempts WHERE id = '${b.id}'`), '2/100.00/true');
	const ok = await learner.get(`/attempt/${b.id}`);
	assert.match(ok.body, /Quiz superato/);
	assert.match(ok.body, /FEEDBACK-QUESTURA/, 'the feedback of a right answer');
	// Passed: the right answers and the feedback show, also for the
	// failed attempt; short answers as a list, not the author's "a | b".
	const first = await learner.get(`/attempt/${id}`);
	assert.match(first.body, /Risposta giusta: La Questura/);
	assert.match(first.body, /FEEDBACK-COMUNE/, 'per-answer feedback after passing');
	assert.match(first.body, /FEEDBACK-SBAGLIATO/);
	assert.match(first.body, /Risposte accettate: Questura o la Questura/);
	assert.ok(!first.body.includes('Questura | la Questura'));
});

test('completion: one transaction with its jobs; hours credited to the ledger', async () => {
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	assert.equal(sql(`SELECT count(*) FROM hours_ledger WHERE user_id = ${uid} AND source = 'module'`), '1', 'M1 done: its minutes');
	assert.equal(sql(`SELECT hours FROM hours_ledger WHERE user_id = ${uid} AND source = 'module'`), '0.50');
	assert.equal(sql(`SELECT completed_at IS NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${C}'`), 't');
	const a = await startAttempt(learner, C, M2);
	assert.equal((await answer(learner, `/attempt/${a.id}`, ['4'])).status, 303);
	const row = sql(`SELECT e.id, e.completed_at IS NOT NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${C}'`);
	const [eid, done] = row.split('|');
	assert.equal(done, 't');
	assert.equal(sql(`SELECT string_agg(kind, ',' ORDER BY kind) FROM jobs WHERE ref = '${eid}'`), 'badge,competence');
	// 30 + 45 minutes of modules; the course's 2 hours credit the rest.
	assert.equal(sql(`SELECT sum(hours) FROM hours_ledger WHERE user_id = ${uid}`), '2.00');
	assert.equal(sql(`SELECT hours FROM hours_ledger WHERE user_id = ${uid} AND source = 'course'`), '0.75');
	// The ledger keeps the time the server measured behind each credit.
	assert.equal(sql(`SELECT seconds BETWEEN 1195 AND 1300 FROM hours_ledger WHERE user_id = ${uid} AND source = 'module' AND ref = (SELECT id::text FROM modules WHERE slug = '${M1}')`), 't');
	assert.equal(sql(`SELECT seconds = (SELECT sum(seconds) FROM module_reads WHERE user_id = ${uid}) FROM hours_ledger WHERE user_id = ${uid} AND source = 'course'`), 't');
	const hours = JSON.parse((await learner.get('/api/me/hours')).body);
	assert.equal(hours.target, 40);
	assert.equal(Number(hours.hours), 2);
	const dash = await learner.get('/learn');
	assert.match(dash.body, /<strong>2<\/strong> ore su 40 ore/);
	assert.match(dash.body, /completato/);
});

test('attempt limit per course, and the "last attempt" grading method', async () => {
	// In the "last" course: pass, then fail: the module is no longer done.
	let a = await startAttempt(learner, CL, M1);
	await answer(learner, `/attempt/${a.id}`, RIGHT);
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	const done = () => sql(`SELECT module_done(${uid}, c.id, m.id) FROM courses c, modules m WHERE c.slug = '${CL}' AND m.slug = '${M1}'`);
	assert.equal(done(), 't');
	a = await startAttempt(learner, CL, M1);
	await answer(learner, `/attempt/${a.id}`, ['Il Comune']);
	assert.equal(done(), 'f', 'the last attempt counts');
	a = await startAttempt(learner, CL, M1);
	await answer(learner, `/attempt/${a.id}`, ['Il Comune']);
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
	const ids = [], forms = [];
	for (const c of clients) {
		const csrf = await c.csrf('/me');
		await c.post('/learn/enrol', { form: { csrf, course: C } });
		ids.push((await startAttempt(c, C, M1)).id);
		forms.push(await fields(c, ids[ids.length - 1], RIGHT));
	}
	// Everyone submits twice, all at the same time.
	const results = await Promise.all(clients.flatMap((c, i) => [submit(c, ids[i], forms[i]), submit(c, ids[i], forms[i])]));
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
	const a1 = await startAttempt(c, C, M1);
	await answer(c, `/attempt/${a1.id}`, RIGHT);
	const a2 = await startAttempt(c, C, M2);
	const m2right = await fields(c, a2.id, ['4']);
	const pending = submit(c, a2.id, m2right).catch((e) => e);
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
	assert.equal((await submit(c, a2.id, m2right)).status, 303);
	assert.equal(state(), 'true/1/2/1', 'completion, both jobs and the hours, together');
	process.kill(-srv.k.pid, 'SIGTERM');
});
