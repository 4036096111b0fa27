// Issue 24: one full round of governance self-assessment and
// transnational peer review in a real browser, on the demo data
// (bin/capacita bootstrap --demo): Campania's assessor rates and submits,
// Campania's HR office assigns a partner reviewer from the United
// Kingdom, who reviews in English; the team answers, the reviewer
// proposes the consolidated rating, the team agrees. The benchmark then
// compares the five regions with numbers recomputed here by hand from
// the ratings in the database (table and CSV); a weak dimension leads to
// a practice card and a course; an action plan is written and updated,
// and the next round's comparison shows it. Every page is checked with
// axe-core and html-validate, with screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, Client, PASSWORD, cli, sql, user, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const DIMS = ['COORD', 'ONESTOP', 'PARTNER', 'ACCESS', 'DATA', 'EVAL', 'STAFF'];
const SELF = [3, 3, 3, 3, 2, 2, 3];
const PEER = [3, 2, 2, 3, 2, 2, 3];
const CONS = [3, 3, 2, 3, 2, 2, 3];
let b, admin;
const assessor = { email: 'demo.valutatore.campania@example.org', password: PASSWORD };
const hr = { email: 'demo.personale.campania@example.org', password: PASSWORD };
const reviewer = { email: 'demo.reviewer.uk@example.org', password: PASSWORD };

// A demo user's password, set through the one-time link as a person would.
async function password(u) {
	const r = cli(['user', 'reset-password', u.email]);
	assert.equal(r.status, 0, r.stderr);
	const token = /password\?token=([A-Za-z0-9_-]{43})/.exec(r.stdout)[1];
	const c = new Client();
	const csrf = await c.csrf('/password?token=' + token);
	const s = await c.post('/password', { form: { csrf, token, password: u.password, password2: u.password } });
	assert.equal(s.status, 200);
}

// 2,5 from 2.5: the page's and the CSV's decimal comma.
const it1 = (x) => x.toFixed(1).replace('.', ',');

before(async () => {
	const r = cli(['bootstrap', '--demo']);
	assert.equal(r.status, 0, r.stderr);
	for (const u of [assessor, hr, reviewer])
		await password(u);
	admin = await user({ email: `${unique('gov-admin')}@example.org`, org: 'campania', roles: 'admin' });
	b = await browser();
});

after(async () => {
	await b?.close();
});

