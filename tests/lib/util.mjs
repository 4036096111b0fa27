// Shared helpers for the HTTP and browser tests. They talk to the real
// server started by tests/run.sh (BASE_URL) and to its real database
// (PGHOST, PGDATABASE): nothing here is a mock.
import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = process.env.BASE_URL;
export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
export const OUT = process.env.TEST_OUT || path.join(ROOT, 'tests/out');
export const TMP = process.env.CAPACITA_TEST_DIR || fs.mkdtempSync('/tmp/capacita-');

if (!BASE)
	throw new Error('BASE_URL is not set: run the tests through make test');

// fetch without following redirects; returns status, headers, body text.
export async function http(pathname, opts = {}) {
	const res = await fetch(BASE + pathname, { redirect: 'manual', ...opts });
	const body = await res.text();
	return { status: res.status, headers: res.headers, body };
}

// A raw HTTP/1.1 request, for paths fetch would normalise (../).
export function raw(request) {
	const url = new URL(BASE);
	return new Promise((resolve, reject) => {
		const sock = net.connect(Number(url.port), url.hostname);
		let data = '';
		sock.setEncoding('latin1');
		sock.on('data', (d) => { data += d; });
		sock.on('end', () => resolve(data));
		sock.on('error', reject);
		sock.setTimeout(10000, () => { sock.destroy(); reject(new Error('timeout')); });
		sock.write(request);
	});
}

export function statusOf(rawResponse) {
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(rawResponse);
	return m ? Number(m[1]) : 0;
}

// psql against the test database; returns trimmed stdout.
export function sql(query, params = []) {
	const args = ['-Atq', '-v', 'ON_ERROR_STOP=1'];
	params.forEach((p, i) => args.push('-v', `p${i + 1}=${p}`));
	args.push('-c', query);
	return execFileSync('psql', args, { encoding: 'utf8' }).trim();
}

// Run bin/capacita; returns { status, stdout, stderr }.
export function cli(args, env = {}) {
	const r = spawnSync(path.join(ROOT, 'bin/capacita'), args, {
		cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env },
	});
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A content tree under the test directory: { 'modules/x.md': '...' }.
export function contentDir(name, files) {
	const dir = path.join(TMP, name);
	fs.rmSync(dir, { recursive: true, force: true });
	for (const [rel, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	}
	return dir;
}

export function moduleSource({ slug, title = 'Test module ' + slug, body = 'Body.', lang = 'it', extra = '' }) {
	return `---\ntitle: ${title}\nslug: ${slug}\nlang: ${lang}\nminutes: 10\nsummary: Summary of ${slug}.\n${extra}---\n${body}\n`;
}

export function unique(prefix) {
	return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
}
