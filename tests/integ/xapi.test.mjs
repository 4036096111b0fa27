// Issue 21: learning records for the stores in use.
//
//  - a learner's journey (a module read, a quiz of every question type,
//    the course completed) as xAPI statements: in the 1.0.3 form every
//    one passes Learning Locker's validator, in the 2.0 form the 2.0 MUST
//    rules (tests/lib/xapi2.mjs); the version header chooses the form;
//  - the questions' interaction components, and who sees right answers;
//  - "since" exclusive to the millisecond;
//  - bin/capacita push-xapi to a store in this harness (tests/lib/lrs.mjs):
//    killed mid-batch, then the store answering 503 for a while, nothing
//    lost and nothing stored twice; a conflict stops it; 400 on garbage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Client, ROOT, TMP, cli, contentDir, org, sql, user, signedIn, unique, readModule } from '../lib/util.mjs';
import { answer } from '../lib/quiz.mjs';
import { checkStatement, checkStatements, parseStrict } from '../lib/xapi2.mjs';
import { startLrs } from '../lib/lrs.mjs';

const require = createRequire(import.meta.url);
const llValidate = require('@learninglocker/xapi-validation').default;

const tag = unique('xa').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-mod`, C = `${tag}-corso`, A = `${tag}-ente`;
const quiz = `\`\`\`quiz
? S1 Chi rilascia il permesso?
competenza: ACC.1 base
( ) Il Comune
(x) La Questura
( ) La Prefettura

? M1 Quali servizi gestisce il Comune?
competenza: GOV.1 base
[x] Anagrafe
[ ] Permessi di soggiorno
[x] Servizi sociali

? T1 Le cure urgenti sono garantite.
competenza: ACC.2 base
= vero

? N1 Quanti giorni?
competenza: ACC.1 base
= 2,5 ± 0,5

? F1 Quale ufficio?
competenza: ACC.1 base
= Questura | la Questura

? O1 In ordine.
competenza: GOV.1 base
1. Primo
2. Secondo
3. Terzo
\`\`\`
`;

let learner, hr, qs, lrs;

function exportXapi(args) {
	const file = path.join(TMP, `${tag}-${args.join('_').replace(/[^a-z0-9.]/gi, '')}.json`);
	const fd = fs.openSync(file, 'w');
	const r = spawnSync(path.join(ROOT, 'bin/capacita'), ['export-xapi', ...args], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
	fs.closeSync(fd);
	return { status: r.status, stderr: r.stderr, text: fs.readFileSync(file, 'utf8') };
}

const mine = (body) => parseStrict(body).statements;
const answers = (st) => st.filter((s) => s.object.id.includes('/questions/'));
const byQ = (st, stem) => answers(st).find((s) => s.object.id.endsWith(`/questions/${qs[stem]}`));

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: `---\ntitle: Modulo xAPI ${tag}\nslug: ${M}\nlang: it\nminutes: 5\nsummary: Prova.\n---\nTesto.\n\n${quiz}`,
		[`courses/${C}.md`]: `---\ntitle: Corso xAPI ${tag}\nslug: ${C}\nlang: it\nsummary: Prova.\nhours: 1\nmodules:\n  - ${M}\ncompletion: quiz 50%\nattempts: 0\n---\nDescrizione.\n`,
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr);
	qs = Object.fromEntries(sql(`SELECT split_part(q.text, ' ', 1), q.id FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${M}'`).split('\n').map((l) => l.split('|')));
	org('sicilia', A, `Ente ${tag}`);
	hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: A, roles: 'hr' }));
	const u = await user({ name: 'Lea Xapi', email: `lea-${tag}@example.org`, org: A });
	learner = { ...u, c: await signedIn(u) };
	const c = learner.c;
	let csrf = await c.csrf(`/courses/${C}`);
	assert.equal((await c.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
	assert.equal((await readModule(c, M)).status, 303);
	const csrf2 = await c.csrf('/me');
	const start = await c.post('/quiz/start', { form: { csrf: csrf2, course: C, module: M } });
	assert.equal(start.status, 303);
	// Right but for the ordering: Primo, Terzo, Secondo.
	const sub = await answer(c, start.headers.get('location'), ['La Questura', ['Anagrafe', 'Servizi sociali'], 'true', '2,7', 'questura', ['Primo', 'Terzo', 'Secondo']]);
	assert.ok(sub.status === 200 || sub.status === 303, `submit ${sub.status}`);
	assert.equal(sql(`SELECT completed_at IS NOT NULL FROM enrolments e JOIN courses co ON co.id = e.course_id WHERE co.slug = '${C}'`), 't');
	lrs = await startLrs();
});

