// Issue 7, scale: `capacita generate` makes a synthetic organisation for
// make bench, in SQL. Here a small one, in a database of its own in the
// test cluster, checked for shape and for consistency with the level
// rule and the report functions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ROOT, cli } from '../lib/util.mjs';

const DB = `capacita_gen_${process.pid}`;
const env = { PGDATABASE: DB, CAPACITA_DSN: `host=${process.env.PGHOST} dbname=${DB} user=${process.env.PGUSER || 'postgres'}` };
const q = (query) => execFileSync('psql', ['-Atq', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', query], { encoding: 'utf8' }).trim();

before(() => {
	execFileSync('psql', ['-q', '-d', 'postgres', '-c', `CREATE DATABASE ${DB}`]);
	for (const args of [['migrate'], ['import', ROOT]]) {
		const r = cli(args, env);
		assert.equal(r.status, 0, r.stderr);
	}
});

after(() => {
	execFileSync('psql', ['-q', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${DB}`]);
});

test('generate: staff, framework, question bank, roles, evidence, hours', () => {
	const r = cli(['generate', '--staff', '600', '--competences', '30', '--seed', '7'], env);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /generated 600 staff, 30 competences/);
	assert.equal(q("SELECT count(*) FROM users WHERE email LIKE '%@gen.capacita.test'"), '600');
	assert.equal(q("SELECT count(*) FROM competences c JOIN frameworks f ON f.id = c.framework_id WHERE f.slug = 'generated' AND c.parent IS NOT NULL"), '30');
	assert.equal(q("SELECT count(*) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE m.slug = 'gen-bank'"), String(30 * 3 * 3));
	// 5 regions x 20 agencies x 10 offices; staff spread evenly.
	assert.equal(q("SELECT count(*) FROM orgs WHERE code LIKE 'gen-%' AND kind = 'office'"), '1000');
	assert.equal(q("SELECT max(n) - min(n) <= 1 FROM (SELECT count(*) AS n FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.code LIKE 'gen-%' GROUP BY o.id) x"), 't');
	// Everyone holds one or two roles; each role requires 8 competences.
	assert.equal(q("SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM user_job_roles GROUP BY user_id) x"), '1-2');
	assert.equal(q("SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM job_role_requirements r JOIN job_roles j ON j.id = r.role_id WHERE j.code LIKE 'gen-role-%' GROUP BY role_id) x"), '8-8');
	// Evidence always matches its question, more often right at lower levels.
	assert.equal(q('SELECT count(*) FROM evidence e JOIN questions qq ON qq.id = e.question_id WHERE qq.competence <> e.competence OR qq.level <> e.level'), '0');
	const share = q("SELECT string_agg(s, ',' ORDER BY rank) FROM (SELECT l.rank, round(avg(e.correct::int), 2)::text AS s FROM evidence e JOIN levels l ON l.name = e.level GROUP BY l.rank) x");
	const [b, i, a] = share.split(',').map(Number);
	assert.ok(b > i && i > a, `right answers by level: ${share}`);
	// Hours for about four people in five.
	const hours = Number(q('SELECT count(*) FROM hours_ledger'));
	assert.ok(hours > 400 && hours < 560, `hours rows: ${hours}`);
});

test('generated levels are what the rule gives, and reports add up', () => {
	const before = q("SELECT md5(string_agg(user_id || competence || coalesce(rank, 0), ',' ORDER BY user_id, competence)) FROM competence_levels");
	q('SELECT competence_recompute(id) FROM users WHERE id % 7 = 0');
	const after = q("SELECT md5(string_agg(user_id || competence || coalesce(rank, 0), ',' ORDER BY user_id, competence)) FROM competence_levels");
	assert.equal(after, before, 'recomputing one by one changes nothing');
	assert.ok(Number(q('SELECT count(*) FROM competence_levels WHERE rank IS NOT NULL')) > 0);
	// gap_cells over a region equals the requirements counted directly.
	const region = q("SELECT path FROM orgs WHERE code = 'puglia'");
	const cells = q(`SELECT count(*) || '/' || count(*) FILTER (WHERE achieved >= required) FROM gap_cells('${region}', '', '')`);
	const direct = q(`SELECT count(*) || '/' || count(*) FILTER (WHERE coalesce(cl.rank, 0) >= x.rank) FROM (SELECT u.id, r.competence, max(r.rank) AS rank FROM users u JOIN orgs o ON o.id = u.org_id JOIN user_job_roles uj ON uj.user_id = u.id JOIN job_role_requirements r ON r.role_id = uj.role_id WHERE o.path LIKE '${region}%' GROUP BY u.id, r.competence) x LEFT JOIN competence_levels cl ON cl.user_id = x.id AND cl.competence = x.competence`);
	assert.equal(cells, direct);
	assert.ok(Number(cells.split('/')[0]) > 0);
});

test('generate refuses to run twice', () => {
	const r = cli(['generate', '--staff', '10'], env);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /already there/);
	assert.equal(cli(['generate', '--staff', 'many'], env).status, 2);
});
