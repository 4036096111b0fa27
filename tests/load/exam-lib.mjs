// The exam day (issue 20), shared by `make loadtest` (tests/load/exam.mjs)
// and its quick check in `make test` (tests/integ/examgen.test.mjs):
// a stack of its own with the 16-question exam (tests/data/exam),
// learners signed in beforehand, and the C generator (obj/examgen,
// tests/load/examgen.c) driving them all; then the database must hold
// every attempt the generator submitted, once, with the score the
// answers it submitted deserve.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../lib/stack.mjs';
import { ROOT } from '../lib/util.mjs';

export const EXAMGEN = path.join(ROOT, 'obj/examgen');

// The stack, with the exam course and an agency for its candidates.
export async function examStack(dir) {
	const s = await startStack(dir);
	const r = s.cli(['import', path.join(ROOT, 'tests/data/exam')]);
	if (r.status !== 0)
		throw new Error(r.stderr);
	s.sql("INSERT INTO orgs (parent_id, kind, code, name, path) SELECT id, 'agency', 'esame-ente', 'Ente d''esame', '' FROM orgs WHERE code = 'puglia' ON CONFLICT DO NOTHING");
	s.sql("UPDATE orgs o SET path = p.path || o.id || '/' FROM orgs p WHERE o.code = 'esame-ente' AND p.id = o.parent_id");
	// The time of each WAL fsync (pg_stat_wal.wal_sync_time).
	s.sql('ALTER SYSTEM SET track_wal_io_timing = on');
	s.sql('SELECT pg_reload_conf()');
	await s.start();
	return s;
}

/*
 * n learners with a session each, enrolled in the exam course. Sessions
 * are written to the database the way a sign-in writes them (a random
 * token, stored as its SHA-256, and a CSRF secret), which is quicker
 * than n Argon2id sign-ins and measures nothing less of the exam.
 */
function learners(s, n, from) {
	const rows = [];
	for (let i = from; i < from + n; i++) {
		const token = crypto.randomBytes(32).toString('base64url');
		const csrf = crypto.randomBytes(32).toString('base64url');
		const hash = crypto.createHash('sha256').update(token).digest('hex');
		rows.push({ i, token, csrf, hash });
	}
	const file = path.join(s.dir, `learners-${from}.sql`);
	fs.writeFileSync(file, `BEGIN;
INSERT INTO users (name, email, org_id) SELECT 'Candidato ' || i, 'exam' || i || '@load.capacita.test', (SELECT id FROM orgs WHERE code = 'esame-ente') FROM generate_series(${from}, ${from + n - 1}) i;
INSERT INTO user_roles (user_id, role) SELECT id, 'learner' FROM users WHERE email LIKE 'exam%@load.capacita.test' AND id NOT IN (SELECT user_id FROM user_roles);
INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES
${rows.map((r) => `(decode('${r.hash}', 'hex'), (SELECT id FROM users WHERE email = 'exam${r.i}@load.capacita.test'), '${r.csrf}', now() + interval '12 hours')`).join(',\n')};
INSERT INTO enrolments (user_id, course_id, source) SELECT u.id, c.id, 'assigned' FROM users u, courses c WHERE c.slug = 'esame' AND u.email LIKE 'exam%@load.capacita.test' ON CONFLICT DO NOTHING;
COMMIT;
`);
	execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', file], { env: s.env });
	return rows;
}

// The exam's questions, in order, with what makes an answer right.
function questions(s) {
	return s.sql("SELECT q.type, q.points, q.truth, (SELECT json_agg(json_build_object('t', o.text, 'c', o.correct) ORDER BY o.position) FROM question_options o WHERE o.question_id = q.id) FROM questions q JOIN modules m ON m.current_version_id = q.version_id WHERE m.slug = 'esame-finale' ORDER BY q.position")
	    .split('\n').map((r) => {
		const [type, points, truth, json] = r.split('|');
		return { type, points: Number(points), truth: truth === 't', opts: JSON.parse(json || '[]') };
	});
}

function right(q) {
	switch (q.type) {
	case 'single': return [q.opts.find((o) => o.c).t];
	case 'multiple': return q.opts.filter((o) => o.c).map((o) => o.t);
	case 'truefalse': return [q.truth ? 'true' : 'false'];
	case 'order': return q.opts.map((o) => o.t);
	case 'short': return [q.opts[0].t];
	default: throw new Error(`the exam has a ${q.type} question: give it an answer here`);
	}
}

/*
 * The answer variants (learner i answers variant i % 4): all right; the
 * first single choice and the first true/false wrong; the first multiple
 * choice half right (one of its two right options ticked) and the
 * ordering reversed; the short answer wrong and the last single choice
 * left blank. Each a list, per question, of the labels (or values) the
 * generator must find on the page.
 */
