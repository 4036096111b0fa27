// Headless Chromium (Debian package) driven by playwright-core, with the
// accessibility checks every journey runs on every page it visits:
// axe-core (WCAG 2.0/2.1 A and AA) and html-validate.
import { chromium } from 'playwright-core';
import { HtmlValidate } from 'html-validate';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BASE, OUT, ROOT } from '../lib/util.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// html-validate's recommended rules, all of them, none switched off.
const validator = new HtmlValidate({
	extends: ['html-validate:recommended'],
	rules: {
		// One option widened, not a rule switched off: a question's
		// check boxes share one name (q<id>=1&q<id>=3), which HTML
		// defines for check boxes as for radio buttons and the quiz's
		// form parser reads; the rule's default only lists radio and
		// button types as shared. Every other duplicate is still an error.
		'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
	},
});

// The message catalogues, to assert on text in either language.
export function catalogue(lang) {
	const text = fs.readFileSync(path.join(ROOT, 'assets/i18n', `${lang}.txt`), 'utf8');
	const m = {};
	for (const line of text.split('\n')) {
		if (/^\s*(#|$)/.test(line))
			continue;
		const eq = line.indexOf('=');
		if (eq > 0)
			m[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
	}
	return (key) => {
		if (!(key in m))
			throw new Error(`no message ${key} in ${lang}.txt`);
		return m[key];
	};
}

// A route's shape, to count distinct pages: ids and slugs become ':x'.
function pageKey(url) {
	const u = new URL(url);
	return u.pathname
	    .replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}(\.json)?$/, '/:uuid$1')
	    .replace(/\/attempt\/[A-Za-z0-9_-]{22}$/, '/attempt/:id')
	    .replace(/\/[0-9]+(?=\/|$)/g, '/:id')
	    .replace(/^\/(modules|courses|learn)\/(?!history$)[a-z0-9-]+$/, '/$1/:slug');
}

/*
 * One browser per test file; each journey gets its own context (its own
 * cookies, so journeys can run side by side) with journey(name).
 */
export async function browser() {
	const chrome = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	return {
		browser: chrome,
		// A journey: screenshots under OUT/screenshots/<name>/;
		// javaScriptEnabled: false for a browser without scripts;
		// base: another server than the shared one (a stack of its
		// own); viewport: another size than 1280 x 900.
		journey: (name, opts = {}) => journey(chrome, name, opts),
		async close() {
			await chrome.close();
		},
	};
}

async function journey(chrome, dir, { javaScriptEnabled = true, base = BASE, viewport = { width: 1280, height: 900 } } = {}) {
	const ctx = await chrome.newContext({
		viewport,
		acceptDownloads: true,
		javaScriptEnabled,
	});
	ctx.setDefaultTimeout(20000);
	// axe-core in every page from its start, through the DevTools
	// protocol: a <script> would break the pages' Content-Security-Policy
	// (no inline scripts), and the same source compiled once per
	// renderer is reused from V8's cache on every page after the first.
	if (javaScriptEnabled)
		await ctx.addInitScript({ content: AXE });
	const page = await ctx.newPage();
	// axe-core cannot run in a page without scripts: a journey without
	// JavaScript has it check the same address, with the same cookies,
	// in a second page that runs them (the server sends the same HTML).
	let mirror = null;
	async function axePage() {
		if (javaScriptEnabled)
			return page;
		if (mirror === null) {
			mirror = await chrome.newContext({ viewport: { width: 1280, height: 900 } });
			mirror.setDefaultTimeout(20000);
			await mirror.addInitScript({ content: AXE });
			mirror.page = await mirror.newPage();
		}
		await mirror.clearCookies();
		await mirror.addCookies(await ctx.cookies());
		await mirror.page.goto(page.url());
		return mirror.page;
	}
	const problems = [];
	const failures = [];
	// The language every page must be in: Italian by default, then the
	// one chosen with the header's link (the lang cookie keeps it).
	let step = 0, last = Date.now(), want = 'it';
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		// A page answered 400 or 404 on purpose (a form error, the
		// 404 page) is reported by Chromium as a failed load of the
		// document itself: that is not a problem of the page.
		if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) &&
		    m.location()?.url === page.url())
			return;
		problems.push(`${m.text()} (${m.location()?.url})`);
	});
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('requestfailed', (r) => {
		// A download navigation is "aborted" as a page load.
		if (r.failure()?.errorText !== 'net::ERR_ABORTED')
			problems.push('failed: ' + r.url());
	});
	// The HTML the server sent for the page now shown (html-validate
	// reads the source: Chromium's serialisation of the DOM would write
	// boolean attributes as required="").
	let source = null;
	page.on('response', (r) => {
		if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
		    (r.headers()['content-type'] || '').startsWith('text/html'))
			source = r.text().catch(() => null);
	});
	const j = {
		ctx, page, problems, failures,
		async shot(name) {
			const d = path.join(OUT, 'screenshots', dir);
			fs.mkdirSync(d, { recursive: true });
			step++;
			// The page down to 2000 px: enough to see the step (a
			// 200-row table is not worth encoding; the shot is a
			// third of a check's time).
			const height = Math.min(2000, await page.evaluate(() => document.documentElement.scrollHeight));
			await page.screenshot({
				path: path.join(d, `${String(step).padStart(2, '0')}-${name}.png`),
				fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize().width, height },
			});
		},
		// axe-core and html-validate on the page as it is now; every
		// problem is kept with the URL, and a screenshot is taken.
		async check(name) {
			const t0 = Date.now();
			const url = page.url();
			const lang = await page.getAttribute('html', 'lang');
			const where = `${url.replace(base, '')} [${lang}] (${dir}/${name})`;
			if (lang !== want)
				failures.push(`${where} is in ${lang}, not in ${want}, the language chosen`);
			// html-validate (here) and axe-core (in the browser) at
			// the same time.
			const validated = (source ?? page.content()).then(async (html) =>
			    validator.validateString(html ?? await page.content(), url));
			const axe = await (await axePage()).evaluate(async (tags) => {
				// No CSS selectors for every node checked (the slow
				// part of a run): the markup of what fails is enough.
				const r = await window.axe.run(document, {
					runOnly: { type: 'tag', values: tags },
					resultTypes: ['violations'],
					selectors: false,
				});
				return r.violations.map((v) => ({
					id: v.id, help: v.help,
					nodes: v.nodes.slice(0, 3).map((n) => `${n.html.slice(0, 160)}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
				}));
			}, AXE_TAGS);
			for (const v of axe)
				failures.push(`${where} axe ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
			const t1 = Date.now();
			const report = await validated;
			for (const r of report.results)
				for (const m of r.messages)
					failures.push(`${where} html-validate ${m.ruleId} line ${m.line}: ${m.message} ${m.selector || ''}`);
			fs.mkdirSync(path.join(OUT, 'a11y'), { recursive: true });
			fs.appendFileSync(path.join(OUT, 'a11y', 'checked.tsv'),
			    `${lang}\t${pageKey(url)}\t${dir}/${name}\t${axe.length}\t${report.errorCount}\n`);
			const t2 = Date.now();
			await j.shot(name);
			// BROWSER_TIMES=1: where a journey's time goes.
			if (process.env.BROWSER_TIMES)
				console.log(`${dir}/${name}: since last check ${t0 - last} ms, axe ${t1 - t0} ms, html-validate after it ${t2 - t1} ms, screenshot ${Date.now() - t2} ms`);
			last = Date.now();
		},
		// Switch the interface language with the header's link.
		async language(lang) {
			want = lang;
			if (await page.getAttribute('html', 'lang') === lang)
				return;
			await Promise.all([page.waitForURL((u) => !/\/lang\//.test(u.pathname)), page.locator(`header a[hreflang="${lang}"]`).click()]);
			if (await page.getAttribute('html', 'lang') !== lang)
				throw new Error(`the language switch did not give ${lang}`);
		},
		// Follow a link of the header's menu as a person would: open
		// the menu on a small screen, then the group that holds it.
		async nav(href) {
			const link = page.locator(`header nav a[href="${href}"]`);
			const toggler = page.locator('header .custom-navbar-toggler');
			if (!await link.isVisible() && await toggler.isVisible()) {
				await toggler.click();
				await link.or(page.locator('header nav summary').first()).first().waitFor({ state: 'visible' });
			}
			if (!await link.isVisible()) {
				const group = page.locator('header nav details', { has: page.locator(`a[href="${href}"]`) });
				await group.locator('summary').click();
			}
			await Promise.all([page.waitForURL((u) => u.pathname === href), link.click()]);
		},
		async login(email, password) {
			await page.goto(base + '/login');
			await page.locator('#f-email').fill(email);
			await page.locator('#f-password').fill(password);
			await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.locator('main button[type=submit]').click()]);
		},
		async logout() {
			await Promise.all([page.waitForURL(base + '/'), page.locator('header form[action="/logout"] button').click()]);
		},
		// The journey's verdict: nothing found by the checks, nothing
		// wrong in the console; then its context is closed.
		async end() {
			await mirror?.close();
			await ctx.close();
			assert.deepEqual(failures, [], 'axe-core and html-validate find nothing:\n' + failures.join('\n'));
			assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
		},
		async close() {
			await mirror?.close();
			await ctx.close();
		},
	};
	return j;
}

// Wait for a condition (a function returning a truthy value), polling.
export async function until(what, fn, ms = 15000, every = 200) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() > end)
			throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, every));
	}
}
