// Issue 23 in Chromium: a new learner takes the placement test of an
// area, sees the levels found with their explanation, gets a plan whose
// items each close a named gap within the year's hours, enrols from it,
// completes the course, and sees the plan and the levels change. Every
// page is checked with axe-core and html-validate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, org, sql, user, unique } from '../lib/util.mjs';
import { quizPairs, questionAnswer, rightAnswers } from '../lib/quiz.mjs';
import { browser } from './lib.mjs';

const tag = unique('bp').replace(/[^a-z0-9-]/g, '');
const C = 'governance-accesso';
let b, u;

before(async () => {
	org('campania', `${tag}-ente`, `Ente ${tag}`);
	u = await user({ name: `Nina Nuova ${tag}`, email: `nina-${tag}@example.org`, org: `${tag}-ente` });
	// Her role profile (the HR office's step, tested elsewhere).
	sql(`INSERT INTO user_job_roles (user_id, role_id) SELECT ${u.id}, id FROM job_roles WHERE code = 'operatore-sportello'`);
	b = await browser();
});

after(async () => {
	await b?.close();
});

// Fill the form of the page as a person would, with the answers given
// per question (quizPairs' form), then send it with the button named.
async function fill(page, answers, button) {
	const pairs = quizPairs(await page.content(), answers);
	for (const [name, value] of pairs) {
		const input = page.locator(`form.quiz [name="${name}"]`);
		const tagName = await input.first().evaluate((e) => e.tagName + ':' + (e.type || ''));
		if (tagName.startsWith('SELECT'))
			await input.selectOption(value);
		else if (/radio|checkbox/.test(tagName)) {
			// Bootstrap Italia draws the box on the label, which is
			// clicked (a forced click on the hidden input could land
			// elsewhere while the page still moved: seen flaky).
			const box = page.locator(`form.quiz input[name="${name}"][value="${value}"]`);
			if (!await box.isChecked())
				await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
			assert.ok(await box.isChecked(), `${name}=${value} checked`);
		}
		else
			await input.fill(value);
	}
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
}

test('placement test, levels explained, a plan, enrolment, a course completed, the plan and levels change', async () => {
	const j = await b.journey('placement');
	const { page } = j;
	await j.login(u.email, u.password);

	// From the profile to the placement test of the area ACC.
	await page.goto(BASE + '/me/competences');
	await Promise.all([page.waitForURL(`${BASE}/me/placement`), page.getByRole('link', { name: 'Fai il test di ingresso per conoscere il tuo livello' }).click()]);
	await j.check('placement-areas');
	await Promise.all([page.waitForURL(/\/me\/placement\/\d+$/), page.locator('tr[data-area="ACC"] button').click()]);
	const id = Number(/(\d+)$/.exec(page.url())[1]);
	await j.check('placement-question');

	// A person who knows the base level: right at base, wrong above.
	let n = 0;
	for (;;) {
		const qid = sql(`SELECT coalesce(question_id, 0) FROM placements WHERE id = ${id}`);
		if (qid === '0')
			break;
		const rank = Number(sql(`SELECT lv.rank FROM questions q JOIN competences c ON c.code = q.competence JOIN levels lv ON lv.framework_id = c.framework_id AND lv.name = q.level WHERE q.id = ${qid}`));
		assert.equal(await page.locator('[data-stat="number"]').innerText(), String(n + 1));
		await fill(page, [questionAnswer(qid, rank <= 1)], 'Rispondi e vai avanti');
		assert.ok(++n < 60, 'the test ends');
	}
	// The results: a level per competence, base where the pool has every level.
	assert.match(page.url(), new RegExp(`/me/placement/${id}$`));
	assert.equal(await page.locator('h1').innerText(), 'I tuoi livelli: Accesso ai servizi per cittadini di paesi terzi');
	assert.equal(await page.locator('tr[data-competence="ACC.1"] [data-stat="found"]').innerText(), 'base');
	assert.equal(await page.locator('tr[data-competence="ACC.1"] [data-stat="now"]').innerText(), 'base');
	await j.check('placement-results');

	// The explanation of a level names the placement test.
	await Promise.all([page.waitForURL(`${BASE}/me/competences/ACC.1`), page.locator('tr[data-competence="ACC.1"] a').click()]);
	assert.equal(await page.locator('[data-stat="level"]').innerText(), 'base');
	assert.match(await page.locator('table.explain-levels').innerText(), /soddisfatto \(dal test di ingresso\)/);
	assert.ok(await page.locator('table.explain-placement tbody tr').count() >= 2);
	await j.check('explain');

	// The plan: each item closes a named gap and fits in the year.
	await page.goto(BASE + '/me/plan');
	await j.check('plan');
	const rows = page.locator('table.plan-items tbody tr');
	assert.ok(await rows.count() >= 1);
	for (const row of await rows.all()) {
		assert.equal(await row.getAttribute('data-fits'), 'yes');
		assert.ok(await row.locator('li[data-gap]').count() >= 1, 'each item closes a named gap');
	}
	const item = page.locator(`tr[data-course="${C}"]`);
	assert.equal(await item.locator('li[data-gap="ACC.1"]').count(), 1);
	assert.match(await item.locator('li[data-gap="ACC.1"]').innerText(), /serve intermedio \(ora base\)/);

	// Enrol from the plan, and complete the course: read each module,
	// pass its quiz.
	await Promise.all([page.waitForURL(`${BASE}/learn/${C}`), item.getByRole('button', { name: 'Iscriviti' }).click()]);
	await j.check('enrolled');
	const modules = sql(`SELECT string_agg(m.slug, ',' ORDER BY cm.position) FROM course_modules cm JOIN modules m ON m.id = cm.module_id JOIN courses c ON c.id = cm.course_id WHERE c.slug = '${C}'`).split(',');
	for (const slug of modules) {
		await page.goto(`${BASE}/modules/${slug}`);
		sql(`UPDATE module_reads SET opened_at = now() - interval '2 hours' WHERE user_id = ${u.id}`);
		await Promise.all([page.waitForURL(/#read$/), page.getByRole('button', { name: 'Ho finito di leggere' }).click()]);
		await Promise.all([page.waitForURL(/\/attempt\//), page.getByRole('button', { name: /Fai il quiz/ }).first().click()]);
		await fill(page, rightAnswers(slug), 'Consegna');
		assert.match(await page.locator('main .alert').first().innerText(), /superato/i);
	}
	assert.equal(sql(`SELECT completed_at IS NOT NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${u.id} AND c.slug = '${C}'`), 't');

	// The levels follow the course's answers (a background job), and
	// the plan drops the gap it closed.
	for (let i = 0; i < 100 && sql(`SELECT coalesce(level, '') FROM competence_levels WHERE user_id = ${u.id} AND competence = 'ACC.1'`) !== 'intermedio'; i++)
		await new Promise((r) => setTimeout(r, 100));
	await page.goto(BASE + '/me/competences/ACC.1');
	assert.equal(await page.locator('[data-stat="level"]').innerText(), 'intermedio');
	await j.check('explain-after');
	await page.goto(BASE + '/me/plan');
	assert.equal(await page.locator(`tr[data-course="${C}"]`).count(), 0);
	assert.equal(await page.locator('li[data-gap="ACC.1"]').count(), 0);
	await j.check('plan-after');
	await j.end();
});
