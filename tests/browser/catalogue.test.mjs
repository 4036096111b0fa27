// Issues 2 and 8: a reader, not signed in, browses the catalogue, a
// course and a module in a real browser, switches language, and reads
// the accessibility statement from the footer. Every page is checked
// with axe-core and html-validate, in Italian and in English.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

let b;

before(async () => {
	b = await browser();
});

after(async () => {
	await b?.close();
});

test('a reader browses the catalogue and reads a module', async () => {
	const j = await b.journey('reader');
	const { page } = j;
	await page.goto(BASE + '/');
	assert.equal(await page.getAttribute('html', 'lang'), 'it');
	assert.equal(await page.locator('h1').innerText(), 'Catalogo della formazione');
	// Bootstrap Italia's stylesheet is applied (the header is blue).
	const bg = await page.locator('.it-header-center-wrapper').evaluate((e) => getComputedStyle(e).backgroundColor);
	assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
	const font = await page.locator('body').evaluate((e) => getComputedStyle(e).fontFamily);
	assert.match(font, /Titillium Web/);
	// The catalogue is checked by the journeys; here the checks are for
	// the shipped content: a real course and a long module.
	await j.shot('catalogue');

	await page.locator('a[href="/courses/governance-accesso"]').first().click();
	await page.waitForURL(/\/courses\/governance-accesso$/);
	assert.match(await page.locator('h1').innerText(), /Governance/);
	await j.check('course');

	await page.locator('a[href="/modules/accesso-servizi"]').first().click();
	await page.waitForURL(/\/modules\/accesso-servizi$/);
	const h1 = await page.locator('h1').innerText();
	assert.match(h1, /Accesso ai servizi/);
	const article = page.locator('article.module');
	assert.equal(await article.getAttribute('lang'), 'it');
	const text = await article.innerText();
	assert.ok(text.split(/\s+/).length > 1000, 'the whole text is there');
	assert.match(text, /Fonti/);
	assert.doesNotMatch(text, /competenza:/);
	await j.check('module');

	// The language switch persists across pages; the module's text
	// keeps its own language.
	await j.language('en');
	assert.equal(page.url(), `${BASE}/modules/accesso-servizi`);
	assert.equal(await article.getAttribute('lang'), 'it');
	await j.check('module-en');
	await page.goto(BASE + '/');
	assert.equal(await page.locator('h1').innerText(), 'Training catalogue');
	await j.shot('catalogue-en');
	await page.locator('a[href="/courses/governance-accesso"]').first().click();
	await page.waitForURL(/\/courses\/governance-accesso$/);
	await j.check('course-en');
	await j.language('it');
	assert.equal(page.url(), `${BASE}/courses/governance-accesso`);

	await j.end();
});

// Both languages, each journey in its own browser context.
describe(`the accessibility statement in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`the accessibility statement (${lang}), from the footer, with the fields of AgID's model`, async () => {
			const t = catalogue(lang);
			const j = await b.journey(`statement-${lang}`);
			const { page } = j;
			await page.goto(BASE + '/');
			await j.language(lang);
			await Promise.all([page.waitForURL(`${BASE}/accessibility`), page.locator('footer a[href="/accessibility"]').click()]);
			assert.equal(await page.locator('h1').innerText(), t('a11y.title'));
			const main = page.locator('main');
			// Entity, site, compliance status, non-accessible content, how
			// and when it was prepared, feedback, enforcement, publication.
			assert.match(await main.locator('[data-field="entity"]').innerText(), /Programma interregionale/);
			assert.match(await main.locator('[data-field="url"]').innerText(), /^https?:\/\//);
			assert.match(await main.locator('[data-field="status"]').innerText(), new RegExp(t('a11y.status')));
			assert.ok(await main.locator('[data-field="non-accessible"] li').count() >= 3);
			assert.match(await main.locator('[data-field="method"]').innerText(), /axe-core/);
			assert.match(await main.locator('[data-field="method"]').innerText(), /html-validate/);
			assert.match(await main.locator('[data-field="prepared"] time').getAttribute('datetime'), /^\d{4}-\d\d-\d\d$/);
			assert.match(await main.locator('[data-field="published"] time').getAttribute('datetime'), /^\d{4}-\d\d-\d\d$/);
			assert.ok((await main.locator('[data-field="feedback"]').innerText()).length > 50);
			assert.equal(await main.locator('[data-field="enforcement"] a').getAttribute('href'), 'https://form.agid.gov.it');
			for (const key of ['a11y.status_title', 'a11y.content_title', 'a11y.prepared_title', 'a11y.feedback_title', 'a11y.enforcement_title', 'a11y.site_title'])
				assert.equal(await main.getByRole('heading', { name: t(key), exact: true }).count(), 1, key);
			await j.check('statement');
			await j.end();
		});
	}
});

test('at 320 CSS pixels the pages reflow: no sideways scrolling, the menu stays visible without JavaScript', async () => {
	const j = await b.journey('reflow', { javaScriptEnabled: false });
	const { page } = j;
	await page.setViewportSize({ width: 320, height: 700 });
	for (const p of ['/', '/courses/governance-accesso', '/modules/accesso-servizi', '/verify', '/competences', '/login', '/accessibility']) {
		await page.goto(BASE + p);
		assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, `${p} fits in 320 px`);
		assert.equal(await page.locator('header nav a[href="/verify"]').isVisible(), true, `${p}: the menu is visible`);
		assert.equal(await page.locator('header a[hreflang="en"]').isVisible(), true, `${p}: the language switch is visible`);
	}
	await j.shot('statement-320');
	await j.end();
});

test('the checks do catch problems: a broken page fails both axe-core and html-validate', async () => {
	const j = await b.journey('self-test');
	const { page } = j;
	// A page that never reaches the server: no lang, an image without
	// text, an unlabelled field, grey on grey, a stray end tag.
	await page.route(`${BASE}/__broken`, (r) => r.fulfill({ contentType: 'text/html', body:
	    '<!DOCTYPE html><html><head><title>x</title></head><body><img src="data:,">' +
	    '<input type="text"><p style="color:#bbb;background:#ccc">low</p></div></body></html>' }));
	await page.goto(`${BASE}/__broken`);
	await j.check('broken');
	const found = j.failures.join('\n');
	for (const rule of ['axe html-has-lang', 'axe image-alt', 'axe label', 'axe color-contrast', 'html-validate close-order', 'html-validate wcag/h37'])
		assert.ok(found.includes(rule), `${rule} is reported:\n${found}`);
	j.failures.length = 0;
	await j.end();
});
