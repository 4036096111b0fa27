// Issue 7: evidence from every answer, explainable levels, role profiles,
// the HR gap report with its CSV exports, the learner's profile, trainers'
// ratings, the framework CSV round trip, and HR confined to its subtree.
//
// A small organisation with known answers: four people in two offices of
// one agency answer a test module's quiz through the real quiz pages, and
// every number of the report is checked against what those answers imply.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, Client, ROOT, TMP, cli, contentDir, org, sql, user, signedIn, unique } from '../lib/util.mjs';
import { answer } from '../lib/quiz.mjs';

const tag = unique('co').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-mod`, C = `${tag}-corso`;
const A = `${tag}-ente`, U1 = `${tag}-uff1`, U2 = `${tag}-uff2`, B = `${tag}-altro`;
const R1 = `${tag}-sport`, R2 = `${tag}-rete`;
const YEAR = new Date().getUTCFullYear();

// Six true/false questions: two per level of ACC.1 (base, intermedio)
// and two of COO.1 base. Answering 'true' is right.
const moduleText = `---
title: Modulo competenze ${tag}
slug: ${M}
lang: it
minutes: 20
summary: Modulo di prova per le competenze.
competences:
  - ACC.1
  - COO.1
---
Testo.

\`\`\`quiz
? ACC1-BASE-A
competenza: ACC.1 base
= vero

? ACC1-BASE-B
competenza: ACC.1 base
= vero

? ACC1-INT-A
competenza: ACC.1 intermedio
= vero

? ACC1-INT-B
competenza: ACC.1 intermedio
= vero

? COO1-BASE-A
competenza: COO.1 base
= vero

? COO1-BASE-B
competenza: COO.1 base
= vero
\`\`\`
`;
const courseText = `---
title: Corso competenze ${tag}
slug: ${C}
lang: it
summary: Corso di prova.
hours: 3
modules:
  - ${M}
attempts: 0
competences:
  - ACC.1 intermedio
  - COO.1 base
---
Descrizione.
`;

let qs;			// question ids by stem
const people = {};	// name -> { id, email, client }
let hr, hr2, trainer;

function questionIds() {
	const rows = sql(`SELECT q.text, q.id FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${M}'`);
	return Object.fromEntries(rows.split('\n').map((r) => r.split('|')));
}

// Take the quiz with the given answers: { stem: true|false }.
async function takeQuiz(c, answers) {
	const csrf = await c.csrf('/me');
	const start = await c.post('/quiz/start', { form: { csrf, course: C, module: M } });
	assert.equal(start.status, 303, start.body.slice(0, 300));
	const id = start.headers.get('location').replace('/attempt/', '');
	// The page shows the questions in the quiz's order.
	const order = sql(`SELECT string_agg(q.text, E'\\n' ORDER BY q.position) FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${M}'`).split('\n');
	const given = order.map((stem) => (stem in answers ? (answers[stem] ? 'true' : 'false') : undefined));
	const r = await answer(c, `/attempt/${id}`, given);
	assert.ok(r.status === 200 || r.status === 303, `submit: ${r.status}`);
}

const ALL_RIGHT = { 'ACC1-BASE-A': true, 'ACC1-BASE-B': true, 'ACC1-INT-A': true, 'ACC1-INT-B': true, 'COO1-BASE-A': true, 'COO1-BASE-B': true };

async function person(name, unit) {
	const email = `${name.toLowerCase().replace(/ /g, '.')}-${tag}@example.org`;
	const u = await user({ name, email, org: unit });
	const client = await signedIn(u);
	const csrf = await client.csrf(`/courses/${C}`);
	assert.equal((await client.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
	people[name] = { ...u, client };
	return people[name];
}

// The text of a data-stat cell.
function stat(body, name) {
	const m = new RegExp(`data-stat="${name}">([^<]*)<`).exec(body);
	return m ? m[1] : null;
}

// Rows of a CSV body (simple: our exports quote only when needed).
function csvRows(body) {
	return body.trim().split('\r\n').map((l) => l.split(','));
}

before(async () => {
	const dir = contentDir(tag, { [`modules/${M}.md`]: moduleText, [`courses/${C}.md`]: courseText });
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr);
	qs = questionIds();
	org('basilicata', A, `Ente ${tag}`);
	org(A, U1, `Ufficio uno ${tag}`);
	org(A, U2, `Ufficio due ${tag}`);
	org('calabria', B, `Altro ente ${tag}`);
	hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: A, roles: 'hr' }));
	hr2 = await signedIn(await user({ email: `hr2-${tag}@example.org`, org: B, roles: 'hr' }));
	trainer = await signedIn(await user({ email: `tr-${tag}@example.org`, org: A, roles: 'trainer' }));
	await person('Anna Primo', U1);
	await person('Bruno Secondo', U1);
	await person('Carla Terzo', U2);
	await person('Dario Quarto', U2);
	await person('Xavier Esterno', B);
});

