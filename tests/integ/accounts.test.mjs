// Issue 3: organisations, users, sign-in and sessions, CSRF, throttling,
// authorisation by subtree, administration, CSV import and the audit log.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, PASSWORD, cli, http, org, sql, user, signedIn, unique, TMP } from '../lib/util.mjs';

function psqlOn(db, q) {
	return execFileSync('psql', ['-Atq', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', q], { encoding: 'utf8' }).trim();
}

const tag = unique('acc').replace(/[^a-z0-9-]/g, '');
const A = `${tag}-ente-a`, B = `${tag}-ente-b`;
let learner, hrA, hrB, admin, staffA, staffB;

before(async () => {
	org('campania', A, 'Ente A ' + tag);
	org(A, `${A}-uff`, 'Ufficio A1');
	org('puglia', B, 'Ente B ' + tag);
	org(B, `${B}-uff`, 'Ufficio B1');
	learner = await user({ email: `learner-${tag}@example.org`, org: `${A}-uff` });
	staffA = await user({ name: 'Anna Alfa', email: `anna-${tag}@example.org`, org: `${A}-uff` });
	staffB = await user({ name: 'Bruno Beta', email: `bruno-${tag}@example.org`, org: `${B}-uff` });
	hrA = await user({ email: `hr-a-${tag}@example.org`, org: A, roles: 'hr;learner' });
	hrB = await user({ email: `hr-b-${tag}@example.org`, org: `${B}-uff`, roles: 'hr' });
	admin = await user({ email: `admin-${tag}@example.org`, org: 'campania', roles: 'admin' });
});

test('the five regions are seeded', () => {
	assert.equal(sql(`SELECT string_agg(code, ',' ORDER BY code) FROM orgs WHERE kind = 'region'`),
	    'basilicata,calabria,campania,puglia,sicilia');
});

test('sign-in: same answer for unknown user and wrong password, session cookie hardened', async () => {
	const c = new Client();
	const wrong = await c.login(learner.email, 'not the password!!');
	const unknown = await c.login(`nobody-${tag}@example.org`, 'whatever password');
	assert.equal(wrong.status, 401);
	assert.equal(unknown.status, 401);
	const msg = (b) => /<div class="alert alert-danger" role="alert">([^<]*)</.exec(b)[1];
	assert.equal(msg(wrong.body), msg(unknown.body));
	assert.match(msg(wrong.body), /Email o password non corretti/);

	const ok = await c.login(learner.email.toUpperCase(), learner.password);
	assert.equal(ok.status, 303, 'e-mail is case-insensitive');
	const set = ok.cookies.find((x) => x.startsWith('capacita_session='));
	assert.ok(set, 'a session cookie');
	assert.match(set, /HttpOnly/);
	assert.match(set, /SameSite=Lax/);
	assert.doesNotMatch(set, /Secure/, 'no Secure flag on plain HTTP');
	const token = c.jar.get('capacita_session');
	assert.equal(Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length, 32, '256-bit token');
	const hash = createHash('sha256').update(token).digest('hex');
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE token_hash = decode('${hash}', 'hex')`), '1', 'stored hashed');
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') LIKE '%${token.slice(0, 10)}%'`), '0');
	const me = await c.get('/me');
	assert.equal(me.status, 200);
	assert.ok(me.body.includes(learner.email));
	assert.equal(me.headers.get('cache-control'), 'no-store');
});

