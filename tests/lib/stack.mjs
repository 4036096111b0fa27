// A whole Capacita stack of its own: a PostgreSQL cluster under a temp
// directory and a Kore server on a free port, for tests that restart or
// kill parts of it (faults) without touching the shared test server.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './util.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// opts.port: listen there instead of a port chosen by the kernel (for a
// base_url, and a provider's redirect URI, known before the start).
export async function startStack(dir, extraEnv = {}, opts = {}) {
	fs.mkdirSync(dir, { recursive: true });
	const pg = path.join(dir, 'pg'), run = path.join(dir, 'run');
	const env = {
		...process.env,
		PGHOST: run, PGUSER: 'postgres', PGDATABASE: 'capacita',
		CAPACITA_DSN: `host=${run} dbname=capacita user=postgres`,
		CAPACITA_PORT_FILE: path.join(dir, 'port'),
		CAPACITA_KEYS_DIR: path.join(dir, 'keys'),
		CAPACITA_IMPORT_AT_START: 'no',
		// Its own signed audit checkpoints, and a base_url that follows
		// its own port (not the shared test server's).
		CAPACITA_AUDIT_FILE: path.join(dir, 'audit-checkpoints.jsonl'),
		...extraEnv,
	};
	delete env.CAPACITA_BASE_URL;
	const sh = (cmd, args) => {
		const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
		return r.stdout;
	};
	sh('scripts/pg.sh', ['start', pg, run]);
	sh('bin/capacita', ['migrate']);
	sh('bin/capacita', ['import', '.']);
	const conf = path.join(dir, 'app.conf');
	fs.writeFileSync(conf, fs.readFileSync(path.join(ROOT, 'conf/app.conf'), 'utf8')
	    .replace(/bind 127\.0\.0\.1 \d+/, `bind 127.0.0.1 ${opts.port || 0}`)
	    .replace(/^pidfile.*$/m, `pidfile ${dir}/kore.pid`)
	    .replace(/^workers\s+\d+$/m, (w) => opts.workers ? `workers\t\t\t${opts.workers}` : w) +
	    (process.env.SECCOMP_TRACING ? '\nseccomp_tracing yes\n' : ''));
	const log = path.join(dir, 'kore.log');
	const stack = {
		dir, env, log, kore: null, base: null,
		sql(q) {
			return execFileSync('psql', ['-Atq', '-v', 'ON_ERROR_STOP=1', '-c', q], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();
		},
		cli(args, more = {}) {
			return spawnSync(path.join(ROOT, 'bin/capacita'), args, { cwd: ROOT, env: { ...env, ...more }, encoding: 'utf8' });
		},
		async start(more = {}) {
			fs.rmSync(env.CAPACITA_PORT_FILE, { force: true });
			const out = fs.openSync(log, 'a');
			this.kore = spawn('kore', ['-fnr', '-c', conf], { cwd: ROOT, detached: true, stdio: ['ignore', out, out], env: { ...env, ...more } });
			for (let i = 0; i < 300 && !fs.existsSync(env.CAPACITA_PORT_FILE); i++)
				await sleep(50);
			if (!fs.existsSync(env.CAPACITA_PORT_FILE))
				throw new Error('kore did not start: ' + fs.readFileSync(log, 'utf8').slice(-2000));
			this.base = `http://127.0.0.1:${fs.readFileSync(env.CAPACITA_PORT_FILE, 'utf8').trim()}`;
			// Until every worker answers.
			for (let i = 0; i < 100; i++) {
				try {
					if ((await fetch(this.base + '/healthz')).status === 200)
						break;
				} catch { /* not yet */ }
				await sleep(50);
			}
			return this.base;
		},
		workers() {
			const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(this.kore.pid)], { encoding: 'utf8' }).stdout;
			return out.trim().split(/\s+/).filter(Boolean).map(Number);
		},
		kill(signal = 'SIGKILL') {
			try {
				process.kill(-this.kore.pid, signal);
			} catch { /* gone */ }
		},
		async stop() {
			if (this.kore && this.kore.exitCode === null) {
				const done = new Promise((r) => this.kore.once('exit', () => r(true)));
				this.kill('SIGTERM');
				// A server that does not stop would keep the test
				// file running until CI's limit: killed, and said.
				if (!await Promise.race([done, sleep(10000).then(() => false)])) {
					console.log(`# kore (pid ${this.kore.pid}) did not stop within 10 s of SIGTERM: killed`);
					this.kill('SIGKILL');
					await Promise.race([done, sleep(5000)]);
				}
			}
		},
		// Asynchronous, so that the load keeps running during the outage.
		pgRestart() {
			const ctl = ['/usr/lib/postgresql/15/bin/pg_ctl', '-D', path.join(pg, 'data'), '-m', 'fast', '-w', '-l', path.join(pg, 'postgres.log'), 'restart'];
			const p = process.getuid() === 0 ?
			    spawn('runuser', ['-u', 'postgres', '--', ...ctl], { env, stdio: 'ignore' }) :
			    spawn(ctl[0], ctl.slice(1), { env, stdio: 'ignore' });
			return new Promise((resolve, reject) => p.on('exit', (code) =>
			    code === 0 ? resolve() : reject(new Error(`pg_ctl restart: ${code}`))));
		},
		async destroy() {
			await this.stop();
			spawnSync('scripts/pg.sh', ['stop', pg], { cwd: ROOT, env });
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return stack;
}
