// Issue 23: the placement test (adaptive per competence, answers as
// evidence of source placement, the level rule with placement verdicts
// superseded by later course answers, no question of the last test
// asked again), the personal plan from role profiles and levels, HR's
// pins and removals (audited) and the plans CSV in both forms.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, org, sql, user, signedIn, unique } from '../lib/util.mjs';
import { answer, questionAnswer } from '../lib/quiz.mjs';

const tag = unique('pl').replace(/[^a-z0-9-]/g, '');
const A = `${tag}-ente`, B = `${tag}-altro`;
let learner, lc, hr, hr2;

// Level ranks of the questions (1 base, 2 intermedio, 3 avanzato).
function rankOf(qid) {
	return Number(sql(`SELECT lv.rank FROM questions q JOIN competences c ON c.code = q.competence JOIN levels lv ON lv.framework_id = c.framework_id AND lv.name = q.level WHERE q.id = ${qid}`));
}

// Take a whole test as a person of level `level` who never slips:
// right up to that level, wrong above. Returns the questions asked.
async function takeTest(c, id, level) {
	const asked = [];
	for (let i = 0; i < 200; i++) {
		const qid = sql(`SELECT coalesce(question_id, 0) FROM placements WHERE id = ${id}`);
		if (qid === '0')
			return asked;
		asked.push(Number(qid));
		const step = sql(`SELECT count(*) FROM placement_answers WHERE placement_id = ${id}`);
		const r = await answer(c, `/me/placement/${id}`, [questionAnswer(qid, rankOf(qid) <= level)], [['step', step]]);
		assert.equal(r.status, 303, `question ${qid} (${sql(`SELECT type FROM questions WHERE id = ${qid}`)}): ${(/class="alert[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(r.body) || [, r.body.slice(0, 300)])[1]}`);
	}
	throw new Error('the test did not end');
}

async function start(c, area) {
	const csrf = await c.csrf('/me/placement');
	const r = await c.post('/me/placement', { form: { csrf, area } });
	assert.equal(r.status, 303, r.body.slice(0, 300));
	return Number(/\/me\/placement\/(\d+)$/.exec(r.headers.get('location'))[1]);
}

before(async () => {
	org('puglia', A, `Ente ${tag}`);
	org('calabria', B, `Altro ${tag}`);
	learner = await user({ name: `Lucia ${tag}`, email: `lucia-${tag}@example.org`, org: A });
	lc = await signedIn(learner);
	hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: A, roles: 'hr' }));
	hr2 = await signedIn(await user({ email: `hr2-${tag}@example.org`, org: B, roles: 'hr' }));
	const csrf = await hr.csrf(`/hr/people/${learner.id}`);
	const r = await hr.post('/hr/roles/assign', { form: { csrf, person: learner.id, role: 'operatore-sportello', action: 'add' } });
	assert.equal(r.status, 303);
});

test('the areas list the pools; a bad area is answered', async () => {
	const page = await lc.get('/me/placement');
	assert.equal(page.status, 200);
	assert.match(page.body, /data-area="ACC"/);
	assert.match(page.body, /Inizia il test/);
	const csrf = await lc.csrf('/me/placement');
	assert.equal((await lc.post('/me/placement', { form: { csrf, area: 'NOPE' } })).status, 404);
	assert.equal((await lc.post('/me/placement', { form: { csrf: 'x'.repeat(43), area: 'ACC' } })).status, 403);
});

