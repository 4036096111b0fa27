// Shared helpers for the HTTP and browser tests. They talk to the real
// server started by tests/run.sh (BASE_URL) and to its real database
// (PGHOST, PGDATABASE): nothing here is a mock.
import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = process.env.BASE_URL;
export const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

// The number of Kore workers conf/app.conf asks for.
export function confWorkers() {
	return Number(/^workers\s+(\d+)/m.exec(fs.readFileSync(path.join(ROOT, 'conf/app.conf'), 'utf8'))[1]);
}
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
	return execFileSync('psql', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();
}

// Wait until fn() returns a truthy value, trying every 20 ms for at most
// `within` ms; returns that value, or the last one when time ran out.
// For writes made outside the server (psql, the command line): each
// worker hears of them through LISTEN/NOTIFY, polled every 100 ms
// (src/web-cache.c), so they show within a bound, not at once.
export async function eventually(fn, within = 1000) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v || Date.now() - t0 >= within)
			return v;
		await new Promise((r) => setTimeout(r, 20));
	}
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

// A browser-like HTTP client with a cookie jar (no redirects followed).
// headers go with every request (X-Forwarded-For: the server trusts its
// loopback proxy in the tests, so a client can come from any address).
export class Client {
	constructor(base = BASE, headers = {}) {
		this.base = base;
		this.jar = new Map();
		this.headers = headers;
	}
	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}
	setCookie(name, value) {
		this.jar.set(name, value);
	}
	async req(method, pathname, { form, multipart, headers = {}, body } = {}) {
		const h = { ...this.headers, ...headers };
		if (this.jar.size)
			h.cookie = this.cookieHeader();
		let payload = body;
		if (form) {
			payload = new URLSearchParams(form).toString();
			h['content-type'] = 'application/x-www-form-urlencoded';
		} else if (multipart) {
			const fd = new FormData();
			for (const [k, v] of Object.entries(multipart)) {
				if (v && typeof v === 'object' && 'content' in v)
					fd.append(k, new Blob([v.content], { type: v.type || 'text/csv' }), v.filename);
				else
					fd.append(k, v);
			}
			payload = fd;
		}
		const init = { method, headers: h, body: payload, redirect: 'manual' };
		let res;
		try {
			res = await fetch(this.base + pathname, init);
		} catch (e) {
			// A kept-alive connection the server closed as idle
			// (http_keepalive_time) just as it was reused: as a
			// browser does, an idempotent request goes once more.
			if (method !== 'GET' || !(e instanceof TypeError))
				throw e;
			res = await fetch(this.base + pathname, init);
		}
		for (const c of res.headers.getSetCookie()) {
			const [pair, ...attrs] = c.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
			if (maxAge && Number(maxAge.split('=')[1]) <= 0)
				this.jar.delete(name);
			else
				this.jar.set(name, value);
		}
		const text = await res.text();
		return { status: res.status, headers: res.headers, body: text, cookies: res.headers.getSetCookie() };
	}
	get(p, opts) { return this.req('GET', p, opts); }
	post(p, opts) { return this.req('POST', p, opts); }
	// GET a page and return the CSRF token of its first form.
	async csrf(p) {
		const r = await this.get(p);
		const m = /name="csrf" value="([^"]+)"/.exec(r.body);
		if (!m)
			throw new Error(`no csrf field on ${p} (status ${r.status})`);
		return m[1];
	}
	async login(email, password) {
		const csrf = await this.csrf('/login');
		return this.post('/login', { form: { csrf, email, password, next: '/' } });
	}
	async logout() {
		const csrf = await this.csrf('/me');
		return this.post('/logout', { form: { csrf } });
	}
}

export const PASSWORD = 'correct horse battery staple';

// Create an organisation unit through the CLI (idempotent per code).
export function org(parent, code, name = code) {
	const r = cli(['org', 'add', parent || '-', code, name]);
	if (r.status !== 0 && !/already used/.test(r.stderr))
		throw new Error(r.stderr);
	return code;
}

// Create a user with the CLI and set the password through the emailed
// (printed) one-time link, as a person would.
export async function user({ name, email, org: unit, roles = 'learner', password = PASSWORD }) {
	const r = cli(['user', 'add', name || email, email, unit, roles]);
	if (r.status !== 0)
		throw new Error(`user add ${email}: ${r.stderr}`);
	const token = /password\?token=([A-Za-z0-9_-]{43})/.exec(r.stdout)[1];
	const c = new Client();
	const csrf = await c.csrf('/password?token=' + token);
	const s = await c.post('/password', { form: { csrf, token, password, password2: password } });
	if (s.status !== 200)
		throw new Error(`set password for ${email}: ${s.status}`);
	const id = Number(/created user (\d+)/.exec(r.stdout)[1]);
	return { id, email, password };
}

export async function signedIn(u) {
	const c = new Client();
	const r = await c.login(u.email, u.password);
	if (r.status !== 303)
		throw new Error(`login ${u.email}: ${r.status}`);
	return c;
}

// A module counts as read only some time after the server recorded its
// first opening (read_min_percent of its minutes, issue 18). Tests do
// not wait: they move that opening back by the module's minutes, as the
// clock would have moved. sqlFn runs SQL on the right database.
export async function elapse(c, version, sqlFn = sql) {
	const me = JSON.parse((await c.get('/api/me')).body);
	sqlFn(`UPDATE module_reads SET opened_at = now() - (SELECT minutes FROM module_versions WHERE id = ${Number(version)}) * interval '1 minute' WHERE user_id = ${Number(me.id)} AND version_id = ${Number(version)} AND finished_at IS NULL`);
}

// Open a module's page, let its minimum time pass, and say "finished";
// returns the response to that POST (303 when recorded).
export async function readModule(c, slug, sqlFn = sql) {
	const page = await c.get(`/modules/${slug}`);
	const m = /name="version" value="(\d+)"/.exec(page.body);
	if (!m)
		return page;
	await elapse(c, m[1], sqlFn);
	const csrf = /name="csrf" value="([^"]+)"/.exec((await c.get('/me')).body)[1];
	return c.post('/learn/read', { form: { csrf, version: m[1] } });
}