after(async () => {
	await lrs?.close();
});

test('1.0.3 form: every statement of the journey passes Learning Locker\'s validator', async () => {
	const r = await learner.c.get('/api/xapi/statements?limit=1000', { headers: { 'x-experience-api-version': '1.0.3' } });
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('x-experience-api-version'), '1.0.3');
	const st = mine(r.body);
	assert.ok(st.length >= 10, `${st.length} statements`);
	const verbs = new Set(st.map((s) => s.verb.id.replace(/.*\//, '')));
	for (const v of ['launched', 'completed', 'passed', 'answered'])
		assert.ok(verbs.has(v), v);
	for (const s of st) {
		assert.deepEqual(llValidate(s), [], `${s.verb.id} ${s.object.id}`);
		assert.equal(s.version, '1.0.0', 'a provider sets 1.0.0 in 1.0.x (xAPI Data 2.4.10)');
	}
	// Any 1.0.x asks for the same form; what no store speaks is refused.
	const r101 = await learner.c.get('/api/xapi/statements?limit=1000', { headers: { 'x-experience-api-version': '1.0.1' } });
	assert.equal(r101.headers.get('x-experience-api-version'), '1.0.3');
	assert.deepEqual(mine(r101.body), st);
	const bad = await learner.c.get('/api/xapi/statements', { headers: { 'x-experience-api-version': '0.95' } });
	assert.equal(bad.status, 400);
	assert.match(bad.body, /1\.0\.3 or 2\.0\.0/);
	// The 2.0 form, as before, without the header; Learning Locker
	// refuses its version, as a 1.0.3 store must.
	const r2 = await learner.c.get('/api/xapi/statements?limit=1000');
	assert.equal(r2.headers.get('x-experience-api-version'), '2.0.0');
	const st2 = mine(r2.body);
	assert.deepEqual(st2.map((s) => s.id), st.map((s) => s.id), 'the same statements, the same ids');
	assert.ok(llValidate(st2[0]).some((w) => w.path.join('.') === 'statement.version'));
});

test('2.0 form: every statement of the journey passes the xAPI 2.0 MUST rules', async () => {
	const r = await learner.c.get('/api/xapi/statements?limit=1000', { headers: { 'x-experience-api-version': '2.0.0' } });
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('x-experience-api-version'), '2.0.0');
	const st = mine(r.body);
	assert.deepEqual(checkStatements(JSON.stringify(st)), []);
	// The checker is no rubber stamp: it finds what is wrong.
	const broken = structuredClone(st[0]);
	broken.version = '1.0.0';
	broken.timestamp = broken.timestamp.replace(/\.\d+Z$/, 'Z');
	broken.object.definition.interactionType = 'multiple';
	const errs = [];
	checkStatement(broken, (p, rule) => errs.push(`${p}: ${rule}`));
	assert.equal(errs.length, 3, errs.join('\n'));
	assert.match(checkStatements('[{"actor":{"mbox":"mailto:a@b.c"},"actor":{}}]')[0], /twice/);
	// The operator's export says the same in either form.
	for (const v of ['1.0.3', '2.0.0']) {
		const out = exportXapi(['--xapi-version', v]);
		assert.equal(out.status, 0, out.stderr);
		const all = parseStrict(out.text);
		assert.ok(all.length >= st.length);
		if (v === '2.0.0')
			assert.deepEqual(checkStatements(out.text), []);
		else
			for (const s of all)
				assert.deepEqual(llValidate(s), [], s.id);
	}
	assert.equal(cli(['export-xapi', '--xapi-version', '1.1']).status, 2);
});

test('answers: interaction components, responses, and who sees the right ones', async () => {
	const st = mine((await learner.c.get('/api/xapi/statements?limit=1000')).body);
	const s1 = byQ(st, 'S1'), m1 = byQ(st, 'M1'), t1 = byQ(st, 'T1'), n1 = byQ(st, 'N1'), f1 = byQ(st, 'F1'), o1 = byQ(st, 'O1');
	assert.equal(s1.object.definition.interactionType, 'choice');
	assert.deepEqual(s1.object.definition.choices.map((c) => [c.id, c.description.it]), [['1', 'Il Comune'], ['2', 'La Questura'], ['3', 'La Prefettura']]);
	assert.equal(s1.result.response, '2');
	assert.deepEqual(s1.object.definition.correctResponsesPattern, ['2'], 'the learner sees the right answer of a quiz she submitted');
	assert.equal(m1.result.response, '1[,]3');
	assert.deepEqual(m1.object.definition.correctResponsesPattern, ['1[,]3']);
	assert.equal(t1.object.definition.interactionType, 'true-false');
	assert.equal(t1.result.response, 'true');
	assert.deepEqual(t1.object.definition.correctResponsesPattern, ['true']);
	assert.equal(n1.object.definition.interactionType, 'numeric');
	assert.equal(n1.result.response, '2.7');
	assert.deepEqual(n1.object.definition.correctResponsesPattern, ['2[:]3']);
	assert.equal(f1.object.definition.interactionType, 'fill-in');
	assert.equal(f1.result.response, undefined, 'free text stays home');
	assert.deepEqual(f1.object.definition.correctResponsesPattern, ['{case_matters=false}Questura', '{case_matters=false}la Questura']);
	// Sequencing: keyed ids, listed in their own order, not the right one.
	const d = o1.object.definition;
	assert.equal(d.interactionType, 'sequencing');
	const ids = d.choices.map((c) => c.id);
	assert.deepEqual(ids, [...ids].sort());
	const right = d.correctResponsesPattern[0].split('[,]');
	assert.deepEqual([...right].sort(), ids);
	const byText = Object.fromEntries(d.choices.map((c) => [c.description.it, c.id]));
	assert.deepEqual(right, [byText.Primo, byText.Secondo, byText.Terzo]);
	assert.equal(o1.result.response, [byText.Primo, byText.Terzo, byText.Secondo].join('[,]'));
	assert.equal(o1.result.success, false);
	// HR: the same statements, choices and responses, no right answers.
	const r = await hr.get(`/api/xapi/statements?user=${learner.id}&limit=1000`);
	const hs = mine(r.body);
	assert.deepEqual(hs.map((s) => s.id), st.map((s) => s.id));
	for (const s of answers(hs)) {
		assert.equal(s.object.definition.correctResponsesPattern, undefined, s.object.id);
		assert.ok(!s.object.definition.choices || s.object.definition.choices.length > 0);
	}
	assert.equal(byQ(hs, 'O1').result.response, o1.result.response);
});

test('since is exclusive, to the millisecond', async () => {
	const all = mine((await learner.c.get('/api/xapi/statements?limit=1000')).body);
	const times = [...new Set(all.map((s) => s.timestamp))];
	assert.ok(times.length >= 3);
	for (const t of times.slice(0, 3)) {
		const got = mine((await learner.c.get(`/api/xapi/statements?limit=1000&since=${encodeURIComponent(t)}`)).body);
		assert.deepEqual(got.map((s) => s.id), all.filter((s) => s.timestamp > t).map((s) => s.id), t);
	}
	// A millisecond earlier brings them back.
	const t = times[1], earlier = new Date(Date.parse(t) - 1).toISOString();
	const got = mine((await learner.c.get(`/api/xapi/statements?limit=1000&since=${encodeURIComponent(earlier)}`)).body);
	assert.ok(got.some((s) => s.timestamp === t));
	// An incremental pull: each pass asks for what came after the last
	// timestamp it saw, and gets every statement exactly once.
	let since = '', seen = [];
	for (const cut of [2, 5, all.length]) {
		const q = since ? `&since=${encodeURIComponent(since)}` : '';
		const page = mine((await learner.c.get(`/api/xapi/statements?limit=1000${q}`)).body).filter((s) => s.timestamp <= all[cut - 1].timestamp);
		seen = seen.concat(page.map((s) => s.id));
		since = all[cut - 1].timestamp;
	}
	assert.deepEqual(seen, all.map((s) => s.id));
	assert.equal((await learner.c.get('/api/xapi/statements?since=2025-13-01')).status, 400);
});

// bin/capacita push-xapi, in the background: { child, done }.
function push(args, env = {}) {
	const child = spawn(path.join(ROOT, 'bin/capacita'), ['push-xapi', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	child.stderr.on('data', (d) => { err += d; });
	const done = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, err })));
	return { child, done };
}

