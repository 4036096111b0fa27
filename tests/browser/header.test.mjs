// Issue 18: at 1280 px the header's navigation wrapped onto two or three
// lines for trainers, HR offices and administrators, and a small screen
// had no collapsible menu. Now Bootstrap Italia's header: its
// collapsible menu (its own script, served from /assets/bi/js) behind a
// button on a small screen, the staff's pages in groups that open as
// <details> (with or without JavaScript), one line at 1280 px for every
// role. Screenshots in tests/out/screenshots/header-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, org, user, unique } from '../lib/util.mjs';
import { browser, until } from './lib.mjs';

const tag = unique('bhd').replace(/[^a-z0-9-]/g, '');
const ROLES = {
	learner: 'learner',
	trainer: 'trainer;learner',
	hr: 'hr;learner',
	issuer: 'issuer;learner',
	admin: 'admin;learner',
	all: 'learner;trainer;hr;issuer;admin;assessor;reviewer',
};
const users = {};
let b;

before(async () => {
	org('puglia', `${tag}-ente`, `Ente intestazione ${tag}`);
	for (const [k, roles] of Object.entries(ROLES))
		users[k] = await user({ name: `Ruolo ${k}`, email: `${k}-${tag}@example.org`, org: `${tag}-ente`, roles });
	b = await browser();
});

after(async () => {
	await b?.close();
});

// The header's menu as laid out: one line, inside the window.
async function layout(page) {
	return page.evaluate(() => {
		const items = [...document.querySelectorAll('header nav .navbar-nav > li')].filter((li) => li.offsetParent !== null);
		const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
		return {
			items: items.length,
			lines: tops.size,
			right: Math.max(...items.map((li) => li.getBoundingClientRect().right)),
			scroll: document.documentElement.scrollWidth,
			width: window.innerWidth,
		};
	});
}

test('at 1280 px the header holds on one line for every role, its groups open and lead to their pages', async () => {
	for (const k of [null, ...Object.keys(ROLES)]) {
		const j = await b.journey(`header-1280-${k ?? 'anonymous'}`);
		const { page } = j;
		if (k !== null)
			await j.login(users[k].email, users[k].password);
		await page.goto(BASE + (k !== null ? '/learn' : '/'));
		const l = await layout(page);
		assert.equal(l.lines, 1, `${k}: ${l.items} items on ${l.lines} lines`);
		assert.ok(l.right <= l.width && l.scroll <= l.width, `${k}: the menu ends at ${l.right} px of ${l.width}`);
		// Inside the page's container, as the brand above it.
		const box = await page.locator('header .it-header-navbar-wrapper .container').boundingBox();
		assert.ok(l.right <= box.x + box.width, `${k}: the menu ends at ${l.right} px, the container at ${box.x + box.width}`);
		assert.equal(await page.locator('header .custom-navbar-toggler').isVisible(), false);
		await j.check('header');
		// Each group: closed, opened by its button, then one of its
		// pages; opening another closes the first; Escape closes.
		const groups = page.locator('header nav details');
		const n = await groups.count();
		for (let i = 0; i < n; i++) {
			const g = groups.nth(i);
			assert.equal(await g.locator('a').first().isVisible(), false);
			await g.locator('summary').click();
			assert.equal(await g.locator('a').first().isVisible(), true);
			if (i + 1 < n) {
				await groups.nth(i + 1).locator('summary').click();
				assert.ok(await until('one group open at a time', async () => await g.getAttribute('open') === null, 2000, 50));
				await page.keyboard.press('Escape');
				assert.ok(await until('Escape closes it', async () => await groups.nth(i + 1).getAttribute('open') === null, 2000, 50));
			}
		}
		if (n > 0) {
			// The last group is still open.
			assert.equal(await groups.nth(n - 1).getAttribute('open'), '');
			await j.shot('group-open');
			const href = await groups.nth(n - 1).locator('a').first().getAttribute('href');
			await j.nav(href);
			assert.equal(await page.locator(`header nav summary.active`).count(), 1, 'the group of the page shown is marked');
			assert.equal(await page.locator(`header nav a[aria-current="page"]`).getAttribute('href'), href);
		}
		await j.end();
	}
	// Every staff page is reachable from the header of whom may open it.
	const j = await b.journey('header-1280-every-link');
	await j.login(users.all.email, users.all.password);
	for (const href of ['/author', '/ratings', '/hr/people', '/hr/report', '/hr/roles', '/hr/editions', '/hr/impact', '/hr/funder', '/issuer/badges', '/admin', '/admin/users', '/admin/orgs', '/admin/audit', '/gov', '/badges', '/verify'])
		await j.nav(href);
	await j.end();
});

test('on a phone the menu collapses behind Bootstrap Italia\'s button', async () => {
	const j = await b.journey('header-phone', { viewport: { width: 390, height: 844 } });
	const { page } = j;
	await j.login(users.all.email, users.all.password);
	await page.goto(BASE + '/learn');
	const toggler = page.locator('header .custom-navbar-toggler');
	assert.equal(await toggler.isVisible(), true);
	assert.equal(await toggler.getAttribute('aria-expanded'), 'false');
	assert.equal(await page.locator('header nav a[href="/learn"]').isVisible(), false, 'the menu is closed');
	assert.ok((await layout(page)).scroll <= 390, 'no sideways scrolling');
	await j.check('closed');
	await toggler.click();
	await page.locator('header nav a[href="/learn"]').waitFor({ state: 'visible' });
	assert.equal(await toggler.getAttribute('aria-expanded'), 'true');
	await page.locator('header nav summary', { hasText: 'Personale' }).click();
	assert.equal(await page.locator('header nav a[href="/hr/impact"]').isVisible(), true);
	await j.check('open');
	await page.keyboard.press('Escape');
	await page.locator('header nav a[href="/learn"]').waitFor({ state: 'hidden' });
	assert.equal(await toggler.getAttribute('aria-expanded'), 'false');
	await j.nav('/hr/impact');
	await j.end();
});

test('without JavaScript the menu is open on a phone, and its groups open as details do', async () => {
	const j = await b.journey('header-phone-nojs', { javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
	const { page } = j;
	await j.login(users.all.email, users.all.password);
	await page.goto(BASE + '/learn');
	assert.equal(await page.locator('header .custom-navbar-toggler').isVisible(), false, 'no button that cannot work');
	assert.equal(await page.locator('header nav a[href="/learn"]').isVisible(), true);
	assert.ok((await layout(page)).scroll <= 390, 'no sideways scrolling');
	await page.locator('header nav summary', { hasText: 'Amministrazione' }).click();
	assert.equal(await page.locator('header nav a[href="/admin/audit"]').isVisible(), true);
	await j.shot('group-open');
	await Promise.all([page.waitForURL(BASE + '/admin/audit'), page.locator('header nav a[href="/admin/audit"]').click()]);
	// And at 1280 px, without JavaScript, a group opens all the same.
	await page.setViewportSize({ width: 1280, height: 900 });
	assert.equal((await layout(page)).lines, 1);
	await page.locator('header nav summary', { hasText: 'Personale' }).click();
	await Promise.all([page.waitForURL(BASE + '/hr/report'), page.locator('header nav a[href="/hr/report"]').click()]);
	await j.end();
});