test('HR defines role profiles; bad lines are answered line by line', async () => {
	let csrf = await hr.csrf('/hr/roles');
	let r = await hr.post('/hr/roles', { multipart: { csrf, code: R1, name: 'Sportello di prova', requirements: 'ACC.1 intermedio\nNOPE.1 base\nCOO.1\n' } });
	assert.equal(r.status, 400);
	assert.match(r.body, /riga 3: write the competence code and the level/);
	r = await hr.post('/hr/roles', { multipart: { csrf, code: R1, name: 'Sportello di prova', requirements: 'ACC.1 intermedio\nNOPE.1 base\n' } });
	assert.equal(r.status, 400);
	assert.match(r.body, /riga 2: unknown competence &#39;NOPE.1&#39; or level &#39;base&#39;|riga 2: unknown competence 'NOPE.1'/);
	assert.equal(sql(`SELECT count(*) FROM job_roles WHERE code = '${R1}'`), '0', 'nothing stored');
	r = await hr.post('/hr/roles', { multipart: { csrf, code: R1, name: 'Sportello di prova', requirements: 'ACC.1 intermedio\nCOO.1: base\n' } });
	assert.equal(r.status, 200);
	r = await hr.post('/hr/roles', { multipart: { csrf, code: R2, name: 'Rete di prova', requirements: 'COO.1 intermedio\nACC.1 base' } });
	assert.equal(r.status, 200);
	assert.equal(sql(`SELECT string_agg(r.competence || '=' || r.rank, ',' ORDER BY r.competence) FROM job_role_requirements r JOIN job_roles j ON j.id = r.role_id WHERE j.code = '${R1}'`), 'ACC.1=2,COO.1=1');
	// Programme-wide profiles (courses/roles.csv) are listed but read-only.
	const page = await hr.get('/hr/roles');
	assert.match(page.body, /data-role="operatore-sportello"/);
	assert.match(page.body, new RegExp(`data-role="${R1}"`));
	r = await hr.post('/hr/roles', { multipart: { csrf, code: 'operatore-sportello', name: 'Mio', requirements: 'ACC.1 base' } });
	assert.equal(r.status, 403);
	// Another region's HR office sees the programme's profiles, not ours,
	// and cannot take our code.
	const other = await hr2.get('/hr/roles');
	assert.match(other.body, /data-role="operatore-sportello"/);
	assert.doesNotMatch(other.body, new RegExp(`data-role="${R1}"`));
	csrf = await hr2.csrf('/hr/roles');
	r = await hr2.post('/hr/roles', { multipart: { csrf, code: R1, name: 'Furto', requirements: 'ACC.1 base' } });
	assert.equal(r.status, 404 === r.status ? 404 : 400);
	assert.equal(sql(`SELECT name FROM job_roles WHERE code = '${R1}'`), 'Sportello di prova');
	// The CSV export has our profile in the courses/roles.csv format.
	const csv = await hr.get('/hr/roles.csv?format=intl');
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-type'), /text\/csv/);
	assert.ok(csv.body.startsWith('role,name,competence,level\r\n'));
	assert.match(csv.body, new RegExp(`${R1},Sportello di prova,ACC.1,intermedio\r\n${R1},,COO.1,base\r\n`));
});

test('HR assigns profiles one by one and by CSV, only inside its subtree', async () => {
	const { id: a } = people['Anna Primo'];
	let csrf = await hr.csrf(`/hr/people/${a}`);
	let r = await hr.post('/hr/roles/assign', { form: { csrf, person: a, role: R1, action: 'add' } });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/hr/people/${a}`);
	// Outside the subtree: the person does not exist for this HR office.
	const x = people['Xavier Esterno'].id;
	r = await hr.post('/hr/roles/assign', { form: { csrf, person: x, role: R1, action: 'add' } });
	assert.equal(r.status, 404);
	// CSV, all or nothing: a bad line and nothing is assigned.
	const bad = `email,role\n${people['Bruno Secondo'].email},${R1}\n${people['Xavier Esterno'].email},${R1}\n${people['Carla Terzo'].email},no-such-role\n`;
	csrf = await hr.csrf('/hr/roles');
	r = await hr.post('/hr/roles/import', { multipart: { csrf, csv: { content: bad, filename: 'r.csv' } } });
	assert.equal(r.status, 400);
	assert.match(r.body, /riga 3: nobody with e-mail/);
	assert.match(r.body, /riga 4: unknown role &#39;no-such-role&#39;|riga 4: unknown role/);
	assert.equal(sql(`SELECT count(*) FROM user_job_roles WHERE user_id = ${people['Bruno Secondo'].id}`), '0');
	const good = `email,role\n${people['Bruno Secondo'].email},${R1}\n${people['Carla Terzo'].email},${R1}\n${people['Carla Terzo'].email},${R2}\n`;
	r = await hr.post('/hr/roles/import', { multipart: { csrf, csv: { content: good, filename: 'r.csv' } } });
	assert.equal(r.status, 200, r.body.slice(0, 500));
	assert.equal(sql(`SELECT count(*) FROM user_job_roles uj JOIN job_roles j ON j.id = uj.role_id WHERE j.code IN ('${R1}', '${R2}')`), '4');
	// Replace: Dario gets R2 then loses it when the file says only R1... for Anna.
	r = await hr.post('/hr/roles/import', { multipart: { csrf, csv: { content: `${people['Dario Quarto'].email},${R2}\n`, filename: 'r.csv' } } });
	assert.equal(r.status, 200);
	csrf = await hr.csrf('/hr/roles');
	r = await hr.post('/hr/roles/import', { multipart: { csrf, replace: '1', csv: { content: `${people['Dario Quarto'].email},operatore-sportello\n`, filename: 'r.csv' } } });
	assert.equal(r.status, 200);
	assert.equal(sql(`SELECT string_agg(j.code, ',') FROM user_job_roles uj JOIN job_roles j ON j.id = uj.role_id WHERE uj.user_id = ${people['Dario Quarto'].id}`), 'operatore-sportello');
	// And removed again one by one, so that Dario holds no profile.
	csrf = await hr.csrf(`/hr/people/${people['Dario Quarto'].id}`);
	r = await hr.post('/hr/roles/assign', { form: { csrf, person: people['Dario Quarto'].id, role: 'operatore-sportello', action: 'remove' } });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT count(*) FROM user_job_roles WHERE user_id = ${people['Dario Quarto'].id}`), '0');
	// Xavier holds R1 too, put there directly: the report must still ignore him.
	sql(`INSERT INTO user_job_roles (user_id, role_id) SELECT ${x}, id FROM job_roles WHERE code = '${R1}'`);
});

