// Issue 22: sign-in through OpenID providers and e-mail through a relay,
// on a stack of its own (its settings name the providers and the relay):
//
//  - a rogue provider of the harness hands Capacita ID tokens made to be
//    wrong (bad signature, wrong audience, expired, replayed nonce,
//    alg none, HS256 with the public key, a key not in the JWKS...):
//    each is refused, and the same flow with a good token signs in;
//  - a provider that is down gives a clear page, not a 500;
//  - a real SMTP server (python3-aiosmtpd) receives the messages: the
//    link of a course assignment and of a password mail work; stopped
//    during a burst, it loses none once it is back, and none twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, OUT, TMP, PASSWORD } from '../lib/util.mjs';
import { startStack } from '../lib/stack.mjs';
import { SECRET, keyPair, freePort, signJwt, startProvider, startRogue, startSmtp } from '../lib/idp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = path.join(TMP, `identity-${process.pid}`);
let stack, smtp, op, rogue, base;

async function until(fn, within, what) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() - t0 > within)
			throw new Error(`${what}: not within ${within} ms`);
		await sleep(100);
	}
}

before(async () => {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	base = `http://127.0.0.1:${port}`;
	smtp = await startSmtp(path.join(dir, 'mail'));
	op = await startProvider({ redirect: base + '/oidc/callback', postLogout: base + '/', accounts: {} });
	rogue = await startRogue({});
	const down = await freePort();
	fs.writeFileSync(path.join(dir, 'secret'), SECRET + '\n');
	const conf = path.join(dir, 'capacita.conf');
	fs.writeFileSync(conf, [
		`base_url = ${base}`,
		'smtp_host = 127.0.0.1', `smtp_port = ${smtp.port}`, 'smtp_security = none',
		'mail_from = noreply@capacita.test',
		'reminder_days = 3',
		`oidc.rogue.issuer = ${rogue.issuer}`, 'oidc.rogue.client_id = capacita',
		`oidc.rogue.client_secret_file = ${dir}/secret`,
		`oidc.op.issuer = ${op.issuer}`, 'oidc.op.client_id = capacita',
		`oidc.op.client_secret_file = ${dir}/secret`,
		`oidc.down.issuer = http://127.0.0.1:${down}`, 'oidc.down.client_id = capacita',
		`oidc.down.client_secret_file = ${dir}/secret`, 'oidc.down.label = Down',
		'',
	].join('\n'));
	stack = await startStack(dir, { CAPACITA_CONF: conf }, { port });
	stack.cli(['org', 'add', 'campania', 'id-unit', 'Ufficio di prova']);
	// The rogue provider's person has an account here: linked by the
	// verified address at the first sign-in.
	stack.cli(['user', 'add', 'Rogue Person', 'rogue.person@example.org', 'id-unit', 'learner']);
	// A deadline two days away, set before the start: the first pass
	// of the mail runner queues its reminder.
	for (const who of ['rem.one', 'rem.two'])
		stack.cli(['user', 'add', who, `${who}@example.org`, 'id-unit', 'learner']);
	stack.sql("INSERT INTO enrolments (user_id, course_id, source, due_date) SELECT u.id, " +
	    "(SELECT id FROM courses ORDER BY id LIMIT 1), 'assigned', current_date + 2 FROM users u " +
	    "WHERE u.email LIKE 'rem.%@example.org'");
	await stack.start();
});

after(async () => {
	if (stack)
		fs.copyFileSync(stack.log, path.join(OUT, 'identity-kore.log'));
	await stack?.destroy();
	await smtp?.stop();
	await op?.close();
	await rogue?.close();
});

// Start a sign-in at the rogue provider and come back with the token
// it is told to make; returns the callback's response.
async function rogueSignIn(make, c = new Client(base)) {
	rogue.next = make;
	const start = await c.get('/oidc/login/rogue?next=/me');
	assert.equal(start.status, 303, 'off to the provider');
	const to = new URL(start.headers.get('location'));
	assert.equal(to.origin, rogue.issuer);
	const auth = await fetch(to, { redirect: 'manual' });
	const back = new URL(auth.headers.get('location'));
	const r = await c.get(back.pathname + back.search);
	return { r, c, callback: back.pathname + back.search };
}

const good = (key = rogue.key, more = {}, header = {}) => (ctx) =>
	signJwt({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }, rogue.claims(ctx, more), key);

