// Issue 8: the trainer's journey in a real browser, in Italian and in
// English: open the editor, write a module, preview it, publish it, then
// edit it with a preview and publish a second version that the public
// module page shows. Every page is checked with axe-core and
// html-validate.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, org, user, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('bt').replace(/[^a-z0-9-]/g, '');
let b;
const users = {};

function source(slug, version) {
	return [
		'---', `title: Modulo del formatore ${version}`, `slug: ${slug}`, 'lang: it', 'minutes: 15',
		`summary: Versione ${version} del modulo scritto nel browser.`, '---', '',
		`Testo della versione **${version}**.`, '', 'Una riga che resta uguale.', '',
		'```quiz', '? Chi rilascia il permesso di soggiorno?', 'competenza: ACC.1 base',
		'( ) Il Comune', '(x) La Questura', '    -> Sì: la Questura.', '```', '',
	].join('\n');
}

before(async () => {
	org('puglia', `${tag}-ente`, `Ente formatori ${tag}`);
	// Every account up front: the tests' HTTP client keeps connections
	// alive, and the server answers an idle one with 408 after 10 s.
	for (const lang of ['it', 'en'])
		users[lang] = await user({ name: `Franco Formatore ${lang.toUpperCase()}`, email: `trainer-${lang}-${tag}@example.org`, org: `${tag}-ente`, roles: 'trainer' });
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Both languages, each journey in its own browser context.
describe(`the trainer in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`trainer journey (${lang}): editor, preview, publish, new version on the public page`, async () => {
			const t = catalogue(lang);
			const slug = `${tag}-${lang}`;
			const j = await b.journey(`trainer-${lang}`);
			const { page } = j;
			const u = users[lang];
			await page.goto(BASE + '/login');
			await j.language(lang);
			await j.login(u.email, u.password);

			// The editor's list, then a new module.
			await j.nav('/author');
			assert.equal(await page.locator('h1').innerText(), t('author.title'));
			await j.check('author');
			await Promise.all([page.waitForURL(`${BASE}/author/edit`), page.getByRole('link', { name: t('author.new') }).click()]);
			await j.check('new');
			await page.getByLabel(t('author.source')).fill(source(slug, 1));
			await Promise.all([page.waitForURL(`${BASE}/author/edit`), page.getByRole('button', { name: t('author.preview'), exact: true }).click()]);
			const preview = page.locator('section.editor-preview');
			assert.match(await preview.innerHTML(), /Testo della versione <strong>1<\/strong>/);
			assert.match(await preview.innerText(), /La Questura/);
			await j.check('preview-1');
			await Promise.all([page.waitForURL(`${BASE}/modules/${slug}`), page.getByRole('button', { name: t('author.publish'), exact: true }).click()]);
			assert.match(await page.locator('.module-meta').innerText(), new RegExp(`${t('module.version')} 1`));
			await j.check('published-1');

			// Edit it again from the list: change the text, preview, publish.
			await j.nav('/author');
			const row = page.locator('tbody tr').filter({ hasText: slug });
			await Promise.all([page.waitForURL(`${BASE}/author/edit?slug=${slug}`), row.getByRole('link').click()]);
			const editor = page.getByLabel(t('author.source'));
			assert.equal((await editor.inputValue()).replace(/\r\n/g, '\n'), source(slug, 1));
			await j.check('edit');
			await editor.fill(source(slug, 2));
			await Promise.all([page.waitForURL(`${BASE}/author/edit`), page.getByRole('button', { name: t('author.preview'), exact: true }).click()]);
			assert.match(await preview.innerHTML(), /Testo della versione <strong>2<\/strong>/);
			assert.equal((await editor.inputValue()).replace(/\r\n/g, '\n'), source(slug, 2), 'the preview keeps the text being edited');
			await j.check('preview-2');
			await Promise.all([page.waitForURL(`${BASE}/modules/${slug}`), page.getByRole('button', { name: t('author.publish'), exact: true }).click()]);

			// The public page shows the new version, to anyone.
			await j.logout();
			await page.goto(`${BASE}/modules/${slug}`);
			assert.match(await page.locator('.module-meta').innerText(), new RegExp(`${t('module.version')} 2`));
			assert.match(await page.locator('.module-body').innerHTML(), /Testo della versione <strong>2<\/strong>/);
			assert.equal(await page.locator('h1').innerText(), 'Modulo del formatore 2');
			await j.check('public-2');

			await j.end();
		});
	}
});