test('push-xapi: killed mid-batch, then a store answering 503 for a while: nothing lost, nothing twice', async () => {
	const url = lrs.url, auth = ['--auth', 'lrs:secret'], v = ['--xapi-version', '1.0.3'];
	// Wrong credentials: refused, said, nothing moved.
	let run = await push([url, '--auth', 'lrs:nope', ...v, '--batch', '5']).done;
	assert.equal(run.code, 1);
	assert.match(run.err, /answered 401/);
	assert.equal(lrs.statements.size, 0);
	// The first batch is kept 3 s by the store; push-xapi dies after 1 s.
	lrs.hold(3000);
	const first = push([url, ...auth, ...v, '--batch', '5']);
	await new Promise((r) => setTimeout(r, 1000));
	first.child.kill('SIGKILL');
	run = await first.done;
	assert.equal(run.signal, 'SIGKILL');
	await new Promise((r) => setTimeout(r, 2500));
	assert.equal(lrs.statements.size, 5, 'the store took the batch whose answer nobody heard');
	assert.equal(sql(`SELECT count(*) FROM xapi_push_marks WHERE endpoint = '${url}statements'`), '0', 'so the mark did not move');
	// The store restarts: two 503s, then it answers again.
	lrs.fail(2);
	const started = Date.now();
	// (Larger batches from here: the demo's people make many statements.)
	run = await push([url, ...auth, ...v, '--batch', '500'], { CAPACITA_XAPI_AUTH: '' }).done;
	assert.equal(run.code, 0, run.err);
	assert.match(run.err, /503; trying again/);
	assert.equal(lrs.posts.filter((p) => p.status === 503).length, 2);
	assert.ok(!lrs.posts.some((p) => p.status === 400 || p.status === 409), JSON.stringify(lrs.posts));
	const taken = lrs.posts.filter((p) => p.status === 200).reduce((n, p) => n + p.n, 0);
	assert.equal(taken - lrs.statements.size, 5, 'exactly the unanswered batch was sent twice, and stored once');
	// Nothing lost: every statement old enough is in the store, as exported.
	const out = exportXapi(['--xapi-version', '1.0.3']);
	const cutoff = started - 2000;
	const exported = parseStrict(out.text).filter((s) => Date.parse(s.timestamp) < cutoff);
	assert.ok(exported.length > 10);
	for (const s of exported)
		assert.deepEqual(lrs.statements.get(s.id)?.statement, s, `lost ${s.id}`);
	for (const s of mine((await learner.c.get('/api/xapi/statements?limit=1000', { headers: { 'x-experience-api-version': '1.0.3' } })).body))
		assert.ok(lrs.statements.has(s.id), 'the journey is in the store');
	const mark = sql(`SELECT sent FROM xapi_push_marks WHERE endpoint = '${url}statements' AND version = '1.0.3'`);
	assert.equal(Number(mark), lrs.statements.size, 'the mark counts each statement once');
	// Again: nothing new to send (or only what other tests made since).
	const before = lrs.posts.length;
	run = await push([url, ...auth, ...v, '--batch', '500']).done;
	assert.equal(run.code, 0, run.err);
	assert.ok(lrs.posts.slice(before).every((p) => p.status === 200));
	assert.equal(lrs.posts.slice(before).reduce((n, p) => n + p.n, 0) + Number(mark), lrs.statements.size);
});

