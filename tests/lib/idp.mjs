// The counterparts of sign-in and mail, for the tests that start a stack
// of their own (tests/lib/stack.mjs):
//
//  - a certified OpenID Provider (npm oidc-provider, pinned in
//    package.json) on a free port, with a client for Capacita and the
//    accounts the test gives it (its development login form: any
//    password, the login name is the account);
//  - a rogue provider: discovery, keys and a token endpoint of our own,
//    that answers with the ID token a test asks for (a bad signature, the
//    wrong audience, alg none...), to check that Capacita refuses them;
//  - a real SMTP server (Debian's python3-aiosmtpd, tests/lib/smtp-server.py)
//    storing each message it accepts as a file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Provider } from 'oidc-provider';
import { ROOT } from './util.mjs';

export const SECRET = 'capacita-test-secret-' + crypto.randomBytes(8).toString('hex');

export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function listen(server, port = 0) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(server.address().port));
	});
}

const b64u = (b) => Buffer.from(b).toString('base64url');

// A key pair as JWKs (public with kid, private for node:crypto).
export function keyPair(kind, kid) {
	const { publicKey, privateKey } = kind === 'EC' ?
	    crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) :
	    crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pub = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: kind === 'EC' ? 'ES256' : 'RS256' };
	const priv = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: pub.alg };
	return { pub, priv, privateKey, alg: pub.alg, kid };
}

// A compact JWS of claims, signed with node:crypto (not by Capacita).
export function signJwt(header, claims, key) {
	const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
	let sig = Buffer.alloc(0);
	if (header.alg === 'RS256')
		sig = crypto.sign('sha256', Buffer.from(input), key.privateKey);
	else if (header.alg === 'ES256')
		sig = crypto.sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
	else if (header.alg === 'HS256')
		sig = crypto.createHmac('sha256', key).update(input).digest();
	return `${input}.${b64u(sig)}`;
}

// oidc-provider with one client (Capacita) and the given accounts.
export async function startProvider({ redirect, postLogout, accounts, alg = 'RS256' }) {
	const server = http.createServer();
	const port = await listen(server);
	const issuer = `http://127.0.0.1:${port}`;
	const rsa = keyPair('RSA', 'op-rsa'), ec = keyPair('EC', 'op-ec');
	const provider = new Provider(issuer, {
		clients: [{
			client_id: 'capacita', client_secret: SECRET,
			redirect_uris: [redirect], post_logout_redirect_uris: [postLogout],
			grant_types: ['authorization_code'], response_types: ['code'],
			token_endpoint_auth_method: 'client_secret_basic',
			id_token_signed_response_alg: alg,
		}],
		claims: {
			openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'],
			pa: ['fiscalNumber', 'ou', 'groups'],
		},
		scopes: ['openid', 'email', 'profile', 'pa'],
		// The mapped claims in the ID token itself, as brokers do.
		conformIdTokenClaims: false,
		async findAccount(ctx, id) {
			if (!accounts[id])
				return undefined;
			return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
		},
		features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
		jwks: { keys: [rsa.priv, ec.priv] },
		cookies: { keys: ['capacita-test-cookies'] },
		pkce: { required: () => true },
	});
	provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
	server.on('request', provider.callback());
	return {
		issuer, port, provider, accounts,
		close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
	};
}

/*
 * The rogue provider: its ID tokens are made by the test. The next
 * /token answer is make({ nonce, aud, iss, now }) -> id_token, with the
 * nonce Capacita sent to /auth; set it with rogue.next = fn.
 */
