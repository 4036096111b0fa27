// Issue 8: the issuer's journey in a real browser, in Italian and in
// English: revoke a learner's badge with a reason, then the public
// verifier says it is revoked, by its link and by the uploaded file.
// Every page is checked with axe-core and html-validate.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, TMP, cli, contentDir, org, sql, user, signedIn, unique, elapse } from '../lib/util.mjs';
import { browser, catalogue, until } from './lib.mjs';

const tag = unique('bi').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`;
const badges = {};	// lang -> { id, file, learner }
let b, issuer;

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: `---\ntitle: Modulo revoca ${tag}\nslug: ${M}\nlang: it\nminutes: 5\nsummary: Un modulo da leggere.\n---\nTesto.\n`,
		[`courses/${C}.md`]: `---\ntitle: Corso revoca ${tag}\nslug: ${C}\nlang: it\nsummary: Corso.\nhours: 1\nmodules:\n  - ${M}\nbadge-name: Attestato da revocare ${tag}\nbadge-description: Un attestato.\nbadge-criteria: Lettura.\ncompetences:\n  - GOV.1 base\n---\nDescrizione.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('calabria', `${tag}-ente`, `Ente emittente ${tag}`);
	issuer = await user({ name: 'Ivo Emittente', email: `issuer-${tag}@example.org`, org: `${tag}-ente`, roles: 'issuer' });
	// Two learners complete the course (over HTTP: this is the set-up)
	// and get their badges from the background job.
	for (const lang of ['it', 'en']) {
		const name = `Paola Revocata ${lang.toUpperCase()} ${tag}`;
		const u = await user({ name, email: `revoked-${lang}-${tag}@example.org`, org: `${tag}-ente` });
		const c = await signedIn(u);
		let csrf = await c.csrf('/me');
		assert.equal((await c.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
		const version = /name="version" value="(\d+)"/.exec((await c.get(`/modules/${M}`)).body)[1];
		await elapse(c, version);
		csrf = await c.csrf('/me');
		assert.equal((await c.post('/learn/read', { form: { csrf, version } })).status, 303);
		const id = await until('the badge', () => sql(`SELECT id FROM badges WHERE user_id = ${u.id}`), 20000, 100);
		const file = path.join(TMP, `${tag}-${lang}.json`);
		fs.writeFileSync(file, (await c.get(`/badges/${id}.json`)).body);
		badges[lang] = { id, file, name };
	}
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Both languages, each journey in its own browser context.
describe(`the issuer in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`issuer journey (${lang}): revoke with a reason, the verifier says revoked`, async () => {
			const t = catalogue(lang);
			const { id, file, name } = badges[lang];
			const reason = `Rilasciato per errore (${lang})`;
			const j = await b.journey(`issuer-${lang}`);
			const { page } = j;

			// Before: the public page says valid.
			await page.goto(`${BASE}/verify?id=${id}`);
			await j.language(lang);
			assert.equal(await page.locator('#verdict').innerText(), t('verify.valid'));
			await j.check('verify-before');

			await page.goto(BASE + '/login');
			await j.login(issuer.email, issuer.password);
			await j.nav('/issuer/badges');
			assert.equal(await page.locator('h1').innerText(), t('badge.issuer_title'));
			await j.check('issued');

			// Revoke: an empty reason is refused by the browser, then a reason.
			const row = page.locator('tbody tr').filter({ hasText: name });
			assert.equal(await row.locator('td').nth(3).innerText(), t('badge.valid'));
			const field = row.getByLabel(t('badge.reason'));
			assert.equal(await field.evaluate((e) => e.validity.valueMissing), true, 'the reason is required');
			await field.fill(reason);
			await Promise.all([page.waitForURL(`${BASE}/issuer/badges`), row.getByRole('button', { name: t('badge.revoke') }).click()]);
			assert.equal(await page.locator('main .alert').innerText(), t('badge.revoked_now'));
			const after = page.locator('tbody tr').filter({ hasText: name });
			assert.equal(await after.locator('td').nth(3).innerText(), t('badge.revoked'));
			assert.equal(await after.getByRole('button').count(), 0, 'no second revocation');
			await j.check('revoked');
			assert.equal(sql(`SELECT details FROM audit_log WHERE event = 'badge.revoke' AND subject = '${id}'`), reason);
			await j.logout();

			// The verifier, by the badge's link and by the file.
			await page.goto(`${BASE}/verify?id=${id}`);
			const verdict = page.locator('main [role="status"]');
			assert.equal(await verdict.locator('h2').innerText(), t('verify.invalid'));
			assert.match(await verdict.getAttribute('class'), /alert-danger/);
			assert.match(await verdict.innerText(), new RegExp(t('verify.revoked')));
			await j.check('verify-link-revoked');
			await page.locator('#f-file').setInputFiles(file);
			await Promise.all([page.waitForURL(`${BASE}/verify`), page.getByRole('button', { name: t('verify.submit'), exact: true }).click()]);
			assert.equal(await verdict.locator('h2').innerText(), t('verify.invalid'));
			assert.match(await verdict.innerText(), new RegExp(t('verify.revoked')));
			await j.check('verify-file-revoked');

			await j.end();
		});
	}
});
