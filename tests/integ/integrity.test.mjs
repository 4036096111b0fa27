// Issue 18: the integrity of quizzes, hours and content. Each defect the
// issue lists has a test here (or, for the quiz page's field names and
// the failed result, in learning.test.mjs) that failed before and passes
// now.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, cli, contentDir, org, readModule, sql, user, signedIn, unique } from '../lib/util.mjs';
import { answer, parseQuiz, rightAnswers } from '../lib/quiz.mjs';

const tag = unique('ig').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, P = `${tag}-pool`, C = `${tag}-c`, CN = `${tag}-never`;

const moduleText = `---
title: Modulo integrità ${tag}
slug: ${M}
lang: it
minutes: 30
summary: Un modulo.
---
Testo.

\`\`\`quiz
? Chi fa le leggi sulle materie concorrenti?
competenza: GOV.1 base
= Stato &amp; Regioni | Stato e Regioni

? Ordinate le fasi.
competenza: GOV.1 base
1. Prima
2. Seconda
3. Terza

? Vero?
competenza: ACC.1 base
= vero
giusto: COMMENTO-GIUSTO
sbagliato: COMMENTO-SBAGLIATO

? Ancora vero?
competenza: ACC.1 base
= vero
\`\`\`
`;

const poolText = `---
title: Banco ${tag}
slug: ${P}
lang: it
minutes: 10
summary: Il banco.
---
Domande.

\`\`\`quiz
? Ordinate A.
competenza: GOV.1 base
1. Uno
2. Due

? Ordinate B.
competenza: GOV.1 base
1. Tre
2. Quattro
\`\`\`
`;

const course = (slug, extra = '') => `---
title: Corso ${slug}
slug: ${slug}
lang: it
summary: Corso.
hours: 1
modules:
  - ${M}
attempts: 3
${extra}---
Descrizione.
`;

let learner, lid;