export async function startRogue({ redirect }) {
	const server = http.createServer();
	const port = await listen(server);
	const issuer = `http://127.0.0.1:${port}`;
	const key = keyPair('RSA', 'rogue-1'), ec = keyPair('EC', 'rogue-ec');
	const other = keyPair('RSA', 'not-published');
	const rogue = {
		issuer, port, key, ec, other, next: null, lastNonce: null, jwksFetches: 0, lastJwksAt: 0,
		jwks: { keys: [key.pub, ec.pub] }, tokenCalls: 0, lastTokenBody: null,
	};
	server.on('request', (req, res) => {
		const u = new URL(req.url, issuer);
		const json = (code, o) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(o)); };
		if (u.pathname === '/.well-known/openid-configuration')
			return json(200, {
				issuer, authorization_endpoint: issuer + '/auth', token_endpoint: issuer + '/token',
				jwks_uri: issuer + '/jwks', end_session_endpoint: issuer + '/logout',
				response_types_supported: ['code'], subject_types_supported: ['public'],
				id_token_signing_alg_values_supported: ['RS256', 'ES256'],
			});
		if (u.pathname === '/jwks') {
			rogue.jwksFetches++;
			rogue.lastJwksAt = Date.now();
			return json(200, rogue.jwks);
		}
		if (u.pathname === '/auth') {
			rogue.lastNonce = u.searchParams.get('nonce');
			rogue.lastAuth = Object.fromEntries(u.searchParams);
			const back = new URL(u.searchParams.get('redirect_uri'));
			back.searchParams.set('code', 'code-' + crypto.randomBytes(8).toString('hex'));
			back.searchParams.set('state', u.searchParams.get('state'));
			res.writeHead(302, { location: back.href });
			return res.end();
		}
		if (u.pathname === '/token') {
			let body = '';
			req.on('data', (d) => { body += d; });
			req.on('end', () => {
				rogue.tokenCalls++;
				rogue.lastTokenBody = Object.fromEntries(new URLSearchParams(body));
				rogue.lastTokenAuth = req.headers.authorization;
				const now = Math.floor(Date.now() / 1000);
				const id_token = rogue.next({ nonce: rogue.lastNonce, aud: 'capacita', iss: issuer, now });
				json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token });
			});
			return;
		}
		res.writeHead(404);
		res.end();
	});
	rogue.close = () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); });
	rogue.claims = ({ nonce, aud, iss, now }, more = {}) => ({
		iss, aud, sub: 'rogue-person', nonce, iat: now, exp: now + 300,
		email: 'rogue.person@example.org', email_verified: true, name: 'Rogue Person', ...more,
	});
	void redirect;
	return rogue;
}

// The SMTP server, restartable on the same port.
export async function startSmtp(dir, port, delayMs = 0) {
	port = port || await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const smtp = {
		port, dir, proc: null, delayMs,
		async start() {
			this.proc = spawn('/usr/bin/python3', [path.join(ROOT, 'tests/lib/smtp-server.py'), String(port), dir, String(this.delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
			await new Promise((resolve, reject) => {
				this.proc.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
				this.proc.once('exit', (code) => reject(new Error('smtp server exited ' + code)));
			});
		},
		async stop() {
			if (!this.proc || this.proc.exitCode !== null)
				return;
			const done = new Promise((r) => this.proc.once('exit', r));
			this.proc.kill('SIGTERM');
			await done;
		},
		// The messages received so far: { file, raw, headers, text, html }.
		messages() {
			return fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => parseMessage(f, fs.readFileSync(path.join(dir, f), 'latin1')));
		},
	};
	await smtp.start();
	return smtp;
}

// Quoted-printable (RFC 2045 6.7) back to UTF-8 text.
export function qpDecode(s) {
	const bytes = [];
	const t = s.replace(/=\r\n/g, '');
	for (let i = 0; i < t.length; i++) {
		if (t[i] === '=' && /^[0-9A-F]{2}$/.test(t.slice(i + 1, i + 3))) {
			bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
			i += 2;
		} else
			bytes.push(t.charCodeAt(i));
	}
	return Buffer.from(bytes).toString('utf8');
}

// RFC 2047 encoded-words back to text.
export function decodeWords(v) {
	return v.replace(/\r\n[ \t]/g, ' ').replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(\s+(?==\?))?/g,
	    (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

function parseMessage(file, raw) {
	const split = raw.indexOf('\r\n\r\n');
	const head = raw.slice(0, split);
	const headers = {};
	for (const line of head.split(/\r\n(?![ \t])/)) {
		const i = line.indexOf(':');
		headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
	}
	const m = /boundary="([^"]+)"/.exec(headers['content-type'] || '');
	const parts = {};
	if (m) {
		for (const part of raw.slice(split + 4).split('--' + m[1])) {
			const ps = part.indexOf('\r\n\r\n');
			if (ps < 0)
				continue;
			const ph = part.slice(0, ps), body = part.slice(ps + 4);
			const type = /Content-Type: ([^;\r\n]+)/i.exec(ph)?.[1];
			if (type)
				parts[type] = /quoted-printable/i.test(ph) ? qpDecode(body) : body;
		}
	}
	return {
		file, raw, headers, subject: decodeWords(headers.subject || ''),
		text: parts['text/plain'], html: parts['text/html'],
	};
}
