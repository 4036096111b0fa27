// Issue 18: a demo that shows everything. `make run DEMO=1` runs
// `bin/capacita demo` after the import (scripts/run.sh): one user per
// role with printed passwords, a few hundred people with histories over
// nine months, editions with a comparison cohort, badges with one
// revoked. Here on a stack of its own (its own database and server),
// as a newcomer would meet it: every role signs in with the printed
// password and every page of the role shows data, checked in Chromium
// with axe-core and html-validate, screenshots in
// tests/out/screenshots/demo-*.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client, ROOT, TMP, sql } from '../lib/util.mjs';
import { startStack } from '../lib/stack.mjs';
import { browser, catalogue } from './lib.mjs';

let stack, b, first;
const pw = {};

// The demo's user of each role (the governance demo prints its own).
const ROLE_USERS = ['demo.corsista', 'demo.formatrice', 'demo.personale', 'demo.attestati', 'demo.amministrazione'];

function passwords(out) {
	const got = {};
	for (const m of out.matchAll(/^\s+(\S+)@example\.org\s+(\S+)\s+password: (\S+)$/gm))
		if (ROLE_USERS.includes(m[1]))
			got[m[2].split(';')[0]] = { email: `${m[1]}@example.org`, password: m[3] };
	return got;
}

function counts() {
	return stack.sql(`SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM enrolments) || ' ' ||
	    (SELECT count(*) FROM badges) || ' ' || (SELECT count(*) FROM editions) || ' ' ||
	    (SELECT count(*) FROM evidence) || ' ' || (SELECT count(*) FROM orgs) || ' ' ||
	    (SELECT count(*) FROM user_job_roles)`);
}

before(async () => {
	stack = await startStack(path.join(TMP, `demo-${process.pid}`));
	// What make run DEMO=1 does after migrate and import.
	const boot = stack.cli(['bootstrap']);
	assert.equal(boot.status, 0, boot.stderr);
	const r = stack.cli(['demo']);
	assert.equal(r.status, 0, r.stderr);
	first = r.stdout;
	Object.assign(pw, passwords(first));
	await stack.start();
	b = await browser();
});

after(async () => {
	await b?.close();
	await stack?.destroy();
});

test('the demo: one user per role with a printed password, a few hundred people over months, a second run duplicates nothing', async () => {
	assert.deepEqual(Object.keys(pw).sort(), ['admin', 'hr', 'issuer', 'learner', 'trainer']);
	for (const [role, u] of Object.entries(pw))
		assert.equal(stack.sql(`SELECT string_agg(role, ',' ORDER BY role) FROM user_roles r JOIN users x ON x.id = r.user_id WHERE x.email = '${u.email}'`).split(',').includes(role), true, role);
	const people = Number(stack.sql(`SELECT count(*) FROM users WHERE email LIKE '%@persone.example.org' AND demo`));
	assert.ok(people >= 300, `${people} people`);
	// Role profiles for everybody; histories spread over months.
	assert.equal(stack.sql(`SELECT count(*) FROM users u WHERE u.email LIKE '%@persone.example.org' AND NOT EXISTS (SELECT 1 FROM user_job_roles j WHERE j.user_id = u.id)`), '0');
	const months = Number(stack.sql(`SELECT count(DISTINCT date_trunc('month', at)) FROM evidence`));
	assert.ok(months >= 7, `evidence over ${months} months`);
	assert.equal(stack.sql(`SELECT count(*) FROM evidence WHERE at > now()`), '0', 'nothing in the future');
	assert.ok(Number(stack.sql(`SELECT count(*) FROM enrolments WHERE completed_at IS NOT NULL`)) >= 100);
	assert.ok(Number(stack.sql(`SELECT count(*) FROM module_reads WHERE seconds >= 60`)) >= 300, 'time spent reading');
	// Every course with a pool: an edition and its comparison cohort,
	// tested before, again before the course and after.
	const pools = Number(stack.sql(`SELECT count(*) FROM courses WHERE assessment_module_id IS NOT NULL`));
	assert.ok(pools >= 1);
	assert.equal(stack.sql(`SELECT count(*) FROM editions WHERE compares_with IS NOT NULL`), String(pools));
	for (const phase of ['pre', 'retest', 'post'])
		assert.ok(Number(stack.sql(`SELECT count(*) FROM assessments WHERE phase = '${phase}' AND submitted_at IS NOT NULL`)) >= 5 * pools, phase);
	// Badges from the job queue; one revoked by the issuer, audited.
	assert.ok(Number(stack.sql(`SELECT count(*) FROM badges`)) >= 100);
	assert.equal(stack.sql(`SELECT count(*) FROM badges WHERE revoked_at IS NOT NULL AND revoked_by = (SELECT id FROM users WHERE email = '${pw.issuer.email}')`), '1');
	assert.equal(stack.sql(`SELECT count(*) FROM audit_log WHERE event = 'badge.revoke' AND actor = '${pw.issuer.email}'`), '1');
	assert.equal(stack.sql(`SELECT count(*) FROM jobs WHERE done_at IS NULL`), '0');
	assert.equal(stack.cli(['audit', 'verify']).status, 0, 'the audit chain is intact');

	// A second run: the same data, new passwords (the old ones stop).
	const before2 = counts();
	const again = stack.cli(['demo']);
	assert.equal(again.status, 0, again.stderr);
	assert.equal(counts(), before2, 'nothing duplicated');
	const pw2 = passwords(again.stdout);
	assert.deepEqual(Object.keys(pw2).sort(), Object.keys(pw).sort());
	assert.notEqual(pw2.learner.password, pw.learner.password);
	Object.assign(pw, pw2);

	// make run without DEMO=1 makes none of it: the shared test server
	// was set up as make run is (migrate, import) and has no demo data.
	assert.equal(sql(`SELECT count(*) FROM users WHERE email LIKE '%@persone.example.org' OR email LIKE 'demo.%@example.org'`), '0');
	assert.match(fs.readFileSync(path.join(ROOT, 'scripts/run.sh'), 'utf8'), /if \[ "\$\{DEMO:-0\}" = 1 \]; then\n\tbin\/capacita demo\nfi/);
});