function variants(qs) {
	const first = (type) => qs.findIndex((q) => q.type === type);
	const last = (type) => qs.map((q) => q.type).lastIndexOf(type);
	const v = [0, 1, 2, 3].map(() => qs.map(right));
	v[1][first('single')] = [qs[first('single')].opts.find((o) => !o.c).t];
	v[1][first('truefalse')] = [qs[first('truefalse')].truth ? 'false' : 'true'];
	v[2][first('multiple')] = [qs[first('multiple')].opts.find((o) => o.c).t];
	v[2][first('order')] = [...v[2][first('order')]].reverse();
	v[3][first('short')] = ['risposta sbagliata'];
	v[3][last('single')] = [];
	return v;
}

/*
 * The score the answers deserve, by the grading rules (src/quiz.c,
 * quiz_grade), computed here from the labels submitted: single, true/
 * false, short and ordering all or nothing; multiple choice (right
 * picks - wrong picks) / right options, never below 0; blank: 0.
 */
function grade(qs, answers) {
	let score = 0;
	const fold = (x) => x.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
	qs.forEach((q, i) => {
		const a = answers[i];
		if (!a || a.length === 0)
			return;
		let f = 0;
		switch (q.type) {
		case 'single':
			f = q.opts.find((o) => o.t === a[0])?.c ? 1 : 0;
			break;
		case 'multiple': {
			const nr = q.opts.filter((o) => o.c).length;
			const pr = a.filter((t) => q.opts.find((o) => o.t === t)?.c).length;
			const pw = a.length - pr;
			f = pr <= pw ? 0 : Math.min(1, (pr - pw) / nr);
			break;
		}
		case 'truefalse':
			f = (a[0] === 'true') === q.truth ? 1 : 0;
			break;
		case 'order':
			f = a.every((t, k) => q.opts[k].t === t) && a.length === q.opts.length ? 1 : 0;
			break;
		case 'short':
			f = q.opts.some((o) => fold(o.t) === fold(a[0])) ? 1 : 0;
			break;
		}
		score += f * q.points;
	});
	return score;
}

