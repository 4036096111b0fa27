// Issue 2: a reader opens the catalogue and a module in a real browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE } from '../lib/util.mjs';
import { browser } from './lib.mjs';

test('a reader browses the catalogue and reads a module', async () => {
	const b = await browser();
	try {
		const { page } = b;
		await page.goto(BASE + '/');
		assert.equal(await page.getAttribute('html', 'lang'), 'it');
		assert.equal(await page.locator('h1').innerText(), 'Catalogo della formazione');
		// Bootstrap Italia's stylesheet is applied (the header is blue).
		const bg = await page.locator('.it-header-center-wrapper').evaluate((e) => getComputedStyle(e).backgroundColor);
		assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
		const font = await page.locator('body').evaluate((e) => getComputedStyle(e).fontFamily);
		assert.match(font, /Titillium Web/);
		await b.shot('catalogue');

		await page.locator('a[href="/courses/governance-accesso"]').first().click();
		await page.waitForURL(/\/courses\/governance-accesso$/);
		assert.match(await page.locator('h1').innerText(), /Governance/);
		await b.shot('course');

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
		await b.shot('module');

		// The language switch persists across pages.
		await page.locator('a[hreflang="en"]').click();
		await page.waitForURL(/\/modules\/accesso-servizi$/);
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.goto(BASE + '/');
		assert.equal(await page.locator('h1').innerText(), 'Training catalogue');
		await b.shot('catalogue-en');
		await page.locator('a[hreflang="it"]').click();
		await page.waitForURL(BASE + '/');
		assert.equal(await page.getAttribute('html', 'lang'), 'it');

		assert.deepEqual(b.problems, [], 'no console errors, CSP violations or failed requests');
	} finally {
		await b.close();
	}
});
