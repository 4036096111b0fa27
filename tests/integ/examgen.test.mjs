// The exam-day generator (obj/examgen, tests/load/examgen.c) against a
// stack of its own: 20 learners, each on the course page first, released
// together, 8 page views each with 30-90 ms of thought, every submission
// recorded once with the score its answers deserve (four variants: 16,
// 14, 14.5 and 14 of 16), and the check itself catching a score the
// database got wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMGEN, examStack, exam, clean, verify } from '../load/exam-lib.mjs';

test('examgen: 20 learners take the exam, every attempt recorded once with its score', async () => {
	assert.ok(fs.existsSync(EXAMGEN), 'obj/examgen is built by make test');
	const s = await examStack(fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-examgen-')));
	try {
		const r = await exam(s, 20, 1, { think: 0.001, coursePage: true });
		assert.deepEqual(r.steps.map((x) => [x.step, x.requests, x.errors]),
		    [['start', 20, 0], ['page', 160, 0], ['submit', 20, 0], ['course', 20, 0]], JSON.stringify(r.steps));
		assert.ok(clean(r), JSON.stringify({ ...r, ctx: undefined, sent: undefined }));
		assert.deepEqual(r.scores, [16, 14, 14.5, 14]);
		// The database's scores, as submitted: five of each variant.
		const got = s.sql(`SELECT score FROM attempts WHERE id IN (${r.sent.map((x) => `'${x.id}'`).join(',')}) ORDER BY score`).split('\n').map(Number);
		assert.deepEqual(got, [...Array(10).fill(14), ...Array(5).fill(14.5), ...Array(5).fill(16)]);
		assert.ok(r.gen.generator.cpu_s > 0 && r.gen.phases[0].starts === 20, JSON.stringify(r.gen));
		// A score changed behind the generator's back is caught.
		s.sql(`UPDATE attempts SET score = score - 1 WHERE id = '${r.sent[0].id}'`);
		assert.equal(verify(s, r.ctx).wrongScore, 1);
	} finally {
		await s.destroy();
	}
});