function treeRoot(s) {
	return Number(fs.readFileSync(path.join(s.dir, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

// The generator, to its end: its JSON figures.
function generate(args, log) {
	return new Promise((resolve, reject) => {
		const g = spawn(EXAMGEN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		g.stdout.on('data', (d) => { out += d; });
		g.stderr.on('data', (d) => { err += d; if (log) process.stderr.write(d); });
		g.on('error', reject);
		g.on('exit', (code, sig) => {
			try {
				resolve(JSON.parse(out));
			} catch {
				reject(new Error(`examgen exited ${code ?? sig}: ${err}${out}`));
			}
		});
	});
}

/*
 * One exam for n candidates (emails exam<from>... ): the generator's
 * figures, the database's WAL fsyncs, and the check of every attempt.
 * opts: think (the think-time scale), pages (8), coursePage (each
 * learner reads the course page before the release), log (the
 * generator's stderr through).
 */
export async function exam(s, n, from, opts = {}) {
	const people = learners(s, n, from);
	const qs = questions(s);
	const vs = variants(qs);
	const lfile = path.join(s.dir, `gen-learners-${from}.tsv`);
	const pfile = path.join(s.dir, `gen-plan-${from}.tsv`);
	const ofile = path.join(s.dir, `gen-out-${from}.tsv`);
	fs.writeFileSync(lfile, people.map((p, k) => `capacita_session=${p.token}\t${p.csrf}\t${k % vs.length}\n`).join(''));
	fs.writeFileSync(pfile, vs.flatMap((v, vi) => v.flatMap((a, qi) => a.map((t) => `${vi}\t${qi}\t${t}\n`))).join(''));
	const url = new URL(s.base);
	const walq = 'SELECT wal_sync, wal_sync_time FROM pg_stat_wal';
	const wal0 = s.sql(walq).split('|').map(Number);
	const gen = await generate(['-a', `${url.hostname}:${url.port}`, '-l', lfile, '-p', pfile, '-o', ofile,
	    '-n', String(opts.pages ?? 8), '-t', String(opts.think ?? 1),
	    ...(opts.coursePage ? ['-C', '/learn/esame'] : []),
	    '-w', `pg:${treeRoot(s)}`, '-w', `kore:${s.kore.pid}`], opts.log);
	const wal1 = s.sql(walq).split('|').map(Number);
	const wal = wal1[0] - wal0[0];
	const r = verify(s, { n, from, people, qs, vs, ofile });
	const start = gen.phases[0];
	return {
		...r, gen, steps: gen.steps, fsyncPerSubmit: r.submitted ? wal / r.submitted : 0,
		fsyncMs: wal ? (wal1[1] - wal0[1]) / wal : 0,
		pgMsPerStart: start.starts ? start.pg_cpu_s * 1000 / start.starts : 0,
		koreMsPerStart: start.starts ? start.kore_cpu_s * 1000 / start.starts : 0,
		genMsPerStart: start.starts ? start.generator_cpu_s * 1000 / start.starts : 0,
	};
}

// What the generator submitted (its out file), against what the
// database holds: exported so that a test can show it catches a wrong
// score.
export function verify(s, { n, from, people, qs, vs, ofile }) {
	const rows = fs.readFileSync(ofile, 'utf8').split('\n').filter(Boolean).map((l) => {
		const [k, v, id, sub] = l.split('\t');
		return { k: Number(k), v: Number(v), id, submitted: sub === '1' };
	});
	const sent = rows.filter((r) => r.submitted);
	const want = vs.map((v) => grade(qs, v));
	const max = qs.reduce((a, q) => a + q.points, 0);
	const got = new Map();
	if (sent.length > 0) {
		for (const l of s.sql(`SELECT a.id, a.score, a.max_score, a.submitted_at IS NOT NULL, u.email FROM attempts a JOIN users u ON u.id = a.user_id WHERE a.id IN (${sent.map((x) => `'${x.id}'`).join(',')})`).split('\n').filter(Boolean)) {
			const [id, sc, mx, ok, email] = l.split('|');
			got.set(id, { sc: Number(sc), mx: Number(mx), ok: ok === 't', email });
		}
	}
	let wrongScore = 0, missing = 0;
	for (const x of sent) {
		const g = got.get(x.id);
		if (!g || !g.ok || g.email !== `exam${people[x.k].i}@load.capacita.test`)
			missing++;
		else if (Math.abs(g.sc - want[x.v]) > 1e-6 || g.mx !== max)
			wrongScore++;
	}
	// Once: one attempt per candidate of this exam, no more.
	const perUser = s.sql(`SELECT count(*) FILTER (WHERE n > 1), coalesce(sum(n), 0) FROM (SELECT a.user_id, count(*) n FROM attempts a JOIN users u ON u.id = a.user_id JOIN modules m ON m.id = a.module_id WHERE m.slug = 'esame-finale' AND u.email LIKE 'exam%@load.capacita.test' AND substring(u.email FROM 'exam([0-9]+)@')::int BETWEEN ${from} AND ${from + n - 1} GROUP BY a.user_id) c`).split('|').map(Number);
	return {
		users: n, submitted: sent.length, started: rows.length, sent,
		wrongScore, missing, duplicated: perUser[0], attempts: perUser[1],
		scores: want, max, ctx: { n, from, people, qs, vs, ofile },
	};
}

// True when every learner started and submitted, without an error, each
// attempt recorded once with its score.
export function clean(r) {
	return r.submitted === r.users && r.started === r.users && r.attempts === r.users &&
	    r.wrongScore === 0 && r.missing === 0 && r.duplicated === 0 && r.steps.every((x) => x.errors === 0);
}

export function table(r, think) {
	const lines = [];
	const g = r.gen, st = g.phases[0], rest = g.phases[1];
	lines.push(`exam: ${r.users} users released together (connections open in ${g.open_ms} ms), think time x${think}, ${g.run_s} s`);
	lines.push('step    requests  errors   p50 ms   p95 ms   p99 ms   max ms');
	for (const x of r.steps.filter((y) => y.requests > 0))
		lines.push(`${x.step.padEnd(8)}${String(x.requests).padStart(8)}${String(x.errors).padStart(8)}${x.p50.toFixed(0).padStart(9)}${x.p95.toFixed(0).padStart(9)}${x.p99.toFixed(0).padStart(9)}${x.max.toFixed(0).padStart(9)}`);
	for (const x of r.steps)
		if (Object.keys(x.codes).length)
			lines.push(`errors (${x.step}): ${JSON.stringify(x.codes)}`);
	lines.push(`start burst: ${st.s} s for ${st.starts} starts (${st.pages} pages, ${st.submits} submissions within it); CPU ms a start: PostgreSQL ${r.pgMsPerStart.toFixed(2)}, Kore ${r.koreMsPerStart.toFixed(2)}, generator ${r.genMsPerStart.toFixed(2)}`);
	lines.push(`CPU s, start burst / rest: PostgreSQL ${st.pg_cpu_s} / ${rest.pg_cpu_s}, Kore ${st.kore_cpu_s} / ${rest.kore_cpu_s}, generator ${st.generator_cpu_s} / ${rest.generator_cpu_s}; the whole machine ${st.machine_cpu_s} / ${rest.machine_cpu_s} (${os.cpus().length} cores)`);
	lines.push(`generator: ${g.generator.cpu_s} s CPU (${g.generator.cores} of a core over the run, ${g.generator.ms_per_request} ms a request, ${g.generator.maxrss_kb} kB resident), ${g.reconnects} reconnections, ${g.server_closed_idle} idle connections closed by the server`);
	lines.push(`WAL fsyncs a submission: ${r.fsyncPerSubmit.toFixed(2)}, ${r.fsyncMs.toFixed(2)} ms each on average`);
	lines.push(`submitted ${r.submitted} of ${r.users} (scores by variant ${r.scores.join(', ')} of ${r.max}): recorded with a wrong score ${r.wrongScore}, missing ${r.missing}, candidates with more than one attempt ${r.duplicated}`);
	return lines.join('\n');
}
