// `make cluster-test`: two stateless Kore nodes behind nginx, on a
// PostgreSQL primary with a streaming replica (pg_basebackup), all on
// loopback. Checks:
//  1. a learner's journey through the balancer (sign in, enrol, read,
//     quiz, badge), its requests spread over both nodes;
//  2. a module published through node A is served by node B within 1 s
//     (B's cached page is dropped by LISTEN/NOTIFY, B reads anonymous
//     pages from the replica);
//  3. a load run through the balancer during which node A is killed:
//     no acknowledged submission is lost, node B carries on;
//  4. signed-in learners read their own writes (the primary), anonymous
//     pages come from the replica.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

process.env.BASE_URL ||= 'http://127.0.0.1:1';
const { Client, ROOT, PASSWORD, elapse } = await import('../lib/util.mjs');
const { content, learners, quizLoad, lost } = await import('../faults/suite.mjs');
const { quizPairs } = await import('../lib/quiz.mjs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-cluster-'));
if (process.getuid() === 0)
	fs.chmodSync(dir, 0o755);
const PGBIN = '/usr/lib/postgresql/15/bin';
const asPg = (cmd, args) => process.getuid() === 0 ?
    spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) :
    spawnSync(cmd, args, { encoding: 'utf8' });
const failures = [];
const check = (ok, what) => {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok)
		failures.push(what);
};

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => resolve(p));
		});
	});
}

const run1 = path.join(dir, 'run1'), run2 = path.join(dir, 'run2');
const env = {
	...process.env,
	PGHOST: run1, PGUSER: 'postgres', PGDATABASE: 'capacita',
	CAPACITA_DSN: `host=${run1} dbname=capacita user=postgres`,
	CAPACITA_DSN_READ: `host=${run2} dbname=capacita user=postgres`,
	CAPACITA_KEYS_DIR: path.join(dir, 'keys'),
	CAPACITA_AUDIT_FILE: path.join(dir, 'audit-checkpoints.jsonl'),
	CAPACITA_IMPORT_AT_START: 'no',
	CAPACITA_TLS_PROXY: 'yes',
};
const sh = (cmd, args, more = {}) => {
	const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...env, ...more }, encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
	return r.stdout;
};
const psql = (host, q) => execFileSync('psql', ['-h', host, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', q], { env, encoding: 'utf8' }).trim();

const nodes = {};
let nginx;

async function startNode(name) {
	const portFile = path.join(dir, `${name}.port`);
	fs.rmSync(portFile, { force: true });
	const conf = path.join(dir, `${name}.conf`);
	fs.writeFileSync(conf, fs.readFileSync(path.join(ROOT, 'conf/app.conf'), 'utf8')
	    .replace(/bind 127\.0\.0\.1 \d+/, 'bind 127.0.0.1 0')
	    .replace(/^pidfile.*$/m, `pidfile ${dir}/${name}.pid`));
	const out = fs.openSync(path.join(dir, `${name}.log`), 'a');
	const k = spawn('kore', ['-fnr', '-c', conf], { cwd: ROOT, detached: true, stdio: ['ignore', out, out],
	    env: { ...env, CAPACITA_PORT_FILE: portFile } });
	for (let i = 0; i < 300 && !fs.existsSync(portFile); i++)
		await sleep(50);
	const port = Number(fs.readFileSync(portFile, 'utf8'));
	nodes[name] = { k, port, base: `http://127.0.0.1:${port}` };
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(nodes[name].base + '/healthz')).status === 200)
				break;
		} catch { /* not yet */ }
		await sleep(50);
	}
	return nodes[name];
}

async function cleanup() {
	for (const n of Object.values(nodes)) {
		try {
			process.kill(-n.k.pid, 'SIGTERM');
		} catch { /* gone */ }
	}
	if (nginx)
		nginx.kill('SIGTERM');
	await sleep(500);
	asPg(`${PGBIN}/pg_ctl`, ['-D', path.join(dir, 'pg2', 'data'), '-m', 'immediate', 'stop']);
	spawnSync('scripts/pg.sh', ['stop', path.join(dir, 'pg1')], { cwd: ROOT, env });
	fs.rmSync(dir, { recursive: true, force: true });
}

