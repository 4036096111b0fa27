// Issue 22: sign-in through OpenID providers and e-mail through a relay,
// on a stack of its own (its settings name the providers and the relay):
//
//  - a rogue provider of the harness hands Capacita ID tokens made to be
//    wrong (bad signature, wrong audience, expired, replayed nonce,
//    alg none, HS256 with the public key, a key not in the JWKS...):
//    each is refused, and the same flow with a good token signs in;
//  - claims released only at UserInfo are fetched with the access token
//    and merged (the ID token's first; an address verified only by its
//    own email_verified), and a UserInfo answer about another sub is
//    refused; "userinfo = no" does without;
//  - a browser that leaves during a provider call leaks nothing;
//  - a provider that is down gives a clear page, not a 500;
//  - a real SMTP server (python3-aiosmtpd) receives the messages: the
//    link of a course assignment and of a password mail work; people
//    imported from CSV (CLI and web) each get the password mail, queued
//    in the import's transaction (all or nothing); stopped
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
		// The rogue provider again, without UserInfo.
		`oidc.rogueplain.issuer = ${rogue.issuer}`, 'oidc.rogueplain.client_id = capacita',
		`oidc.rogueplain.client_secret_file = ${dir}/secret`, 'oidc.rogueplain.userinfo = no',
		'',
	].join('\n'));
	// Two workers (the shipped conf has more): what is measured below is
	// per worker, and each must be warmed by sign-ins it happens to get.
	stack = await startStack(dir, { CAPACITA_CONF: conf }, { port, workers: 2 });
	stack.cli(['org', 'add', 'campania', 'id-unit', 'Ufficio di prova']);
	// The rogue provider's person has an account here: linked by the
	// verified address at the first sign-in.
	stack.cli(['user', 'add', 'Rogue Person', 'rogue.person@example.org', 'id-unit', 'learner']);
	// Known here by an address its provider releases only at UserInfo.
	stack.cli(['user', 'add', 'Ugo Info', 'ugo.info@example.org', 'id-unit', 'learner']);
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
async function rogueSignIn(make, c = new Client(base), provider = 'rogue') {
	rogue.next = make;
	const start = await c.get(`/oidc/login/${provider}?next=/me`);
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

// An ID token with only these claims (and the protocol's).
const bare = (claims) => (ctx) => signJwt({ alg: 'RS256', kid: rogue.key.kid, typ: 'JWT' },
    { iss: ctx.iss, aud: ctx.aud, nonce: ctx.nonce, iat: ctx.now, exp: ctx.now + 300, ...claims }, rogue.key);

test('UserInfo: claims released only there are fetched with the access token, and merged', async () => {
	const linked = () => stack.sql("SELECT coalesce(string_agg(i.subject || ':' || i.linked_by, ','), '') FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'ugo.info@example.org'");
	try {
		// An address from UserInfo without email_verified links nobody.
		rogue.userinfo = ({ sub }) => ({ body: { sub, email: 'ugo.info@example.org', name: 'Ugo Info' } });
		let { r } = await rogueSignIn(bare({ sub: 'ugo-at-rogue' }));
		assert.equal(r.status, 403);
		assert.match(r.body, /Non hai ancora un account/);
		assert.equal(linked(), '');
		// With email_verified true it links the account.
		rogue.userinfo = ({ sub }) => ({ body: { sub, email: 'ugo.info@example.org', email_verified: true } });
		const calls = rogue.userinfoCalls;
		const s = await rogueSignIn(bare({ sub: 'ugo-at-rogue' }));
		assert.equal(s.r.status, 303, s.r.body.slice(0, 300));
		assert.equal(rogue.userinfoCalls, calls + 1, 'UserInfo asked once');
		const at = /^Bearer (at-[A-Za-z0-9_-]+)$/.exec(rogue.lastUserinfoAuth)?.[1];
		assert.ok(at && rogue.tokens.has(at), `the access token of this sign-in as a bearer token: ${rogue.lastUserinfoAuth}`);
		assert.match((await s.c.get('/me')).body, /ugo\.info@example\.org/);
		assert.equal(linked(), 'ugo-at-rogue:email');
		// The ID token's claims win over UserInfo's.
		rogue.userinfo = ({ sub }) => ({ body: { sub, email: 'ugo.info@example.org', email_verified: true } });
		const p = await rogueSignIn(bare({ sub: 'prec-at-rogue', email: 'rogue.person@example.org', email_verified: true }));
		assert.equal(p.r.status, 303);
		assert.match((await p.c.get('/me')).body, /rogue\.person@example\.org/, 'the account of the ID token\'s address');
		assert.equal(linked(), 'ugo-at-rogue:email');
	} finally {
		rogue.userinfo = null;
	}
});

test('UserInfo about another sub is refused; its failures give clear pages', async () => {
	const sessions = stack.sql('SELECT count(*) FROM sessions');
	try {
		rogue.userinfo = () => ({ body: { sub: 'rogue-admin', email: 'rogue.person@example.org', email_verified: true } });
		const { r, c } = await rogueSignIn(bare({ sub: 'someone-new' }));
		assert.equal(r.status, 403);
		assert.match(r.body, /risposta del servizio di identità non è valida/);
		assert.ok(!c.jar.has('capacita_session'));
		assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'login.oidc_refused' AND details LIKE '%UserInfo sub ''rogue-admin''%'"), '1');
		// Even for a known subject with a good ID token.
		const k = await rogueSignIn(good());
		assert.equal(k.r.status, 403, 'a known person, a UserInfo about someone else');
		assert.equal(stack.sql('SELECT count(*) FROM sessions'), sessions, 'no session was made');
		// The endpoint down, or refusing the token.
		rogue.userinfo = () => ({ status: 503, body: { error: 'temporarily_unavailable' } });
		const d = await rogueSignIn(good());
		assert.equal(d.r.status, 502);
		assert.match(d.r.body, /Il servizio di accesso non risponde/);
		rogue.userinfo = () => ({ status: 401, body: { error: 'invalid_token' } });
		assert.equal((await rogueSignIn(good())).r.status, 403);
		// A signed UserInfo response (application/jwt) is not read.
		rogue.userinfo = ({ sub }) => ({ type: 'application/jwt', body: good()({ nonce: 'x', aud: 'capacita', iss: rogue.issuer, now: Math.floor(Date.now() / 1000) }) });
		assert.equal((await rogueSignIn(good())).r.status, 403);
	} finally {
		rogue.userinfo = null;
	}
});

test('userinfo = no: the provider is not asked, only the ID token counts', async () => {
	rogue.userinfo = ({ sub }) => ({ body: { sub, email: 'ugo.info@example.org', email_verified: true } });
	try {
		const calls = rogue.userinfoCalls;
		const { r } = await rogueSignIn(bare({ sub: 'plain-person' }), new Client(base), 'rogueplain');
		assert.equal(r.status, 403);
		assert.match(r.body, /Non hai ancora un account/);
		assert.equal(rogue.userinfoCalls, calls, 'UserInfo not asked');
		const g = await rogueSignIn(good(), new Client(base), 'rogueplain');
		assert.equal(g.r.status, 303, 'the claims of the ID token alone sign in');
		assert.equal(rogue.userinfoCalls, calls);
	} finally {
		rogue.userinfo = null;
	}
	// Only yes or no.
	const bad = path.join(dir, 'bad-userinfo.conf');
	fs.writeFileSync(bad, `oidc.x.issuer = https://idp.example.it\noidc.x.client_id = c\noidc.x.client_secret_file = ${dir}/secret\noidc.x.userinfo = sometimes\n`);
	const r = stack.cli(['check'], { CAPACITA_CONF: bad });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /bad-userinfo\.conf: provider 'x': userinfo is yes or no, not 'sometimes'/);
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

// The resident memory of the server's workers, in kB.
function workersRss() {
	return stack.workers().reduce((sum, pid) => {
		try {
			return sum + Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
		} catch {
			return sum;
		}
	}, 0);
}

// A sign-in whose browser gives up while Capacita waits for the token
// endpoint: the callback is aborted once the provider has the request.
async function abandonedSignIn() {
	const c = new Client(base);
	const start = await c.get('/oidc/login/rogue');
	const auth = await fetch(start.headers.get('location'), { redirect: 'manual' });
	const back = new URL(auth.headers.get('location'));
	const started = rogue.tokenStarted;
	const ac = new AbortController();
	const r = fetch(base + back.pathname + back.search, { headers: { cookie: c.cookieHeader() }, redirect: 'manual', signal: ac.signal })
	    .then(() => 'answered', () => 'aborted');
	await until(() => rogue.tokenStarted > started, 5000, 'the token request');
	ac.abort();
	return r;
}

test('browsers that leave during a provider call: what the call brought back is freed', async () => {
	// Large ID tokens (about 14 kB each), answered 150 ms late: a
	// call's results that were never freed would add up to megabytes
	// (before the fix: 3388 kB over 240 such sign-ins).
	rogue.next = good(rogue.key, { pad: 'x'.repeat(10000) });
	rogue.tokenDelayMs = 150;
	// Four at a time (two task threads a worker). A worker's first
	// provider calls grow it once, by about 5 MB: libcurl's and
	// libcrypto's pages touched and OpenSSL's lazily built tables (read
	// in /proc/PID/smaps: flat after). Which worker takes a connection
	// is the kernel's choice, so the warm-up goes on, a round at a time,
	// until a round leaves the workers as they were; a leak would keep
	// every round growing and fail below.
	const round = async (n) => {
		const out = [];
		for (let i = 0; i < n; i += 4)
			out.push(...await Promise.all(Array.from({ length: 4 }, abandonedSignIn)));
		await sleep(1000);	// every task done
		return out;
	};
	try {
		for (let k = 0; k < 3; k++) {
			const b = workersRss();
			await round(20 * stack.workers().length);
			if (workersRss() - b < 700)
				break;
		}
		const before = workersRss();
		const got = await round(200);
		const after = workersRss();
		const aborted = got.filter((x) => x === 'aborted').length;
		assert.equal(aborted, 200, 'every callback was abandoned mid-call');
		const grown = after - before;
		console.log(`# workers' RSS ${before} kB -> ${after} kB (${grown} kB) over 200 abandoned sign-ins`);
		// 200 ID tokens of 14 kB are 2.8 MB.
		assert.ok(grown < 700, `the workers grew by ${grown} kB over 200 abandoned sign-ins`);
	} finally {
		rogue.tokenDelayMs = 0;
	}
	// The site and a sign-in still work.
	const { r } = await rogueSignIn(good());
	assert.equal(r.status, 303);
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
	// A new account: a welcome, not the answer to a request never made.
	assert.equal(m.subject, 'Il tuo account su Capacita');
	for (const line of m.raw.split('\r\n'))
		assert.ok(line.length <= 78 && /^[\x20-\x7e\t]*$/.test(line), `short ASCII line: ${line}`);
	assert.match(m.text, /Ciao Zoë Ünal,/);
	assert.ok(m.text.includes(`È stato creato il tuo account sulla piattaforma di formazione Capacita (${base}).`));
	assert.match(m.text, /Per accedere userai questo indirizzo email: zoe\.unal@example\.org/);
	assert.doesNotMatch(m.text, /Se non l'hai chiesto/);
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
	// A new link asked for later: the password message.
	assert.equal(stack.cli(['user', 'reset-password', 'zoe.unal@example.org']).status, 0);
	const again = await until(() => mailsTo('zoe.unal@example.org').find((x) => x.subject === 'Imposta la tua password - Capacita'), 10000, 'reset mail');
	assert.match(again.text, /Se non l'hai chiesto, ignora questo messaggio/);
	assert.match(again.text, /password\?token=[A-Za-z0-9_-]{43}/);
});

test('HTML in a name is escaped in the HTML part, kept as text in the text part', async () => {
	const r = stack.cli(['user', 'add', 'Eve <b>&</b>', 'eve.html@example.org', 'id-unit', 'learner']);
	assert.equal(r.status, 0, r.stderr);
	const [m] = await until(() => mailsTo('eve.html@example.org').length && mailsTo('eve.html@example.org'), 10000, 'mail');
	assert.match(m.html, /Eve &lt;b&gt;&amp;&lt;\/b&gt;/);
	assert.doesNotMatch(m.html, /<b>&<\/b>/);
	assert.match(m.text, /Ciao Eve <b>&<\/b>,/);
});

// An account made with the CLI whose password is set through the link
// it receives by e-mail; returns a signed-in client.
async function account(name, email, roles = 'learner') {
	const r = stack.cli(['user', 'add', name, email, 'id-unit', roles]);
	assert.equal(r.status, 0, r.stderr);
	const [m] = await until(() => mailsTo(email).length && mailsTo(email), 15000, `password mail to ${email}`);
	const link = new URL(/(http:\/\/\S+\/password\?token=[A-Za-z0-9_-]{43})/.exec(m.text)[1]);
	const c = new Client(base);
	const csrf = await c.csrf(link.pathname + link.search);
	const token = link.searchParams.get('token');
	const set = await c.post('/password', { form: { csrf, token, password: PASSWORD, password2: PASSWORD } });
	assert.equal(set.status, 200);
	assert.equal((await c.login(email, PASSWORD)).status, 303);
	return c;
}

// The password link of the (only) password mail to an address.
const linkIn = (m) => new URL(/(http:\/\/\S+\/password\?token=[A-Za-z0-9_-]{43})/.exec(m.text)[1]);

test('a CSV import through the CLI: each person gets the password mail, whose link works', async () => {
	const csv = path.join(dir, 'staff.csv');
	fs.writeFileSync(csv, '\ufeffname;email;office;roles\nIda Import;ida.import@example.org;id-unit;learner\n"Rossi, Ivo";ivo.import@example.org;id-unit;learner\n');
	const r = stack.cli(['user', 'import', csv]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /imported 2 users from .*staff\.csv; each will receive a link to set the password by e-mail/);
	assert.doesNotMatch(r.stdout, /password\?token=/, 'no link printed when a relay sends them');
	for (const [who, name] of [['ida.import@example.org', 'Ida Import'], ['ivo.import@example.org', 'Rossi, Ivo']]) {
		const [m] = await until(() => mailsTo(who).length && mailsTo(who), 15000, `password mail to ${who}`);
		assert.equal(m.subject, 'Il tuo account su Capacita');
		assert.match(m.text, new RegExp(`Ciao ${name},`));
		assert.equal(mailsTo(who).length, 1, 'one message each');
	}
	const link = linkIn(mailsTo('ivo.import@example.org')[0]);
	const c = new Client(base);
	const csrf = await c.csrf(link.pathname + link.search);
	const set = await c.post('/password', { form: { csrf, token: link.searchParams.get('token'), password: PASSWORD, password2: PASSWORD } });
	assert.equal(set.status, 200);
	assert.equal((await c.login('ivo.import@example.org', PASSWORD)).status, 303, 'signed in with the password set through the mail');
	assert.match(stack.sql("SELECT details FROM audit_log WHERE event = 'users.import' ORDER BY id DESC LIMIT 1"), /^2 users, set-password mails queued$/);
});

test('a CSV import on the admin page: the mails, and all or nothing with them', async () => {
	const admin = await account('Amministratrice Import', 'admin.import@example.org', 'learner;admin');
	const mails = () => stack.sql("SELECT count(*) FROM mails WHERE kind = 'password'");
	const upload = async (content) => {
		const csrf = await admin.csrf('/admin/users/import');
		return admin.post('/admin/users/import', { multipart: { csrf, csv: { filename: 'staff.csv', content } } });
	};
	// A bad row: no account and no mail.
	let n = mails();
	let r = await upload('name,email,office,roles\nOlga Web,olga.web@example.org,id-unit,learner\nPia Web,pia.web@,id-unit,learner\n');
	assert.equal(r.status, 400);
	assert.equal(stack.sql("SELECT count(*) FROM users WHERE email = 'olga.web@example.org'"), '0');
	assert.equal(mails(), n, 'nothing queued');
	// The mail of one person cannot be queued (a database refusal,
	// made here with a trigger): the whole import is undone.
	stack.sql(`CREATE FUNCTION test_refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
	    IF (SELECT email FROM users WHERE id = NEW.user_id) = 'pia.web@example.org' THEN RAISE EXCEPTION 'mail refused for the test'; END IF;
	    RETURN NEW; END $$; CREATE TRIGGER test_refuse_mail BEFORE INSERT ON mails FOR EACH ROW EXECUTE FUNCTION test_refuse_mail()`);
	try {
		r = await upload('name,email,office,roles\nOlga Web,olga.web@example.org,id-unit,learner\nPia Web,pia.web@example.org,id-unit,learner\n');
		assert.equal(r.status, 400);
		assert.match(r.body, /line 3: .*mail refused for the test/);
		assert.equal(stack.sql("SELECT count(*) FROM users WHERE email IN ('olga.web@example.org', 'pia.web@example.org')"), '0', 'no account');
		assert.equal(mails(), n, 'no mail, not even Olga\'s');
	} finally {
		stack.sql('DROP TRIGGER test_refuse_mail ON mails; DROP FUNCTION test_refuse_mail()');
	}
	// Both good: both accounts, both mails.
	r = await upload('name,email,office,roles\nOlga Web,olga.web@example.org,id-unit,learner\nPia Web,pia.web@example.org,id-unit,learner\n');
	assert.equal(r.status, 200, r.body.slice(0, 300));
	assert.match(r.body, /Utenti importati: 2\. Ognuno riceverà per email il collegamento per impostare la password\./);
	for (const who of ['olga.web@example.org', 'pia.web@example.org']) {
		const [m] = await until(() => mailsTo(who).length && mailsTo(who), 15000, `password mail to ${who}`);
		assert.ok(linkIn(m).searchParams.get('token'));
	}
});

async function assign(hr, course, { email = '', org = '', due = '' }) {
	const csrf = await hr.csrf('/hr/people');
	const r = await hr.post('/hr/assign', { form: { csrf, course, email, org, due } });
	assert.equal(r.status, 200, r.body.slice(0, 300));
}

const courses = () => stack.sql('SELECT slug, title FROM courses ORDER BY id').split('\n').map((l) => l.split('|'));
let hr;

test('a course assigned sends a message with its deadline, whose link opens the course', async () => {
	hr = await account('Ufficio Personale', 'hr.office@example.org', 'learner;hr@id-unit');
	const learner = await account('Lia Rossi', 'lia.rossi@example.org');
	const [slug, title] = courses()[1];
	await assign(hr, slug, { email: 'lia.rossi@example.org', due: '2031-06-30' });
	const m = await until(() => mailsTo('lia.rossi@example.org').find((x) => /corso assegnato/.test(x.subject)), 15000, 'assignment mail');
	assert.equal(m.subject, `Nuovo corso assegnato: ${title}`);
	assert.match(m.text, /Scadenza: lunedì 30 giugno 2031\r?\n/, 'a date as an Italian letter writes it');
	assert.match(m.html, /Scadenza: lunedì 30 giugno 2031</);
	assert.equal(m.headers['list-unsubscribe'], undefined, 'only reminders carry List-Unsubscribe');
	const link = new URL(/(http:\/\/\S+\/learn\/[a-z0-9-]+)/.exec(m.text)[1]);
	assert.equal(link.origin, base);
	const page = await learner.get(link.pathname);
	assert.equal(page.status, 200);
	assert.ok(page.body.includes(title.replace(/&/g, '&amp;')), 'the course page');
	// Without a session, the link goes through the sign-in and back.
	const anon = await new Client(base).get(link.pathname);
	assert.equal(anon.status, 303);
	assert.match(anon.headers.get('location'), /^\/login\?next=/);
});

test('in English for a person who chose English', async () => {
	const c = await account('John Smith', 'john.smith@example.org');
	assert.equal((await c.get('/lang/en?next=/me')).status, 303);
	const [slug, title] = courses()[1];
	await assign(hr, slug, { email: 'john.smith@example.org', due: '2031-01-05' });
	const m = await until(() => mailsTo('john.smith@example.org').find((x) => /assigned/.test(x.subject)), 15000, 'English mail');
	assert.equal(m.subject, `A course assigned to you: ${title}`);
	assert.match(m.text, /Deadline: Sunday 5 January 2031/);
	assert.match(m.html, /<html lang="en">/);
});

test('reminders before a deadline, with a one-click List-Unsubscribe that turns them off', async () => {
	const m = await until(() => mailsTo('rem.one@example.org').find((x) => /Promemoria/.test(x.subject)), 15000, 'reminder');
	const due = stack.sql("SELECT e.due_date FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email = 'rem.one@example.org'");
	const words = new Date(due + 'T12:00:00Z').toLocaleDateString('it-IT', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
	assert.ok(m.subject.startsWith(`Promemoria, scadenza ${words}: `), `${m.subject} (${words})`);
	const url = /^<(.+)>$/.exec(m.headers['list-unsubscribe'])[1];
	assert.match(url, new RegExp(`^${base}/unsubscribe\\?t=[0-9a-f]{32}$`));
	assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
	assert.ok(m.text.includes(url) && m.html.includes(url.replace(/&/g, '&amp;')), 'the link in the message too');
	// RFC 8058: a POST with that body, no cookie, no form token.
	const r = await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
	assert.equal(r.status, 200);
	assert.equal(stack.sql("SELECT mail_reminders FROM users WHERE email = 'rem.one@example.org'"), 'f');
	assert.equal(stack.sql("SELECT mail_reminders FROM users WHERE email = 'rem.two@example.org'"), 't', 'only that person');
	const bad = await fetch(base + '/unsubscribe?t=' + '0'.repeat(32), { method: 'POST', redirect: 'manual' });
	assert.equal(bad.status, 404);
	// One reminder per deadline, however often the runner looks.
	assert.equal(mailsTo('rem.two@example.org').filter((x) => /Promemoria/.test(x.subject)).length, 1);
	// A person turns them off (and on) on their own page.
	const c = await account('Rem Three', 'rem.three@example.org');
	const csrf = await c.csrf('/me');
	assert.match((await c.get('/me')).body, /id="f-reminders"[^>]* checked/);
	assert.equal((await c.post('/me/mail', { form: { csrf } })).status, 303);
	assert.equal(stack.sql("SELECT mail_reminders FROM users WHERE email = 'rem.three@example.org'"), 'f');
	assert.doesNotMatch((await c.get('/me')).body, /id="f-reminders"[^>]* checked/);
});

test('a badge issued and revoked: each a message, with the certificate link and the reason', async () => {
	const issuer = await account('Ente Emittente', 'issuer.office@example.org', 'learner;issuer@id-unit');
	const learner = await account('Bea Verdi', 'bea.verdi@example.org');
	const [slug, title] = courses()[0];
	stack.sql(`INSERT INTO enrolments (user_id, course_id, source, completed_at) SELECT u.id, c.id, 'self', now() FROM users u, courses c WHERE u.email = 'bea.verdi@example.org' AND c.slug = '${slug}'`);
	stack.sql(`INSERT INTO jobs (kind, ref) SELECT 'badge', e.id::text FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email = 'bea.verdi@example.org'`);
	const m = await until(() => mailsTo('bea.verdi@example.org').find((x) => /Nuovo attestato/.test(x.subject)), 15000, 'badge mail');
	assert.equal(m.subject, `Nuovo attestato: ${title}`);
	const link = new URL(/(http:\/\/\S+\/badges\/[0-9a-f-]{36})/.exec(m.text)[1]);
	const id = link.pathname.split('/').pop();
	assert.equal(stack.sql(`SELECT count(*) FROM badges WHERE id = '${id}'`), '1');
	assert.equal((await learner.get(link.pathname)).status, 200, 'the certificate page');
	const csrf = await issuer.csrf('/issuer/badges');
	const r = await issuer.post('/issuer/badges', { form: { csrf, badge: id, reason: 'Errore di registrazione <corretto>' } });
	assert.ok([200, 303].includes(r.status), `revoke: ${r.status}`);
	const v = await until(() => mailsTo('bea.verdi@example.org').find((x) => /revocato/.test(x.subject)), 15000, 'revocation mail');
	assert.equal(v.subject, `Attestato revocato: ${title}`);
	assert.match(v.text, /Motivo: Errore di registrazione <corretto>/);
	assert.match(v.html, /Motivo: Errore di registrazione &lt;corretto&gt;/);
});

test('the relay stopped during a burst: mail is delayed, none lost, none twice', async () => {
	const [slug] = courses()[2] || courses()[0];
	const expect = Number(stack.sql("SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.code = 'id-unit' AND u.active"));
	assert.ok(expect >= 10, `a burst of ${expect} messages`);
	const subjectOf = (x) => x.headers['x-envelope-to'] && /corso assegnato|assigned/.test(x.subject) && x.text.includes(`/learn/${slug}`);
	const before = smtp.messages().filter(subjectOf).length;
	// A slow relay (200 ms a message), stopped as soon as the first
	// messages of the burst arrive.
	await smtp.stop();
	smtp.delayMs = 200;
	await smtp.start();
	await assign(hr, slug, { org: 'id-unit', due: '2031-09-01' });
	await until(() => smtp.messages().filter(subjectOf).length > before, 15000, 'first of the burst');
	await smtp.stop();
	const arrivedBefore = smtp.messages().filter(subjectOf).length - before;
	const lastErr = await until(() => stack.sql("SELECT j.last_error FROM jobs j JOIN mails m ON m.id::text = j.ref AND j.kind = 'mail' WHERE m.kind = 'assigned' AND m.ref = '" + slug + "' AND j.tries > 0 AND j.done_at IS NULL AND j.last_error IS NOT NULL LIMIT 1"), 15000, 'a failed try while the relay is down');
	assert.match(lastErr, /smtp 127\.0\.0\.1:\d+/, 'the relay error is recorded on the job');
	const pending = Number(stack.sql(`SELECT count(*) FROM mails WHERE kind = 'assigned' AND ref = '${slug}' AND sent_at IS NULL`));
	assert.ok(pending > 0, 'messages wait while the relay is down');
	await sleep(1000);
	smtp.delayMs = 0;
	await smtp.start();
	await until(() => stack.sql(`SELECT count(*) FROM mails WHERE kind = 'assigned' AND ref = '${slug}' AND sent_at IS NULL AND skipped IS NULL`) === '0', 40000, 'every message sent');
	const got = smtp.messages().filter(subjectOf).slice(before);
	const to = got.map((x) => x.headers['x-envelope-to']).sort();
	assert.equal(got.length, expect, `${expect} messages (${arrivedBefore} before the outage)`);
	assert.equal(new Set(to).size, expect, 'one per person: none twice');
	assert.equal(new Set(got.map((x) => x.headers['message-id'])).size, expect);
});

test('local passwords off: a new person is welcomed to the sign-in page, with no password link', async () => {
	await stack.stop();
	await stack.start({ CAPACITA_LOCAL_PASSWORDS: 'no' });
	const off = { CAPACITA_LOCAL_PASSWORDS: 'no' };
	const r = stack.cli(['user', 'add', 'Sara Sso', 'sara.sso@example.org', 'id-unit', 'learner'], off);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /a welcome message will be sent to sara\.sso@example\.org by e-mail/);
	const [m] = await until(() => mailsTo('sara.sso@example.org').length && mailsTo('sara.sso@example.org'), 15000, 'welcome mail');
	assert.equal(m.subject, 'Il tuo account su Capacita');
	assert.match(m.text, /Si accede con il servizio di identità della tua amministrazione, dalla pagina di accesso:\r?\n.*\/login\r?\n/);
	assert.doesNotMatch(m.raw, /password\?token=/);
	assert.equal(stack.sql("SELECT count(*) FROM password_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'sara.sso@example.org'"), '0', 'no link was made');
	const reset = stack.cli(['user', 'reset-password', 'sara.sso@example.org'], off);
	assert.match(reset.stdout, /local passwords are off \(local_passwords = no\): sara\.sso@example\.org signs in through the identity provider/);
	await stack.stop();
	await stack.start();
});

test('the mail runner and the sign-in tasks ran: no seccomp violation, no worker restart', () => {
	const log = fs.readFileSync(stack.log, 'utf8');
	assert.doesNotMatch(log, /sandbox violation|seccomp violation/);
	assert.doesNotMatch(log, /restarting worker/);
});
