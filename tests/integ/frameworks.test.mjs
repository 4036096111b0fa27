// Issue 21: frameworks of any depth and the public frameworks.
//
//  - Moodle's own fixture (tests/data/framework/moodle-example.csv, 64
//    competencies four levels deep) through bin/capacita framework
//    import and export, and through the database (/frameworks/SLUG.csv);
//  - that framework imported as the measured framework of a content
//    tree: evidence, levels, role profiles and the HR gap report at any
//    node, with the requirements rolled up to the parents;
//  - the reference frameworks (Syllabus PA, DigComp 2.2) as pages and
//    CSV, and a course's alignments in its badge, each targetUrl a page
//    that has the competence.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, ROOT, TMP, cli, contentDir, org, sql, user, signedIn, unique, readModule } from '../lib/util.mjs';
import { answer, rightAnswers, wrongAnswers } from '../lib/quiz.mjs';

const tag = unique('fw').replace(/[^a-z0-9-]/g, '');
const EXAMPLE = path.join(ROOT, 'tests/data/framework/moodle-example.csv');
const M = `${tag}-mod`, C = `${tag}-corso`, MB = `${tag}-lettura`, CB = `${tag}-attestato`;
const A = `${tag}-ente`, U = `${tag}-uff`, R = `${tag}-analista`;

// RFC 4180 rows, quoted fields with line breaks included.
function parseCsv(text) {
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"' && text[i + 1] === '"') {
				f += '"';
				i++;
			} else if (ch === '"')
				q = false;
			else
				f += ch;
		} else if (ch === '"')
			q = true;
		else if (ch === ',') {
			row.push(f);
			f = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n')
				i++;
			row.push(f);
			rows.push(row);
			row = [];
			f = '';
		} else
			f += ch;
	}
	if (f !== '' || row.length > 0) {
		row.push(f);
		rows.push(row);
	}
	return rows;
}

const quiz = ['DR-AT1', 'DR-AT-2', 'delivery'].map((c) => [1, 2].map((i) =>
    `? ${c}-${i}\ncompetenza: ${c} Competent\n= vero\n`).join('\n')).join('\n');
const files = () => ({
	[`modules/${M}.md`]: `---\ntitle: Pensiero analitico ${tag}\nslug: ${M}\nlang: it\nminutes: 10\nsummary: Prova.\ncompetences:\n  - DR-AT1\n  - delivery\n---\nTesto.\n\n\`\`\`quiz\n${quiz}\`\`\`\n`,
	[`modules/${MB}.md`]: `---\ntitle: Lettura ${tag}\nslug: ${MB}\nlang: it\nminutes: 10\nsummary: Prova.\n---\nTesto.\n`,
	[`courses/${C}.md`]: `---\ntitle: Corso ${tag}\nslug: ${C}\nlang: it\nsummary: Prova.\nhours: 1\nmodules:\n  - ${M}\nattempts: 0\ncompetences:\n  - DR-AT1 Competent\n  - DR-AT-2 Competent\n---\nDescrizione.\n`,
	[`courses/${CB}.md`]: `---\ntitle: Attestato ${tag}\nslug: ${CB}\nlang: it\nsummary: Prova.\nhours: 1\nmodules:\n  - ${MB}\ncompetences:\n  - analytical-thinking Competent\nalignments:\n  - syllabus-competenze-digitali-pa 3.2 intermedio\n  - digcomp-2.2 4.2\n---\nDescrizione.\n`,
});

let dir, mdFile, hr, p1, p2, qs;

async function takeQuiz(c, right) {
	const csrf = await c.csrf('/me');
	const start = await c.post('/quiz/start', { form: { csrf, course: C, module: M } });
	assert.equal(start.status, 303, start.body.slice(0, 300));
	const r = await answer(c, start.headers.get('location'), right ? rightAnswers(M) : wrongAnswers(M));
	assert.ok(r.status === 200 || r.status === 303, `submit: ${r.status}`);
}

