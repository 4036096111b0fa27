// make bench: turn the measured figures into var/bench/results.json, a
// table on stdout and BENCHMARKS.md (with the machine they ran on).
//
//   node scripts/bench/report.mjs RESULTS.tsv RESULTS.json BENCHMARKS.md GEN_SECONDS STAFF
import fs from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';

const [tsv, json, md, genSeconds, staff] = process.argv.slice(2);
const rows = fs.readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'));
// Only the figure of another run (make loadtest-search: exam_max_users)
// is kept from the previous file; the rest is this run's.
const old = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : {};
const results = {};
for (const [name, value, baseline, unit] of rows) {
	const v = Number(value), b = Number(baseline);
	results[name] = { value: v, baseline: b, ratio: b ? Number((v / b).toFixed(3)) : null, unit };
}
if (old.exam_max_users && !results.exam_max_users)
	results.exam_max_users = old.exam_max_users;
fs.writeFileSync(json, JSON.stringify(results, null, 2) + '\n');

const big = Number(staff);
const targets = {
	a_module_page_public: ['ratio >= 0.85', (r) => r.ratio >= 0.85],
	b_module_page_signed_in: ['ratio >= 0.6', (r) => r.ratio >= 0.6],
	c_quiz_submissions: ['ratio >= 0.7', (r) => r.ratio >= 0.7],
	d_verify_in_process: ['ratio >= 0.6', (r) => r.ratio >= 0.6],
	g_worker_rss_max: ['< 32 MiB', (r) => r.value < 32],
	exam_max_users: ['>= 3000 users, p99 < 1 s at the start', (r) => r.value >= 3000],
};
for (const name of Object.keys(results)) {
	if (name.startsWith('e_report_') && name.endsWith(`_${big}`))
		targets[name] = ['< 1000 ms, growth <= staff growth', (r) => r.value < 1000 && r.ratio <= 10];
}

const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || '?';
const pg = execSync('psql --version').toString().trim();
const machine = `${os.cpus().length} vCPU (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Linux ${os.release()}, ${pg}; load generators (wrk, node, pgbench) on the same CPUs`;

const line = (c) => `| ${c.join(' | ')} |`;
const table = [line(['figure', 'value', 'baseline', 'ratio', 'unit', 'target', 'met'])];
table.push(line(['---', '---:', '---:', '---:', '---', '---', '---']));
for (const [name, r] of Object.entries(results)) {
	const t = targets[name];
	table.push(line([name, r.value, r.baseline, r.ratio ?? '', r.unit, t ? t[0] : '', t ? (t[1](r) ? 'yes' : '**no**') : '']));
}
console.log(table.join('\n'));

// What stands behind the figures, written by hand after a run.
const notes = new URL('notes.md', import.meta.url).pathname;
const date = new Date().toISOString().slice(0, 10);
fs.writeFileSync(md, `# Benchmarks

\`make bench\` measures Capacita against baselines run on the same machine in
the same run (nginx serving the same bytes, pgbench on the same cluster, a raw
libsodium loop); each figure is the median of 3 runs. See \`scripts/bench.sh\`
for what each figure is.

Latest run: ${date}, on ${machine}.
Synthetic data: ${staff} staff generated in ${genSeconds} s
(\`bin/capacita generate\`).

${table.join('\n')}

For (e) the baseline is the same report at the smaller scale, so the ratio
is how the time grew while the staff grew tenfold. For (f) the baseline is
parsing and checking the same 300 files without the database.
${fs.existsSync(notes) ? '\n' + fs.readFileSync(notes, 'utf8') : ''}`);