test('a sign-in with no page to return to lands on the page of the person\'s work', async () => {
	const reviewer = await user({ email: `rev-${tag}@example.org`, org: 'campania', roles: 'reviewer' });
	const cases = [[learner, '/'], [hrA, '/hr/people'], [hrB, '/hr/people'], [admin, '/admin'], [reviewer, '/gov']];
	for (const [who, home] of cases) {
		const c = new Client();
		const ok = await c.login(who.email, who.password);
		assert.equal(ok.status, 303);
		assert.equal(ok.headers.get('location'), '/home', 'next=/ goes by /home');
		const h = await c.get('/home');
		assert.equal(h.status, 303);
		assert.equal(h.headers.get('location'), home, `${who.email} lands on ${home}`);
		assert.equal((await c.get(home)).status, 200, `${home} opens for ${who.email}`);
		// A page to return to is kept.
		const d = new Client();
		const csrf = await d.csrf('/login');
		const r = await d.post('/login', { form: { csrf, email: who.email, password: who.password, next: '/me' } });
		assert.equal(r.headers.get('location'), '/me');
	}
	assert.equal((await http('/home')).status, 303, 'anonymous: to the sign-in page');
});

test('a new token at every sign-in; a planted token is worthless (fixation)', async () => {
	const c = new Client();
	const planted = randomBytes(32).toString('base64url');
	c.setCookie('capacita_session', planted);
	await c.login(learner.email, learner.password);
	const t1 = c.jar.get('capacita_session');
	assert.notEqual(t1, planted);
	// Signing in again while signed in also gets a new token.
	const again = await c.post('/login', { form: { csrf: await c.csrf('/me'), email: learner.email, password: learner.password } });
	assert.equal(again.status, 303);
	assert.notEqual(c.jar.get('capacita_session'), t1);
	const attacker = new Client();
	attacker.setCookie('capacita_session', planted);
	assert.equal((await attacker.get('/me')).status, 303, 'planted token is not signed in');
});

test('logout ends the session on the server; replayed and forged cookies are refused', async () => {
	const c = await signedIn(learner);
	const token = c.jar.get('capacita_session');
	const r = await c.logout();
	assert.equal(r.status, 303);
	const replay = new Client();
	replay.setCookie('capacita_session', token);
	const me = await replay.get('/me');
	assert.equal(me.status, 303);
	assert.match(me.headers.get('location'), /^\/login\?next=%2Fme$/);
	for (const forged of [randomBytes(32).toString('base64url'), "x' OR '1'='1", token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')]) {
		const f = new Client();
		f.setCookie('capacita_session', forged);
		assert.equal((await f.get('/me')).status, 303, forged);
	}
});

test('idle and absolute expiry', async () => {
	const idle = await signedIn(learner);
	const h1 = createHash('sha256').update(idle.jar.get('capacita_session')).digest('hex');
	sql(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = decode('${h1}', 'hex')`);
	assert.equal((await idle.get('/me')).status, 303, 'idle session expired');
	const old = await signedIn(learner);
	const h2 = createHash('sha256').update(old.jar.get('capacita_session')).digest('hex');
	sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = decode('${h2}', 'hex')`);
	assert.equal((await old.get('/me')).status, 303, 'absolute expiry');
});

test('CSRF: state-changing requests need the session token', async () => {
	const c = await signedIn(learner);
	assert.equal((await c.post('/logout', { form: {} })).status, 403);
	assert.equal((await c.post('/logout', { form: { csrf: 'A'.repeat(43) } })).status, 403);
	assert.equal((await c.get('/me')).status, 200, 'still signed in: nothing changed');
	// The sign-in form needs its double-submit token too.
	const anon = new Client();
	const r = await anon.post('/login', { form: { email: learner.email, password: learner.password } });
	assert.equal(r.status, 403);
	assert.equal(r.cookies.find((x) => x.startsWith('capacita_session=')), undefined);
	// An admin action without the token creates nothing.
	const a = await signedIn(admin);
	const email = `csrf-${tag}@example.org`;
	const bad = await a.post('/admin/users', { form: { name: 'X', email, org: A, role_learner: '1' } });
	assert.equal(bad.status, 403);
	assert.equal(sql(`SELECT count(*) FROM users WHERE email = '${email}'`), '0');
});

// Issue 18: five wrong passwords from anywhere locked the account for 15
// minutes, for its owner too. Now delays are keyed on the account and
// the address: the attacking address waits, doubling; the owner, from
// another address, signs in at once, admins included.
const from = (ip) => new Client(undefined, { 'x-forwarded-for': ip });

test('a brute-force loop is slowed per account and address with Retry-After', async () => {
	const victim = await user({ email: `victim-${tag}@example.org`, org: `${A}-uff` });
	const c = from('198.51.100.7');
	const statuses = [];
	for (let i = 0; i < 6; i++)
		statuses.push((await c.login(victim.email, `guess number ${i}!!`)).status);
	assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
	const r = await c.login(victim.email, victim.password);
	assert.equal(r.status, 429, 'this address waits, even with the right password');
	const retry = Number(r.headers.get('retry-after'));
	assert.ok(retry > 0 && retry <= 2, `Retry-After ${retry}: seconds after three failures`);
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE email = '${victim.email}'`), '3',
	    'tries refused before the password is checked are not failures');
	// The owner, from their own address, is not locked out.
	assert.equal((await from('203.0.113.20').login(victim.email, victim.password)).status, 303);
	// The delay doubles with each further failure, up to 15 minutes.
	sql(`UPDATE login_failures SET at = at - interval '3 seconds' WHERE email = '${victim.email}'`);
	assert.equal((await c.login(victim.email, 'guess number 7!!')).status, 401);
	const again = await c.login(victim.email, victim.password);
	assert.equal(again.status, 429);
	assert.ok(Number(again.headers.get('retry-after')) > 2 && Number(again.headers.get('retry-after')) <= 4);
	// Once the delay has passed, the right password works from there too,
	// and forgets that pair's failures.
	sql(`UPDATE login_failures SET at = at - interval '5 seconds' WHERE email = '${victim.email}'`);
	assert.equal((await c.login(victim.email, victim.password)).status, 303);
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE email = '${victim.email}' AND ip = '198.51.100.7'`), '0');
	// Another account from the same client is not slowed by this one.
	assert.equal((await from('198.51.100.7').login(learner.email, learner.password)).status, 303);
});

