// Issue 17: the audit chain anchored outside the database. A writer who
// can bypass the append-only trigger (session_replication_role =
// replica), edit a row and recompute the chain and its head is caught by
// `audit verify` against the latest checkpoint signed with the issuer's
// key, which lives in a file the database cannot reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TMP, cli, http, sql } from '../lib/util.mjs';
import { keyPairFromMultibase, sign, verify } from '../lib/vc.mjs';

function psqlOn(db, q) {
	return execFileSync('psql', ['-Atq', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', q], { encoding: 'utf8' }).trim();
}

// The chain's hash, as src/store-account.c computes it: each field as
// "<length>:<bytes>\n" (length in bytes), SHA-256 in hex.
function rowHash(prev, r) {
	const fields = [prev, String(r.id), r.at, r.actor, r.event, r.subject, r.details, r.ip];
	const canon = fields.map((f) => `${Buffer.byteLength(f)}:${f}\n`).join('');
	return createHash('sha256').update(canon).digest('hex');
}

// The attack: trigger bypassed, a row edited, every hash after it and
// the head recomputed, all inside the database.
function rewrite(db, id, details) {
	const rows = JSON.parse(psqlOn(db, 'SELECT json_agg(a ORDER BY id) FROM audit_log a'));
	let prev = '0'.repeat(64);
	const updates = [];
	for (const r of rows) {
		if (r.id === id)
			r.details = details;
		const h = rowHash(prev, r);
		updates.push(`UPDATE audit_log SET details = ${quote(r.details)}, prev_hash = '${prev}', hash = '${h}' WHERE id = ${r.id};`);
		prev = h;
	}
	updates.push(`UPDATE audit_head SET last_id = ${rows.at(-1).id}, last_hash = '${prev}';`);
	psqlOn(db, `BEGIN; SET LOCAL session_replication_role = replica; ${updates.join(' ')} COMMIT;`);
}

function quote(s) {
	return `'${s.replace(/'/g, "''")}'`;
}

test('a rewritten and recomputed chain is detected against the signed checkpoint', () => {
	const db = `capacita_anchor_${process.pid}`;
	const dir = fs.mkdtempSync(path.join(TMP, 'anchor-'));
	const file = path.join(dir, 'checkpoints.jsonl');
	sql(`CREATE DATABASE ${db}`);
	const env = {
		CAPACITA_DSN: `host=${process.env.PGHOST} dbname=${db} user=postgres`,
		CAPACITA_KEYS_DIR: path.join(dir, 'keys'),
		CAPACITA_AUDIT_FILE: file,
	};
	try {
		assert.equal(cli(['migrate'], env).status, 0);
		assert.equal(cli(['keys', 'init'], env).status, 0);
		for (let i = 0; i < 5; i++)
			assert.equal(cli(['org', 'add', 'campania', `a${i}`, `Unit ${i}`], env).status, 0);
		let r = cli(['audit', 'checkpoint'], env);
		assert.equal(r.status, 0, r.stderr);
		const line = fs.readFileSync(file, 'utf8').trim().split('\n').at(-1);
		const cp = JSON.parse(line);
		assert.equal(cp.type, 'AuditCheckpoint');
		assert.equal(cp.lastId, Number(psqlOn(db, 'SELECT last_id FROM audit_head')));
		assert.match(cp.proof[0].verificationMethod, /\/issuer#key-1$/);
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 0, r.stdout);
		assert.match(r.stdout, /intact \(matches the latest signed checkpoint\)/);

		// The attack of the issue, done exactly: trigger bypassed with
		// session_replication_role = replica, row 3 edited, chain and
		// head recomputed.
		rewrite(db, 3, 'Forged');
		assert.equal(psqlOn(db, 'SELECT details FROM audit_log WHERE id = 3'), 'Forged');
		// Without the anchor the database alone looks intact: that is the
		// weakness the checkpoint closes.
		r = cli(['audit', 'verify'], { ...env, CAPACITA_AUDIT_FILE: path.join(dir, 'none.jsonl') });
		assert.equal(r.status, 0);
		assert.match(r.stdout, /intact \(no signed checkpoint yet\)/);
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1, r.stdout);
		assert.match(r.stdout, /row \d+ does not have the hash of the signed checkpoint .*: the chain was rewritten/);
		assert.match(r.stdout, /TAMPERED/);
		// The same with the checkpoint given explicitly (e.g. one fetched
		// earlier from /audit/checkpoint and kept elsewhere).
		const kept = path.join(dir, 'kept.json');
		fs.writeFileSync(kept, line);
		assert.equal(cli(['audit', 'verify', '--checkpoint', kept], env).status, 1);

		// A forged checkpoint (the new head, signed by another key) does
		// not help the attacker.
		const w3c = keyPairFromMultibase('z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2', 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq');
		const { proof: _p, ...body } = cp;
		const head = psqlOn(db, 'SELECT last_hash FROM audit_head');
		const forged = sign({ ...body, lastHash: head }, w3c, cp.created, cp.proof[0].verificationMethod);
		fs.appendFileSync(file, JSON.stringify(forged) + '\n');
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /the latest checkpoint is not signed by our issuer: bad signature/);

		// Rows deleted below the checkpoint: detected too.
		fs.writeFileSync(file, line + '\n');
		psqlOn(db, `BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM audit_log WHERE id >= ${cp.lastId}; UPDATE audit_head SET last_id = ${cp.lastId - 1}, last_hash = (SELECT hash FROM audit_log WHERE id = ${cp.lastId - 1}); COMMIT;`);
		r = cli(['audit', 'verify'], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /row \d+ of the signed checkpoint is missing/);
	} finally {
		sql(`DROP DATABASE ${db}`);
	}
});

test('the server publishes the latest checkpoint at /audit/checkpoint, signed by a key of /issuer', async () => {
	const r = cli(['audit', 'checkpoint']);
	assert.equal(r.status, 0, r.stderr);
	const res = await http('/audit/checkpoint');
	assert.equal(res.status, 200);
	const cp = JSON.parse(res.body);
	const file = fs.readFileSync(process.env.CAPACITA_AUDIT_FILE, 'utf8').trim().split('\n').at(-1);
	assert.deepEqual(cp, JSON.parse(file), 'the file\'s last line, not the database');
	assert.ok(cp.lastId >= 1);
	const doc = JSON.parse((await http('/issuer')).body);
	assert.equal(verify(cp, doc), true, 'an independent implementation verifies it with /issuer');
	assert.equal(cp.issuer, doc.id);
	assert.equal(cli(['audit', 'verify']).status, 0);
});
