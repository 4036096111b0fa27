// Issue 3: the production TLS set-up (conf/nginx-tls.conf): nginx with a
// self-signed certificate terminates TLS in front of the real server.
// Under TLS the session cookie is __Host- and Secure, and HSTS is sent;
// on plain HTTP neither.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import https from 'node:https';
import { BASE, TMP, http, org, user } from '../lib/util.mjs';

const dir = path.join(TMP, 'tls');
let nginx;

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
}

function get(port, pathname, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const req = https.request({ host: '127.0.0.1', port, path: pathname, method, headers, rejectUnauthorized: false }, (res) => {
			let data = '';
			res.on('data', (d) => { data += d; });
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
		});
		req.on('error', reject);
		if (body)
			req.write(body);
		req.end();
	});
}

after(() => { if (nginx) nginx.kill('SIGQUIT'); });

test('TLS via nginx: Secure __Host- cookie, HSTS; none of it on plain HTTP', async () => {
	fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
	    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
	const port = await freePort();
	const upstream = new URL(BASE).port;
	const conf = fs.readFileSync(new URL('../../conf/nginx-tls.conf', import.meta.url), 'utf8');
	// The production file, with test paths and ports.
	const server = conf.slice(conf.lastIndexOf('server {'))
	    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl;`)
	    .replace(/\s*listen \[::\]:443 ssl http2;/, '')
	    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`)
	    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`)
	    .replace(/ssl_session_cache\s+\S+;/, '')
	    .replace(/127\.0\.0\.1:8080/, `127.0.0.1:${upstream}`);
	fs.writeFileSync(path.join(dir, 'nginx.conf'), `daemon off; worker_processes 1; pid ${dir}/nginx.pid;
error_log ${dir}/error.log; events {} http { access_log off;
client_body_temp_path ${dir}/tmp/b; proxy_temp_path ${dir}/tmp/p; fastcgi_temp_path ${dir}/tmp/f;
uwsgi_temp_path ${dir}/tmp/u; scgi_temp_path ${dir}/tmp/s;
${server} }`);
	nginx = spawn('/usr/sbin/nginx', ['-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
	for (let i = 0; i < 100; i++) {
		try { await get(port, '/healthz'); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
	}

	const h = await get(port, '/');
	assert.equal(h.status, 200);
	assert.equal(h.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
	const plain = await http('/');
	assert.equal(plain.headers.get('strict-transport-security'), null);

	org('sicilia', 'tls-ente', 'Ente TLS');
	const u = await user({ email: `tls-${process.pid}@example.org`, org: 'tls-ente' });
	const login = await get(port, '/login');
	const csrfCookie = login.headers['set-cookie'].find((c) => c.startsWith('capacita_csrf='));
	assert.match(csrfCookie, /; Secure/);
	const csrf = /name="csrf" value="([^"]+)"/.exec(login.body)[1];
	const body = new URLSearchParams({ csrf, email: u.email, password: u.password, next: '/' }).toString();
	const r = await get(port, '/login', { method: 'POST', body, headers: {
		'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
		cookie: csrfCookie.split(';')[0] } });
	assert.equal(r.status, 303);
	const session = r.headers['set-cookie'].find((c) => c.startsWith('__Host-capacita_session='));
	assert.ok(session, 'the __Host- cookie under TLS');
	assert.match(session, /; Secure/);
	assert.match(session, /; HttpOnly/);
	assert.match(session, /SameSite=Lax/);
	assert.match(session, /Path=\//);
	assert.doesNotMatch(session, /Domain=/);
	const me = await get(port, '/me', { headers: { cookie: session.split(';')[0] } });
	assert.equal(me.status, 200);
	// The same cookie over plain HTTP is not a session.
	const leak = await fetch(BASE + '/me', { redirect: 'manual', headers: { cookie: session.split(';')[0] } });
	assert.equal(leak.status, 303);
	// X-Forwarded-* from anyone but the local proxy is ignored: a direct
	// client claiming https gets no HSTS... unless from loopback, which is
	// the proxy's address by design (Capacita listens on loopback only).
	assert.match(fs.readFileSync(new URL('../../conf/app.conf', import.meta.url), 'utf8'), /bind 127\.0\.0\.1 /);
});
