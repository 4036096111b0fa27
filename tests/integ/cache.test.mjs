// The page and user caches (src/web-cache.c): pages are served from a
// worker's memory, and never once something they show has changed:
// content imported from the command line (LISTEN/NOTIFY), a learner's
// own writes (any worker, at once), a session ended here or in the
// database.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, cli, contentDir, http, org, sql, user, signedIn, unique, eventually, elapse } from '../lib/util.mjs';

const tag = unique('ca').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let dir, learner;

const mod = (marker) => `---\ntitle: Cache ${tag}\nslug: ${M}\nlang: it\nminutes: 5\nsummary: Prova.\n---\nTesto ${marker}.\n`;

before(async () => {
	dir = contentDir(`${tag}-content`, {
		[`modules/${M}.md`]: mod('PRIMA'),
		[`courses/${C}.md`]: `---\ntitle: Corso ${tag}\nslug: ${C}\nlang: it\nsummary: Prova.\nhours: 1\nmodules:\n  - ${M}\n---\nCorso.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('basilicata', `${tag}-ente`, 'Ente cache');
	learner = await user({ email: `l-${tag}@example.org`, org: `${tag}-ente` });
});

test('anonymous pages come from the cache, and change with the content', async () => {
	// Twice per worker at least: the later ones are hits.
	const hits = [];
	for (let i = 0; i < 6; i++)
		hits.push((await http(`/modules/${M}`)).headers.get('x-cache'));
	assert.ok(hits.includes('hit'), `hits: ${hits}`);
	assert.match((await http(`/modules/${M}`)).body, /Testo PRIMA/);
	// An import from the command line, outside the server.
	fs.writeFileSync(path.join(dir, 'modules', `${M}.md`), mod('DOPO'));
	assert.equal(cli(['import', dir]).status, 0);
	const t0 = Date.now();
	let ms = -1;
	while (Date.now() - t0 < 3000) {
		const bodies = await Promise.all([http(`/modules/${M}`), http(`/modules/${M}`)]);
		if (bodies.every((b) => b.body.includes('Testo DOPO'))) {
			ms = Date.now() - t0;
			break;
		}
		await sleep(20);
	}
	assert.ok(ms >= 0 && ms < 1000, `new version on every worker after ${ms} ms`);
	for (let i = 0; i < 6; i++)
		assert.doesNotMatch((await http(`/modules/${M}`)).body, /Testo PRIMA/);
});

test("a learner's own writes show at once, on every worker", async () => {
	const c = await signedIn(learner);
	let csrf = await c.csrf(`/courses/${C}`);
	assert.equal((await c.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
	for (let i = 0; i < 4; i++)
		await c.get(`/modules/${M}`);
	const page = await c.get(`/modules/${M}`);
	const v = /name="version" value="(\d+)"/.exec(page.body);
	assert.ok(v, 'the read button');
	await elapse(c, v[1]);
	csrf = await c.csrf('/me');
	assert.equal((await c.post('/learn/read', { form: { csrf, version: v[1] } })).status, 303);
	for (let i = 0; i < 6; i++) {
		const again = await c.get(`/modules/${M}`);
		assert.doesNotMatch(again.body, /name="version" value="\d+"/, 'no read button once read');
	}
});

test('a session ended here, or in the database, ends on every worker', async () => {
	const c = await signedIn(learner);
	for (let i = 0; i < 6; i++)
		assert.equal((await c.get('/me')).status, 200);
	const stolen = new Client();
	stolen.jar = new Map(c.jar);
	await c.logout();
	for (let i = 0; i < 6; i++)
		assert.equal((await stolen.get('/me')).status, 303, 'the old cookie is dead everywhere');
	// Ended in the database (an admin disabling the user, another node).
	const d = await signedIn(learner);
	for (let i = 0; i < 6; i++)
		assert.equal((await d.get('/me')).status, 200);
	sql(`DELETE FROM sessions WHERE user_id = ${learner.id}`);
	// Heard by every worker within a poll (100 ms); allowed 1 s. Sixteen
	// requests at once (twice the workers of the largest conf measured,
	// BENCHMARKS.md), and two polls more for a worker none reached.
	const ended = await eventually(async () => {
		const st = await Promise.all(Array.from({ length: 16 }, () => d.get('/me')));
		return st.every((x) => x.status === 303);
	});
	assert.ok(ended, 'the session ended on every worker within 1 s');
	await sleep(200);
	for (let i = 0; i < 6; i++)
		assert.equal((await d.get('/me')).status, 303);
});

// Issue 20: the learner's hot paths do not NOTIFY from their transactions
// (the notification lock would serialise their commits); the worker sends
// 'user:N' after the commit, for the other nodes' caches. A listener on
// the channel (as another node's worker) hears it within a poll tick, and
// a hot-path transaction alone sends nothing.
test("a learner's writes reach other nodes' caches after the commit", async () => {
	const { spawn } = await import('node:child_process');
	const listen = () => {
		const p = spawn('psql', ['-Atq', '-c', 'LISTEN capacita_cache', '-c', 'SELECT pg_sleep(1.5)', '-c', 'SELECT 1']);
		let out = '';
		p.stdout.on('data', (d) => out += d);
		return new Promise((r) => p.on('close', () => r(out)));
	};
	// The opening of a module page, through the server.
	const heard = listen();
	await sleep(300);
	const c = await signedIn(learner);
	sql(`DELETE FROM module_reads WHERE user_id = ${learner.id}`);
	assert.equal((await c.get(`/modules/${M}`)).status, 200);
	assert.match(await heard, new RegExp(`payload "user:${learner.id}"`));
	// The same write with capacita.notify = 'after' and no worker behind it:
	// the triggers stay silent.
	const quiet = listen();
	await sleep(300);
	sql(`BEGIN; SELECT set_config('capacita.notify', 'after', true); UPDATE module_reads SET last_seen_at = now() WHERE user_id = ${learner.id}; COMMIT`);
	assert.doesNotMatch(await quiet, new RegExp(`payload "user:${learner.id}"`));
});
