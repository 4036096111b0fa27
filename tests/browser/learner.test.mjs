// Issue 8: the learner's journey in a real browser, in Italian and in
// English: sign in, enrol, read a module, fail the quiz, retry, pass,
// see the course completed, get the badge from the background job,
// download it and verify the file on /verify. Every page is checked
// with axe-core and html-validate.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE, cli, contentDir, org, sql, user, unique } from '../lib/util.mjs';
import { browser, catalogue, until } from './lib.mjs';

const tag = unique('bl').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-modulo`, C = `${tag}-corso`;
const BADGE = `Attestato percorso ${tag}`;
let b;
const users = {};

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: `---
title: Modulo del percorso ${tag}
slug: ${M}
lang: it
minutes: 10
summary: Il modulo che il corsista legge nel browser.
---
Il permesso di soggiorno si chiede alla **Questura**.

Le cure urgenti sono garantite a tutte le persone presenti sul territorio.

\`\`\`quiz
? Chi rilascia il permesso di soggiorno?
competenza: ACC.1 base
( ) Il Comune
(x) La Questura
( ) La Regione

? Le cure urgenti sono garantite a tutti.
competenza: ACC.2 base
= vero
\`\`\`
`,
		[`courses/${C}.md`]: `---
title: Corso del percorso ${tag}
slug: ${C}
lang: it
summary: Un corso di un modulo, con quiz e attestato.
hours: 1
modules:
  - ${M}
completion: quiz 70%
attempts: 3
badge-name: ${BADGE}
badge-description: Attestato del percorso di prova.
badge-criteria: Lettura del modulo e quiz superato.
competences:
  - ACC.1 base
---
Descrizione del corso.
`,
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr);
	org('campania', `${tag}-ente`, `Ente percorso ${tag}`);
	// Every account up front: the tests' HTTP client keeps connections
	// alive, and the server answers an idle one with 408 after 10 s.
	for (const lang of ['it', 'en'])
		users[lang] = await user({ name: `Lucia Corsista ${lang.toUpperCase()}`, email: `learner-${lang}-${tag}@example.org`, org: `${tag}-ente` });
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Answer the two questions, right or wrong, by clicking the options'
// labels (Bootstrap Italia draws the radio buttons on the labels).
async function answer(page, t, right) {
	for (const text of [right ? 'La Questura' : 'Il Comune', t(right ? 'quiz.true' : 'quiz.false')]) {
		const label = page.locator('form.quiz label').filter({ hasText: new RegExp(`^${text}$`) });
		await label.click();
		assert.equal(await page.locator(`#${await label.getAttribute('for')}`).isChecked(), true);
	}
}

