// Issue 8: the HR office's journey in a real browser, in Italian and in
// English: the gap report with its heatmap (a chart with its table),
// a filter applied with the form, and a CSV export downloaded and read.
// Every page is checked with axe-core and html-validate.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, org, user, signedIn, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('bh').replace(/[^a-z0-9-]/g, '');
const A = `${tag}-ente`, U1 = `${tag}-uff1`, U2 = `${tag}-uff2`;
const ROLE = 'operatore-sportello';	// a programme-wide profile
let b, hr;

before(async () => {
	org('sicilia', A, `Ente personale ${tag}`);
	org(A, U1, `Ufficio uno ${tag}`);
	org(A, U2, `Ufficio due ${tag}`);
	hr = await user({ name: 'Rita Personale', email: `hr-${tag}@example.org`, org: A, roles: 'hr' });
	const staff = [];
	for (const [name, unit] of [['Anna Uno', U1], ['Bruno Uno', U1], ['Carla Due', U2]])
		staff.push(await user({ name: `${name} ${tag}`, email: `${name.replace(' ', '.').toLowerCase()}-${tag}@example.org`, org: unit }));
	// The profiles are assigned by the HR office's CSV import.
	const c = await signedIn(hr);
	const csrf = await c.csrf('/hr/roles');
	const r = await c.post('/hr/roles/import', { multipart: { csrf, csv: { filename: 'ruoli.csv', content: 'email,role\n' + staff.map((s) => `${s.email},${ROLE}\n`).join('') } } });
	assert.equal(r.status, 200, r.body.slice(0, 300));
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Both languages, each journey in its own browser context.
describe(`the HR office in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`HR journey (${lang}): gap report with heatmap, filter, CSV export`, async () => {
			const t = catalogue(lang);
			const j = await b.journey(`hr-${lang}`);
			const { page } = j;
			await page.goto(BASE + '/login');
			await j.language(lang);
			await j.login(hr.email, hr.password);

			// The report: the heatmap is drawn, and its table is there too.
			await j.nav('/hr/report');
			assert.equal(await page.locator('h1').innerText(), t('report.title'));
			const svg = page.locator('svg[aria-labelledby="heatmap-t"]');
			assert.equal(await svg.isVisible(), true, 'the heatmap is visible');
			assert.ok((await svg.boundingBox()).height > 50);
			const heat = page.locator('table.report-heat');
			assert.match(await heat.innerText(), new RegExp(`Ufficio uno ${tag}`));
			assert.match(await heat.innerText(), new RegExp(`Ufficio due ${tag}`));
			assert.equal(await heat.locator('caption').innerText(), t('report.heat_caption'));
			await j.check('report');

			// Filter on one office with the form.
			await page.getByLabel(t('report.f_org'), { exact: true }).selectOption(U1);
			await page.getByLabel(t('report.f_by'), { exact: true }).selectOption('office');
			await Promise.all([page.waitForURL(/\/hr\/report\?/), page.getByRole('button', { name: t('report.apply') }).click()]);
			assert.match(page.url(), new RegExp(`org=${U1}`));
			assert.equal(await page.getByLabel(t('report.f_org'), { exact: true }).inputValue(), U1, 'the filter stays selected');
			assert.match(await heat.innerText(), new RegExp(`Ufficio uno ${tag}`));
			assert.doesNotMatch(await heat.innerText(), new RegExp(`Ufficio due ${tag}`));
			assert.equal(await page.locator('[data-stat="staff"]').innerText(), '2');
			await j.check('report-filtered');

			// The heatmap's CSV export, with the same filter.
			const link = page.locator('section[aria-labelledby="heat-title"] a', { hasText: t('report.csv') });
			const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
			assert.match(download.suggestedFilename(), /^capacita-heatmap-\d{4}\.csv$/);
			// Italian: ';', a byte order mark, Italian headers;
			// English: the international form.
			const text = fs.readFileSync(await download.path(), 'utf8');
			assert.equal(text.startsWith('\ufeff'), lang === 'it');
			const rows = text.replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(lang === 'it' ? ';' : ','));
			assert.deepEqual(rows[0], ['unit', 'competence', 'people_required', 'people_meeting', 'share'].map((k) => t(`csv.${k}`)));
			assert.ok(rows.length > 1, 'the export has rows');
			for (const r of rows.slice(1)) {
				assert.equal(r[0], `Ufficio uno ${tag}`);
				assert.equal(r[2], '2', `two people of office one hold the profile: ${r.join(',')}`);
				assert.equal(r[3], '0');
			}
			assert.ok(rows.some((r) => r[1] === 'ACC.1'));
			await j.shot('csv-downloaded');

			await j.logout();
			await j.end();
		});
	}
});