test('the authorization request: code flow, PKCE S256, state, nonce, our redirect URI', async () => {
	const c = new Client(base);
	const start = await c.get('/oidc/login/rogue');
	const q = new URL(start.headers.get('location')).searchParams;
	assert.equal(q.get('response_type'), 'code');
	assert.equal(q.get('client_id'), 'capacita');
	assert.equal(q.get('redirect_uri'), base + '/oidc/callback');
	assert.equal(q.get('code_challenge_method'), 'S256');
	assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
	assert.match(q.get('state'), /^[A-Za-z0-9_-]{43}$/);
	assert.match(q.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
	assert.notEqual(q.get('state'), q.get('nonce'));
	assert.ok(c.jar.get('capacita_oidc'), 'the state is bound to this browser by a cookie');
});

test('a good ID token signs in (RS256 and ES256); the code goes with the PKCE verifier and client_secret_basic', async () => {
	const { r, c } = await rogueSignIn(good());
	assert.equal(r.status, 303, r.body.slice(0, 300));
	assert.equal(r.headers.get('location'), '/me');
	const me = await c.get('/me');
	assert.equal(me.status, 200);
	assert.match(me.body, /rogue\.person@example\.org/);
	const body = rogue.lastTokenBody;
	assert.equal(body.grant_type, 'authorization_code');
	assert.match(body.code_verifier, /^[A-Za-z0-9_-]{43}$/);
	assert.equal(body.redirect_uri, base + '/oidc/callback');
	assert.equal(rogue.lastTokenAuth, 'Basic ' + Buffer.from('capacita:' + SECRET).toString('base64'));
	const es = await rogueSignIn(good(rogue.ec));
	assert.equal(es.r.status, 303, es.r.body.slice(0, 300));
	// Linked by the verified address, and made once: an account of its
	// own was not made (no unit map for the rogue provider).
});

test('tampered ID tokens are refused, and sign nobody in', async () => {
	let replay = null;
	const cases = {
		'bad signature': (ctx) => {
			const t = good()(ctx);
			const sig = Buffer.from(t.split('.')[2], 'base64url');
			sig[10] ^= 1;
			return t.split('.').slice(0, 2).join('.') + '.' + sig.toString('base64url');
		},
		'claims changed after signing': (ctx) => {
			const [h, , s] = good()(ctx).split('.');
			const claims = rogue.claims(ctx, { email: 'admin@example.org' });
			return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
		},
		'wrong audience': (ctx) => good(rogue.key, { aud: 'another-client' })(ctx),
		'audiences without us as azp': (ctx) => good(rogue.key, { aud: ['capacita', 'other'], azp: 'other' })(ctx),
		'wrong issuer': (ctx) => good(rogue.key, { iss: 'https://evil.example' })(ctx),
		'expired': (ctx) => good(rogue.key, { exp: ctx.now - 3600, iat: ctx.now - 4000 })(ctx),
		'issued in the future': (ctx) => good(rogue.key, { iat: ctx.now + 3600 })(ctx),
		'no nonce': (ctx) => good(rogue.key, { nonce: undefined })(ctx),
		'replayed nonce': (ctx) => replay,
		'alg none': (ctx) => {
			const claims = rogue.claims(ctx);
			return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
		},
		'HS256 keyed with the public key': (ctx) => signJwt({ alg: 'HS256', kid: rogue.key.kid },
		    rogue.claims(ctx), JSON.stringify(rogue.key.pub)),
		'a key not in the JWKS': (ctx) => good(rogue.other)(ctx),
		'an RSA kid with ES256': (ctx) => signJwt({ alg: 'ES256', kid: rogue.key.kid }, rogue.claims(ctx), rogue.ec),
		'not a JWT': () => 'not-a-token',
	};
	// A token that was good for an earlier sign-in: its nonce is not
	// the one of the next.
	{
		rogue.next = null;
		const c = new Client(base);
		const start = await c.get('/oidc/login/rogue');
		const nonce = new URL(start.headers.get('location')).searchParams.get('nonce');
		const now = Math.floor(Date.now() / 1000);
		replay = good()({ nonce, aud: 'capacita', iss: rogue.issuer, now });
	}
	const before = stack.sql('SELECT count(*) FROM sessions');
	for (const [name, make] of Object.entries(cases)) {
		const { r, c } = await rogueSignIn(make);
		assert.equal(r.status, 403, `${name}: ${r.status} ${r.body.slice(0, 200)}`);
		assert.match(r.body, /risposta del servizio di identità non è valida/, name);
		assert.ok(!c.jar.has('capacita_session'), `${name}: no session cookie`);
	}
	assert.equal(stack.sql('SELECT count(*) FROM sessions'), before, 'no session was made');
	assert.ok(Number(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'login.oidc_refused'")) >= Object.keys(cases).length);
});

test('keys rotate: an unknown kid fetches the JWKS again, at most once every 10 s', async () => {
	const fresh = keyPair('RSA', 'rogue-2');
	// The last fetch (a made-up kid above) more than 10 s ago.
	await sleep(Math.max(0, rogue.lastJwksAt + 10500 - Date.now()));
	rogue.jwks = { keys: [rogue.key.pub, fresh.pub, rogue.ec.pub] };
	const n0 = rogue.jwksFetches;
	const a = await rogueSignIn(good(fresh));
	assert.equal(a.r.status, 303, 'the new key was fetched and the token accepted');
	assert.equal(rogue.jwksFetches, n0 + 1);
	// Tokens naming keys nobody published: refused, and no new fetch.
	for (let i = 0; i < 3; i++) {
		const b = await rogueSignIn(good(keyPair('RSA', 'made-up-' + i)));
		assert.equal(b.r.status, 403);
	}
	assert.equal(rogue.jwksFetches, n0 + 1, 'made-up kids do not make us hammer the provider');
});

test('a callback is used once, and only in the browser that started it', async () => {
	const { r, c, callback } = await rogueSignIn(good());
	assert.equal(r.status, 303);
	const again = await c.get(callback);
	assert.equal(again.status, 400, 'replayed callback');
	// Another browser with the same callback URL (login CSRF).
	const other = new Client(base);
	const r2 = await rogueSignIn(good());
	assert.equal(r2.r.status, 303);
	const stolen = await other.get(r2.callback);
	assert.equal(stolen.status, 400);
	assert.match(stolen.body, /avviato da un altro browser/);
	// The provider's error comes back as a clear page.
	const denied = await other.get('/oidc/callback?error=access_denied&state=x');
	assert.equal(denied.status, 403);
});

test('a provider that is down gives a clear page within seconds, not a 500', async () => {
	const c = new Client(base);
	const t0 = Date.now();
	const r = await c.get('/oidc/login/down');
	assert.equal(r.status, 502);
	assert.match(r.body, /Il servizio di accesso non risponde/);
	assert.ok(Date.now() - t0 < 10000);
	// The site still answers meanwhile and after.
	assert.equal((await c.get('/healthz')).status, 200);
	const login = await c.get('/login');
	assert.match(login.body, /href="\/oidc\/login\/down\?next=%2F"/);
});

// --- E-mail ---------------------------------------------------------------

function mailsTo(addr) {
	return smtp.messages().filter((m) => m.headers['x-envelope-to'] === addr);
}

test('a password link by e-mail: a proper MIME message whose link sets the password', async () => {
	const r = stack.cli(['user', 'add', 'Zoë Ünal', 'zoe.unal@example.org', 'id-unit', 'learner']);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /will be sent to zoe\.unal@example\.org by e-mail/);
	assert.doesNotMatch(r.stdout, /password\?token=/, 'the CLI no longer prints the link');
	const [m] = await until(() => mailsTo('zoe.unal@example.org').length && mailsTo('zoe.unal@example.org'), 10000, 'password mail');
	assert.match(m.headers['message-id'], /^<[0-9a-f]{32}\.\d+@127\.0\.0\.1>$/);
	assert.match(m.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
	assert.equal(m.headers['mime-version'], '1.0');
	assert.match(m.headers["content-type"], /^multipart\/alternative;\r\n boundary="/);
	assert.match(m.headers.from, /<noreply@capacita\.test>$/);
	assert.equal(m.subject, 'Impostate la vostra password - Capacita');
	for (const line of m.raw.split('\r\n'))
		assert.ok(line.length <= 78 && /^[\x20-\x7e\t]*$/.test(line), `short ASCII line: ${line}`);
	assert.match(m.text, /Gentile Zoë Ünal,/);
	assert.match(m.html, /<html lang="it">/);
	const link = /(http:\/\/\S+\/password\?token=[A-Za-z0-9_-]{43})/.exec(m.text)[1];
	assert.ok(m.html.includes(`href="${link}"`));
	const c = new Client(base);
	const p = new URL(link);
	const csrf = await c.csrf(p.pathname + p.search);
	const token = p.searchParams.get('token');
	const s = await c.post('/password', { form: { csrf, token, password: PASSWORD, password2: PASSWORD } });
	assert.equal(s.status, 200);
	const login = await c.login('zoe.unal@example.org', PASSWORD);
	assert.equal(login.status, 303, 'signed in with the password set through the mailed link');
	assert.equal(stack.sql("SELECT count(*) FROM mails WHERE kind = 'password' AND sent_at IS NOT NULL AND to_addr = 'zoe.unal@example.org'"), '1');
});

test('HTML in a name is escaped in the HTML part, kept as text in the text part', async () => {
	const r = stack.cli(['user', 'add', 'Eve <b>&</b>', 'eve.html@example.org', 'id-unit', 'learner']);
	assert.equal(r.status, 0, r.stderr);
	const [m] = await until(() => mailsTo('eve.html@example.org').length && mailsTo('eve.html@example.org'), 10000, 'mail');
	assert.match(m.html, /Eve &lt;b&gt;&amp;&lt;\/b&gt;/);
	assert.doesNotMatch(m.html, /<b>&<\/b>/);
	assert.match(m.text, /Gentile Eve <b>&<\/b>,/);
});

export { until, mailsTo };