before(async () => {
	const dir = contentDir(tag, {
		[`modules/${M}.md`]: moduleText,
		[`modules/${P}.md`]: poolText,
		[`courses/${C}.md`]: course(C, `assessment: ${P}\n`),
		[`courses/${CN}.md`]: course(CN, 'review: never\n'),
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr);
	org('puglia', `${tag}-ente`, 'Ente integrità');
	const u = await user({ email: `l-${tag}@example.org`, org: `${tag}-ente` });
	lid = u.id;
	learner = await signedIn(u);
	for (const c of [C, CN]) {
		const csrf = await learner.csrf(`/courses/${c}`);
		assert.equal((await learner.post('/learn/enrol', { form: { csrf, course: c } })).status, 303);
	}
});

async function start(course) {
	const csrf = await learner.csrf('/me');
	const r = await learner.post('/quiz/start', { form: { csrf, course, module: M } });
	assert.equal(r.status, 303, r.body.slice(0, 300));
	return r.headers.get('location');
}

// Before: an ordering question left untouched answered 400 "use each
// position only once" in /attempt, and counted as unanswered in a
// pre/post test. Now both are unanswered: one decoder, one rule.
test('an ordering question left untouched is unanswered, in a quiz and in a pre-test', async () => {
	const loc = await start(C);
	const page = await learner.get(loc);
	const q = parseQuiz(page.body)[1];
	assert.equal(q.items.length, 3);
	// What the browser sends for untouched selects: every rank empty.
	const r = await answer(learner, loc, ['Stato e Regioni'], q.items.map((it) => [it.name, '']));
	assert.equal(r.status, 303, r.body.slice(0, 500));
	const id = loc.replace('/attempt/', '');
	assert.equal(sql(`SELECT string_agg(coalesce(x.answer, '-') || ':' || x.correct, ',' ORDER BY q.position) FROM attempt_answers x JOIN questions q ON q.id = x.question_id WHERE x.attempt_id = '${id}'`), 'Stato e Regioni:true,-:false,-:false,-:false');

	const test = sql(`SELECT a.id FROM assessments a JOIN courses c ON c.id = a.course_id WHERE a.user_id = ${lid} AND c.slug = '${C}' AND a.phase = 'pre'`);
	const tp = await learner.get(`/assessment/${test}`);
	const blanks = parseQuiz(tp.body).flatMap((x) => x.items.map((it) => [it.name, '']));
	assert.equal(blanks.length, 2);
	const t = await answer(learner, `/assessment/${test}`, [], blanks);
	assert.equal(t.status, 303, t.body.slice(0, 500));
	assert.equal(sql(`SELECT count(*) FILTER (WHERE answer IS NULL) || '/' || count(*) FROM assessment_answers WHERE assessment_id = '${test}'`), '1/1');
});

// Before: the short answer "Stato & Regioni", typed exactly as the
// author wrote it, was compared with the option's HTML ("Stato &amp;
// Regioni") and graded wrong.
test('a short answer typed as written is right, whatever the case and spaces', async () => {
	for (const typed of ['Stato & Regioni', '  stato   &  REGIONI ', 'Stato &amp; Regioni']) {
		const loc = await start(CN);
		assert.equal((await answer(learner, loc, [typed])).status, 303);
		const id = loc.replace('/attempt/', '');
		assert.equal(sql(`SELECT x.correct FROM attempt_answers x JOIN questions q ON q.id = x.question_id WHERE x.attempt_id = '${id}' AND q.position = 1`), 't', typed);
	}
	sql(`DELETE FROM evidence WHERE user_id = ${lid}`);
});

test('review: never keeps the right answers even after passing; which answers were right always shows', async () => {
	sql(`UPDATE courses SET attempts = 0 WHERE slug = '${CN}'`);
	const loc = await start(CN);
	assert.equal((await answer(learner, loc, ['Stato e Regioni', ['Prima', 'Seconda', 'Terza'], 'false', 'true'])).status, 303);
	const res = await learner.get(loc);
	assert.match(res.body, /Quiz superato/);
	assert.equal((res.body.match(/>Giusta</g) || []).length, 3);
	assert.equal((res.body.match(/>Sbagliata</g) || []).length, 1);
	assert.doesNotMatch(res.body, /Risposta giusta|Risposte accettate|COMMENTO-SBAGLIATO/);
	assert.match(res.body, /le risposte giuste non vengono mostrate/);
	// The course's policy is in the database and in the form's note.
	assert.equal(sql(`SELECT review FROM courses WHERE slug = '${CN}'`), 'never');
	assert.equal(sql(`SELECT review FROM courses WHERE slug = '${C}'`), 'after-pass');
});

async function waitFor(q, want, ms = 10000) {
	let v;
	for (let t = 0; t < ms; t += 100) {
		if ((v = sql(q)) === want)
			return v;
		await new Promise((r) => setTimeout(r, 100));
	}
	return v;
}

// Before: after 100 % in every quiz of a shipped course the profile said
// "nessuno" for ACC.2, GOV.3 and ACC.4 (one question each, the rule needs
// two), and the badge still named "ACC.2 (base)".
for (const course of ['governance-accesso', 'servizi-integrati-reti', 'innovazione-valutazione']) {
	test(`a perfect ${course} leaves no competence at "nessuno", and its badge names the levels it certifies`, async () => {
		const u = await user({ email: `perfect-${course}-${tag}@example.org`, org: `${tag}-ente` });
		const c = await signedIn(u);
		let csrf = await c.csrf(`/courses/${course}`);
		assert.equal((await c.post('/learn/enrol', { form: { csrf, course } })).status, 303);
		const mods = sql(`SELECT string_agg(m.slug, ',' ORDER BY cm.position) FROM course_modules cm JOIN modules m ON m.id = cm.module_id JOIN courses c ON c.id = cm.course_id WHERE c.slug = '${course}'`).split(',');
		for (const m of mods) {
			assert.equal((await readModule(c, m)).status, 303, `read ${m}`);
			csrf = await c.csrf('/me');
			const s = await c.post('/quiz/start', { form: { csrf, course, module: m } });
			assert.equal(s.status, 303);
			const r = await answer(c, s.headers.get('location'), rightAnswers(m));
			assert.equal(r.status, 303, r.body.slice(0, 400));
			assert.equal(sql(`SELECT percent FROM attempts WHERE id = '${s.headers.get('location').replace('/attempt/', '')}'`), '100.00', m);
		}
		assert.equal(await waitFor(`SELECT count(*) FROM badges b JOIN enrolments e ON e.id = b.enrolment_id WHERE b.user_id = ${u.id}`, '1'), '1', 'a badge');
		// Every competence the quizzes assessed reached a level.
		const none = sql(`SELECT string_agg(competence, ',') FROM competence_levels WHERE user_id = ${u.id} AND rank IS NULL`);
		assert.equal(none, '', `no level for ${none}`);
		const profile = await c.get('/me/competences');
		assert.equal(profile.status, 200);
		assert.doesNotMatch(profile.body, />nessuno</);
		// The badge names each claimed competence at the claimed level:
		// the shipped courses can certify every one of their claims.
		const claims = sql(`SELECT string_agg(competence || ' ' || level, ',' ORDER BY competence) FROM course_competences cc JOIN courses c ON c.id = cc.course_id WHERE c.slug = '${course}'`);
		const cred = JSON.parse(sql(`SELECT credential FROM badges WHERE user_id = ${u.id}`));
		// (Alignments to reference frameworks, Syllabus and DigComp,
		// are on /frameworks/ pages; the claims are on /competences.)
		const named = cred.credentialSubject.achievement.alignment.filter((a) => a.targetUrl.includes('/competences#')).map((a) => `${a.targetCode} ${a.targetDescription}`).sort().join(',');
		assert.equal(named, claims);
		for (const cl of claims.split(',')) {
			const [code, level] = cl.split(' ');
			const reached = sql(`SELECT lv.rank >= want.rank FROM competence_levels l JOIN competences co ON co.code = l.competence JOIN levels lv ON lv.framework_id = co.framework_id AND lv.rank = l.rank JOIN levels want ON want.framework_id = co.framework_id AND want.name = '${level}' WHERE l.user_id = ${u.id} AND l.competence = '${code}'`);
			assert.equal(reached, 't', `${cl} reached`);
		}
	});
}

test('import --check reports claims the rule could never certify, as path:line; a badge names only what a course certifies', async () => {
	const T = `${tag}-thin`, TC = `${tag}-thinc`;
	const dir = contentDir(`${tag}-thin`, {
		'courses/framework.md': fs.readFileSync(path.join(ROOT, 'courses/framework.md'), 'utf8'),
		[`modules/${T}.md`]: `---\ntitle: Modulo sottile\nslug: ${T}\nlang: it\nminutes: 5\nsummary: Poche domande.\n---\nTesto.\n\n\`\`\`quiz\n? Uno\ncompetenza: ACC.2 base\n= vero\n\n? Due\ncompetenza: GOV.1 base\n= vero\n\n? Tre\ncompetenza: GOV.1 base\n= vero\n\`\`\`\n`,
		[`courses/${TC}.md`]: `---\ntitle: Corso sottile\nslug: ${TC}\nlang: it\nsummary: Corso.\nhours: 1\nmodules:\n  - ${T}\ncompetences:\n  - ACC.2 base\n  - GOV.1 intermedio\n---\nDescrizione.\n`,
	});
	const chk = cli(['import', '--check', dir]);
	assert.equal(chk.status, 1, 'the check fails');
	assert.match(chk.stderr, new RegExp(`modules/${T}\\.md:12: warning: ACC\\.2 base has only this question`));
	assert.match(chk.stderr, new RegExp(`courses/${TC}\\.md:10: warning: ACC\\.2 base cannot be certified by this course`));
	assert.match(chk.stderr, new RegExp(`courses/${TC}\\.md:11: warning: GOV\\.1 intermedio cannot be certified by this course: its quizzes have 0 questions at that level`));
	assert.match(chk.stdout, /0 with errors, 3 warnings/);
	// Imported anyway; what the database says the course can certify.
	const imp = cli(['import', dir]);
	assert.equal(imp.status, 0, imp.stderr + imp.stdout);
	assert.equal(sql(`SELECT string_agg(cl.competence || ' ' || cl.claimed || ' ' || coalesce(cl.certified, '-'), ',' ORDER BY cl.competence, cl.claimed_rank) FROM course_claims cl JOIN courses c ON c.id = cl.course_id WHERE c.slug = '${TC}'`),
	    'ACC.2 base -,GOV.1 intermedio base');
	// The badge: ACC.2 with no level, GOV.1 at base (not intermedio).
	const u = await user({ email: `thin-${tag}@example.org`, org: `${tag}-ente` });
	const c = await signedIn(u);
	let csrf = await c.csrf(`/courses/${TC}`);
	await c.post('/learn/enrol', { form: { csrf, course: TC } });
	assert.equal((await readModule(c, T)).status, 303);
	csrf = await c.csrf('/me');
	const s = await c.post('/quiz/start', { form: { csrf, course: TC, module: T } });
	assert.equal((await answer(c, s.headers.get('location'), ['true', 'true', 'true'])).status, 303);
	assert.equal(await waitFor(`SELECT count(*) FROM badges WHERE user_id = ${u.id}`, '1'), '1');
	const al = JSON.parse(sql(`SELECT credential FROM badges WHERE user_id = ${u.id}`)).credentialSubject.achievement.alignment;
	assert.deepEqual(al.map((a) => [a.targetCode, a.targetDescription ?? null]), [['ACC.2', null], ['GOV.1', 'base']]);
	// Before: the gap report sent people back to a course that claimed a
	// level it could not certify. Now a course is recommended only for
	// what it can certify.
	const gap = await user({ email: `gap-${tag}@example.org`, org: `${tag}-ente` });
	const role = sql(`INSERT INTO job_roles (code, name) VALUES ('${tag}-ruolo', 'Ruolo ${tag}') RETURNING id`);
	sql(`INSERT INTO job_role_requirements (role_id, competence, rank) VALUES (${role}, 'ACC.2', 1), (${role}, 'GOV.1', 2)`);
	sql(`INSERT INTO user_job_roles (user_id, role_id) VALUES (${gap.id}, ${role})`);
	const prof = await (await signedIn(gap)).get('/me/competences');
	const row = (code) => new RegExp(`<tr class="[^"]*" data-code="${code.replace('.', '\\.')}">([\\s\\S]*?)</tr>`).exec(prof.body)[1];
	assert.doesNotMatch(row('ACC.2'), /Corso sottile/);
	assert.match(row('ACC.2'), /Governance delle migrazioni e accesso ai servizi/, 'the shipped course certifies ACC.2 base');
	assert.doesNotMatch(row('GOV.1'), /Corso sottile/);
});

test('HR sees each person\'s hours with the time measured behind them, and exports them as CSV', async () => {
	const hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: `${tag}-ente`, roles: 'hr' }));
	const p = sql(`SELECT id FROM users WHERE email = 'perfect-governance-accesso-${tag}@example.org'`);
	const page = await hr.get(`/hr/people/${p}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /data-table="ledger"/);
	const rows = [...page.body.matchAll(/<tr><td>\d{1,2} [a-z]+ \d{4}<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td data-stat="hours">([^<]+)<\/td><td data-stat="minutes">([^<]+)<\/td><\/tr>/g)];
	assert.equal(rows.length, 4, 'three modules and the course');
	for (const r of rows)
		assert.match(r[4], /^\d+$/, `measured minutes for ${r[2]}`);
	// A module of 50 minutes read for 50 (the test moved the opening).
	assert.ok(rows.some((r) => r[1] === 'modulo' && r[3] === '0,8' || r[3] === '0,9'), rows.map((r) => r[3]).join(' '));
	const csv = await hr.get(`/hr/hours.csv?user=${p}&format=intl`);
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-type'), /^text\/csv/);
	assert.equal(csv.headers.get('cache-control'), 'no-store');
	const lines = csv.body.trim().split('\r\n');
	assert.equal(lines[0], 'date,name,email,unit,kind,title,hours,minutes_measured');
	// The Italian form: a BOM, ';', Italian headers and decimal commas.
	const it = (await hr.get(`/hr/hours.csv?user=${p}`)).body;
	assert.ok(it.startsWith('data;nome;email;unità;tipo;titolo;ore;minuti_misurati\r\n'), it.slice(0, 80));
	assert.match(it, /;0,\d\d;\d+\r\n/);
	assert.equal(lines.length, 5);
	const total = lines.slice(1).map((l) => Number(l.split(',').at(-1))).reduce((a, b) => a + b, 0);
	const mods = sql(`SELECT sum(v.minutes) FROM course_modules cm JOIN courses c ON c.id = cm.course_id JOIN modules m ON m.id = cm.module_id JOIN module_versions v ON v.id = m.current_version_id WHERE c.slug = 'governance-accesso'`);
	// Each module's minutes once, and the course's sum of them again.
	assert.ok(Math.abs(total - 2 * Number(mods)) <= 6, `${total} minutes measured against ${mods} minutes declared`);
	const all = await hr.get('/hr/hours.csv');
	assert.ok(all.body.split('\r\n').length > 5);
	// Nobody outside the HR office's subtree.
	const outside = sql("SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path NOT LIKE (SELECT path FROM orgs WHERE code = 'puglia') || '%' LIMIT 1");
	if (outside)
		assert.equal((await hr.get(`/hr/hours.csv?user=${outside}`)).status, 404);
});
