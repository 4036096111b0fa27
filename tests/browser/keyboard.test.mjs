// Issue 8: a whole quiz taken with the keyboard alone (Tab, Space,
// Enter, arrow keys and typing; no mouse), with the focus visible at
// every stop. The quiz has every kind of question: single and multiple
// choice, true/false, a number, a short answer and an ordering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, cli, contentDir, org, user, signedIn, unique } from '../lib/util.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('bk').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`;
let b, learner;

// The right answers, by what the learner reads on the page.
const RADIO = new Set(['La Questura', 'Vero']);
const CHECK = new Set(['Anagrafe', 'Servizi sociali']);
const TEXT = [[/giorni/, '8'], [/ufficio/, 'Questura']];
const RANK = { Accoglienza: '1', Piano: '2', Chiusura: '3' };

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: `---
title: Modulo da tastiera ${tag}
slug: ${M}
lang: it
minutes: 10
summary: Un quiz con ogni tipo di domanda.
---
Testo.

\`\`\`quiz
? Chi rilascia il permesso di soggiorno?
competenza: ACC.1 base
( ) Il Comune
(x) La Questura
( ) La Regione

? Quali sono servizi del Comune?
competenza: GOV.1 base
[x] Anagrafe
[x] Servizi sociali
[ ] Permesso di soggiorno

? Le cure urgenti sono garantite a tutti.
competenza: ACC.2 base
= vero

? Entro quanti giorni si chiede il permesso?
competenza: ACC.1 base
= 8 ± 0

? Quale ufficio rilascia il permesso?
competenza: ACC.1 base
= Questura | la Questura

? Ordinate le fasi.
competenza: INT.2 base
1. Accoglienza
2. Piano
3. Chiusura
\`\`\`
`,
		[`courses/${C}.md`]: `---\ntitle: Corso da tastiera ${tag}\nslug: ${C}\nlang: it\nsummary: Corso.\nhours: 1\nmodules:\n  - ${M}\ncompletion: quiz 70%\nattempts: 3\n---\nDescrizione.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('puglia', `${tag}-ente`, `Ente tastiera ${tag}`);
	learner = await user({ name: 'Tea Tastiera', email: `kb-${tag}@example.org`, org: `${tag}-ente` });
	const c = await signedIn(learner);
	const csrf = await c.csrf('/me');
	assert.equal((await c.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
	b = await browser();
});

after(async () => {
	await b?.close();
});

// What has the focus, and whether it shows: an outline or a box-shadow
// on the element, or, for Bootstrap Italia's radio buttons and check
// boxes (drawn on their label), on the label that follows.
async function focused(page) {
	return page.evaluate(async () => {
		const el = document.activeElement;
		const drawn = el.matches('.form-check input') ? el.nextElementSibling : el;
		// Bootstrap Italia's buttons fade their ring in: measure it
		// once the transition has run.
		await Promise.all(drawn.getAnimations().map((a) => a.finished.catch(() => null)));
		const s = getComputedStyle(drawn);
		const opaque = (c) => !/^rgba\(\d+, \d+, \d+, 0\)$|^transparent$/.test(c);
		const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && opaque(s.outlineColor);
		// A box-shadow ring: a colour that is not transparent, with a
		// spread or a blur (rgb(0, 0, 0) 0px 0px 0px 5px).
		const shadow = s.boxShadow !== 'none' && s.boxShadow.split(/,(?![^(]*\))/).some((ring) => {
			const color = /rgba?\([^)]*\)/.exec(ring)?.[0] ?? 'transparent';
			const px = [...ring.replace(color, '').matchAll(/(-?[\d.]+)px/g)].map((m) => parseFloat(m[1]));
			return opaque(color) && (px[2] > 0 || px[3] > 0);
		});
		const label = el.labels && el.labels[0] ? el.labels[0].innerText.trim() : el.innerText?.trim();
		const legend = el.closest('fieldset')?.querySelector('legend')?.innerText ?? '';
		const group = el.type === 'radio' ? [...document.getElementsByName(el.name)].map((r) => r.labels[0].innerText.trim()) : [];
		return {
			tag: el.tagName.toLowerCase(), type: el.type ?? '', name: el.name ?? '', label, legend, group,
			inQuiz: !!el.closest('form.quiz'), visible: outline || shadow,
			what: `${el.tagName.toLowerCase()}#${el.id} "${label}"`,
		};
	});
}

test('a whole quiz with the keyboard alone, focus always visible', async () => {
	const t = catalogue('it');
	const j = await b.journey('keyboard');
	const { page } = j;
	await j.login(learner.email, learner.password);
	await page.goto(`${BASE}/learn/${C}`);
	const invisible = [];

	// Tab to the course's quiz button and press Enter.
	for (let i = 0; ; i++) {
		assert.ok(i < 40, 'the quiz button is reachable with Tab');
		await page.keyboard.press('Tab');
		const f = await focused(page);
		if (!f.visible)
			invisible.push(f.what);
		if (f.tag === 'button' && f.label.startsWith(t('learn.take_quiz')))
			break;
	}
	await Promise.all([page.waitForURL(/\/attempt\//), page.keyboard.press('Enter')]);
	await j.check('quiz');

	// Tab through the whole page, answering on the way.
	const radios = new Set();
	let submitted = false;
	for (let i = 0; i < 80 && !submitted; i++) {
		await page.keyboard.press('Tab');
		const f = await focused(page);
		if (!f.visible)
			invisible.push(f.what);
		if (!f.inQuiz)
			continue;
		if (f.type === 'radio' && !radios.has(f.name)) {
			// Tab enters a group on its first button; the arrow keys
			// move the choice along it.
			radios.add(f.name);
			const want = f.group.findIndex((l) => RADIO.has(l));
			assert.ok(want >= 0, `a right answer among ${f.group}`);
			const at = f.group.indexOf(f.label);
			if (want === at)
				await page.keyboard.press('Space');
			for (let k = at; k < want; k++)
				await page.keyboard.press('ArrowDown');
			const now = await focused(page);
			assert.equal(now.label, f.group[want]);
			assert.ok(now.visible, `focus visible on ${now.what}`);
		} else if (f.type === 'checkbox') {
			if (CHECK.has(f.label))
				await page.keyboard.press('Space');
		} else if (f.tag === 'input' && f.type === 'text') {
			const [, value] = TEXT.find(([re]) => re.test(f.legend));
			await page.keyboard.type(value);
		} else if (f.tag === 'select') {
			await page.keyboard.type(RANK[f.label]);
		} else if (f.tag === 'button' && f.type === 'submit') {
			await j.shot('answered');
			await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
			submitted = true;
		}
	}
	assert.ok(submitted, 'the quiz was submitted with Enter');
	assert.equal(radios.size, 2, 'both groups of radio buttons were answered');
	const alert = page.locator('main .alert');
	assert.match(await alert.innerText(), /6(,0)? \/ 6 \(100%\)/);
	assert.match(await alert.innerText(), new RegExp(t('quiz.passed_long').replace(/[.:]/g, '.')));
	await j.check('result');
	assert.deepEqual(invisible, [], 'every focused element shows its focus');
	await j.end();
});
