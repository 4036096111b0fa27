// Issue 8: the core flows work in a browser with JavaScript switched
// off: signing in, reading a module and marking it as read, taking a
// quiz, and verifying a badge on the public verifier.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, TMP, cli, contentDir, org, sql, user, signedIn, unique, elapse } from '../lib/util.mjs';
import { browser, catalogue, until } from './lib.mjs';

const tag = unique('bn').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`, R = `${tag}-r`, CR = `${tag}-cr`;
let b, learner, badgeFile;

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: `---\ntitle: Modulo senza script ${tag}\nslug: ${M}\nlang: it\nminutes: 5\nsummary: Un modulo.\n---\nIl permesso di soggiorno si chiede alla Questura.\n\n\`\`\`quiz\n? Chi rilascia il permesso di soggiorno?\ncompetenza: ACC.1 base\n( ) Il Comune\n(x) La Questura\n\n? Ordinate le fasi.\ncompetenza: INT.2 base\n1. Accoglienza\n2. Piano\n\`\`\`\n`,
		[`courses/${C}.md`]: `---\ntitle: Corso senza script ${tag}\nslug: ${C}\nlang: it\nsummary: Corso.\nhours: 1\nmodules:\n  - ${M}\ncompletion: quiz 70%\nattempts: 3\n---\nDescrizione.\n`,
		[`modules/${R}.md`]: `---\ntitle: Modulo da leggere ${tag}\nslug: ${R}\nlang: it\nminutes: 5\nsummary: Un modulo.\n---\nTesto.\n`,
		[`courses/${CR}.md`]: `---\ntitle: Corso con attestato ${tag}\nslug: ${CR}\nlang: it\nsummary: Corso.\nhours: 1\nmodules:\n  - ${R}\nbadge-name: Attestato senza script ${tag}\nbadge-description: Un attestato.\nbadge-criteria: Lettura.\ncompetences:\n  - GOV.1 base\n---\nDescrizione.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('campania', `${tag}-ente`, `Ente senza script ${tag}`);
	learner = await user({ name: 'Nino Noscript', email: `nojs-${tag}@example.org`, org: `${tag}-ente` });
	// A badge to verify, earned over HTTP (the set-up).
	const c = await signedIn(learner);
	let csrf = await c.csrf('/me');
	for (const course of [C, CR])
		assert.equal((await c.post('/learn/enrol', { form: { csrf, course } })).status, 303);
	const version = /name="version" value="(\d+)"/.exec((await c.get(`/modules/${R}`)).body)[1];
	await elapse(c, version);
	csrf = await c.csrf('/me');
	assert.equal((await c.post('/learn/read', { form: { csrf, version } })).status, 303);
	const id = await until('the badge', () => sql(`SELECT id FROM badges WHERE user_id = ${learner.id}`), 20000, 100);
	badgeFile = path.join(TMP, `${tag}.json`);
	fs.writeFileSync(badgeFile, (await c.get(`/badges/${id}.json`)).body);
	b = await browser();
});

after(async () => {
	await b?.close();
});

test('without JavaScript: read a module, take a quiz, verify a badge', async () => {
	const t = catalogue('it');
	const j = await b.journey('nojs', { javaScriptEnabled: false });
	const { page } = j;
	// Scripts really do not run in this browser.
	await page.goto('data:text/html,<title>off</title><script>document.title = "on"</script>');
	assert.equal(await page.title(), 'off');
	await j.login(learner.email, learner.password);
	assert.match(await page.locator('header').innerText(), /Nino Noscript/);
	await j.shot('signed-in');

	// Read the module and mark it as read.
	await page.goto(`${BASE}/modules/${M}`);
	assert.match(await page.locator('.module-body').innerText(), /Questura/);
	// The minimum time of reading, passed (the opening moved back).
	sql(`UPDATE module_reads SET opened_at = now() - interval '1 hour' WHERE user_id = ${learner.id}`);
	await Promise.all([page.waitForURL(/#read$/), page.getByRole('button', { name: t('module.finished') }).click()]);
	assert.match(await page.locator('#read').innerText(), new RegExp(t('module.read_done')));
	await j.shot('read');

	// Take the quiz: a radio button and an ordering with selects.
	await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: new RegExp(t('module.take_quiz')) }).click()]);
	await page.locator('form.quiz label', { hasText: /^La Questura$/ }).click();
	await page.getByLabel('Accoglienza').selectOption('1');
	await page.getByLabel('Piano').selectOption('2');
	await j.shot('quiz');
	const before = page.url();
	await Promise.all([page.waitForURL(before), page.getByRole('button', { name: t('quiz.submit') }).click()]);
	const alert = page.locator('main .alert');
	assert.match(await alert.innerText(), new RegExp(t('quiz.passed_long').replace(/[.:]/g, '.')));
	assert.match(await alert.innerText(), /\(100%\)/);
	await j.shot('quiz-result');

	// Verify the badge by uploading its file.
	await page.goto(`${BASE}/verify`);
	await page.locator('#f-file').setInputFiles(badgeFile);
	await Promise.all([page.waitForURL(`${BASE}/verify`), page.getByRole('button', { name: t('verify.submit'), exact: true }).click()]);
	assert.equal(await page.locator('#verdict').innerText(), t('verify.valid'));
	await j.shot('verified');
	// And by pasting its text.
	await page.goto(`${BASE}/verify`);
	await page.getByLabel(t('verify.paste')).fill(fs.readFileSync(badgeFile, 'utf8'));
	await Promise.all([page.waitForURL(`${BASE}/verify`), page.getByRole('button', { name: t('verify.submit'), exact: true }).click()]);
	assert.equal(await page.locator('#verdict').innerText(), t('verify.valid'));
	await j.shot('verified-pasted');
	await j.end();
});