// Both languages, each journey in its own browser context.
describe(`the learner in Italian and in English`, () => {
	for (const lang of ['it', 'en']) {
		test(`learner journey (${lang}): read, fail, retry, pass, badge, download, verify`, async () => {
			const t = catalogue(lang);
			const j = await b.journey(`learner-${lang}`);
			const { page } = j;
			const u = users[lang];

			// Sign in, in the journey's language.
			await page.goto(BASE + '/login');
			await j.language(lang);
			assert.equal(await page.locator('h1').innerText(), t('login.title'));
			await j.check('login');
			await j.login(u.email, u.password);
			assert.match(await page.locator('header').innerText(), /Lucia Corsista/);
			await j.check('catalogue');

			// Enrol from the course page.
			await page.locator(`a[href="/courses/${C}"]`).first().click();
			await page.waitForURL(`${BASE}/courses/${C}`);
			await j.check('course');
			await Promise.all([page.waitForURL(`${BASE}/learn/${C}`), page.getByRole('button', { name: t('course.enrol') }).click()]);
			await j.check('learn-course');
			await j.nav('/learn');
			assert.match(await page.locator('main').innerText(), new RegExp(`Corso del percorso ${tag}`));
			await j.check('learn');

			// Read the module and mark it as read.
			await page.locator(`main a[href="/modules/${M}"]`).first().click();
			await page.waitForURL(`${BASE}/modules/${M}`);
			assert.equal(await page.locator('article.module').getAttribute('lang'), 'it');
			await j.check('module');
			// The minimum time of reading, passed (the opening moved back).
			sql(`UPDATE module_reads SET opened_at = now() - interval '1 hour' WHERE user_id = ${u.id}`);
			await Promise.all([page.waitForURL(/#read$/), page.getByRole('button', { name: t('module.finished') }).click()]);
			assert.match(await page.locator('#read').innerText(), new RegExp(t('module.read_done')));
			await j.check('module-read');

			// Fail the quiz.
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: new RegExp(t('module.take_quiz')) }).click()]);
			await j.check('quiz-1');
			await answer(page, t, false);
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: t('quiz.submit') }).click()]);
			assert.match(await page.locator('main .alert').innerText(), new RegExp(t('quiz.failed_long').replace(/[.:]/g, '.')));
			assert.match(await page.locator('main .alert').innerText(), /0 \/ \d+ \(0%\)/);
			await j.check('quiz-1-failed');

			// Retry from the course page, and pass.
			await Promise.all([page.waitForURL(`${BASE}/learn/${C}`), page.getByRole('link', { name: t('quiz.back') }).click()]);
			await j.check('learn-course-retry');
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: new RegExp(t('learn.take_quiz')) }).click()]);
			assert.match(await page.locator('main').innerText(), new RegExp(`${t('quiz.attempt')} 2`));
			await j.check('quiz-2');
			await answer(page, t, true);
			await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: t('quiz.submit') }).click()]);
			assert.match(await page.locator('main .alert').innerText(), new RegExp(t('quiz.passed_long').replace(/[.:]/g, '.')));
			await j.check('quiz-2-passed');

			// The course is completed.
			await Promise.all([page.waitForURL(`${BASE}/learn/${C}`), page.getByRole('link', { name: t('quiz.back') }).click()]);
			assert.equal((await page.locator('main p .badge').first().innerText()).trim(), t('learn.completed'));
			await j.check('course-completed');

			// The badge comes from the background job: reload /badges until
			// it is there.
			await j.nav('/badges');
			await until('the badge on /badges', async () => {
				if (await page.getByRole('link', { name: BADGE, exact: true }).count())
					return true;
				await page.reload();
				return false;
			}, 20000, 300);
			await j.check('badges');
			await Promise.all([page.waitForURL(/\/badges\/[0-9a-f-]{36}$/), page.getByRole('link', { name: BADGE, exact: true }).click()]);
			assert.match(await page.locator('.certificate').innerText(), /Lucia Corsista/);
			await j.check('certificate');

			// Download the PDF certificate, then the credential.
			const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('main a.btn[download][href$=".pdf"]').click()]);
			assert.match(pdf.suggestedFilename(), /^attestato-[0-9a-f-]{36}\.pdf$/);
			assert.equal(fs.readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-');
			const [download] = await Promise.all([page.waitForEvent('download'), page.locator('main a.btn[download][href$=".json"]').click()]);
			assert.match(download.suggestedFilename(), /\.json$/);
			const file = await download.path();
			const credential = JSON.parse(fs.readFileSync(file, 'utf8'));
			assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
			assert.equal(credential.credentialSubject.achievement.name, BADGE);
			assert.equal(credential.proof[0].cryptosuite, 'eddsa-jcs-2022');

			// Verify the downloaded file on the public verifier.
			await j.nav('/verify');
			await j.check('verify');
			await page.locator('#f-file').setInputFiles(file);
			await Promise.all([page.waitForURL(`${BASE}/verify`), page.getByRole('button', { name: t('verify.submit'), exact: true }).click()]);
			const verdict = page.locator('main [role="status"]');
			assert.equal(await verdict.locator('h2').innerText(), t('verify.valid'));
			assert.match(await verdict.getAttribute('class'), /alert-success/);
			assert.match(await verdict.innerText(), new RegExp(BADGE));
			await j.check('verify-valid');

			await j.logout();
			await j.end();
		});
	}
});