test('an attack from many addresses slows the account but never locks its owner (admins included)', async () => {
	const boss = await user({ email: `boss-${tag}@example.org`, org: 'campania', roles: 'admin' });
	// Before issue 18: five failures from anywhere, then 429 for everyone.
	for (let i = 0; i < 24; i++)
		assert.equal((await from(`192.0.2.${i + 1}`).login(boss.email, `spray guess ${i}!!`)).status, 401);
	// Under attack, one free failure per address, then seconds of delay.
	const a = from('192.0.2.200');
	assert.equal((await a.login(boss.email, 'one more guess!!')).status, 401);
	const slowed = await a.login(boss.email, 'and another one!!');
	assert.equal(slowed.status, 429);
	assert.ok(Number(slowed.headers.get('retry-after')) <= 2);
	// The owner signs in from an address of their own, at once.
	assert.equal((await from('203.0.113.99').login(boss.email, boss.password)).status, 303);
	// A typing mistake of the owner costs seconds, not a lockout.
	const o = from('203.0.113.98');
	assert.equal((await o.login(boss.email, 'typo in it!!')).status, 401);
	const wait = await o.login(boss.email, boss.password);
	assert.equal(wait.status, 429);
	assert.ok(Number(wait.headers.get('retry-after')) <= 2, 'slowed, not blocked');
	sql(`UPDATE login_failures SET at = at - interval '3 seconds' WHERE email = '${boss.email}'`);
	assert.equal((await o.login(boss.email, boss.password)).status, 303);
});

test('a brute-force loop over many accounts is throttled per client address', async () => {
	try {
		const c = new Client();
		let last;
		for (let i = 0; i < 21; i++)
			last = await c.login(`spray-${i}-${tag}@example.org`, 'password guess 1');
		assert.equal(last.status, 429);
		assert.ok(Number(last.headers.get('retry-after')) > 0);
		assert.equal((await c.login(learner.email, learner.password)).status, 429);
	} finally {
		sql(`DELETE FROM login_failures WHERE ip = '127.0.0.1'`);
	}
	assert.equal((await (new Client()).login(learner.email, learner.password)).status, 303);
});

