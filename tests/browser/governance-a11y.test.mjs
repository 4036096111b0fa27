// Issue 24: the governance pages are accessible like every other page.
// Two journeys each run a whole round on a unit of their own: the
// assessed team's draft and submission, the HR office's assignment of a
// partner reviewer, the review in English, the team's answers, the
// proposed consolidated rating and the agreement, an action of the plan,
// the benchmark and the practice library with its search and filters.
//
//  - with the keyboard alone (Tab, arrow keys, Space, Enter, typing; no
//    mouse), with the focus visible at every stop;
//  - in a browser without JavaScript (clicks and typing only).
//
// Every page is checked with axe-core and html-validate (lib.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, ROOT, cli, org, sql, user, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('ga').replace(/[^a-z0-9-]/g, '');
const DIMS = ['COORD', 'ONESTOP', 'PARTNER', 'ACCESS', 'DATA', 'EVAL', 'STAFF'];
const SELF = [3, 2, 2, 3, 2, 1, 2];
const PEER = [2, 2, 1, 3, 2, 1, 2];
const CONS = [3, 2, 1, 3, 2, 1, 2];
const t = catalogue('it'), e = catalogue('en');
let b;
const people = {};

// One unit with its assessor, its HR office and a reviewer abroad.
async function team(key, region, partner) {
	const unit = org(region, `${tag}-${key}`, `Ente ${key} ${tag}`);
	const mk = (role, o, roles) => user({ name: `${role} ${key} ${tag}`, email: `${role}-${key}-${tag}@example.org`, org: o, roles });
	people[key] = {
		unit,
		assessor: await mk('Valutatrice', unit, 'assessor'),
		hr: await mk('Personale', unit, 'hr'),
		reviewer: await mk('Reviewer', partner, 'reviewer'),
	};
}

before(async () => {
	// The model, the rounds and the partner organisations of the demo.
	assert.equal(cli(['bootstrap', '--demo']).status, 0);
	assert.equal(sql('SELECT count(*) FROM gov_rounds WHERE open'), '1', 'one open round');
	await team('kb', 'calabria', 'partner-es');
	await team('nj', 'sicilia', 'partner-pt');
	b = await browser();
});

after(async () => {
	await b?.close();
});

// The element with the focus, and whether its focus shows (an outline
// or a box-shadow ring; for Bootstrap Italia's radio buttons, drawn on
// the label that follows).
async function focused(page) {
	return page.evaluate(async () => {
		const el = document.activeElement;
		const drawn = el.matches('.form-check input') ? el.nextElementSibling : el;
		const opaque = (c) => !/^rgba\(\d+, \d+, \d+, 0\)$|^transparent$/.test(c);
		const ring = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && opaque(s.outlineColor)) ||
		    (s.boxShadow !== 'none' && s.boxShadow.split(/,(?![^(]*\))/).some((r) => {
			const color = /rgba?\([^)]*\)/.exec(r)?.[0] ?? 'transparent';
			const px = [...r.replace(color, '').matchAll(/(-?[\d.]+)px/g)].map((m) => parseFloat(m[1]));
			return opaque(color) && (px[2] > 0 || px[3] > 0);
		}));
		let s = getComputedStyle(drawn);
		// Bootstrap Italia's buttons fade their ring in: if it does not
		// show yet, measure again once the transition has run.
		if (!ring(s) && drawn.getAnimations().length > 0) {
			await Promise.all(drawn.getAnimations().map((a) => a.finished.catch(() => null)));
			s = getComputedStyle(drawn);
		}
		const label = el.tagName === 'BODY' ? '' : el.labels && el.labels[0] ? el.labels[0].innerText.trim() : (el.innerText ?? '').trim();
		return {
			tag: el.tagName.toLowerCase(), type: el.type ?? '', name: el.name ?? '', id: el.id,
			value: el.value ?? '', checked: !!el.checked, href: el.getAttribute('href') ?? '', label,
			visible: ring(s),
			what: `${el.tagName.toLowerCase()}#${el.id}[name=${el.name ?? ''}] "${label.slice(0, 40)}" (outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}, box-shadow ${s.boxShadow})`,
		};
	});
}