test('one full round: self-assessment, peer review in English, consolidated rating, benchmark, practice, course, action plan into the next round', async () => {
	const t = catalogue('it'), e = catalogue('en');

	// 1. Campania's assessor starts the 2026 self-assessment and submits it.
	let j = await b.journey('gov-assessor');
	let { page } = j;
	await j.login(assessor.email, assessor.password);
	await j.nav('/gov');
	assert.equal(await page.locator('h1').innerText(), t('gov.title'));
	await j.check('gov');
	await page.getByLabel(t('gov.start_unit')).selectOption('campania');
	await Promise.all([page.waitForURL(/\/gov\/assessments\/\d+$/), page.getByRole('button', { name: t('gov.start') }).click()]);
	const url = page.url();
	const id = Number(/(\d+)$/.exec(url)[1]);
	assert.equal(sql(`SELECT o.code || ' ' || r.code || ' ' || a.status FROM gov_assessments a JOIN orgs o ON o.id = a.org_id JOIN gov_rounds r ON r.id = a.round_id WHERE a.id = ${id}`), 'campania 2026 draft');
	await j.check('assessment-draft');
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-level-${d}-${SELF[i]}"]`).click();
		await page.locator(`#f-just-${d}`).fill(`Motivazione ${d}: livello ${SELF[i]}.`);
	}
	await page.locator('#f-evid-PARTNER').fill('Avviso di co-programmazione 2025\nhttps://www.regione.campania.it/');
	// A draft first: nothing is lost, nothing is submitted.
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: t('gov.save_draft') }).click()]);
	assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'draft');
	assert.equal(await page.locator('#f-just-COORD').inputValue(), 'Motivazione COORD: livello 3.');
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: t('gov.submit') }).click()]);
	assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'submitted');
	await j.check('assessment-submitted');
	await j.end();

	// 2. Campania's HR office assigns the reviewer from the United Kingdom.
	j = await b.journey('gov-hr');
	({ page } = j);
	await j.login(hr.email, hr.password);
	await page.goto(`${BASE}/gov`);
	await Promise.all([page.waitForURL(url), page.locator(`a[href="/gov/assessments/${id}"]`).click()]);
	await j.check('assign');
	const rid = sql(`SELECT id FROM users WHERE email = '${reviewer.email}'`);
	await page.getByLabel(t('gov.reviewer'), { exact: true }).selectOption(rid);
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: t('gov.assign_button') }).click()]);
	assert.match(await page.locator('main').innerText(), /Demo - Reviewer United Kingdom/);
	await j.end();

	// 3. The reviewer reads it in English and rates every dimension.
	j = await b.journey('gov-reviewer');
	({ page } = j);
	await page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(reviewer.email, reviewer.password);
	await page.goto(`${BASE}/gov`);
	assert.equal(await page.locator('h1').innerText(), e('gov.title'));
	await Promise.all([page.waitForURL(url), page.locator(`a[href="/gov/assessments/${id}"]`).click()]);
	assert.match(await page.locator('main').innerText(), /Motivazione PARTNER: livello 3\./, 'the reviewer sees the self-assessment');
	assert.equal(await page.locator('#dim-PARTNER a[href="https://www.regione.campania.it/"]').count(), 1, 'evidence links are links');
	await j.check('review');
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-peer-${d}-${PEER[i]}"]`).click();
		await page.locator(`#f-comment-${d}`).fill(`Reviewer on ${d}: level ${PEER[i]}, evidence checked.`);
	}
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: e('gov.peer_submit') }).click()]);
	assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'reviewed');
	await j.close();

	// 4. The assessed team answers each comment.
	j = await b.journey('gov-assessor-answer');
	({ page } = j);
	await j.login(assessor.email, assessor.password);
	await page.goto(url);
	assert.match(await page.locator('#dim-PARTNER').innerText(), /Reviewer on PARTNER: level 2/);
	for (const d of DIMS)
		await page.locator(`#f-answer-${d}`).fill(`Risposta su ${d}.`);
	await j.check('answer');
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: t('gov.answer_submit') }).click()]);
	await j.end();

	// 5. The reviewer proposes the consolidated rating.
	j = await b.journey('gov-reviewer-propose');
	({ page } = j);
	await page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(reviewer.email, reviewer.password);
	await page.goto(url);
	assert.match(await page.locator('#dim-COORD').innerText(), /Risposta su COORD\./);
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-cons-${d}-${CONS[i]}"]`).click();
		await page.locator(`#f-note-${d}`).fill(`Agreed level ${CONS[i]} for ${d}.`);
	}
	await j.check('propose');
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: e('gov.propose_submit') }).click()]);
	assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'proposed');
	await j.end();

	// 6. The team agrees; the three views stay side by side.
	j = await b.journey('gov-assessor-agree');
	({ page } = j);
	await j.login(assessor.email, assessor.password);
	await page.goto(url);
	await Promise.all([page.waitForURL(url), page.getByRole('button', { name: t('gov.agree') }).click()]);
	assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'consolidated');
	const views = page.locator('#dim-ONESTOP tr[data-view]');
	assert.deepEqual(await views.evaluateAll((rows) => rows.map((r) => r.dataset.view + ':' + r.querySelector('[data-level]').dataset.level)),
	    ['prev:2', 'self:3', 'peer:2', 'answer:0', 'cons:3']);
	assert.equal(sql(`SELECT string_agg(dimension || '=' || self_level || '/' || peer_level || '/' || cons_level, ' ' ORDER BY dimension) FROM gov_ratings WHERE assessment_id = ${id}`),
	    DIMS.map((d, i) => [d, `${d}=${SELF[i]}/${PEER[i]}/${CONS[i]}`]).sort().map((x) => x[1]).join(' '));
	assert.match(sql(`SELECT string_agg(event, ' ' ORDER BY id) FROM audit_log WHERE subject LIKE '%#${id}'`),
	    /gov\.assessment\.submitted gov\.review\.assign gov\.assessment\.reviewed gov\.assessment\.answered gov\.assessment\.proposed gov\.assessment\.consolidated/);
	await j.check('consolidated');

	// 7. A weak dimension (PARTNER, consolidated 2) leads to practices and a course.
	const weak = page.locator('#dim-PARTNER .gov-weak');
	await Promise.all([page.waitForURL(/\/gov\/practices\?dimension=PARTNER$/), weak.locator('a[href^="/gov/practices"]').click()]);
	const cards = page.locator('.gov-card-item');
	assert.ok(await cards.count() >= 3, 'cards for PARTNER');
	assert.equal(Number(await page.locator('[data-count]').getAttribute('data-count')), await cards.count());
	await j.check('practices');
	await Promise.all([page.waitForURL(`${BASE}/gov/practices/uk-new-scots`), page.locator('a[href="/gov/practices/uk-new-scots"]').click()]);
	assert.match(await page.locator('main').innerText(), /COSLA/);
	assert.ok(await page.locator('.gov-sources a[href^="https://www.gov.scot/"]').count() >= 1, 'the card cites its sources');
	await j.check('practice-card');
	await page.goto(url);
	await Promise.all([page.waitForURL(/\/courses\/[a-z0-9-]+$/), weak.locator('a[href^="/courses/"]').first().click()]);
	const slug = /\/courses\/([a-z0-9-]+)$/.exec(page.url())[1];
	assert.ok(Number(sql(`SELECT count(*) FROM course_competences cc JOIN courses c ON c.id = cc.course_id WHERE c.slug = '${slug}' AND cc.competence IN ('COO.1', 'COO.2', 'INT.3')`)) > 0,
	    'the course builds a competence of PARTNER');

	// 8. The action plan: an action on PARTNER, then its status updated.
	await page.goto(url);
	await page.getByLabel(t('gov.dimension'), { exact: true }).selectOption('PARTNER');
	await page.getByLabel(t('gov.action'), { exact: true }).fill('Tavolo di co-programmazione con le associazioni');
	await page.getByLabel(t('gov.owner'), { exact: true }).fill('Dirigente politiche sociali');
	await page.getByLabel(t('gov.due'), { exact: true }).fill('2026-12-31');
	await Promise.all([page.waitForURL(/\/gov\/assessments\/\d+/), page.getByRole('button', { name: t('gov.action_add') }).click()]);
	const aid = sql(`SELECT id FROM gov_actions WHERE assessment_id = ${id}`);
	const row = page.locator(`tr[data-action="${aid}"]`);
	await row.locator('select').selectOption('started');
	await row.locator('input[name="notes"]').fill('Primo incontro convocato');
	await Promise.all([page.waitForURL(/\/gov\/assessments\/\d+/), row.getByRole('button', { name: t('gov.update') }).click()]);
	assert.equal(await page.locator(`tr[data-action="${aid}"] [data-status]`).getAttribute('data-status'), 'started');
	await j.check('action-plan');

	// 9. The benchmark of 2026: the five regions, every number computed
	// here from the consolidated ratings in the database.
	const round = sql(`SELECT id FROM gov_rounds WHERE code = '2026'`);
	await page.goto(`${BASE}/gov/bench?round=${round}`);
	const raw = sql(`SELECT g.code, r.dimension, r.cons_level FROM gov_assessments a JOIN gov_rounds k ON k.id = a.round_id AND k.code = '2026' JOIN orgs o ON o.id = a.org_id JOIN orgs g ON g.kind = 'region' AND o.path LIKE g.path || '%' JOIN gov_ratings r ON r.assessment_id = a.id WHERE a.status = 'consolidated'`)
	    .split('\n').map((l) => l.split('|'));
	const want = {};
	for (const [reg, dim, lv] of raw) {
		want[reg] ??= {};
		(want[reg][dim] ??= []).push(Number(lv));
	}
	const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
	assert.deepEqual(Object.keys(want).sort(), ['basilicata', 'calabria', 'campania', 'puglia', 'sicilia']);
	assert.equal(want.campania.PARTNER.length, 2, 'Campania and its demo agency');
	for (const reg of Object.keys(want))
		for (const d of DIMS)
			assert.equal(await page.locator(`table.gov-bench tr[data-unit="${reg}"] td[data-dim="${d}"]`).getAttribute('data-value'),
			    it1(mean(want[reg][d])), `${reg} ${d}`);
	// By hand, for the record: Campania PARTNER = (2 + 1) / 2 = 1,5.
	assert.equal(it1(mean(want.campania.PARTNER)), '1,5');
	assert.equal(await page.locator('svg[aria-labelledby="benchchart-t"]').count(), 1, 'the chart is drawn');
	assert.match(await page.locator('[data-weak="PARTNER"]').innerText(), /Regione Campania \(1,5\)/);
	await j.check('bench');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t('gov.bench_csv') }).click()]);
	const csv = fs.readFileSync(await download.path(), 'utf8');
	assert.ok(csv.startsWith('\ufeff'), 'a BOM for Italian spreadsheets');
	const lines = csv.slice(1).trim().split('\r\n').map((l) => l.split(';'));
	assert.deepEqual(lines[0], ['ciclo', 'unità', 'dimensione', 'media', 'valutazioni', 'media_ciclo_precedente']);
	const campania = lines.find((l) => l[1] === 'Regione Campania' && l[2] === 'PARTNER');
	assert.deepEqual(campania.slice(0, 5), ['2026', 'Regione Campania', 'PARTNER', '1,5', '2']);
	assert.equal(campania[5], it1(Number(sql(`SELECT r.cons_level FROM gov_ratings r JOIN gov_assessments a ON a.id = r.assessment_id JOIN gov_rounds k ON k.id = a.round_id AND k.code = '2025' JOIN orgs o ON o.id = a.org_id AND o.code = 'campania' WHERE r.dimension = 'PARTNER'`))));
	assert.equal(lines.length - 1, 5 * DIMS.length);
	await j.end();

	// 10. An administrator opens the next round.
	j = await b.journey('gov-admin');
	({ page } = j);
	await j.login(admin.email, admin.password);
	await page.goto(`${BASE}/gov`);
	await page.getByLabel(t('gov.round_code')).fill('2027');
	await page.getByLabel(t('gov.round_name')).fill('Ciclo 2027');
	await Promise.all([page.waitForURL(`${BASE}/gov`), page.getByRole('button', { name: t('gov.round_open') }).click()]);
	assert.equal(sql(`SELECT string_agg(code, ' ' ORDER BY id) FROM gov_rounds WHERE open`), '2027');
	await j.check('rounds');
	await j.end();

	// 11. The next round: the comparison shows the agreed levels and the
	// action plan with its status.
	j = await b.journey('gov-next-round');
	({ page } = j);
	await j.login(assessor.email, assessor.password);
	await page.goto(`${BASE}/gov`);
	await page.getByLabel(t('gov.start_unit')).selectOption('campania');
	await Promise.all([page.waitForURL(/\/gov\/assessments\/\d+$/), page.getByRole('button', { name: t('gov.start') }).click()]);
	assert.notEqual(page.url(), url);
	assert.equal(await page.locator('#dim-PARTNER tr[data-view="prev"] [data-level]').getAttribute('data-level'), '2');
	const tracked = page.locator(`tr[data-action="${aid}"]`);
	assert.match(await tracked.innerText(), /2026/);
	assert.equal(await tracked.locator('[data-status]').getAttribute('data-status'), 'started');
	await j.check('next-round');
	await j.end();
});