// Every page of every role, with what it must show.
const pages = {
	learner: [
		['/learn', /corso|course/i, (body) => (body.match(/class="card/g) || []).length >= 3],
		['/learn/history', null, (body) => (body.match(/<tr/g) || []).length >= 4],
		['/me/competences', null, (body) => /intermedio|base|avanzato/.test(body)],
		['/assessments', null, (body) => (body.match(/<tr/g) || []).length >= 3],
		['/badges', null, (body) => /\/badges\/[0-9a-f-]{36}/.test(body)],
	],
	trainer: [
		['/author', null, (body) => (body.match(/<tr/g) || []).length >= 10],
		['/ratings', null, (body) => /MED\.2|COO\.1|DAT\.1/.test(body)],
	],
	hr: [
		['/hr/people', null, (body) => (body.match(/<tr/g) || []).length >= 300],
		['/hr/report', null, (body) => /<svg/.test(body)],
		['/hr/roles', null, (body) => /operatore-sportello/.test(body)],
		['/hr/editions', null, (body) => /primavera/.test(body) && /estate/.test(body)],
		['/hr/impact', null, (body) => /\[[+−-]?\d+[.,]\d+; [+−-]?\d+[.,]\d+\]/.test(body)],
		['/hr/funder', null, (body) => /\d+[.,]\d/.test(body)],
	],
	issuer: [
		['/issuer/badges', null, (body) => (body.match(/<tr/g) || []).length >= 100],
	],
	admin: [
		['/admin', null, () => true],
		// Issue 18: roles in words, not codes ("learner, hr").
		['/admin/users', null, (body) => (body.match(/<tr/g) || []).length >= 100 && /<td>Corsista<\/td>/.test(body) && !/<td>[a-z, ]*\b(learner|trainer|issuer)\b/.test(body)],
		['/admin/orgs', null, (body) => /demo-sportello-stranieri/.test(body)],
		['/admin/audit', null, (body) => /attestato revocato/.test(body) && /edizione creata/.test(body)],
	],
};

// What a page shows, read as a person would: its main text, without
// the network addresses of the security log and the names of standards
// with their version (Open Badges 3.0), which are no decimals.
async function shown(page) {
	return (await page.locator('main').innerText()).replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '')
	    .replace(/(Open Badges|xAPI|WCAG|OB) \d+(\.\d+)+/g, '');
}

const MONTHS = /\b\d{1,2} (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) \d{4}\b/;
const seen = { dates: 0, decimals: 0 };

for (const role of Object.keys(pages)) {
	test(`the demo's ${role} signs in with the printed password and every page shows data, in Italian forms, under a one-line header`, async () => {
		const j = await b.journey(`demo-${role}`, { base: stack.base });
		const { page } = j;
		await j.login(pw[role].email, pw[role].password);
		for (const [p, , has] of pages[role]) {
			const r = await page.goto(stack.base + p);
			assert.equal(r.status(), 200, p);
			const body = await r.text();
			assert.ok(has(body), `${role} ${p} shows data`);
			// Issue 18: one Italian date form, decimal commas.
			const text = await shown(page);
			assert.doesNotMatch(text, /\b\d{1,2}\/\d{1,2}\/\d{4}\b/, `${p}: a date as dd/mm/yyyy`);
			assert.doesNotMatch(text, /\b\d{4}-\d{2}-\d{2}\b/, `${p}: a date as yyyy-mm-dd`);
			assert.doesNotMatch(text, /\d\.\d/, `${p}: a decimal point`);
			seen.dates += MONTHS.test(text);
			seen.decimals += /\d,\d/.test(text);
			// The header on one line at 1280 px.
			const lines = await page.evaluate(() => new Set([...document.querySelectorAll('header nav .navbar-nav > li')].map((li) => Math.round(li.getBoundingClientRect().top))).size);
			assert.equal(lines, 1, `${p}: the menu on ${lines} lines`);
			await j.check(p.replace(/\//g, '-').slice(1));
		}
		await j.end();
	});
}

test('the demo\'s pages write dates in words and decimals with a comma', () => {
	assert.ok(seen.dates >= 5, `${seen.dates} pages with a date in words`);
	assert.ok(seen.decimals >= 5, `${seen.decimals} pages with a decimal comma`);
});

test('the demo\'s large downloads keep every worker alive', async () => {
	const c = new Client(stack.base);
	assert.equal((await c.login(pw.hr.email, pw.hr.password)).status, 303);
	const r = await c.get('/hr/report.csv?part=people');
	assert.equal(r.status, 200);
	assert.ok(r.body.length > 100000, `${r.body.length} bytes`);
	assert.equal((await c.get('/hr/people')).status, 200);
	assert.doesNotMatch(fs.readFileSync(stack.log, 'utf8'), /sandbox violation|seccomp violation|worker .* gone/);
});

// Issue 18: CSV downloads were comma-separated with decimal points,
// English headers and no byte order mark, so Excel in Italian showed one
// column and garbled accents. Each download of the demo's HR office,
// opened as a spreadsheet program would (tests/lib/spreadsheet.py: the
// encoding from the mark, the separator sniffed by Python's csv module).
test('every CSV download opens in a spreadsheet: Italian by default, international with ?format=intl', async () => {
	const it = catalogue('it'), en = catalogue('en');
	const c = new Client(stack.base);
	assert.equal((await c.login(pw.hr.email, pw.hr.password)).status, 303);
	const pool = stack.sql(`SELECT slug FROM courses WHERE assessment_module_id IS NOT NULL ORDER BY slug LIMIT 1`);
	// Each download: its columns, and those that must be numbers.
	const downloads = [
		['/hr/report.csv?part=heatmap', 'unit,competence,people_required,people_meeting,share', ['people_required', 'share']],
		['/hr/report.csv?part=gaps', 'competence,name,level_required,people_required,people_short,courses', ['people_short']],
		['/hr/report.csv?part=people', 'name,email,unit,competence,level_required,level_achieved,gap', []],
		['/hr/report.csv?part=hours', 'name,email,unit,year,hours,target,target_met', ['hours']],
		['/hr/report.csv?part=tree', 'competence,name,depth,requirements,met,share,on_competence_itself', ['requirements', 'share']],
		['/hr/roles.csv', 'role,name,competence,level', []],
		[`/hr/impact.csv?course=${pool}`, 'group_by,key,label,group,started,excluded,n,attrition,mean_first,mean_second,mean_change,ci_low,ci_high,hake_gain,mean_individual_gain,n_individual_gain,median_days,did,did_low,did_high,suppressed', ['mean_first', 'mean_change']],
		['/hr/funder.csv', 'course,title,region,participants,completions,completion_rate,hours_delivered,badges_issued,badges_revoked,gain_n,mean_pre,mean_post,mean_change,change_ci_low,change_ci_high,hake_gain,gain_suppressed', ['completion_rate', 'hours_delivered']],
	];
	const get = async (u) => {
		const res = await fetch(stack.base + u, { headers: { cookie: c.cookieHeader() } });
		return { status: res.status, ctype: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
	};
	const open = (body, name) => {
		const f = path.join(stack.dir, name);
		fs.writeFileSync(f, body);
		const r = spawnSync('python3', [path.join(ROOT, 'tests/lib/spreadsheet.py'), f], { encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		return JSON.parse(r.stdout);
	};
	let n = 0;
	for (const [url, head, numbers] of downloads) {
		const names = head.split(',');
		for (const intl of [false, true]) {
			const r = await get(url + (intl ? (url.includes('?') ? '&' : '?') + 'format=intl' : ''));
			assert.equal(r.status, 200, url);
			assert.match(r.ctype, /^text\/csv; charset=utf-8/);
			const s = open(r.bytes, `csv-${n++}.csv`);
			const t = intl ? en : it;
			assert.equal(s.bom, !intl, `${url}: byte order mark`);
			assert.equal(s.delimiter, intl ? ',' : ';', `${url}: separator`);
			assert.deepEqual(s.header, names.map((k) => t(`csv.${k}`)), `${url}: headers`);
			assert.deepEqual(s.widths, [names.length], `${url}: every row has every column`);
			assert.ok(s.rows >= 1, `${url}: rows`);
			for (const k of numbers) {
				const col = s.columns[t(`csv.${k}`)];
				assert.ok(col.values > 0, `${url} ${k}: values`);
				assert.equal(intl ? col.english_numbers : col.italian_numbers, true, `${url} ${k}: ${col.sample}`);
			}
		}
	}
	// Accents read right: the demo's people include Nicolò and D'Amico.
	const people = open((await get('/hr/report.csv?part=people')).bytes, 'people.csv');
	assert.match(people.text, /Nicolò/);
	assert.match(people.text, /D'Amico/);
	assert.doesNotMatch(people.text, /Ã|\ufffd/);
	assert.match(people.text, /;sì\r?\n|;sì$/m, 'yes and no in Italian');
});