test('a learner cannot reach HR or admin pages; anonymous users are sent to sign in', async () => {
	const c = await signedIn(learner);
	for (const p of ['/admin', '/admin/users', '/admin/orgs', '/admin/audit', '/hr/people', `/hr/people/${staffA.id}`])
		assert.equal((await c.get(p)).status, 403, p);
	const anon = await http('/admin/users');
	assert.equal(anon.status, 303);
	assert.equal(anon.headers.get('location'), '/login?next=%2Fadmin%2Fusers');
});

test('an HR user of one agency cannot see another agency\'s staff', async () => {
	const a = await signedIn(hrA);
	const list = await a.get('/hr/people');
	assert.equal(list.status, 200);
	assert.ok(list.body.includes(staffA.email));
	assert.ok(!list.body.includes(staffB.email));
	assert.equal((await a.get(`/hr/people/${staffA.id}`)).status, 200);
	assert.equal((await a.get(`/hr/people/${staffB.id}`)).status, 404);
	const b = await signedIn(hrB);
	const listB = await b.get('/hr/people');
	assert.ok(listB.body.includes(staffB.email));
	assert.ok(!listB.body.includes(staffA.email));
	assert.equal((await b.get(`/hr/people/${staffA.id}`)).status, 404);
	// The scope defaulted to the agency, not just the office.
	assert.equal(sql(`SELECT o.code FROM user_roles r JOIN orgs o ON o.id = r.scope_org_id WHERE r.user_id = ${hrB.id} AND r.role = 'hr'`), B);
});

test('admin creates a user in the web UI; bad fields get 400 next to the field', async () => {
	const a = await signedIn(admin);
	let csrf = await a.csrf('/admin/users');
	const email = `web-${tag}@example.org`;
	const missing = await a.post('/admin/users', { form: { csrf, name: '', email, org: A, role_learner: '1' } });
	assert.equal(missing.status, 400);
	assert.match(missing.body, /aria-invalid="true" aria-describedby="f-name-err"/);
	assert.match(missing.body, /id="f-name-err" role="alert">Inserisci nome e cognome/);
	const badEmail = await a.post('/admin/users', { form: { csrf, name: 'Web User', email: 'not-an-email', org: A, role_learner: '1' } });
	assert.equal(badEmail.status, 400);
	assert.match(badEmail.body, /id="f-email-err"/);
	const created = await a.post('/admin/users', { form: { csrf, name: 'Web User', email, org: `${A}-uff`, role_learner: '1', role_trainer: '1' } });
	assert.equal(created.status, 201);
	const link = /password\?token=([A-Za-z0-9_-]{43})/.exec(created.body);
	assert.ok(link, 'a one-time password link is shown');
	assert.equal(sql(`SELECT string_agg(role, ',' ORDER BY role) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = '${email}'`), 'learner,trainer');
	csrf = await a.csrf('/admin/users');
	const dup = await a.post('/admin/users', { form: { csrf, name: 'Again', email: email.toUpperCase(), org: A, role_learner: '1' } });
	assert.equal(dup.status, 400, 'e-mail unique, case-insensitive');
	assert.match(dup.body, /Esiste già un utente/);
	// The link works once.
	const p = new Client();
	const pc = await p.csrf('/password?token=' + link[1]);
	assert.equal((await p.post('/password', { form: { csrf: pc, token: link[1], password: 'short', password2: 'short' } })).status, 400);
	// Issue 18: long enough but guessable passwords were accepted.
	for (const weak of ['aaaaaaaaaaaa', 'password1234', 'Password2024!', '123456789012']) {
		const w = await p.post('/password', { form: { csrf: pc, token: link[1], password: weak, password2: weak } });
		assert.equal(w.status, 400, weak);
		assert.match(w.body, /facile da indovinare/, weak);
	}
	const mine = email.split('@')[0] + '!2024';
	assert.match((await p.post('/password', { form: { csrf: pc, token: link[1], password: mine, password2: mine } })).body,
	    /il tuo nome o il tuo indirizzo/);
	assert.equal((await p.post('/password', { form: { csrf: pc, token: link[1], password: PASSWORD, password2: PASSWORD + 'x' } })).status, 400);
	assert.equal((await p.post('/password', { form: { csrf: pc, token: link[1], password: PASSWORD, password2: PASSWORD } })).status, 200);
	assert.equal((await p.post('/password', { form: { csrf: pc, token: link[1], password: PASSWORD, password2: PASSWORD } })).status, 400, 'used once');
	const h = sql(`SELECT password_hash FROM users WHERE email = '${email}'`);
	assert.match(h, /^\$argon2id\$/);
	assert.equal((await (new Client()).login(email, PASSWORD)).status, 303);
});

