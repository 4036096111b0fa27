// `make faults`: the long version of tests/integ/faults.test.mjs, plus
// the load run: 64 connections for 60 s over a mixed journey with zero
// errors. Prints the figures; exits 1 when a requirement is not met.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

process.env.BASE_URL ||= 'http://127.0.0.1:1';
const { startStack } = await import('../lib/stack.mjs');
const { content, learners, pgRestart, workerKill, badgeKill, mixedLoad } = await import('./suite.mjs');

const SECONDS = Number(process.env.FAULTS_SECONDS || 60);
const CONNS = Number(process.env.FAULTS_CONNECTIONS || 64);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-faults-'));
const failures = [];
const check = (ok, what) => {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
	if (!ok)
		failures.push(what);
};

const stack = await startStack(dir);
try {
	await stack.start();
	const qs = content(stack);
	console.log(`== ${CONNS} learners`);
	const people = await learners(stack, CONNS, 'faults');

	console.log('== PostgreSQL restarted under load');
	let r = await pgRestart(stack, people.slice(0, 16), qs, 20);
	console.log(JSON.stringify({ acked: r.acked.length, statuses: r.statuses, backMs: r.backMs, retryAfter: r.retryAfter }));
	check(r.lost.length === 0, `no acknowledged submission lost (${r.acked.length} acknowledged)`);
	check(r.backMs !== null && r.backMs < 5000, `service back within 5 s (${r.backMs} ms)`);
	check(r.noRetryAfter === 0, `every 503 had Retry-After (${r.retryAfter} 503s)`);

	console.log('== a worker killed under load');
	r = await workerKill(stack, people.slice(0, 16), qs, 20);
	check(r.replaced, `worker ${r.killed} replaced`);
	check(r.lost.length === 0, `no acknowledged submission lost (${r.acked.length} acknowledged)`);

	console.log('== the server killed during badge issuance');
	const b = await badgeKill(stack, people[0], qs);
	console.log(JSON.stringify(b));
	check(b.wasRunning && b.badgesWhileDown === '0' && b.pendingWhileDown === '1', 'issuance interrupted, job still pending');
	check(b.badgesAfter === '1' && b.jobsDone === '1', 'queue resumed after the restart: one badge');

	console.log(`== mixed load: ${CONNS} connections for ${SECONDS} s`);
	const before = fs.statSync(stack.log).size;
	const m = await mixedLoad(stack, people, qs, SECONDS);
	console.log(JSON.stringify({ ...m, perSecond: Math.round(m.requests / SECONDS) }));
	check(m.errors === 0, `zero errors over ${m.requests} requests (${m.submissions} quiz submissions)`);
	const log = fs.readFileSync(stack.log, 'utf8');
	const during = log.slice(before).split('\n').filter((l) => /exited|signal|restart/i.test(l));
	if (during.length)
		console.log(during.join('\n'));
	check(during.length === 0, 'no worker died during the mixed load');
	check(!/seccomp violation/.test(log), 'no sandbox violation in the server log');
} finally {
	await stack.destroy();
}
console.log(failures.length === 0 ? 'faults: all requirements met' : `faults: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