// The keyboard: Tab to an element, choose with the arrow keys, press.
function keyboard(j) {
	const { page } = j;
	const invisible = [];
	const k = {
		invisible,
		async tabTo(want, what, max = 250) {
			for (let i = 0; i < max; i++) {
				await page.keyboard.press('Tab');
				const f = await focused(page);
				// Past the end of the page the focus leaves the document
				// (the browser's own controls) before Tab starts over.
				if (!f.visible && f.tag !== 'body')
					invisible.push(`${page.url().replace(BASE, '')}: ${f.what}`);
				if (want(f))
					return f;
			}
			throw new Error(`${what} cannot be reached with Tab on ${page.url()}`);
		},
		// A radio group: Tab enters it, the arrow keys move the choice.
		async radio(name, value) {
			let f = await k.tabTo((x) => x.type === 'radio' && x.name === name, `the choices ${name}`);
			for (let i = 0; i < 6 && f.value !== String(value); i++) {
				await page.keyboard.press(Number(f.value) < value ? 'ArrowDown' : 'ArrowUp');
				f = await focused(page);
			}
			if (!f.checked)
				await page.keyboard.press('Space');
			f = await focused(page);
			assert.ok(f.checked && f.value === String(value), `${name} = ${value} chosen with the keyboard`);
			assert.ok(f.visible, `focus visible on ${f.what}`);
		},
		// A select: Home, then ArrowDown until the value is the one wanted.
		async select(id, value) {
			await k.tabTo((x) => x.id === id, `#${id}`);
			await page.keyboard.press('Home');
			for (let i = 0; i < 60 && (await focused(page)).value !== String(value); i++)
				await page.keyboard.press('ArrowDown');
			assert.equal((await focused(page)).value, String(value), `#${id} = ${value}`);
		},
		async type(id, text) {
			await k.tabTo((x) => x.id === id, `#${id}`);
			await page.keyboard.type(text);
		},
		// Tab to a button or a link and press Enter: a new page.
		async press(want, what) {
			await k.tabTo(want, what);
			await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		},
		button: (label) => (x) => x.tag === 'button' && x.label.startsWith(label),
		link: (href) => (x) => x.tag === 'a' && x.href === href,
	};
	return k;
}

const status = async (page) => page.locator('main [data-status]').first().getAttribute('data-status');
const it1 = (x) => x.toFixed(1).replace('.', ',');

// The practice cards that the library must find: read from the files.
function cardsMatching(word, country, dimension = null) {
	const dir = path.join(ROOT, 'courses/governance/practices');
	return fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((s) => {
		const body = s.replace(/^sources:\n(  - .*\n)+/m, '');
		return new RegExp(`^country: ${country}$`, 'm').test(s) &&
		    (dimension === null || new RegExp(`^dimensions:.*\\b${dimension}\\b`, 'm').test(s)) &&
		    body.toLowerCase().includes(word);
	}).map((s) => /^slug: (.*)$/m.exec(s)[1]).sort();
}

