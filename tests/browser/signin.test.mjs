// Issue 22: people sign in through their administration's identity
// provider, in Chromium, against a certified OpenID Provider (npm
// oidc-provider) started here on a free port, with a stack of Capacita
// of its own whose settings name it:
//
//  - the first time, an account is made in the unit its "ou" claim maps
//    to (just-in-time), with the trainer role its group maps to; the
//    next time, the same account is found by the provider's subject;
//    the provider releases the codice fiscale, the unit and the groups
//    only at its UserInfo endpoint, as SPID/CIE brokers do: the same
//    provider configured with "userinfo = no" turns such a person away;
//  - an existing account is linked by a verified e-mail address, or by
//    the codice fiscale (fiscalNumber, "TINIT-" and the code); never by
//    an address the provider does not vouch for;
//  - signing out ends the provider's session too (RP-initiated logout);
//  - with local passwords turned off, the sign-in page offers only the
//    provider, and a password is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, TMP, PASSWORD, Client } from '../lib/util.mjs';
import { startStack } from '../lib/stack.mjs';
import { SECRET, freePort, startProvider } from '../lib/idp.mjs';
import { browser } from './lib.mjs';

const dir = path.join(TMP, `signin-${process.pid}`);
let stack, op, base, b;

const accounts = {
	mario: {
		email: 'mario.bianchi@example.org', email_verified: true, name: 'Mario Bianchi',
		fiscalNumber: 'TINIT-BNCMRA80A01F839X', ou: 'Ufficio immigrazione', groups: ['formatori', 'amministratori'],
	},
	anna: { email: 'anna.neri@example.org', email_verified: true, name: 'Anna Neri' },
	carla: { email: 'carla.personal@example.net', email_verified: true, name: 'Carla Gialli', fiscalNumber: 'TINIT-GLLCRL75B41A662Q' },
	ugo: { email: 'ugo.verdi@example.org', email_verified: false, name: 'Ugo Verdi' },
	nina: { email: 'nina.rosa@example.org', email_verified: true, name: 'Nina Rosa', ou: 'Ufficio immigrazione' },
};

before(async () => {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	base = `http://127.0.0.1:${port}`;
	op = await startProvider({ redirect: base + '/oidc/callback', postLogout: base + '/', accounts, alg: 'ES256',
	    userinfoOnly: ['fiscalNumber', 'ou', 'groups'] });
	fs.writeFileSync(path.join(dir, 'secret'), SECRET + '\n');
	const conf = path.join(dir, 'capacita.conf');
	fs.writeFileSync(conf, [
		`base_url = ${base}`,
		'oidc.regione.label = Regione Campania (prova)',
		`oidc.regione.issuer = ${op.issuer}`, 'oidc.regione.client_id = capacita',
		`oidc.regione.client_secret_file = ${dir}/secret`,
		'oidc.regione.scopes = openid email profile pa',
		'oidc.regione.claim_unit = ou',
		'oidc.regione.unit_map = Ufficio immigrazione=si-immig; Ufficio casa=si-casa',
		'oidc.regione.claim_roles = groups',
		'oidc.regione.role_map = formatori=trainer',
		// The same provider, without asking UserInfo.
		'oidc.idtoken.label = Regione Campania (solo ID token)',
		`oidc.idtoken.issuer = ${op.issuer}`, 'oidc.idtoken.client_id = capacita',
		`oidc.idtoken.client_secret_file = ${dir}/secret`,
		'oidc.idtoken.scopes = openid email profile pa',
		'oidc.idtoken.claim_unit = ou',
		'oidc.idtoken.unit_map = Ufficio immigrazione=si-immig; Ufficio casa=si-casa',
		'oidc.idtoken.userinfo = no',
		'',
	].join('\n'));
	stack = await startStack(dir, { CAPACITA_CONF: conf }, { port });
	stack.cli(['org', 'add', 'campania', 'si-immig', 'Ufficio immigrazione']);
	for (const [name, email] of [['Anna Neri', 'anna.neri@example.org'], ['Carla Gialli', 'carla.gialli@example.org'], ['Ugo Verdi', 'ugo.verdi@example.org']]) {
		const r = stack.cli(['user', 'add', name, email, 'si-immig', 'learner']);
		assert.equal(r.status, 0, r.stderr);
	}
	stack.sql("UPDATE users SET fiscal_code = 'GLLCRL75B41A662Q' WHERE email = 'carla.gialli@example.org'");
	await stack.start();
	b = await browser();
});