test('push-xapi 2.0: a 2.0 store takes the 2.0 form; one holding other content answers 409 and nothing moves', async () => {
	const lrs2 = await startLrs();
	try {
		let run = await push([lrs2.url, '--auth', 'lrs:secret', '--xapi-version', '2.0.0', '--batch', '500']).done;
		assert.equal(run.code, 0, run.err);
		assert.ok(lrs2.statements.size > 10);
		assert.ok([...lrs2.statements.values()].every((x) => x.version === '2.0.0' && x.statement.version === '2.0.0'));
		// The 1.0.3 store holds the same ids with version 1.0.0: a conflict.
		run = await push([lrs.url, '--auth', 'lrs:secret', '--xapi-version', '2.0.0', '--batch', '500']).done;
		assert.equal(run.code, 1);
		assert.match(run.err, /409 Conflict/);
		assert.equal(sql(`SELECT count(*) FROM xapi_push_marks WHERE endpoint = '${lrs.url}statements' AND version = '2.0.0'`), '0');
	} finally {
		await lrs2.close();
	}
	// The store itself: garbage is 400, a statement that does not validate too.
	const hdr = { authorization: 'Basic ' + Buffer.from('lrs:secret').toString('base64'), 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' };
	let r = await fetch(lrs.url + 'statements', { method: 'POST', headers: hdr, body: '[{' });
	assert.equal(r.status, 400);
	r = await fetch(lrs.url + 'statements', { method: 'POST', headers: hdr, body: '[{"actor":{},"verb":{"id":"x"}}]' });
	assert.equal(r.status, 400);
	assert.ok((await r.json()).problems.length > 0);
});
