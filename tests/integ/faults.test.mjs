// Issue 10, the short version of `make faults`: on a stack of its own,
// PostgreSQL restarted and a worker killed while learners submit
// quizzes, and the server killed while it issues a badge. Nothing that
// was acknowledged may be lost; the service must come back by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { TMP, unique, confWorkers } from '../lib/util.mjs';
import { startStack } from '../lib/stack.mjs';
import { content, learners, pgRestart, workerKill, badgeKill } from '../faults/suite.mjs';

const tag = unique('fa').replace(/[^a-z0-9-]/g, '');
let stack, people, qs;

before(async () => {
	stack = await startStack(path.join(TMP, `faults-${process.pid}`));
	await stack.start();
	qs = content(stack);
	people = await learners(stack, 8, tag);
});

after(async () => {
	if (stack)
		await stack.destroy();
});

test('PostgreSQL restarted under load: 503 with Retry-After, back within 5 s, nothing lost', async () => {
	const r = await pgRestart(stack, people, qs, 6);
	assert.ok(r.acked.length > r.ackedBefore, `submissions continued after the restart (${r.ackedBefore} -> ${r.acked.length})`);
	assert.deepEqual(r.lost, [], 'every acknowledged submission is in the database');
	assert.ok(r.backMs !== null && r.backMs < 5000, `service back in ${r.backMs} ms`);
	assert.equal(r.noRetryAfter, 0, 'every 503 carries Retry-After');
	for (const s of Object.keys(r.statuses))
		assert.ok(['200', '303', '503'].includes(s), `status ${s} seen ${r.statuses[s]} times`);
	assert.equal(r.workers, confWorkers(), 'no worker died');
});

test('a worker killed with SIGKILL under load is replaced, nothing lost', async () => {
	const r = await workerKill(stack, people, qs, 6);
	assert.ok(r.replaced, `worker ${r.killed} replaced (${r.workersBefore} -> ${r.workersAfter})`);
	assert.deepEqual(r.lost, []);
	assert.ok(r.acked.length > 0);
});

test('the server killed during badge issuance resumes the queue on restart', async () => {
	const r = await badgeKill(stack, people[0], qs);
	assert.equal(r.completed, '1', 'the course was completed');
	assert.ok(r.wasRunning, 'the badge job was running when the server was killed');
	assert.equal(r.badgesWhileDown, '0', 'the interrupted issuance left no badge');
	assert.equal(r.pendingWhileDown, '1', 'and left its job pending');
	assert.equal(r.badgesAfter, '1', 'one badge after the restart');
	assert.equal(r.jobsDone, '1');
});