before(async () => {
	dir = contentDir(tag, files());
	fs.mkdirSync(path.join(dir, 'courses'), { recursive: true });
	mdFile = path.join(dir, 'courses/framework.md');
	const imp = cli(['framework', 'import', EXAMPLE, '-o', mdFile]);
	assert.equal(imp.status, 0, imp.stderr);
	const r = cli(['import', dir]);
	assert.equal(r.status, 0, r.stderr + r.stdout);
	qs = Object.fromEntries(sql(`SELECT q.text, q.id FROM questions q JOIN modules m ON q.version_id = m.current_version_id WHERE m.slug = '${M}'`).split('\n').map((l) => l.split('|')));
	org('puglia', A, `Ente ${tag}`);
	org(A, U, `Ufficio ${tag}`);
	hr = await signedIn(await user({ email: `hr-${tag}@example.org`, org: A, roles: 'hr' }));
	p1 = { ...(await user({ name: 'Paola Uno', email: `p1-${tag}@example.org`, org: U })) };
	p2 = { ...(await user({ name: 'Pietro Due', email: `p2-${tag}@example.org`, org: U })) };
	p1.client = await signedIn(p1);
	p2.client = await signedIn(p2);
	for (const p of [p1, p2]) {
		const csrf = await p.client.csrf(`/courses/${C}`);
		assert.equal((await p.client.post('/learn/enrol', { form: { csrf, course: C } })).status, 303);
	}
});

test("Moodle's example.csv: 64 competencies, their parents and scale, out and back", () => {
	const orig = parseCsv(fs.readFileSync(EXAMPLE, 'utf8'));
	assert.equal(orig.length, 66, 'header, framework, 64 competencies');
	const md = fs.readFileSync(mdFile, 'utf8');
	assert.match(md, /\nslug: OECD-CORE\n/);
	assert.match(md, /\n {4}- \*\*DR-AT1\*\* /, 'four levels: competencies > delivery > analytical-thinking > DR-AT1');
	const out = cli(['framework', 'export', mdFile]);
	assert.equal(out.status, 0, out.stderr);
	const rows = parseCsv(out.stdout);
	assert.equal(rows.length, 66);
	const fwRow = rows[1];
	assert.equal(fwRow[1], 'OECD-CORE');
	assert.equal(fwRow[5], 'Not yet competent,Competent');
	const conf = JSON.parse(fwRow[6]);
	assert.deepEqual(conf.slice(1).map((x) => [x.id, x.proficient, x.scaledefault]), [[1, 0, 0], [2, 1, 1]], 'Competent alone proficient, and the default');
	assert.equal(fwRow[13], 'competency,competency,competency,competency');
	assert.match(fwRow[3], /The Core Competencies summarise/);
	assert.match(fwRow[3], /The strategic competencies/, 'the introduction is exported');
	const parents = (rs) => Object.fromEntries(rs.slice(2).map((x) => [x[1], x[0]]));
	assert.deepEqual(parents(rows), parents(orig), 'every competency under the same parent');
	// Capacita's export read back gives the same Markdown.
	const csvFile = path.join(TMP, `${tag}-out.csv`), md2 = path.join(TMP, `${tag}-again.md`);
	fs.writeFileSync(csvFile, out.stdout);
	assert.equal(cli(['framework', 'import', csvFile, '-o', md2]).status, 0);
	assert.equal(fs.readFileSync(md2, 'utf8'), md);
});