after(async () => {
	await b?.close();
	if (stack)
		fs.copyFileSync(stack.log, path.join(OUT, 'signin-kore.log'));
	await stack?.destroy();
	await op?.close();
});

// At the provider: its development login form, then its consent page.
async function atProvider(page, login) {
	await page.waitForURL((u) => u.origin === op.issuer);
	await page.locator('input[name=login]').fill(login);
	await page.locator('input[name=password]').fill('any');
	await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
	if (new URL(page.url()).origin === op.issuer && await page.locator('input[name=prompt][value=consent]').count())
		await Promise.all([page.waitForNavigation(), page.locator('button[type=submit]').click()]);
	await page.waitForURL((u) => u.origin === base);
}

// The verdict on our pages; the provider's own pages are not ours to
// judge (its favicon, its inline styles).
async function finish(j) {
	const ours = j.problems.filter((p) => !p.includes(op.issuer) && !p.includes('fonts.googleapis.com'));
	j.problems.splice(0, j.problems.length, ...ours);
	await j.end();
}

async function signIn(j, login, button = 'Accedi con Regione Campania (prova)') {
	const { page } = j;
	// The provider's development pages ask for a web font: nothing
	// leaves this machine.
	await j.ctx.route((u) => !['127.0.0.1', 'localhost'].includes(u.hostname), (r) => r.abort());
	await page.goto(base + '/login');
	await Promise.all([page.waitForURL((u) => u.origin === op.issuer),
	    page.getByRole('link', { name: button, exact: true }).click()]);
	await atProvider(page, login);
}

test('the first sign-in makes the account in the mapped unit; the next one finds it again', async () => {
	const j = await b.journey('signin-oidc');
	const { page } = j;
	await page.goto(base + '/login');
	await j.check('login with provider button');
	await signIn(j, 'mario');
	// A trainer (the mapped role) lands on the page of that work.
	assert.equal(new URL(page.url()).pathname, '/author');
	await page.goto(base + '/me');
	await j.check('me after first sign-in');
	const main = await page.locator('main').innerText();
	assert.match(main, /Mario Bianchi/);
	assert.match(main, /mario\.bianchi@example\.org/);
	assert.match(main, /Ufficio immigrazione/);
	const row = stack.sql("SELECT u.fiscal_code, i.linked_by, o.code, (SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_id = u.id) FROM users u JOIN user_identities i ON i.user_id = u.id JOIN orgs o ON o.id = u.org_id WHERE u.email = 'mario.bianchi@example.org'");
	assert.equal(row, 'BNCMRA80A01F839X|created|si-immig|learner,trainer', 'the codice fiscale without TINIT-, the unit, only the mapped role');

	// Signing out ends the provider's session too.
	await Promise.all([page.waitForURL((u) => u.origin === op.issuer), page.locator('header form[action="/logout"] button').click()]);
	await Promise.all([page.waitForURL((u) => u.origin === base), page.getByRole('button', { name: 'Yes, sign me out' }).click()]);
	assert.equal(new URL(page.url()).pathname, '/');
	assert.equal(await page.locator('header form[action="/logout"]').count(), 0, 'signed out here');

	// Again: the provider asks again (its session ended), same account.
	await signIn(j, 'mario');
	await page.goto(base + '/me');
	assert.match(await page.locator('main').innerText(), /Mario Bianchi/);
	assert.equal(stack.sql("SELECT count(*) FROM users WHERE lower(email) = 'mario.bianchi@example.org'"), '1');
	assert.equal(stack.sql("SELECT count(*) FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'mario.bianchi@example.org'"), '1');
	assert.equal(stack.sql("SELECT count(*) FROM audit_log WHERE event = 'login.oidc' AND subject = 'mario'"), '2');
	await finish(j);
});

