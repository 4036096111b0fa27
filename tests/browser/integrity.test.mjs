// Issue 18 in Chromium: a learner takes a shipped course and finds no
// right answer in any quiz page or failed result, no hour credited
// before a module's minimum time, and no "nessuno" after a perfect
// course; a trainer builds a course in the web editor from a module
// written there and a shipped one. Screenshots under tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, org, sql, user, unique } from '../lib/util.mjs';
import { rightAnswers, wrongAnswers } from '../lib/quiz.mjs';
import { browser, catalogue } from './lib.mjs';

const tag = unique('bi').replace(/[^a-z0-9-]/g, '');
const COURSE = 'governance-accesso';
let b, learner, trainer;

before(async () => {
	org('campania', `${tag}-ente`, `Ente integrità ${tag}`);
	learner = await user({ name: 'Rita Integra', email: `rita-${tag}@example.org`, org: `${tag}-ente` });
	trainer = await user({ name: 'Teo Formatore', email: `teo-${tag}@example.org`, org: `${tag}-ente`, roles: 'trainer' });
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Check, tick, type or rank the answers (by place; labels as people
// read them) with real clicks and keys.
async function fill(page, spec) {
	const plan = await page.evaluate((spec) => {
		const norm = (s) => s.replace(/[*_`]/g, '').replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"')
		    .replace(/\u2026/g, '...').replace(/\u2014/g, '---').replace(/\u2013/g, '--').replace(/\s+/g, ' ').trim();
		const sets = [...document.querySelectorAll('fieldset.quiz-question')];
		const out = [];
		spec.forEach((a, i) => {
			if (a === null || a === undefined)
				return;
			const fs = sets[i];
			const labels = [...fs.querySelectorAll('label')];
			const byText = (t) => {
				const l = labels.find((x) => norm(x.textContent) === norm(t));
				if (!l)
					throw new Error(`question ${i + 1}: no "${t}"`);
				return l.htmlFor;
			};
			const text = fs.querySelector('input[type=text]');
			if (fs.querySelector('select'))
				a.forEach((t, r) => out.push({ kind: 'select', id: byText(t), value: String(r + 1) }));
			else if (text)
				out.push({ kind: 'fill', id: text.id, value: a });
			else
				for (const t of [].concat(a))
					out.push({ kind: 'check', id: t === 'true' || t === 'false' ? fs.querySelector(`input[value="${t}"]`).id : byText(t) });
		});
		return out;
	}, spec);
	for (const p of plan) {
		const loc = page.locator(`[id="${p.id}"]`);
		// Bootstrap Italia draws the box on the label, which is clicked.
		if (p.kind === 'check')
			await page.locator(`label[for="${p.id}"]`).click();
		else if (p.kind === 'fill')
			await loc.fill(p.value);
		else
			await loc.selectOption(p.value);
	}
}

// Everything an author wrote that may give an answer away: the comments
// on choices and on right or wrong answers.
function secrets(slug) {
	return sql(`SELECT string_agg(t, E'\\n') FROM (SELECT o.feedback AS t FROM question_options o JOIN questions q ON q.id = o.question_id JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}' AND o.feedback IS NOT NULL UNION SELECT q.feedback_correct FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}' AND q.feedback_correct IS NOT NULL UNION SELECT q.feedback_wrong FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}' AND q.feedback_wrong IS NOT NULL) s`).split('\n').filter((s) => s.length > 0);
}

// Nothing on the page gives an answer: field names and values are the
// attempt's tokens (no question id, no item's right position), no
// author's comment.
async function assertNoAnswer(page, slug, what) {
	const html = await page.content();
	const text = await page.locator('main').innerText();
	for (const s of secrets(slug))
		assert.ok(!text.includes(s), `${what} shows "${s}"`);
	for (const label of ['Risposta giusta', 'Risposte accettate'])
		assert.ok(!text.includes(label), `${what} shows ${label}`);
	const ids = sql(`SELECT string_agg(q.id::text, ',') FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${slug}'`).split(',');
	const form = html.slice(html.indexOf('<form method="post" action="/attempt/'));
	for (const [, n] of form.matchAll(/ (?:name|id|value)="([^"]+)"/g)) {
		if (n === 'csrf' || n === 'true' || n === 'false' || /^\d{1,2}$/.test(n) || n === '')
			continue;
		if (n.length === 43)
			continue;	/* the CSRF token's value */
		// A token: nothing of the question's id or of an option's or
		// item's place in the author's list (the names were q<id> and
		// q<id>_<right position> before).
		assert.match(n, /^t[a-z2-7]{15}(-(\d+|true|false|input))?$/, `${what}: ${n} is not a token`);
		for (const id of ids)
			assert.ok(!new RegExp(`^q${id}(_|$)`).test(n), `${what}: ${n} names question ${id}`);
	}
}

test('a learner: no right answer before passing, no hour before the minimum time, no "nessuno" after a perfect course', async () => {
	const t = catalogue('it');
	const j = await b.journey('integrity-learner');
	const { page } = j;
	await j.login(learner.email, learner.password);
	await page.goto(`${BASE}/courses/${COURSE}`);
	await Promise.all([page.waitForURL(`${BASE}/learn/${COURSE}`), page.getByRole('button', { name: t('course.enrol') }).click()]);
	await j.check('enrolled');
	const mods = sql(`SELECT string_agg(m.slug, ',' ORDER BY cm.position) FROM course_modules cm JOIN modules m ON m.id = cm.module_id JOIN courses c ON c.id = cm.course_id WHERE c.slug = '${COURSE}'`).split(',');

	for (const [n, slug] of mods.entries()) {
		await page.goto(`${BASE}/modules/${slug}`);
		if (n === 0) {
			// "Finished" at once: nothing is recorded, the page says when.
			await j.check('module-opened');
			await page.getByRole('button', { name: t('module.finished') }).click();
			assert.match(await page.locator('h1').innerText(), new RegExp(t('learn.too_early_title')));
			await j.check('read-too-early');
			assert.equal(sql(`SELECT count(*) FROM hours_ledger WHERE user_id = ${learner.id}`), '0', 'no hour credited');
			assert.equal(sql(`SELECT count(*) FROM module_reads WHERE user_id = ${learner.id} AND finished_at IS NOT NULL`), '0');
			await page.goto(`${BASE}/learn`);
			assert.match(await page.locator('main').innerText(), /0 ore su 40 ore/);
			await j.check('no-hours-yet');
			await page.goto(`${BASE}/modules/${slug}`);
		}
		// The module's minimum time, passed (the opening moved back).
		sql(`UPDATE module_reads SET opened_at = now() - interval '2 hours' WHERE user_id = ${learner.id} AND finished_at IS NULL`);
		await Promise.all([page.waitForURL(/#read$/), page.getByRole('button', { name: t('module.finished') }).click()]);
		assert.match(await page.locator('#read').innerText(), new RegExp(t('module.read_done')));
		await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: new RegExp(t('module.take_quiz')) }).first().click()]);
		await assertNoAnswer(page, slug, `the quiz of ${slug}`);
		if (n === 0) {
			await j.check('quiz-form');
			// All wrong: the result says which answers were wrong, and
			// gives none of the right ones (attempts are left).
			await fill(page, wrongAnswers(slug));
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: t('quiz.submit') }).click()]);
			assert.match(await page.locator('main .alert').innerText(), new RegExp(t('quiz.failed_long').replace(/[.:]/g, '.')));
			await assertNoAnswer(page, slug, `the failed result of ${slug}`);
			assert.ok((await page.locator('main .badge.bg-danger').count()) > 5);
			await j.check('quiz-failed');
			await page.goto(`${BASE}/learn/${COURSE}`);
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: new RegExp(t('learn.take_quiz')) }).first().click()]);
			await assertNoAnswer(page, slug, `the second attempt of ${slug}`);
		}
		await fill(page, rightAnswers(slug));
		await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: t('quiz.submit') }).click()]);
		assert.match(await page.locator('main .alert').innerText(), /100%/, `100% in ${slug}`);
		if (n === 0)
			await j.check('quiz-passed');
	}
	// A perfect course: every competence its quizzes assessed has a level.
	await page.goto(`${BASE}/me/competences`);
	const profile = await page.locator('main').innerText();
	assert.doesNotMatch(profile, /nessuno/i);
	for (const code of ['ACC.2', 'GOV.3', 'ACC.4'])
		assert.match(profile, new RegExp(code.replace('.', '\\.')), `${code} in the profile`);
	await j.check('profile-after-perfect-course');
	assert.equal(sql(`SELECT count(*) FROM competence_levels WHERE user_id = ${learner.id} AND rank IS NULL`), '0');
	// The hours: the course's, each module's with the time measured.
	await page.goto(`${BASE}/learn`);
	assert.match(await page.locator('main').innerText(), /3 ore su 40 ore/);
	await j.check('hours');
	assert.equal(sql(`SELECT count(*) FROM hours_ledger WHERE user_id = ${learner.id} AND seconds > 0`), '4');
	await j.logout();
	await j.end();
});

