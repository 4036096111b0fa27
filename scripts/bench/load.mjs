// make bench: the load generators wrk cannot express (a session per
// virtual user, two-step quiz flows, latency percentiles of a slow page).
// Talks to the real server at BASE_URL with the same helpers as the tests.
//
//   node scripts/bench/load.mjs learners N FILE   create, sign in, enrol N learners; cookies to FILE
//   node scripts/bench/load.mjs quiz FILE SECONDS  every learner starts and submits quizzes in a loop
//   node scripts/bench/load.mjs hr EMAIL ORG       an HR user scoped on ORG; cookie on stdout
//   node scripts/bench/load.mjs latency COOKIE PATH N   N sequential GETs: p50 and p99 in ms
import fs from 'node:fs';
import { Client, org, user, signedIn, sql } from '../../tests/lib/util.mjs';

const [cmd, ...args] = process.argv.slice(2);
const COURSE = 'bench-corso', MODULE = 'bench-quiz';

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function pct(xs, p) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
}

async function learners(n, file) {
	org('puglia', 'bench-ente', 'Ente di benchmark');
	const out = [];
	for (let i = 0; i < n; i++) {
		const u = await user({ email: `bench${i}@bench.capacita.test`, org: 'bench-ente' });
		const c = await signedIn(u);
		const csrf = await c.csrf(`/courses/${COURSE}`);
		const r = await c.post('/learn/enrol', { form: { csrf, course: COURSE } });
		if (r.status !== 303)
			throw new Error(`enrol: ${r.status}`);
		out.push({ jar: [...c.jar], csrf: await c.csrf('/me') });
	}
	fs.writeFileSync(file, JSON.stringify(out));
	// The answer form: every question true/false, all 'true'.
	const qs = sql(`SELECT q.id FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${MODULE}' ORDER BY q.position`).split('\n');
	fs.writeFileSync(file + '.questions', JSON.stringify(qs));
}

async function quiz(file, seconds) {
	const people = JSON.parse(fs.readFileSync(file, 'utf8'));
	const qs = JSON.parse(fs.readFileSync(file + '.questions', 'utf8'));
	const end = Date.now() + seconds * 1000;
	let ok = 0, bad = 0;
	await Promise.all(people.map(async (p) => {
		const c = new Client();
		c.jar = new Map(p.jar);
		while (Date.now() < end) {
			const s = await c.post('/quiz/start', { form: { csrf: p.csrf, course: COURSE, module: MODULE } });
			const loc = s.headers.get('location') || '';
			if (s.status !== 303 || !loc.startsWith('/attempt/')) {
				bad++;
				continue;
			}
			const body = new URLSearchParams({ csrf: p.csrf });
			for (const q of qs)
				body.append(`q${q}`, 'true');
			const r = await c.req('POST', loc, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
			if (r.status >= 200 && r.status < 400)
				ok++;
			else
				bad++;
		}
	}));
	console.log(JSON.stringify({ submissions: ok, errors: bad, per_s: ok / seconds }));
}

async function hr(email, unit) {
	const u = await user({ email, org: 'puglia', roles: `hr@${unit}` });
	const c = await signedIn(u);
	console.log([...c.jar].map(([k, v]) => `${k}=${v}`).join('; '));
}

async function latency(cookie, path, n) {
	const times = [];
	for (let i = 0; i < n; i++) {
		const t = process.hrtime.bigint();
		const r = await fetch(process.env.BASE_URL + path, { headers: { cookie }, redirect: 'manual' });
		await r.text();
		if (r.status !== 200)
			throw new Error(`${path}: ${r.status}`);
		times.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	console.log(JSON.stringify({ p50: median(times), p99: pct(times, 99), n }));
}

if (cmd === 'learners')
	await learners(Number(args[0]), args[1]);
else if (cmd === 'quiz')
	await quiz(args[0], Number(args[1]));
else if (cmd === 'hr')
	await hr(args[0], args[1]);
else if (cmd === 'latency')
	await latency(args[0], args[1], Number(args[2]));
else {
	console.error('usage: load.mjs learners|quiz|hr|latency ...');
	process.exit(2);
}