test('who may do what: the reviewer cannot rate for the team, others do not see the assessment', async () => {
	const id = sql(`SELECT a.id FROM gov_assessments a JOIN orgs o ON o.id = a.org_id JOIN gov_rounds r ON r.id = a.round_id WHERE o.code = 'campania' AND r.code = '2027'`);
	const c = new Client();
	await c.login(reviewer.email, reviewer.password);
	let r = await c.get(`/gov/assessments/${id}`);
	assert.equal(r.status, 404, 'a draft is not shown to a reviewer');
	const other = await user({ email: `${unique('gov-a')}@example.org`, org: 'puglia', roles: 'assessor' });
	const o = new Client();
	await o.login(other.email, other.password);
	r = await o.get(`/gov/assessments/${id}`);
	assert.equal(r.status, 404, "another region's assessor does not see it");
	const csrf = await o.csrf('/gov');
	r = await o.post(`/gov/assessments/${id}`, { form: { csrf, action: 'submit', 'level-COORD': '4' } });
	assert.equal(r.status, 404);
	const a = new Client();
	await a.login(assessor.email, assessor.password);
	const token = await a.csrf(`/gov/assessments/${id}`);
	r = await a.post(`/gov/assessments/${id}`, { form: { csrf: token, action: 'peer_submit' } });
	assert.equal(r.status, 403, 'the team cannot write the review');
	r = await a.post(`/gov/assessments/${id}`, { form: { csrf: token, action: 'submit', 'level-COORD': '9', 'just-COORD': 'x' } });
	assert.equal(r.status, 400, 'a level outside the scale');
	r = await a.post(`/gov/assessments/${id}`, { form: { csrf: token, action: 'submit', 'level-COORD': '2', 'just-COORD': 'Solo una.' } });
	assert.equal(r.status, 400, 'submitting needs every dimension');
	assert.equal(sql(`SELECT status || ' ' || (SELECT justification FROM gov_ratings WHERE assessment_id = ${id} AND dimension = 'COORD') FROM gov_assessments WHERE id = ${id}`),
	    'draft Solo una.', 'what was typed is kept as a draft');
	r = await a.post(`/gov/assessments/${id}`, { form: { csrf: 'x'.repeat(43), action: 'save' } });
	assert.equal(r.status, 403, 'CSRF');
	// A deadline that is no calendar day is a clear 400, not a database error.
	const t = catalogue('it');
	for (const due of ['2026-02-30', '2026-13-01', '2026-04-31']) {
		r = await a.post('/gov/actions', { form: { csrf: token, assessment: id, dimension: 'COORD', title: 'Azione', owner: 'Ufficio', due, status: 'planned' } });
		assert.equal(r.status, 400, due);
		assert.match(r.body, new RegExp(t('gov.err_due')), due);
	}
});