try {
	console.log('== primary, replica, two nodes, nginx');
	sh('scripts/pg.sh', ['start', path.join(dir, 'pg1'), run1]);
	fs.mkdirSync(path.join(dir, 'pg2'));
	fs.mkdirSync(run2);
	if (process.getuid() === 0) {
		execFileSync('chown', ['postgres:postgres', path.join(dir, 'pg2'), run2]);
	}
	let r = asPg(`${PGBIN}/pg_basebackup`, ['-h', run1, '-U', 'postgres', '-D', path.join(dir, 'pg2', 'data'), '-R', '-X', 'stream', '-c', 'fast']);
	if (r.status !== 0)
		throw new Error('pg_basebackup: ' + r.stderr);
	r = asPg(`${PGBIN}/pg_ctl`, ['-D', path.join(dir, 'pg2', 'data'), '-l', path.join(dir, 'pg2', 'postgres.log'), '-w', '-o', `-k ${run2} -p 5432`, 'start']);
	if (r.status !== 0)
		throw new Error('replica start: ' + r.stderr);
	check(psql(run2, 'SELECT pg_is_in_recovery()') === 't', 'the replica is a streaming standby');
	sh('bin/capacita', ['migrate']);
	sh('bin/capacita', ['import', '.']);
	const a = await startNode('a');
	const b = await startNode('b');
	const lbPort = await freePort();
	fs.mkdirSync(path.join(dir, 'nginx', 'tmp'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'nginx', 'nginx.conf'), `worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx/nginx.pid;
error_log ${dir}/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path ${dir}/nginx/tmp/body;
	proxy_temp_path ${dir}/nginx/tmp/proxy;
	fastcgi_temp_path ${dir}/nginx/tmp/fastcgi;
	uwsgi_temp_path ${dir}/nginx/tmp/uwsgi;
	scgi_temp_path ${dir}/nginx/tmp/scgi;
	upstream capacita {
		server 127.0.0.1:${a.port} max_fails=1 fail_timeout=5s;
		server 127.0.0.1:${b.port} max_fails=1 fail_timeout=5s;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:${lbPort};
		client_max_body_size 2m;
		location / {
			proxy_pass http://capacita;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto http;
			proxy_next_upstream error timeout;
		}
	}
}
`);
	nginx = spawn('nginx', ['-c', path.join(dir, 'nginx', 'nginx.conf')], { stdio: 'ignore' });
	await sleep(500);
	const LB = `http://127.0.0.1:${lbPort}`;
	check((await fetch(LB + '/healthz')).status === 200, `nginx balances ${a.port} and ${b.port} on ${lbPort}`);

	console.log('== a journey through the balancer');
	const stack = { dir, base: LB, sql: (q) => psql(run1, q), cli: (args) => spawnSync(path.join(ROOT, 'bin/capacita'), args, { cwd: ROOT, env, encoding: 'utf8' }) };
	const qs = content(stack);
	const people = await learners(stack, 16, 'cluster');
	const p0 = people[0];
	const page = await p0.c.get('/modules/faults-quiz');
	const v = /name="version" value="(\d+)"/.exec(page.body);
	await elapse(p0.c, v[1], (q) => psql(run1, q));
	await p0.c.post('/learn/read', { form: { csrf: p0.csrf, version: v[1] } });
	const s = await p0.c.post('/quiz/start', { form: { csrf: p0.csrf, course: 'faults-corso', module: 'faults-quiz' } });
	const body = new URLSearchParams({ csrf: p0.csrf });
	const form = await p0.c.get(s.headers.get('location'));
	for (const [k, v] of quizPairs(form.body, qs.map(() => 'true')))
		body.append(k, v);
	const sub = await p0.c.req('POST', s.headers.get('location'), { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	check(sub.status === 303, `quiz submitted through the balancer (${sub.status})`);
	let badges = '';
	for (let i = 0; i < 100 && !badges.includes('/badges/'); i++) {
		badges = (await p0.c.get('/badges')).body;
		if (!badges.includes('/badges/'))
			await sleep(100);
	}
	check(badges.includes('/badges/'), 'the badge, issued by a node\'s job runner, is listed');
	// Own writes: right after submitting, the learner's history shows it.
	const hist = await p0.c.get('/api/me/attempts');
	check(hist.status === 200 && JSON.parse(hist.body).attempts.some((x) => x.submitted_at), 'a learner reads their own writes');

	console.log('== publish through A, served by B within 1 s');
	const before = (await fetch(`${b.base}/modules/faults-quiz`)).status;
	check(before === 200, 'B has the page (and caches it)');
	await fetch(`${b.base}/modules/faults-quiz`);
	const mod = path.join(dir, 'content', 'modules', 'faults-quiz.md');
	fs.writeFileSync(mod, fs.readFileSync(mod, 'utf8').replace('Testo.', 'Testo. VERSIONE-DUE'));
	const t0 = Date.now();
	sh('bin/capacita', ['import', path.join(dir, 'content')]);
	let seen = -1;
	while (Date.now() - t0 < 5000) {
		if ((await (await fetch(`${b.base}/modules/faults-quiz`)).text()).includes('VERSIONE-DUE')) {
			seen = Date.now() - t0;
			break;
		}
		await sleep(20);
	}
	check(seen >= 0 && seen <= 1000, `the new version served by B after ${seen} ms (including the import)`);
	// The replica serves anonymous reads: its session count grows.
	const replicaBefore = Number(psql(run2, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'capacita' AND backend_type = 'client backend'"));
	for (let i = 0; i < 20; i++)
		await fetch(`${LB}/courses/faults-corso?x=${i}`);
	const replicaAfter = Number(psql(run2, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'capacita' AND backend_type = 'client backend'"));
	check(replicaAfter > replicaBefore, `anonymous pages read from the replica (${replicaBefore} -> ${replicaAfter} connections)`);

	console.log('== load through the balancer; node A killed');
	// The module's new version has new question ids.
	const qs2 = psql(run1, "SELECT string_agg(q.id::text, ',' ORDER BY q.position) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE m.slug = 'faults-quiz'").split(',');
	const load = quizLoad(people, qs2, LB);
	await sleep(4000);
	process.kill(-a.k.pid, 'SIGKILL');
	const killedAt = load.log.acked.length;
	await sleep(8000);
	await load.stop();
	const after = load.log.acked.length - killedAt;
	const missing = lost({ sql: (q) => psql(run1, q) }, load.log.acked);
	console.log(JSON.stringify({ acked: load.log.acked.length, afterKill: after, statuses: load.log.statuses, neterr: load.log.neterr }));
	check(missing.length === 0, `no acknowledged submission lost (${load.log.acked.length})`);
	check(after > 0, `node B carried on after A died (${after} submissions)`);
} catch (e) {
	console.error(e);
	failures.push(String(e));
} finally {
	await cleanup();
}
console.log(failures.length === 0 ? 'cluster-test: all checks passed' : `cluster-test: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