test('a trainer builds a course of a module written in the editor and a shipped one', async () => {
	const t = catalogue('it');
	const j = await b.journey('trainer-course-editor');
	const { page } = j;
	const M = `${tag}-modulo`, C = `${tag}-corso`;
	await j.login(trainer.email, trainer.password);
	await page.goto(`${BASE}/author`);
	await j.check('author');
	// A module in the module editor, its help at hand.
	await Promise.all([page.waitForURL(`${BASE}/author/edit`), page.getByRole('link', { name: t('author.new') }).click()]);
	await page.locator('summary', { hasText: t('ahelp.title') }).click();
	await j.check('module-editor-help');
	await page.locator('#f-source').fill([
		'---', `title: Il riparto delle competenze in breve ${tag}`, `slug: ${M}`, 'lang: it', 'minutes: 15',
		'summary: Chi decide che cosa nel governo delle migrazioni.', 'competences:', '  - GOV.1', '---', '',
		'Lo Stato disciplina l\'ingresso e il soggiorno; le Regioni e i Comuni organizzano molti servizi.', '',
		'## Fonti', '', '- Costituzione, articolo 117.', '',
		'```quiz', '? Chi disciplina il soggiorno dei cittadini di paesi terzi?', 'competenza: GOV.1 base',
		'(x) Lo Stato', '( ) La Regione', '( ) Il Comune', '',
		'? Vero o falso: i servizi sociali sono organizzati dai Comuni.', 'competenza: GOV.1 base', '= vero', '```', '',
	].join('\n'));
	await Promise.all([page.waitForURL(`${BASE}/modules/${M}`), page.getByRole('button', { name: t('author.publish') }).click()]);
	await j.check('module-published');
	// The course editor.
	await page.goto(`${BASE}/author`);
	await Promise.all([page.waitForURL(`${BASE}/author/courses`), page.getByRole('link', { name: t('author.courses') }).click()]);
	await j.check('courses');
	await Promise.all([page.waitForURL(`${BASE}/author/course`), page.getByRole('link', { name: t('cedit.new') }).click()]);
	await page.locator('summary', { hasText: t('cedit.help_title') }).click();
	await j.check('course-editor');
	await page.locator('#f-title').fill(`Il governo delle migrazioni in breve ${tag}`);
	await page.locator('#f-slug').fill(C);
	await page.locator('#f-summary').fill('Un percorso breve su chi decide che cosa.');
	await page.locator(`[id="m-${M}"]`).fill('1');
	await page.locator('[id="m-governance-multilivello"]').fill('2');
	await page.locator('#f-hours').fill('2,5');
	await page.locator('#f-review').selectOption('after-pass');
	// A claim the quizzes cannot certify: said, nothing published.
	await page.locator('#f-competences').fill('GOV.1 intermedio\nACC.2 base');
	await Promise.all([page.waitForURL(`${BASE}/author/course`), page.getByRole('button', { name: t('cedit.check') }).click()]);
	const problems = await page.locator('main .cedit-problems').innerText();
	assert.match(problems, /ACC\.2 base cannot be certified by this course/);
	assert.equal(await page.locator('#f-title').inputValue(), `Il governo delle migrazioni in breve ${tag}`, 'nothing lost');
	await j.check('course-problems');
	assert.equal(sql(`SELECT count(*) FROM courses WHERE slug = '${C}'`), '0');
	await page.locator('#f-competences').fill('GOV.1 intermedio');
	await Promise.all([page.waitForURL(`${BASE}/courses/${C}`), page.getByRole('button', { name: t('author.publish') }).click()]);
	assert.match(await page.locator('main').innerText(), new RegExp(`Il governo delle migrazioni in breve ${tag}`));
	await j.check('course-published');
	assert.equal(sql(`SELECT string_agg(m.slug, ',' ORDER BY cm.position) FROM course_modules cm JOIN modules m ON m.id = cm.module_id JOIN courses c ON c.id = cm.course_id WHERE c.slug = '${C}'`), `${M},governance-multilivello`);
	assert.equal(sql(`SELECT hours || '|' || review FROM courses WHERE slug = '${C}'`), '2.50|after-pass');
	// The programme's module: read, with no action.
	await page.goto(`${BASE}/author/edit?slug=accesso-servizi`);
	assert.equal(await page.locator('main button[name="action"]').count(), 0);
	assert.match(await page.locator('main .alert').innerText(), /modulo del programma/);
	await j.check('programme-module-read-only');
	await j.logout();
	await j.end();
});
