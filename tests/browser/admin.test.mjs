// Issue 8: the administrator's journey in a real browser, in Italian and
// in English: create a user with the form (a missing field is announced
// next to it first), then import a CSV of users with a bad row: the
// line's error is shown and nobody is imported. Every page is checked
// with axe-core and html-validate.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, TMP, org, sql, user, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('ba').replace(/[^a-z0-9-]/g, '');
const A = `${tag}-ente`, U = `${tag}-uff`;
let b, admin;

before(async () => {
	org('basilicata', A, `Ente amministrato ${tag}`);
	org(A, U, `Ufficio amministrato ${tag}`);
	admin = await user({ name: 'Adele Amministratrice', email: `admin-${tag}@example.org`, org: 'basilicata', roles: 'admin' });
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Both languages, each journey in its own browser context.
describe(`the administrator in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`admin journey (${lang}): create a user, CSV import with a bad row`, async () => {
			const t = catalogue(lang);
			const email = `nuovo-${lang}-${tag}@example.org`;
			const j = await b.journey(`admin-${lang}`);
			const { page } = j;
			await page.goto(BASE + '/login');
			await j.language(lang);
			await j.login(admin.email, admin.password);
			await j.nav('/admin');
			assert.equal(await page.locator('h1').innerText(), t('admin.title'));
			await j.check('admin');

			// A new user: the name forgotten first, announced next to it.
			await Promise.all([page.waitForURL(`${BASE}/admin/users`), page.getByRole('link', { name: t('admin.users'), exact: true }).click()]);
			await j.check('users');
			const form = page.locator('form[action="/admin/users"][method="post"]');
			await form.getByLabel(t('user.email')).fill(email);
			await form.getByLabel(t('user.org')).selectOption(U);
			await Promise.all([page.waitForURL(`${BASE}/admin/users`), form.getByRole('button', { name: t('admin.create') }).click()]);
			const name = form.getByLabel(t('user.name'));
			assert.equal(await name.getAttribute('aria-invalid'), 'true');
			const err = page.locator(`#${await name.getAttribute('aria-describedby')}`);
			assert.equal(await err.innerText(), t('user.err_name'));
			assert.equal(await err.getAttribute('role'), 'alert');
			assert.equal(await form.getByLabel(t('user.email')).inputValue(), email, 'what was typed is kept');
			await j.check('user-error');
			assert.equal(sql(`SELECT count(*) FROM users WHERE email = '${email}'`), '0');

			await name.fill(`Nuova Persona ${lang}`);
			await form.getByLabel(t('user.org')).selectOption(U);
			await form.locator('label[for="f-role_trainer"]').click();
			await Promise.all([page.waitForURL(`${BASE}/admin/users`), form.getByRole('button', { name: t('admin.create') }).click()]);
			assert.equal(await page.locator('h1').innerText(), `Nuova Persona ${lang}`);
			assert.match(await page.locator('.password-link').innerText(), /\/password\?token=[A-Za-z0-9_-]{43}$/);
			await j.check('user-created');
			assert.equal(sql(`SELECT string_agg(role, ',' ORDER BY role) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = '${email}'`), 'learner,trainer');

			// CSV import with a bad e-mail on line 3: nothing is imported.
			await j.nav('/admin');
			await Promise.all([page.waitForURL(`${BASE}/admin/users/import`), page.getByRole('link', { name: t('admin.import') }).click()]);
			await j.check('import');
			const csv = path.join(TMP, `${tag}-${lang}.csv`);
			fs.writeFileSync(csv, `name,email,office,roles\nGiulia Buona,giulia-${lang}-${tag}@example.org,${U},learner\nMarco Sbagliato,marco-${lang}-${tag},${U},learner\n`);
			await page.getByLabel(t('import.file')).setInputFiles(csv);
			await Promise.all([page.waitForURL(`${BASE}/admin/users/import`), page.getByRole('button', { name: t('import.submit'), exact: true }).click()]);
			const alert = page.locator('main .alert-danger');
			assert.match(await alert.innerText(), new RegExp(t('import.failed').replace(/[.:]/g, '.')));
			assert.deepEqual(await alert.locator('li').allInnerTexts(), [`line 3: 'marco-${lang}-${tag}' is not a valid e-mail address`]);
			await j.check('import-error');
			assert.equal(sql(`SELECT count(*) FROM users WHERE email LIKE '%-${lang}-${tag}@example.org' AND email NOT LIKE 'nuovo-%'`), '0', 'nothing imported');

			await j.logout();
			await j.end();
		});
	}
});