test('admin changes roles and disables a user: sessions end, events audited', async () => {
	const target = await user({ email: `target-${tag}@example.org`, org: `${A}-uff` });
	const t = await signedIn(target);
	const a = await signedIn(admin);
	let csrf = await a.csrf(`/admin/users/${target.id}`);
	let r = await a.post(`/admin/users/${target.id}`, { form: { csrf, action: 'roles', role_learner: '1', role_hr: '1' } });
	assert.equal(r.status, 200);
	assert.equal(sql(`SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_id = ${target.id}`), 'hr,learner');
	assert.equal(sql(`SELECT count(*) FROM audit_log WHERE event = 'user.roles' AND subject = '${target.email}'`), '1');
	r = await a.post(`/admin/users/${target.id}`, { form: { csrf, action: 'disable' } });
	assert.equal(r.status, 200);
	assert.match(r.body, /disattivato/);
	assert.equal((await t.get('/me')).status, 303, 'the disabled user\'s session ended');
	assert.equal((await (new Client()).login(target.email, target.password)).status, 401);
	// An admin cannot lock themselves out.
	csrf = await a.csrf(`/admin/users/${admin.id}`);
	assert.equal((await a.post(`/admin/users/${admin.id}`, { form: { csrf, action: 'disable' } })).status, 400);
	r = await a.post(`/admin/users/${target.id}`, { form: { csrf, action: 'reset' } });
	assert.match(r.body, /password\?token=/);
});

test('CLI: user add, disable, enable, reset-password', async () => {
	const email = `cli-${tag}@example.org`;
	let r = cli(['user', 'add', 'Cli User', email, `${B}-uff`, 'learner']);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /password\?token=[A-Za-z0-9_-]{43}/);
	assert.equal(cli(['user', 'add', 'Again', email, `${B}-uff`, 'learner']).status, 1);
	assert.match(cli(['user', 'add', 'Bad', `x-${email}`, 'no-such-org', 'learner']).stderr, /no organisation/);
	assert.match(cli(['user', 'add', 'Bad', `y-${email}`, `${B}-uff`, 'wizard']).stderr, /unknown role 'wizard'/);
	assert.equal(cli(['user', 'disable', email]).status, 0);
	assert.equal(sql(`SELECT active FROM users WHERE email = '${email}'`), 'f');
	assert.equal(cli(['user', 'enable', email]).status, 0);
	r = cli(['user', 'reset-password', email]);
	assert.equal(r.status, 0);
	assert.match(r.stdout, /password\?token=/);
	assert.equal(sql(`SELECT count(*) FROM password_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = '${email}' AND t.used_at IS NULL`), '1', 'older links revoked');
	assert.equal(cli(['user', 'disable', `nobody-${tag}@example.org`]).status, 1);
});