test('an adaptive test of ACC finds the level of a person who knows the intermediate level', async () => {
	const id = await start(lc, 'ACC');
	// Starting again resumes the same test.
	assert.equal(await start(lc, 'ACC'), id);
	// The first question is at the middle level.
	const first = sql(`SELECT question_id FROM placements WHERE id = ${id}`);
	assert.equal(rankOf(first), 2);
	const page = await lc.get(`/me/placement/${id}`);
	assert.match(page.body, /class="quiz-question"/);
	assert.doesNotMatch(page.body, new RegExp(`q${first}\\b`), 'no question id in the page');
	// A stale step records nothing and shows the current question again.
	const before = sql(`SELECT count(*) FROM placement_answers WHERE placement_id = ${id}`);
	const stale = await answer(lc, `/me/placement/${id}`, [questionAnswer(first, true)], [['step', '7']]);
	assert.equal(stale.status, 303);
	assert.equal(sql(`SELECT count(*) FROM placement_answers WHERE placement_id = ${id}`), before);
	// A field of no question rejects the answer with a message.
	const bad = await answer(lc, `/me/placement/${id}`, [], [['step', '0'], ['tAAAAAAAAAAAAAAA', 'x']]);
	assert.equal(bad.status, 400);

	const asked = await takeTest(lc, id, 2);
	assert.ok(asked.length >= 2 * 3, `asked ${asked.length}`);
	// Each competence stopped within the cap.
	const per = sql(`SELECT max(n) FROM (SELECT count(*) AS n FROM placement_answers WHERE placement_id = ${id} GROUP BY competence) x`);
	assert.ok(Number(per) <= 9);
	// Every answer is evidence of source placement.
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE placement_id = ${id} AND source = 'placement'`), String(asked.length));
	assert.equal(sql(`SELECT count(*) FROM latest_answers WHERE user_id = ${learner.id}`), '0', 'not course answers');
	// The level found where the pool has questions at every level.
	const full = sql(`SELECT string_agg(r.competence || '=' || r.rank, ',' ORDER BY r.competence) FROM placement_results r WHERE r.placement_id = ${id} AND (SELECT count(DISTINCT q.level) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE q.competence = r.competence AND NOT EXISTS (SELECT 1 FROM courses co WHERE co.assessment_module_id = m.id)) = 3`);
	for (const cell of full.split(',').filter(Boolean))
		assert.match(cell, /=2$/, full);
	assert.ok(full.length > 0, 'some ACC competence has a full pool');
	// The rule counts it: intermedio, on the placement's basis.
	const code = full.split(',')[0].split('=')[0];
	assert.equal(sql(`SELECT level || ' ' || basis FROM competence_levels WHERE user_id = ${learner.id} AND competence = '${code}'`), 'intermedio placement');

	const res = await lc.get(`/me/placement/${id}`);
	assert.equal(res.status, 200);
	assert.match(res.body, new RegExp(`data-competence="${code.replace('.', '\\.')}"`));
	assert.match(res.body, /data-stat="found">intermedio</);
	// The explanation shows the placement's verdicts and its answers.
	const ex = await lc.get(`/me/competences/${code}`);
	assert.match(ex.body, /soddisfatto \(dal test di ingresso\)/);
	assert.match(ex.body, /test di ingresso, finché/);
	assert.match(ex.body, /class="table table-sm explain-placement"[\s\S]*Test di ingresso/);
});

test('later course answers supersede the placement level by level', async () => {
	const code = sql(`SELECT competence FROM competence_levels WHERE user_id = ${learner.id} AND basis = 'placement' AND level = 'intermedio' ORDER BY competence LIMIT 1`);
	// Two wrong answers at intermedio to quiz questions, after the test.
	const qs = sql(`SELECT q.id FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE q.competence = '${code}' AND q.level = 'intermedio' ORDER BY q.id LIMIT 2`).split('\n');
	assert.equal(qs.length, 2);
	for (const q of qs)
		sql(`INSERT INTO evidence (user_id, competence, level, source, question_id, correct) VALUES (${learner.id}, '${code}', 'intermedio', 'answer', ${q}, false)`);
	sql(`SELECT competence_recompute(${learner.id})`);
	// Base still stands on the placement; intermedio is now not met.
	assert.equal(sql(`SELECT level || ' ' || basis FROM competence_levels WHERE user_id = ${learner.id} AND competence = '${code}'`), 'base placement');
	assert.equal(sql(`SELECT string_agg(rank || ':' || met || ':' || source, ',' ORDER BY rank) FROM competence_rule(ARRAY[${learner.id}::bigint], ARRAY['${code}'])`), '1:true:placement,2:false:answers,3:false:placement');
	// Right answers later still: the level comes back, by the answers.
	for (const q of qs)
		sql(`INSERT INTO evidence (user_id, competence, level, source, question_id, correct) VALUES (${learner.id}, '${code}', 'intermedio', 'answer', ${q}, true)`);
	sql(`SELECT competence_recompute(${learner.id})`);
	assert.equal(sql(`SELECT level FROM competence_levels WHERE user_id = ${learner.id} AND competence = '${code}'`), 'intermedio');
});

test('the final check asks none of the first test\'s questions and reports the pair', async () => {
	const id = await start(lc, 'ACC');
	assert.equal(sql(`SELECT phase FROM placements WHERE id = ${id}`), 'final');
	const asked = await takeTest(lc, id, 3);
	const first = sql(`SELECT string_agg(pa.question_id::text, ',') FROM placement_answers pa JOIN placements p ON p.id = pa.placement_id WHERE p.user_id = ${learner.id} AND p.phase = 'first'`).split(',').map(Number);
	assert.deepEqual(asked.filter((q) => first.includes(q)), []);
	const page = await lc.get(`/me/placement/${id}`);
	assert.match(page.body, /Verifica finale/);
	assert.match(page.body, /data-stat="first">intermedio</);
});

// The pairs of one person: the first test's and the latest final
// check's rank and level name per competence, from the tables.
function pairsOf(uid) {
	const rows = sql(`WITH t AS (SELECT p.phase, p.started_at, p.id, r.competence, r.rank FROM placements p JOIN placement_results r ON r.placement_id = p.id WHERE p.user_id = ${uid} AND p.finished_at IS NOT NULL), f AS (SELECT DISTINCT ON (competence) * FROM t ORDER BY competence, started_at, id), l AS (SELECT DISTINCT ON (competence) * FROM t WHERE phase = 'final' ORDER BY competence, started_at DESC, id DESC) SELECT f.competence || '|' || f.rank || '|' || coalesce(l.rank, -1) FROM f LEFT JOIN l USING (competence) ORDER BY 1`);
	return rows.split('\n').filter(Boolean).map((r) => { const [code, first, final] = r.split('|'); return { code, first: Number(first), final: Number(final) }; });
}
const levelName = (code, rank) => rank === 0 ? 'nessuno' : sql(`SELECT lv.name FROM competences c JOIN levels lv ON lv.framework_id = c.framework_id AND lv.rank = ${rank} WHERE c.code = '${code}'`);

test('the profile and HR\'s view put the first test beside the final check', async () => {
	const pairs = pairsOf(learner.id);
	assert.ok(pairs.length >= 2, 'the ACC test placed several competences');
	assert.ok(pairs.every((p) => p.final >= 0), 'each has a final check');
	for (const [c, path] of [[lc, '/me/competences'], [hr, `/hr/people/${learner.id}`]]) {
		const page = await c.get(path);
		assert.equal(page.status, 200);
		assert.match(page.body, /Test di ingresso e verifica finale/);
		for (const p of pairs) {
			const d = p.final - p.first;
			const change = d === 0 ? '0' : d > 0 ? `\\+${d}` : `${d}`;
			assert.match(page.body, new RegExp(`<tr data-pair="${p.code.replace('.', '\\.')}">[^\\n]*data-stat="first">${levelName(p.code, p.first)}<[^\\n]*data-stat="final">${levelName(p.code, p.final)}<[^\\n]*data-stat="change">${change}<`), `${path} ${p.code}`);
		}
	}
	// The placement links stay on the learner's own page only.
	assert.match((await lc.get('/me/competences')).body, /href="\/me\/placement"/);
	// Someone who took no test has no such section.
	const page = await hr.get(`/hr/people/${(await user({ email: `np-${tag}@example.org`, org: A })).id}`);
	assert.equal(page.status, 200);
	assert.doesNotMatch(page.body, /data-pair=/);
});

test('the impact report pairs first tests and final checks in the subtree, small groups hidden', async () => {
	const mine = pairsOf(learner.id);
	const p0 = mine[0];
	let page = await hr.get('/hr/impact');
	assert.equal(page.status, 200);
	assert.match(page.body, /Test di ingresso: primo test e verifica finale/);
	// One person: under five, not shown.
	assert.match(page.body, new RegExp(`<tr data-pair="${p0.code.replace('.', '\\.')}" data-suppressed="yes">`));
	// Four more in the unit, each from the first level up to the second.
	for (let i = 0; i < 4; i++) {
		const u = await user({ email: `pair${i}-${tag}@example.org`, org: A });
		for (const [phase, rank, days] of [['first', 1, 60], ['final', 2, 1]])
			sql(`WITH p AS (INSERT INTO placements (user_id, area, phase, started_at, finished_at) VALUES (${u.id}, 'ACC', '${phase}', now() - interval '${days} days', now() - interval '${days} days') RETURNING id) INSERT INTO placement_results (placement_id, competence, rank, confidence, questions) SELECT id, '${p0.code}', ${rank}, 0.9, 3 FROM p`);
	}
	// A first test with no final check counts in no pair.
	const lone = await user({ email: `lone-${tag}@example.org`, org: A });
	sql(`WITH p AS (INSERT INTO placements (user_id, area, phase, finished_at) VALUES (${lone.id}, 'ACC', 'first', now()) RETURNING id) INSERT INTO placement_results (placement_id, competence, rank, confidence, questions) SELECT id, '${p0.code}', 3, 0.9, 3 FROM p`);
	page = await hr.get('/hr/impact');
	const row = new RegExp(`<tr data-pair="${p0.code.replace('.', '\\.')}">([^\\n]*)</tr>`).exec(page.body);
	assert.ok(row, page.body.slice(page.body.indexOf('impact-placement'), page.body.indexOf('impact-placement') + 3000));
	const it = (v) => v.toFixed(1).replace('.', ',');
	const first = (4 * 1 + p0.first) / 5, final = (4 * 2 + p0.final) / 5;
	const up = 4 + (p0.final > p0.first ? 1 : 0), same = p0.final === p0.first ? 1 : 0, down = p0.final < p0.first ? 1 : 0;
	assert.match(row[1], new RegExp(`data-stat="n">5<.*data-stat="first">${it(first)}<.*data-stat="final">${it(final)}<.*data-stat="up">${up}<.*data-stat="same">${same}<.*data-stat="down">${down}<`));
	// The unit filter keeps them; another subtree's HR sees none of them.
	page = await hr.get(`/hr/impact?org=${A}`);
	assert.match(page.body, /data-stat="n">5</);
	page = await hr2.get('/hr/impact');
	assert.doesNotMatch(page.body, new RegExp(`<tr data-pair="${p0.code.replace('.', '\\.')}">[^\\n]*data-stat="n">[5-9]<`));
});

test('the plan names the gaps each course closes, within the year; the learner enrols from it', async () => {
	const page = await lc.get('/me/plan');
	assert.equal(page.status, 200);
	const rows = [...page.body.matchAll(/<tr data-course="([a-z0-9-]+)" data-fits="(yes|no)">([\s\S]*?)<\/tr>/g)];
	assert.ok(rows.length >= 1, page.body.slice(0, 2000));
	for (const [, , fits, body] of rows) {
		assert.match(body, /data-gap="[A-Z]+\.\d"/, 'each item closes a named gap');
		assert.equal(fits, 'yes');
	}
	// The gaps come from the role profile (operatore-sportello).
	assert.match(page.body, /data-gap="ACC\.3"|data-gap="MED\.2"|data-gap="DAT\.2"/);
	const slug = rows[0][1];
	const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)[1];
	const r = await lc.post('/learn/enrol', { form: { csrf, course: slug } });
	assert.equal(r.status, 303);
	const after = await lc.get('/me/plan');
	assert.match(after.body, new RegExp(`data-course="${slug}"[^>]*>[\\s\\S]*?data-stat="status">iscritto`));
});

test('HR pins and removes with a reason, audited; other subtrees and learners cannot', async () => {
	const page = await hr.get(`/hr/people/${learner.id}/plan`);
	assert.equal(page.status, 200);
	const slug = /<tr data-course="([a-z0-9-]+)"/.exec(page.body)[1];
	const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)[1];
	// No reason: 400, nothing stored.
	let r = await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: slug, action: 'remove' } });
	assert.equal(r.status, 400);
	assert.equal(sql(`SELECT count(*) FROM plan_changes WHERE user_id = ${learner.id}`), '0');
	r = await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: slug, action: 'remove', reason: 'Già svolto in presenza' } });
	assert.equal(r.status, 303);
	assert.match(sql(`SELECT details FROM audit_log WHERE event = 'plan.change' ORDER BY id DESC LIMIT 1`), /remove .*Già svolto in presenza/);
	const mine = await lc.get('/me/plan');
	assert.match(mine.body, new RegExp(`data-course="${slug}"[^>]*>[\\s\\S]*?tolto dal piano[\\s\\S]*?Già svolto in presenza`));
	r = await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: slug, action: 'clear', reason: 'Ripensamento' } });
	assert.equal(r.status, 303);
	r = await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: slug, action: 'pin', reason: 'Priorità dell\'ufficio' } });
	assert.equal(r.status, 303);
	const pinned = await hr.get(`/hr/people/${learner.id}/plan`);
	assert.match(pinned.body, new RegExp(`<tr data-course="${slug}"[^>]*><td>1</td>`));
	assert.match(pinned.body, /Messo in cima/);
	// Bad action, unknown course.
	assert.equal((await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: slug, action: 'burn', reason: 'x' } })).status, 400);
	assert.equal((await hr.post(`/hr/people/${learner.id}/plan`, { form: { csrf, course: 'no-such-course', action: 'pin', reason: 'x' } })).status, 404);
	// Another subtree's HR, and the learner, do not see it.
	assert.equal((await hr2.get(`/hr/people/${learner.id}/plan`)).status, 404);
	assert.equal((await hr2.get(`/hr/plans.csv?user=${learner.id}`)).status, 404);
	assert.equal((await lc.get(`/hr/people/${learner.id}/plan`)).status, 403);
});

test('the plans CSV: Italian form by default, international on request', async () => {
	// The bytes, since a text decoder drops the BOM.
	const bytes = new Uint8Array(await (await fetch(`${BASE}/hr/plans.csv?user=${learner.id}`, { headers: { cookie: hr.cookieHeader() } })).arrayBuffer());
	assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
	let r = await hr.get(`/hr/plans.csv?user=${learner.id}`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	const lines = r.body.trim().split('\r\n');
	assert.equal(lines[0], 'nome;email;anno;posizione;corso;titolo;ore;distanze che colma;nelle ore dell\'anno;stato;motivazione');
	assert.ok(lines.length >= 2);
	assert.match(lines[1], new RegExp(`^Lucia ${tag};lucia-${tag}@example.org;\\d{4};1;[a-z0-9-]+;[^;]+;\\d+,\\d\\d;[^;]*;sì;`));
	r = await hr.get(`/hr/plans.csv?user=${learner.id}&format=intl`);
	assert.match(r.body.split('\r\n')[0], /^name,email,year,position,course,title,hours,gaps,within_year,status,reason$/);
	// The whole subtree: the learner is in it, the other HR's people not.
	r = await hr.get('/hr/plans.csv');
	assert.match(r.body, new RegExp(`lucia-${tag}@example.org`));
	r = await hr2.get('/hr/plans.csv');
	assert.doesNotMatch(r.body, new RegExp(`lucia-${tag}@example.org`));
	assert.equal((await hr.get('/hr/plans.csv?user=99999999999999999999')).status, 400);
});