test('the framework as stored exports as the file does', async () => {
	const r = await new Client().get('/frameworks/OECD-CORE.csv');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /text\/csv/);
	assert.equal(r.body, cli(['framework', 'export', mdFile]).stdout, 'introduction, taxonomy, proficiency kept by the database');
	const page = await new Client().get('/frameworks/OECD-CORE');
	assert.equal(page.status, 200);
	assert.equal((page.body.match(/<tr id="c-/g) || []).length, 62, '64 less the two areas');
	assert.match(page.body, /<tr id="c-DR-AT1"><th scope="row" class="ps-4">/);
	assert.equal((await new Client().get('/frameworks/no-such-framework')).status, 404);
	assert.equal((await new Client().get('/frameworks/a%2Fb')).status, 404);
});

test('profiles, evidence and levels at any node; the gap report rolls up the tree', async () => {
	let csrf = await hr.csrf('/hr/roles');
	let r = await hr.post('/hr/roles', { multipart: { csrf, code: R, name: 'Analista', requirements: 'DR-AT1 Competent\nDR-AT-2 Competent\ndelivery Competent\nteamwork Competent\n' } });
	assert.equal(r.status, 200, r.body.slice(0, 400));
	csrf = await hr.csrf('/hr/roles');
	r = await hr.post('/hr/roles/import', { multipart: { csrf, csv: { content: `email,role\n${p1.email},${R}\n${p2.email},${R}\n`, filename: 'r.csv' } } });
	assert.equal(r.status, 200, r.body.slice(0, 400));
	await takeQuiz(p1.client, true);
	await takeQuiz(p2.client, false);
	const level = (p, c) => sql(`SELECT coalesce(level, '-') FROM competence_levels WHERE user_id = ${p.id} AND competence = '${c}'`);
	assert.equal(level(p1, 'DR-AT1'), 'Competent', 'a leaf four levels down');
	assert.equal(level(p1, 'delivery'), 'Competent', 'a node in the middle');
	assert.equal(level(p2, 'DR-AT1'), '-');
	// The explanation works at any node.
	let e = await p1.client.get('/me/competences/delivery');
	assert.equal(e.status, 200);
	assert.match(e.body, /Competent/);
	e = await p1.client.get('/me/competences/DR-AT-2');
	assert.equal(e.status, 200);
	assert.equal((await p1.client.get('/me/competences/no-such-code')).status, 404);

	const page = await hr.get(`/hr/report?org=${U}`);
	assert.equal(page.status, 200);
	const row = (code) => {
		const m = new RegExp(`<tr data-code="${code}" class="[^"]*"><th scope="row" class="[^"]*"><span class="code">[^<]*</span> [^<]*</th><td>(\\d+)</td><td>(\\d+)</td><td>([^<]*)</td><td>(\\d+)</td></tr>`).exec(page.body);
		return m ? m.slice(1).join('/') : null;
	};
	// need / met / share / on the node itself, for two people.
	assert.equal(row('competencies'), '8/3/38%/0', 'the area sums all four requirements of both');
	assert.equal(row('delivery'), '8/3/38%/2');
	assert.equal(row('analytical-thinking'), '4/2/50%/0');
	assert.equal(row('DR-AT1'), '2/1/50%/2');
	assert.equal(row('teamwork'), '2/0/0%/2');
	assert.equal(row('levels'), null, 'no requirement under it: no row');
	assert.match(page.body, /data-code="teamwork"/);
	// The same numbers as CSV.
	const csv = await hr.get(`/hr/report.csv?part=tree&org=${U}&format=intl`);
	assert.equal(csv.status, 200);
	const rows = parseCsv(csv.body);
	assert.deepEqual(rows[0], ['competence', 'name', 'depth', 'requirements', 'met', 'share', 'on_competence_itself']);
	const del = rows.find((x) => x[0] === 'delivery');
	assert.deepEqual(del, ['delivery', 'Delivery-related', '1', '8', '3', '0.3750', '2']);
	assert.ok(rows.some((x) => x[0] === 'DR-AT1' && x[2] === '3'), 'four levels: depth 3');
	// The gaps list names the deep competences with the course that teaches them.
	const gaps = await hr.get(`/hr/report.csv?part=gaps&org=${U}&format=intl`);
	assert.match(gaps.body, new RegExp(`\r\nDR-AT1,[^\r]*,Competent,2,1,${C}\r\n`));
	assert.match(gaps.body, /\r\nteamwork,Teamwork and Team Leadership,Competent,2,2,\r\n/);
	// The learner's own profile shows the requirements at every depth.
	const prof = await p2.client.get('/me/competences');
	assert.equal(prof.status, 200);
	assert.match(prof.body, /DR-AT-2/);
	assert.match(prof.body, /teamwork/);
});

test('the reference frameworks: pages, codes as their sources number them, CSV', async () => {
	let r = await new Client().get('/frameworks/digcomp-2.2');
	assert.equal(r.status, 200);
	assert.equal((r.body.match(/<tr id="c-/g) || []).length, 21, 'DigComp: 21 competences');
	assert.equal((r.body.match(/<section class="mt-4" id="c-/g) || []).length, 5, 'in 5 areas');
	assert.match(r.body, /<tr id="c-4\.2">/);
	assert.match(r.body, /JRC128415/);
	r = await new Client().get('/frameworks/syllabus-competenze-digitali-pa');
	assert.equal(r.status, 200);
	assert.equal((r.body.match(/<tr id="c-/g) || []).length, 11, 'Syllabus: 11 competences');
	assert.equal((r.body.match(/<section class="mt-4" id="c-/g) || []).length, 5, 'in 5 areas');
	assert.match(r.body, /<dt class="col-sm-3">base<\/dt>/);
	assert.match(r.body, /<dt class="col-sm-3">avanzato<\/dt>/);
	r = await new Client().get('/frameworks/syllabus-competenze-digitali-pa.csv');
	assert.equal(r.status, 200);
	const rows = parseCsv(r.body);
	assert.equal(rows.length, 2 + 5 + 11);
	assert.equal(rows[1][5], 'base,intermedio,avanzato');
	assert.deepEqual(rows.filter((x) => x[0] === '3').map((x) => x[1]), ['3.1', '3.2']);
	// The shipped course that aligns to them lists the alignment.
	assert.equal(sql("SELECT string_agg(concat_ws(' ', f.slug, a.code, nullif(a.level, '')), '; ' ORDER BY a.position) FROM course_alignments a JOIN courses c ON c.id = a.course_id JOIN frameworks f ON f.id = a.framework_id WHERE c.slug = 'innovazione-valutazione'"), 'syllabus-competenze-digitali-pa 3.2 base; digcomp-2.2 4.2');
});

test("a course's alignments are its badge's, each targetUrl a page that has the competence", async () => {
	const csrf0 = await p1.client.csrf(`/courses/${CB}`);
	assert.equal((await p1.client.post('/learn/enrol', { form: { csrf: csrf0, course: CB } })).status, 303);
	assert.equal((await readModule(p1.client, MB)).status, 303);
	let id = '';
	for (let i = 0; i < 100 && !id; i++) {
		id = sql(`SELECT b.id FROM badges b JOIN enrolments e ON e.id = b.enrolment_id JOIN courses c ON c.id = e.course_id WHERE c.slug = '${CB}'`);
		if (!id)
			await new Promise((res) => setTimeout(res, 100));
	}
	assert.ok(id, 'badge issued');
	const c = JSON.parse((await p1.client.get(`/badges/${id}.json`)).body);
	const al = c.credentialSubject.achievement.alignment;
	assert.deepEqual(al.map((a) => [a.targetCode, a.targetFramework, a.targetDescription ?? null]), [
		// No quiz in this course can certify a level (course_claims):
		// the competence is named without one.
		['analytical-thinking', 'OECD', null],
		['3.2', 'Syllabus «Competenze digitali per la PA»', 'intermedio'],
		['4.2', 'DigComp 2.2 — The Digital Competence Framework for Citizens', null],
	]);
	assert.equal(al[1].targetName, 'Proteggere i dati personali e la privacy');
	assert.equal(al[2].targetName, 'Protecting personal data and privacy');
	for (const a of al) {
		assert.deepEqual(a.type, ['Alignment']);
		assert.equal(a.targetType, 'ceasn:Competency');
		const u = new URL(a.targetUrl);
		const page = await new Client().get(u.pathname);
		assert.equal(page.status, 200, a.targetUrl);
		assert.ok(page.body.includes(`id="${u.hash.slice(1)}"`), `${a.targetUrl} has the competence`);
	}
});