test('the unit released only at UserInfo: without asking it, the person is turned away', async () => {
	const j = await b.journey('signin-userinfo-off');
	await signIn(j, 'nina', 'Accedi con Regione Campania (solo ID token)');
	assert.equal(new URL(j.page.url()).pathname, '/oidc/callback');
	assert.match(await j.page.locator('main').innerText(), /Non hai ancora un account/);
	assert.equal(stack.sql("SELECT count(*) FROM users WHERE email = 'nina.rosa@example.org'"), '0');
	// Through the provider configured with UserInfo (the default).
	const k = await b.journey('signin-userinfo-on');
	await signIn(k, 'nina');
	await k.page.goto(base + '/me');
	assert.match(await k.page.locator('main').innerText(), /Nina Rosa/);
	assert.equal(stack.sql("SELECT o.code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.email = 'nina.rosa@example.org'"), 'si-immig');
	for (const x of [j, k])
		await finish(x);
});

test('existing accounts are linked by a verified address or the codice fiscale, never by an unverified address', async () => {
	const j = await b.journey('signin-link');
	const { page } = j;
	await signIn(j, 'anna');
	await page.goto(base + '/me');
	assert.match(await page.locator('main').innerText(), /anna\.neri@example\.org/);
	assert.equal(stack.sql("SELECT i.linked_by FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'anna.neri@example.org'"), 'email');

	const k = await b.journey('signin-fiscal');
	await signIn(k, 'carla');
	await k.page.goto(base + '/me');
	assert.match(await k.page.locator('main').innerText(), /carla\.gialli@example\.org/, 'the account with that codice fiscale, not the address of the provider');
	assert.equal(stack.sql("SELECT i.linked_by FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'carla.gialli@example.org'"), 'fiscal_code');

	const u = await b.journey('signin-unverified');
	await signIn(u, 'ugo');
	assert.equal(new URL(u.page.url()).pathname, '/oidc/callback');
	const turnedAway = await u.page.locator('main').innerText();
	assert.match(turnedAway, /Non hai ancora un account/);
	assert.match(turnedAway, /Il servizio di identità ti ha riconosciuto come Ugo Verdi \(ugo\.verdi@example\.org\)\./, 'who the provider said this is');
	assert.equal(await u.page.getByRole('link', { name: 'Torna alla pagina di accesso' }).getAttribute('href'), '/login');
	await u.check('no account for an unverified address');
	assert.equal(stack.sql("SELECT count(*) FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'ugo.verdi@example.org'"), '0');
	for (const x of [j, k, u])
		await finish(x);
});

test('local passwords turned off: only the provider on the sign-in page, a password refused', async () => {
	// The same stack, restarted with the setting from the environment.
	await stack.stop();
	await stack.start({ CAPACITA_LOCAL_PASSWORDS: 'no' });
	const j = await b.journey('signin-local-off');
	const { page } = j;
	await page.goto(base + '/login');
	await j.check('login, providers only');
	assert.equal(await page.locator('input[type=password]').count(), 0);
	assert.match(await page.locator('main').innerText(), /L'accesso con password è disattivato/);
	const c = new Client(base);
	const csrf = /name="csrf" value="([^"]+)"/.exec((await c.get('/login')).body);
	assert.equal(csrf, null, 'no password form');
	c.setCookie('capacita_csrf', 'x'.repeat(43));
	const r = await c.post('/login', { form: { csrf: 'x'.repeat(43), email: 'anna.neri@example.org', password: PASSWORD } });
	assert.equal(r.status, 403);
	await signIn(j, 'anna');
	await page.goto(base + '/me');
	assert.match(await page.locator('main').innerText(), /Anna Neri/, 'the provider still signs in');
	await finish(j);
});

test('no seccomp violation and no worker restart in the stack', () => {
	const log = fs.readFileSync(stack.log, 'utf8');
	assert.doesNotMatch(log, /sandbox violation|seccomp violation/);
	assert.doesNotMatch(log, /restarting worker/);
});