test('a whole governance round with the keyboard alone, focus always visible', async () => {
	const p = people.kb;
	const invisible = [];

	// 1. The assessor starts from the header's navigation.
	let j = await b.journey('gov-keyboard-assessor');
	let k = keyboard(j);
	await j.login(p.assessor.email, p.assessor.password);
	await k.press(k.link('/gov'), 'the Governance link');
	await j.check('gov');
	await k.select('f-org', p.unit);
	await k.press(k.button(t('gov.start')), 'the start button');
	const url = j.page.url();
	const id = Number(/\/gov\/assessments\/(\d+)$/.exec(url)[1]);
	await j.check('draft');
	// Half the dimensions, then the draft is saved.
	for (const [i, d] of DIMS.slice(0, 3).entries()) {
		await k.radio(`level-${d}`, SELF[i]);
		await k.type(`f-just-${d}`, `Motivazione ${d}.`);
	}
	await k.type('f-evid-PARTNER', 'https://www.regione.calabria.it/');
	await k.press(k.button(t('gov.save_draft')), 'the save button');
	assert.equal(await status(j.page), 'draft');
	assert.equal(sql(`SELECT count(*) FROM gov_ratings WHERE assessment_id = ${id} AND self_level > 0`), '3', 'the draft is saved');
	// The rest, then the submission.
	for (const [i, d] of DIMS.entries()) {
		if (i < 3)
			continue;
		await k.radio(`level-${d}`, SELF[i]);
		await k.type(`f-just-${d}`, `Motivazione ${d}.`);
	}
	await k.press(k.button(t('gov.submit')), 'the submit button');
	assert.equal(await status(j.page), 'submitted');
	await j.check('submitted');
	invisible.push(...k.invisible);
	await j.end();

	// 2. The HR office assigns the reviewer from Spain.
	j = await b.journey('gov-keyboard-hr');
	k = keyboard(j);
	await j.login(p.hr.email, p.hr.password);
	await k.press(k.link('/gov'), 'the Governance link');
	await k.press(k.link(`/gov/assessments/${id}`), 'the assessment in the list');
	await j.check('assign');
	await k.select('f-reviewer', p.reviewer.id);
	await k.press(k.button(t('gov.assign_button')), 'the assign button');
	assert.equal(sql(`SELECT reviewer_id FROM gov_assessments WHERE id = ${id}`), String(p.reviewer.id));
	invisible.push(...k.invisible);
	await j.end();

	// 3. The reviewer, in English, rates every dimension.
	j = await b.journey('gov-keyboard-reviewer');
	k = keyboard(j);
	await j.page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(p.reviewer.email, p.reviewer.password);
	await k.press(k.link('/gov'), 'the Governance link');
	await k.press(k.link(`/gov/assessments/${id}`), 'the assessment in the list');
	await j.check('review');
	for (const [i, d] of DIMS.entries()) {
		await k.radio(`peer-${d}`, PEER[i]);
		await k.type(`f-comment-${d}`, `Review of ${d}.`);
	}
	await k.press(k.button(e('gov.peer_submit')), 'the submit button');
	assert.equal(await status(j.page), 'reviewed');
	invisible.push(...k.invisible);
	await j.end();

	// 4. The team answers.
	j = await b.journey('gov-keyboard-answer');
	k = keyboard(j);
	await j.login(p.assessor.email, p.assessor.password);
	await j.page.goto(url);
	for (const d of DIMS)
		await k.type(`f-answer-${d}`, `Risposta ${d}.`);
	await j.check('answer');
	await k.press(k.button(t('gov.answer_submit')), 'the submit button');
	assert.equal(await status(j.page), 'answered');
	invisible.push(...k.invisible);
	await j.end();

	// 5. The reviewer proposes the consolidated rating.
	j = await b.journey('gov-keyboard-propose');
	k = keyboard(j);
	await j.page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(p.reviewer.email, p.reviewer.password);
	await j.page.goto(url);
	for (const [i, d] of DIMS.entries()) {
		await k.radio(`cons-${d}`, CONS[i]);
		await k.type(`f-note-${d}`, `Agreed ${d}.`);
	}
	await j.check('propose');
	await k.press(k.button(e('gov.propose_submit')), 'the submit button');
	assert.equal(await status(j.page), 'proposed');
	invisible.push(...k.invisible);
	await j.end();

	// 6. The team follows the next step's link to the agreement, which
	// is the next stop of Tab, and agrees; then plans an action.
	j = await b.journey('gov-keyboard-agree');
	k = keyboard(j);
	await j.login(p.assessor.email, p.assessor.password);
	await j.page.goto(url);
	await j.check('proposed');
	await k.tabTo(k.link('#gov-agree-t'), 'the link to the agreement');
	await Promise.all([j.page.waitForURL(/#gov-agree-t$/), j.page.keyboard.press('Enter')]);
	await j.page.keyboard.press('Tab');
	assert.equal((await focused(j.page)).label, t('gov.agree'), 'after the link, Tab reaches the agreement');
	await Promise.all([j.page.waitForNavigation(), j.page.keyboard.press('Enter')]);
	assert.equal(await status(j.page), 'consolidated');
	await j.check('consolidated');
	await k.select('f-adim', 'PARTNER');
	await k.type('f-atitle', 'Tavolo con le associazioni');
	await k.type('f-aowner', 'Dirigente politiche sociali');
	// A date field takes its digits in the order of the browser's locale.
	const order = await j.page.evaluate(() => new Intl.DateTimeFormat().formatToParts(new Date(2026, 11, 31)).map((x) => x.type).filter((x) => x !== 'literal'));
	await k.type('f-adue', order.map((x) => ({ month: '12', day: '31', year: '2026' })[x]).join(''));
	assert.equal(await j.page.locator('#f-adue').inputValue(), '2026-12-31');
	await k.press(k.button(t('gov.action_add')), 'the add button');
	const aid = sql(`SELECT id FROM gov_actions WHERE assessment_id = ${id}`);
	const row = j.page.locator(`tr[data-action="${aid}"]`);
	assert.match(await row.innerText(), /31\/12\/2026/, 'the deadline in Italian form');
	await k.select(`f-status-${aid}`, 'started');
	await k.type(`f-notes-${aid}`, 'Primo incontro');
	await k.press(k.button(t('gov.update')), 'the update button');
	assert.equal(await j.page.locator(`tr[data-action="${aid}"] [data-status]`).getAttribute('data-status'), 'started');
	await j.check('action-plan');

	// 7. The benchmark by unit: this unit's numbers are its levels.
	await k.press(k.link(`/gov/bench?round=${sql(`SELECT round_id FROM gov_assessments WHERE id = ${id}`)}`), 'the benchmark link');
	await k.select('f-by', 'unit');
	await k.press(k.button(t('report.apply')), 'the apply button');
	assert.match(j.page.url(), /by=unit/);
	for (const [i, d] of DIMS.entries())
		assert.equal(await j.page.locator(`table.gov-bench tr[data-unit="${p.unit}"] td[data-dim="${d}"]`).getAttribute('data-value'), it1(CONS[i]), d);
	await j.check('bench');
	const csv = await k.tabTo((x) => x.tag === 'a' && x.href.startsWith('/gov/bench.csv'), 'the CSV link');
	assert.match(csv.href, /by=unit/);
	const [download] = await Promise.all([j.page.waitForEvent('download'), j.page.keyboard.press('Enter')]);
	assert.match(fs.readFileSync(await download.path(), 'utf8'), new RegExp(`Ente kb ${tag};PARTNER;1,0;1;`));

	// 8. The practice library: a search with both filters, then a card.
	await j.page.goto(`${BASE}/gov`);
	await k.press(k.link('/gov/practices'), 'the library link');
	await k.type('f-q', 'caporal');
	await k.select('f-country', 'IT');
	await k.select('f-dimension', 'ACCESS');
	await k.press(k.button(t('report.apply')), 'the apply button');
	const want = cardsMatching('caporal', 'IT', 'ACCESS');
	assert.ok(want.length >= 3, `cards about gangmasters: ${want}`);
	assert.deepEqual((await j.page.locator('.gov-card-item').evaluateAll((li) => li.map((x) => x.dataset.slug))).sort(), want);
	assert.equal(await j.page.locator('[data-count]').getAttribute('data-count'), String(want.length));
	await j.check('practices');
	await k.press(k.link('/gov/practices/it-basilicata-stagionali'), 'a card');
	assert.ok(await j.page.locator('.gov-sources a[href^="https://"]').count() >= 3, 'the card cites its sources');
	await j.check('card');
	invisible.push(...k.invisible);
	await j.end();
	assert.deepEqual(invisible, [], 'every focused element shows its focus');
});

test('a whole governance round without JavaScript', async () => {
	const p = people.nj;
	const click = async (page, locator) => Promise.all([page.waitForNavigation(), locator.click()]);

	// 1. The assessor: a draft, then the submission.
	let j = await b.journey('gov-nojs-assessor', { javaScriptEnabled: false });
	let { page } = j;
	// Scripts really do not run in this browser.
	await page.goto('data:text/html,<title>off</title><script>document.title = "on"</script>');
	assert.equal(await page.title(), 'off');
	await j.login(p.assessor.email, p.assessor.password);
	await page.goto(`${BASE}/gov`);
	await j.check('gov');
	await page.getByLabel(t('gov.start_unit')).selectOption(p.unit);
	await click(page, page.getByRole('button', { name: t('gov.start') }));
	const url = page.url();
	const id = Number(/(\d+)$/.exec(url)[1]);
	await j.check('draft');
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-level-${d}-${SELF[i]}"]`).click();
		await page.locator(`#f-just-${d}`).fill(`Motivazione ${d}.`);
	}
	await click(page, page.getByRole('button', { name: t('gov.save_draft') }));
	assert.equal(await status(page), 'draft');
	assert.equal(await page.locator('#f-just-EVAL').inputValue(), 'Motivazione EVAL.');
	await click(page, page.getByRole('button', { name: t('gov.submit') }));
	assert.equal(await status(page), 'submitted');
	await j.check('submitted');
	await j.end();

	// 2. The HR office assigns the reviewer from Portugal.
	j = await b.journey('gov-nojs-hr', { javaScriptEnabled: false });
	({ page } = j);
	await j.login(p.hr.email, p.hr.password);
	await page.goto(`${BASE}/gov`);
	await click(page, page.locator(`a[href="/gov/assessments/${id}"]`));
	// Nobody is chosen until the office chooses.
	assert.equal(await page.getByLabel(t('gov.reviewer'), { exact: true }).inputValue(), '');
	await page.getByLabel(t('gov.reviewer'), { exact: true }).selectOption(String(p.reviewer.id));
	await click(page, page.getByRole('button', { name: t('gov.assign_button') }));
	assert.match(await page.locator('main').innerText(), new RegExp(`Reviewer nj ${tag}`));
	await j.check('assigned');
	await j.end();

	// 3. The reviewer, in English.
	j = await b.journey('gov-nojs-reviewer', { javaScriptEnabled: false });
	({ page } = j);
	await page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(p.reviewer.email, p.reviewer.password);
	await page.goto(`${BASE}/gov`);
	await j.check('gov');
	await click(page, page.locator(`a[href="/gov/assessments/${id}"]`));
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-peer-${d}-${PEER[i]}"]`).click();
		await page.locator(`#f-comment-${d}`).fill(`Review of ${d}.`);
	}
	await j.check('review');
	await click(page, page.getByRole('button', { name: e('gov.peer_submit') }));
	assert.equal(await status(page), 'reviewed');
	await j.end();

	// 4. The team answers; 5. the reviewer proposes; 6. the team agrees.
	j = await b.journey('gov-nojs-answer', { javaScriptEnabled: false });
	({ page } = j);
	await j.login(p.assessor.email, p.assessor.password);
	await page.goto(url);
	for (const d of DIMS)
		await page.locator(`#f-answer-${d}`).fill(`Risposta ${d}.`);
	await click(page, page.getByRole('button', { name: t('gov.answer_submit') }));
	assert.equal(await status(page), 'answered');
	await j.check('answered');
	await j.end();
	j = await b.journey('gov-nojs-propose', { javaScriptEnabled: false });
	({ page } = j);
	await page.goto(`${BASE}/login`);
	await j.language('en');
	await j.login(p.reviewer.email, p.reviewer.password);
	await page.goto(url);
	for (const [i, d] of DIMS.entries()) {
		await page.locator(`label[for="f-cons-${d}-${CONS[i]}"]`).click();
		await page.locator(`#f-note-${d}`).fill(`Agreed ${d}.`);
	}
	await click(page, page.getByRole('button', { name: e('gov.propose_submit') }));
	assert.equal(await status(page), 'proposed');
	await j.check('proposed');
	await j.end();
	j = await b.journey('gov-nojs-agree', { javaScriptEnabled: false });
	({ page } = j);
	await j.login(p.assessor.email, p.assessor.password);
	await page.goto(url);
	await j.check('to-agree');
	await click(page, page.getByRole('button', { name: t('gov.agree') }));
	assert.equal(await status(page), 'consolidated');
	assert.equal(sql(`SELECT string_agg(cons_level::text, '' ORDER BY dimension) FROM gov_ratings WHERE assessment_id = ${id}`),
	    DIMS.map((d, i) => [d, CONS[i]]).sort().map((x) => x[1]).join(''));

	// The action plan.
	await page.getByLabel(t('gov.dimension'), { exact: true }).selectOption('EVAL');
	await page.locator('#f-atitle').fill('Piano di valutazione');
	await page.locator('#f-aowner').fill('Ufficio programmazione');
	await page.locator('#f-adue').fill('2027-03-31');
	await click(page, page.getByRole('button', { name: t('gov.action_add') }));
	const aid = sql(`SELECT id FROM gov_actions WHERE assessment_id = ${id}`);
	assert.match(await page.locator(`tr[data-action="${aid}"]`).innerText(), /31\/03\/2027/);
	await page.locator(`#f-status-${aid}`).selectOption('done');
	await click(page, page.locator(`tr[data-action="${aid}"] button`));
	assert.equal(await page.locator(`tr[data-action="${aid}"] [data-status]`).getAttribute('data-status'), 'done');
	await j.check('action-plan');

	// The benchmark by unit, then the practice library.
	await page.goto(`${BASE}/gov/bench`);
	await page.getByLabel(t('gov.by')).selectOption('unit');
	await click(page, page.getByRole('button', { name: t('report.apply') }));
	for (const [i, d] of DIMS.entries())
		assert.equal(await page.locator(`table.gov-bench tr[data-unit="${p.unit}"] td[data-dim="${d}"]`).getAttribute('data-value'), it1(CONS[i]), d);
	await j.check('bench');
	await page.goto(`${BASE}/gov/practices`);
	await page.getByLabel(t('gov.practices_search')).fill('rifugiat');
	await page.getByLabel(t('gov.country')).selectOption('GB');
	await click(page, page.getByRole('button', { name: t('report.apply') }));
	const want = cardsMatching('rifugiat', 'GB');
	assert.ok(want.length >= 2, `cards about refugees in the United Kingdom: ${want}`);
	assert.deepEqual((await page.locator('.gov-card-item').evaluateAll((li) => li.map((x) => x.dataset.slug))).sort(), want);
	await j.check('practices');
	// Nothing found: a clear message and the way back.
	await page.getByLabel(t('gov.practices_search')).fill(`nessuna-${tag}`);
	await click(page, page.getByRole('button', { name: t('report.apply') }));
	assert.equal(await page.locator('[data-count]').getAttribute('data-count'), '0');
	assert.match(await page.locator('.gov-none').innerText(), new RegExp(t('gov.no_cards').slice(0, 30)));
	await j.check('practices-none');
	await click(page, page.getByRole('link', { name: t('gov.practices_all') }));
	assert.ok(Number(await page.locator('[data-count]').getAttribute('data-count')) >= 16);
	await click(page, page.locator('a[href="/gov/practices/pt-planos-municipais"]'));
	assert.match(await page.locator('h1').innerText(), /piani municipali/);
	await j.check('card');
	await j.end();
});