test('CSV import: an error per bad row and nothing imported; a good file imports', async () => {
	const p = path.join(TMP, `staff-${tag}.csv`);
	fs.writeFileSync(p, [
		'name,email,office,roles',
		`Carla Uno,carla-${tag}@example.org,${A}-uff,learner`,
		`,nobody-${tag}@example.org,${A}-uff,learner`,
		`Dario Due,not-an-email,${A}-uff,learner`,
		`Elena Tre,elena-${tag}@example.org,no-such-office,learner`,
		`Fabio Quattro,fabio-${tag}@example.org,${A}-uff,learner;pilot`,
		`Gina Cinque,carla-${tag}@example.org,${A}-uff,learner`,
		`"Rossi, Ugo",ugo-${tag}@example.org,${A}-uff,"learner;hr"`,
		`too,few`,
	].join('\r\n') + '\r\n');
	let r = cli(['user', 'import', p]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /^line 3: the name must have/m);
	assert.match(r.stderr, /^line 4: 'not-an-email' is not a valid e-mail/m);
	assert.match(r.stderr, /^line 5: no organisation with code 'no-such-office'/m);
	assert.match(r.stderr, /^line 6: unknown role 'pilot'/m);
	assert.match(r.stderr, /^line 7: e-mail carla-.* already on line 2/m);
	assert.match(r.stderr, /^line 9: expected 4 fields/m);
	assert.doesNotMatch(r.stderr, /^line 2:/m);
	assert.doesNotMatch(r.stderr, /^line 8:/m);
	assert.equal(sql(`SELECT count(*) FROM users WHERE email LIKE '%-${tag}@example.org' AND (email LIKE 'carla%' OR email LIKE 'ugo%')`), '0');

	fs.writeFileSync(p, `name,email,office,roles\nCarla Uno,carla-${tag}@example.org,${A}-uff,learner\n"Rossi, Ugo",ugo-${tag}@example.org,${A}-uff,"learner;hr"\n`);
	r = cli(['user', 'import', p]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /imported 2 users/);
	assert.equal(sql(`SELECT name FROM users WHERE email = 'ugo-${tag}@example.org'`), 'Rossi, Ugo');
	// No relay here: a one-time link for each person, printed, that works.
	const links = [...r.stdout.matchAll(/^ {2}(\S+) {2}(http:\S+\/password\?token=([A-Za-z0-9_-]{43}))$/gm)];
	assert.deepEqual(links.map((m) => m[1]), [`carla-${tag}@example.org`, `ugo-${tag}@example.org`]);
	const carla = new Client();
	const to = new URL(links[0][2]);
	const setCsrf = await carla.csrf(to.pathname + to.search);
	const set = await carla.post('/password', { form: { csrf: setCsrf, token: links[0][3], password: PASSWORD, password2: PASSWORD } });
	assert.equal(set.status, 200);
	assert.equal((await carla.login(`carla-${tag}@example.org`, PASSWORD)).status, 303);

	// The same through the web, with a semicolon-separated spreadsheet export.
	const a = await signedIn(admin);
	const csrf = await a.csrf('/admin/users/import');
	const bad = await a.post('/admin/users/import', { multipart: { csrf, csv: { filename: 's.csv', content: `name;email;office;roles\nHana;hana-${tag}@example.org;${A}-uff;learner\nIvo;ivo-${tag};${A}-uff;learner\n` } } });
	assert.equal(bad.status, 400);
	assert.match(bad.body, /<li>line 3: &#39;ivo-/);
	assert.equal(sql(`SELECT count(*) FROM users WHERE email = 'hana-${tag}@example.org'`), '0');
	const good = await a.post('/admin/users/import', { multipart: { csrf, csv: { filename: 's.csv', content: `\ufeffname;email;office;roles\nHana;hana-${tag}@example.org;${A}-uff;learner\n` } } });
	assert.equal(good.status, 200);
	assert.equal(sql(`SELECT count(*) FROM users WHERE email = 'hana-${tag}@example.org'`), '1');
});

test('security events are in the audit log and the chain verifies', async () => {
	for (const ev of ['login.success', 'login.failure', 'user.roles', 'user.disable', 'password.reset', 'users.import', 'user.create', 'org.create', 'password.set'])
		assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE event = '${ev}'`)) > 0, ev);
	const r = cli(['audit', 'verify']);
	assert.equal(r.status, 0, r.stdout);
	assert.match(r.stdout, /intact/);
	const a = await signedIn(admin);
	const page = await a.get('/admin/audit');
	assert.equal(page.status, 200);
	assert.match(page.body, /catena del registro è integra/);
});

test('audit verify detects edited, deleted and truncated rows', async () => {
	const db = `capacita_audit_${process.pid}`;
	sql(`CREATE DATABASE ${db}`);
	// Its own database: the main server's signed checkpoints do not apply
	// (tests/integ/audit-anchor.test.mjs tests those).
	const env = { CAPACITA_DSN: `host=${process.env.PGHOST} dbname=${db} user=postgres`, CAPACITA_AUDIT_FILE: `${TMP}/no-checkpoints-${process.pid}.jsonl` };
	try {
		assert.equal(cli(['migrate'], env).status, 0);
		for (let i = 0; i < 5; i++)
			assert.equal(cli(['org', 'add', 'campania', `u${i}`, `Unit ${i}`], env).status, 0);
		assert.equal(cli(['audit', 'verify'], env).status, 0);
		const psql = (q) => psqlOn(db, q);
		psql(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
		psql(`UPDATE audit_log SET details = 'Forged' WHERE id = 3`);
		let r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /row 3: content does not match its hash/);
		psql(`UPDATE audit_log SET details = 'Unit 2' WHERE id = 3`);
		assert.equal(cli(['audit', 'verify'], env).status, 0, 'restored');
		psql(`DELETE FROM audit_log WHERE id = 2`);
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /row 2: missing/);
		psql(`DELETE FROM audit_log WHERE id >= 2`);
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1, 'a truncated tail is detected');
		assert.match(r.stdout, /deleted from the end/);
	} finally {
		sql(`DROP DATABASE ${db}`);
	}
});

test('the audit log refuses UPDATE and DELETE', () => {
	assert.throws(() => sql(`UPDATE audit_log SET details = 'x' WHERE id = 1`), /append-only/);
	assert.throws(() => sql(`DELETE FROM audit_log WHERE id = 1`), /append-only/);
});

test('first start creates one admin with a random password, shown once; the demo needs the content', async () => {
	const db = `capacita_boot_${process.pid}`;
	sql(`CREATE DATABASE ${db}`);
	const env = { CAPACITA_DSN: `host=${process.env.PGHOST} dbname=${db} user=postgres` };
	try {
		assert.equal(cli(['migrate'], env).status, 0);
		const first = cli(['bootstrap'], env);
		assert.equal(first.status, 0, first.stderr);
		const pw = /password: (\S+)/.exec(first.stdout)[1];
		assert.match(pw, /^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
		const second = cli(['bootstrap'], env);
		assert.equal(second.status, 0);
		assert.doesNotMatch(second.stdout, /password/, 'shown only once');
		const h = psqlOn(db, `SELECT password_hash FROM users WHERE email = 'admin@capacita.local'`);
		assert.match(h, /^\$argon2id\$/);
		// The demo needs the content (tests/browser/demo.test.mjs runs
		// it): without, a clear message and nothing half made.
		const demo = cli(['bootstrap', '--demo'], env);
		assert.equal(demo.status, 1);
		assert.match(demo.stderr, /no courses: import the content first \(bin\/capacita import \.\)/);
		assert.equal(psqlOn(db, `SELECT count(*) FROM users WHERE demo`), '0');
	} finally {
		sql(`DROP DATABASE ${db}`);
	}
	// On the test server: bootstrap, then sign in with the printed password.
	const r = cli(['bootstrap']);
	const m = /password: (\S+)/.exec(r.stdout);
	if (m)
		assert.equal((await (new Client()).login('admin@capacita.local', m[1])).status, 303);
});