test('answers become evidence; levels follow the rule, latest answers count', async () => {
	await takeQuiz(people['Anna Primo'].client, ALL_RIGHT);
	await takeQuiz(people['Bruno Secondo'].client, { ...ALL_RIGHT, 'ACC1-INT-B': false, 'COO1-BASE-B': false });
	await takeQuiz(people['Carla Terzo'].client, ALL_RIGHT);
	await takeQuiz(people['Carla Terzo'].client, { ...ALL_RIGHT, 'ACC1-INT-A': false, 'ACC1-INT-B': false });
	await takeQuiz(people['Dario Quarto'].client, ALL_RIGHT);
	await takeQuiz(people['Xavier Esterno'].client, Object.fromEntries(Object.keys(ALL_RIGHT).map((k) => [k, false])));
	const level = (n, c) => sql(`SELECT coalesce(level, '-') || '/' || items || '/' || correct FROM competence_levels WHERE user_id = ${people[n].id} AND competence = '${c}'`);
	assert.equal(level('Anna Primo', 'ACC.1'), 'intermedio/4/4');
	assert.equal(level('Anna Primo', 'COO.1'), 'base/2/2');
	assert.equal(level('Bruno Secondo', 'ACC.1'), 'base/4/3');
	assert.equal(level('Bruno Secondo', 'COO.1'), '-/2/1');
	assert.equal(level('Carla Terzo', 'ACC.1'), 'base/4/2', 'the second attempt replaces the first');
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE user_id = ${people['Carla Terzo'].id} AND source = 'answer'`), '12', 'every graded answer is evidence');
	// latest_answers (sql/0011) holds one row per question, the newest.
	assert.equal(sql(`SELECT count(*) || '/' || count(*) FILTER (WHERE NOT correct) FROM latest_answers WHERE user_id = ${people['Carla Terzo'].id}`), '6/2', 'one latest answer per question, from the second attempt');
	assert.equal(sql(`SELECT count(*) FROM latest_answers l WHERE l.evidence_id <> (SELECT e.id FROM evidence e WHERE e.user_id = l.user_id AND e.question_id = l.question_id AND e.source = 'answer' ORDER BY e.at DESC, e.id DESC LIMIT 1)`), '0', 'every latest answer is the newest evidence');
});

test('trainers rate with a reason, inside their subtree; the rating wins', async () => {
	let csrf = await trainer.csrf('/ratings');
	let r = await trainer.post('/ratings', { multipart: { csrf, email: people['Carla Terzo'].email, competence: 'COO.1', level: 'intermedio', note: '' } });
	assert.equal(r.status, 400);
	assert.match(r.body, /Scrivi la motivazione/);
	r = await trainer.post('/ratings', { multipart: { csrf, email: people['Xavier Esterno'].email, competence: 'COO.1', level: 'intermedio', note: 'Ottimo lavoro' } });
	assert.equal(r.status, 404);
	assert.match(r.body, /Nessuna persona attiva con questa email/);
	r = await trainer.post('/ratings', { multipart: { csrf, email: people['Carla Terzo'].email, competence: 'COO.1', level: 'intermedio', note: 'Ha condotto il tavolo di rete del 3 marzo' } });
	assert.equal(r.status, 200);
	assert.match(r.body, /Valutazione registrata/);
	assert.equal(sql(`SELECT level || '/' || basis FROM competence_levels WHERE user_id = ${people['Carla Terzo'].id} AND competence = 'COO.1'`), 'intermedio/rating');
	assert.equal(sql(`SELECT count(*) FROM audit_log WHERE event = 'competence.rate' AND subject = '${people['Carla Terzo'].email}'`), '1');
	// Learners and HR cannot rate.
	csrf = await hr.csrf('/hr/people');
	assert.equal((await hr.post('/ratings', { multipart: { csrf, email: people['Carla Terzo'].email, competence: 'COO.1', level: 'base', note: 'x' } })).status, 403);
});

test('every level is explained by the rule and its evidence', async () => {
	const b = people['Bruno Secondo'];
	const r = await b.client.get('/me/competences/ACC.1');
	assert.equal(r.status, 200);
	assert.equal(stat(r.body, 'level'), 'base');
	const levels = [...r.body.matchAll(/<tr><th scope="row">(\w+)<\/th><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1).join('|'));
	assert.deepEqual(levels, ['base|2|2|100%|soddisfatto|sì', 'intermedio|2|1|50%|non soddisfatto|no', 'avanzato|0|0|-|nessuna domanda|no']);
	assert.match(r.body, /ACC1-INT-B/);
	assert.equal((r.body.match(/<td>conta<\/td>/g) || []).length, 4);
	// Carla: eight answers on ACC.1, the four of her first attempt superseded.
	const c = await people['Carla Terzo'].client.get('/me/competences/ACC.1');
	assert.equal((c.body.match(/<td>conta<\/td>/g) || []).length, 4);
	assert.equal((c.body.match(/superata da una più recente/g) || []).length, 4);
	const coo = await people['Carla Terzo'].client.get('/me/competences/COO.1');
	assert.match(coo.body, /valutazione di un formatore/);
	assert.match(coo.body, /Ha condotto il tavolo di rete del 3 marzo/);
	// HR sees the same explanation for its people, never for others.
	assert.equal((await hr.get(`/hr/people/${b.id}/competences/ACC.1`)).status, 200);
	assert.equal((await hr.get(`/hr/people/${people['Xavier Esterno'].id}/competences/ACC.1`)).status, 404);
	assert.equal((await hr.get(`/hr/people/${people['Xavier Esterno'].id}`)).status, 404);
	assert.equal((await b.client.get('/me/competences/ZZZ.9')).status, 404);
	// The English page is the same page in English.
	const en = new Client();
	en.jar = new Map(b.client.jar);
	en.setCookie('lang', 'en');
	const e = await en.get('/me/competences/ACC.1');
	assert.match(e.body, /<html lang="en"/);
	assert.match(e.body, /not met/);
});

test("the learner's profile: required against achieved, chart and table", async () => {
	const r = await people['Bruno Secondo'].client.get('/me/competences');
	assert.equal(r.status, 200);
	assert.equal(stat(r.body, 'required'), '2');
	assert.equal(stat(r.body, 'met'), '0');
	assert.equal(stat(r.body, 'gaps'), '2');
	assert.match(r.body, /<svg[^>]*role="img"[^>]*aria-labelledby="profile-chart-t"/);
	assert.match(r.body, /<tr class="table-warning" data-code="ACC.1">.*<td>intermedio<\/td><td>base<\/td><td>Da colmare<\/td><td>3\/4 risposte corrette<\/td>/);
	assert.match(r.body, new RegExp(`data-code="ACC.1">.*href="/courses/${C}"`));
	const a = await people['Anna Primo'].client.get('/me/competences');
	assert.equal(stat(a.body, 'met'), '2');
	assert.equal(stat(a.body, 'gaps'), '0');
	// Dario has no profile: his evidence shows, nothing is required.
	const d = await people['Dario Quarto'].client.get('/me/competences');
	assert.equal(stat(d.body, 'required'), '0');
	assert.match(d.body, /Nessun profilo di ruolo assegnato/);
	assert.match(d.body, /Non richiesta/);
});

test('the gap report: every number, by office and by agency', async () => {
	sql(`INSERT INTO hours_ledger (user_id, year, hours, source, ref, description) VALUES (${people['Anna Primo'].id}, ${YEAR}, 12.5, 'course', '${tag}-h1', 'test'), (${people['Bruno Secondo'].id}, ${YEAR}, 40, 'course', '${tag}-h2', 'test'), (${people['Xavier Esterno'].id}, ${YEAR}, 99, 'course', '${tag}-h3', 'test')`);
	const r = await hr.get(`/hr/report?org=${A}&by=office&year=${YEAR}`);
	assert.equal(r.status, 200);
	// Summary: six staff in the agency (four learners, HR, trainer).
	assert.equal(stat(r.body, 'staff'), '6');
	assert.equal(stat(r.body, 'with_role'), '3');
	assert.equal(stat(r.body, 'cells'), '3 / 6 (50%)');
	assert.equal(stat(r.body, 'with_gap'), '2');
	// Issue 18: Italian pages write a decimal comma (was 8.8 h).
	assert.equal(stat(r.body, 'hours'), '8,8 h');
	assert.equal(stat(r.body, 'hours_met'), '1 (17%)');
	// Heatmap table: offices x competences.
	const heat = /<table class="table table-sm table-bordered report-heat">([\s\S]*?)<\/table>/.exec(r.body)[1];
	assert.match(heat, /<th scope="col"><abbr title="[^"]*">ACC.1<\/abbr><\/th><th scope="col"><abbr title="[^"]*">COO.1<\/abbr><\/th><\/tr>/);
	assert.match(heat, new RegExp(`<th scope="row">Ufficio uno ${tag}</th><td class="gap">1/2 \\(50%\\)</td><td class="gap">1/2 \\(50%\\)</td>`));
	assert.match(heat, new RegExp(`<th scope="row">Ufficio due ${tag}</th><td class="gap">0/1 \\(0%\\)</td><td>1/1 \\(100%\\)</td>`));
	assert.doesNotMatch(r.body, /Xavier/);
	// The SVG heatmap carries the same shares.
	const svg = /<svg[^>]*aria-labelledby="heatmap-t"[\s\S]*?<\/svg>/.exec(r.body)[0];
	// Units in alphabetical order: "Ufficio due" before "Ufficio uno".
	assert.deepEqual([...svg.matchAll(/>(\d+%)<\/text>/g)].map((m) => m[1]), ['0%', '100%', '50%', '50%']);
	// Largest gaps first, with the courses that close them.
	const gaps = [...r.body.matchAll(/<tr data-code="([A-Z.0-9]+)"><th scope="row">.*?<\/th><td>(\w+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]*)<\/td><td>(.*?)<\/td><\/tr>/g)];
	assert.deepEqual(gaps.map((m) => m.slice(1, 6).join('|')), ['ACC.1|intermedio|3|2|67%', 'COO.1|base|2|1|50%']);
	assert.match(gaps[0][6], new RegExp(`href="/courses/governance-accesso"`));
	assert.match(gaps[0][6], new RegExp(`href="/courses/${C}"`));
	assert.match(gaps[1][6], /href="\/courses\/servizi-integrati-reti"/);
	// People: most gaps first.
	const ppl = /report-people">([\s\S]*?)<\/table>/.exec(r.body)[1];
	const order = [...ppl.matchAll(/<th scope="row"><a href="\/hr\/people\/\d+">([^<]+)<\/a><\/th><td>[^<]*<\/td><td>(\d+)<\/td>/g)].map((m) => `${m[1]}:${m[2]}`);
	assert.deepEqual(order, ['Bruno Secondo:2', 'Carla Terzo:1', 'Anna Primo:0']);
	assert.match(ppl, /Bruno Secondo<\/a><\/th><td>[^<]*<\/td><td>2<\/td><td class="gap">base \/ intermedio<\/td><td class="gap">- \/ base<\/td>/);
	// Hours by unit against 40 h.
	const hours = /report-hours">([\s\S]*?)<\/table>/.exec(r.body)[1];
	assert.match(hours, new RegExp(`<th scope="row">Ufficio uno ${tag}</th><td>2</td><td>26,3</td><td>1</td><td>50%</td>`));
	assert.match(hours, new RegExp(`<th scope="row">Ufficio due ${tag}</th><td>2</td><td>0,0</td><td>0</td><td>0%</td>`));
	assert.match(hours, new RegExp(`<th scope="row">Ente ${tag}</th><td>2</td><td>0,0</td><td>0</td><td>0%</td>`));
	// By agency, and filtered by role.
	const ag = await hr.get(`/hr/report?org=${A}&by=agency&year=${YEAR}`);
	assert.match(ag.body, new RegExp(`<th scope="row">Ente ${tag}</th><td class="gap">1/3 \\(33%\\)</td><td class="gap">2/3 \\(67%\\)</td>`));
	const r2 = await hr.get(`/hr/report?org=${A}&role=${R2}&year=${YEAR}`);
	assert.equal(stat(r2.body, 'with_role'), '1');
	assert.equal(stat(r2.body, 'cells'), '2 / 2 (100%)', 'Carla meets R2 alone: ACC.1 base, COO.1 intermedio (rating)');
	assert.equal(stat(r2.body, 'staff'), '1');
	// A bad filter value is dropped by the validator, not trusted.
	const bad = await hr.get(`/hr/report?org=${A}&by=planet`);
	assert.equal(bad.status, 200);
});

test('the report exports as CSV with the same numbers', async () => {
	const q = `org=${A}&by=office&year=${YEAR}&format=intl`;
	let r = await hr.get(`/hr/report.csv?part=heatmap&${q}`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="capacita-heatmap-\d{4}.csv"/);
	assert.deepEqual(csvRows(r.body), [
		['unit', 'competence', 'people_required', 'people_meeting', 'share'],
		[`Ufficio due ${tag}`, 'ACC.1', '1', '0', '0.0000'],
		[`Ufficio due ${tag}`, 'COO.1', '1', '1', '1.0000'],
		[`Ufficio uno ${tag}`, 'ACC.1', '2', '1', '0.5000'],
		[`Ufficio uno ${tag}`, 'COO.1', '2', '1', '0.5000'],
	]);
	r = await hr.get(`/hr/report.csv?part=gaps&${q}`);
	const gaps = csvRows(r.body);
	assert.deepEqual(gaps.map((g) => g.slice(0, 5).join('|')), ['competence|name|level_required|people_required|people_short', 'ACC.1|Titoli di soggiorno e diritti|intermedio|3|2', 'COO.1|Amministrazione condivisa|base|2|1']);
	assert.match(gaps[1][5], new RegExp(`governance-accesso`));
	r = await hr.get(`/hr/report.csv?part=people&${q}`);
	const ppl = csvRows(r.body);
	assert.equal(ppl.length, 7, 'header and six person-competence rows');
	assert.ok(ppl.some((p) => p[1] === people['Bruno Secondo'].email && p[3] === 'ACC.1' && p[4] === 'intermedio' && p[5] === 'base' && p[6] === 'yes'));
	assert.ok(!r.body.includes('Xavier'));
	r = await hr.get(`/hr/report.csv?part=hours&${q}`);
	const hrs = csvRows(r.body);
	assert.equal(hrs.length, 7);
	assert.ok(hrs.some((h) => h[1] === people['Bruno Secondo'].email && h[4] === '40.00' && h[6] === 'yes'));
	assert.ok(hrs.some((h) => h[1] === people['Anna Primo'].email && h[4] === '12.50' && h[6] === 'no'));
	assert.equal((await hr.get(`/hr/report.csv?part=nonsense`)).status, 400);
	// Another region's HR office sees none of this agency's people.
	const other = await hr2.get(`/hr/report.csv?part=people&format=intl`);
	assert.equal(other.status, 200);
	assert.ok(!other.body.includes(people['Anna Primo'].email));
	assert.ok(other.body.includes(people['Xavier Esterno'].email));
	// Nor can it filter on a unit outside its subtree to see it.
	const peek = await hr2.get(`/hr/report.csv?part=people&org=${A}&format=intl`);
	assert.equal(csvRows(peek.body).length, 1);
	const peek2 = await hr2.get(`/hr/report?org=${A}`);
	assert.equal(stat(peek2.body, 'staff'), '0');
});

test('the framework exports as Moodle CSV and round-trips through the CLI', async () => {
	const r = await new Client().get('/competences.csv');
	assert.equal(r.status, 200);
	assert.ok(r.body.startsWith('Parent id number,Id number,Shortname,Description,Description format,Scale values,Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),Cross referenced competency id numbers,Exported id (optional),Is framework,Taxonomy\r\n'));
	const fromFile = cli(['framework', 'export', path.join(ROOT, 'courses/framework.md')]);
	assert.equal(fromFile.status, 0, fromFile.stderr);
	assert.equal(r.body, fromFile.stdout, 'the database export equals the file export');
	const csvPath = path.join(TMP, `${tag}-fw.csv`), mdPath = path.join(TMP, `${tag}-fw.md`);
	fs.writeFileSync(csvPath, r.body);
	const imp = cli(['framework', 'import', csvPath, '-o', mdPath]);
	assert.equal(imp.status, 0, imp.stderr);
	const again = cli(['framework', 'export', mdPath]);
	assert.equal(again.stdout, r.body, 'csv -> md -> csv is identical');
	const page = await new Client().get('/competences');
	assert.equal(page.status, 200);
	assert.equal((page.body.match(/<tr id="c-/g) || []).length, 27);
});

test('HR sees people of its subtree only, everywhere', async () => {
	const list = await hr.get('/hr/people');
	assert.match(list.body, /Anna Primo/);
	assert.doesNotMatch(list.body, /Xavier Esterno/);
	const p = await hr.get(`/hr/people/${people['Bruno Secondo'].id}`);
	assert.equal(p.status, 200);
	assert.equal(stat(p.body, 'gaps'), '2');
	assert.equal(stat(p.body, 'hours'), '40,0 / 40 h');
	for (const u of ['/hr/report', '/hr/roles', '/hr/report.csv?part=gaps'])
		assert.equal((await people['Anna Primo'].client.get(u)).status, 403, u);
	assert.equal((await trainer.get('/hr/report')).status, 403);
});
