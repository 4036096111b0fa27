// Issue 10: make backup and make restore. The test cluster's database and
// the server's issuer keys are backed up, then restored into another
// database and keys directory; badges issued before the backup still
// verify (and revoked ones are still revoked) against the restored keys
// and status list, and nothing else changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, TMP, cli, sql } from '../lib/util.mjs';

const PASS = 'una frase lunga e segreta';
const DB = `capacita_restore_${process.pid}`;
const KEYS = process.env.CAPACITA_KEYS_DIR;
const RKEYS = path.join(TMP, `keys-restored-${process.pid}`);
const BACKUPS = path.join(TMP, `backups-${process.pid}`);
const rq = (query) => execFileSync('psql', ['-Atq', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', query], { encoding: 'utf8' }).trim();
// The restored copy has no signed audit checkpoints of its own yet (the
// live server's file is ahead of the snapshot: README, "Audit log").
const restoredEnv = { PGDATABASE: DB, CAPACITA_KEYS_DIR: RKEYS, CAPACITA_DSN: `host=${process.env.PGHOST} dbname=${DB} user=${process.env.PGUSER || 'postgres'}`, CAPACITA_AUDIT_FILE: path.join(TMP, `restored-checkpoints-${process.pid}.jsonl`) };

function run(script, args, env) {
	return spawnSync(path.join(ROOT, 'scripts', script), args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

let backedUp, archive, badge, revoked;

// { table: 'count' } from the manifest of a backup.
function manifestRows(file) {
	const m = execFileSync('tar', ['-xOf', file, 'MANIFEST'], { encoding: 'utf8' });
	return Object.fromEntries([...m.matchAll(/^rows (\S+) (\d+)$/gm)].map((x) => [x[1], x[2]]));
}

before(() => {
	// A badge issued by the server's key, and one revoked, if the other
	// tests left none: sign one with the active key, as issuance does.
	badge = sql('SELECT credential FROM badges WHERE revoked_at IS NULL ORDER BY issued_at LIMIT 1');
	revoked = sql('SELECT credential FROM badges WHERE revoked_at IS NOT NULL ORDER BY issued_at LIMIT 1');
	if (!badge) {
		const key = fs.readdirSync(KEYS).filter((f) => /^issuer-\d+\.json$/.test(f)).sort().pop();
		const unsigned = path.join(TMP, `unsigned-${process.pid}.json`);
		const issuer = `${process.env.CAPACITA_BASE_URL}/issuer`;
		fs.writeFileSync(unsigned, fs.readFileSync(path.join(ROOT, 'scripts/bench/credential.json'), 'utf8').replace('https://capacita.example.org/issuer', issuer));
		const kid = /^issuer-(\d+)\.json$/.exec(key)[1];
		const s = cli(['sign', '--key', path.join(KEYS, key), '--vm', `${issuer}#key-${kid}`, unsigned]);
		assert.equal(s.status, 0, s.stderr);
		badge = s.stdout;
	}
});

after(() => {
	execFileSync('psql', ['-q', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${DB}`]);
	fs.rmSync(RKEYS, { recursive: true, force: true });
	fs.rmSync(BACKUPS, { recursive: true, force: true });
	fs.rmSync(restoredEnv.CAPACITA_AUDIT_FILE, { force: true });
});

test('make backup: a tar with the dump, the sealed keys and a manifest', () => {
	assert.equal(run('backup.sh', [], { BACKUP_DIR: BACKUPS, CAPACITA_BACKUP_PASSPHRASE: '' }).status, 1, 'no passphrase, no backup');
	const short = run('backup.sh', [], { BACKUP_DIR: BACKUPS, CAPACITA_BACKUP_PASSPHRASE: 'corta' });
	assert.notEqual(short.status, 0);
	assert.match(short.stderr, /at least 12 characters/);
	// A checkpoint of the audit chain now, so that the backup has one.
	assert.equal(cli(['audit', 'checkpoint']).status, 0);
	const checkpoints = fs.readFileSync(process.env.CAPACITA_AUDIT_FILE);
	const r = run('backup.sh', [], { BACKUP_DIR: BACKUPS, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.equal(r.status, 0, r.stderr);
	archive = r.stdout.trim().split('\n').pop();
	assert.ok(fs.existsSync(archive), archive);
	assert.equal(fs.statSync(archive).mode & 0o777, 0o600);
	const list = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n').sort();
	assert.deepEqual(list, ['MANIFEST', 'audit-checkpoints.jsonl', 'db.dump', 'keys.vault']);
	// The checkpoints as the server had written them before the dump,
	// with their checksum in the manifest.
	backedUp = execFileSync('tar', ['-xOf', archive, 'audit-checkpoints.jsonl']);
	assert.ok(backedUp.length >= checkpoints.length && backedUp.subarray(0, checkpoints.length).equals(checkpoints));
	assert.match(execFileSync('tar', ['-xOf', archive, 'MANIFEST'], { encoding: 'utf8' }), /^[0-9a-f]{64}  audit-checkpoints\.jsonl$/m);
	// The row count of every table, from the dump's own snapshot.
	const rows = manifestRows(archive);
	const tables = sql(`SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`).split(',');
	assert.deepEqual(Object.keys(rows).sort(), tables.sort());
	assert.ok(Number(rows.module_versions) > 0 && Number(rows.schema_migrations) > 0);
	// The secret keys never appear in clear in the archive.
	const secret = JSON.parse(fs.readFileSync(path.join(KEYS, fs.readdirSync(KEYS).find((f) => f.endsWith('.json'))), 'utf8')).secretKeyMultibase;
	assert.ok(secret && !fs.readFileSync(archive).includes(Buffer.from(secret)));
});

test('make restore refuses a wrong passphrase and a damaged file, changing nothing', () => {
	const wrong = run('restore.sh', [archive], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: 'un altra frase sbagliata' });
	assert.notEqual(wrong.status, 0);
	assert.match(wrong.stderr, /wrong passphrase/);
	assert.equal(fs.existsSync(RKEYS), false);
	assert.equal(sql(`SELECT count(*) FROM pg_database WHERE datname = '${DB}'`), '0');
	// Flip one byte of the dump inside a copy of the archive.
	const dir = fs.mkdtempSync(path.join(TMP, 'dmg-'));
	execFileSync('tar', ['-C', dir, '-xf', archive]);
	const dump = path.join(dir, 'db.dump');
	const b = fs.readFileSync(dump);
	b[b.length >> 1] ^= 0xff;
	fs.writeFileSync(dump, b);
	const bad = path.join(dir, 'bad.tar');
	execFileSync('tar', ['-C', dir, '-cf', bad, 'MANIFEST', 'db.dump', 'keys.vault', 'audit-checkpoints.jsonl']);
	const r = run('restore.sh', [bad], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /damaged/);
	assert.equal(sql(`SELECT count(*) FROM pg_database WHERE datname = '${DB}'`), '0');
	// A dump that restores but holds fewer rows than the manifest says
	// (here: the manifest claims one more badge) is not put in place.
	execFileSync('tar', ['-C', dir, '-xf', archive, 'db.dump']);
	const manifest = fs.readFileSync(path.join(dir, 'MANIFEST'), 'utf8');
	const n = Number(manifestRows(archive).badges);
	fs.writeFileSync(path.join(dir, 'MANIFEST'), manifest.replace(/^rows badges \d+$/m, `rows badges ${n + 1}`));
	const short = path.join(dir, 'short.tar');
	execFileSync('tar', ['-C', dir, '-cf', short, 'MANIFEST', 'db.dump', 'keys.vault', 'audit-checkpoints.jsonl']);
	const s = run('restore.sh', [short], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.notEqual(s.status, 0);
	assert.match(s.stderr, new RegExp(`table badges has ${n} rows, the backup ${n + 1}`));
	assert.match(s.stderr, /left as it was/);
	assert.equal(sql(`SELECT count(*) FROM pg_database WHERE datname LIKE '${DB}%'`), '0', 'neither the target nor the side database');
	// The manifest is not signed: a table name that is not a plain name
	// is refused, never put into SQL.
	fs.writeFileSync(path.join(dir, 'MANIFEST'), manifest + 'rows users";DROP/**/TABLE/**/users;-- 1\n');
	execFileSync('tar', ['-C', dir, '-cf', short, 'MANIFEST', 'db.dump', 'keys.vault', 'audit-checkpoints.jsonl']);
	const inj = run('restore.sh', [short], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.notEqual(inj.status, 0);
	assert.match(inj.stderr, /bad line in the manifest/);
	assert.equal(sql(`SELECT count(*) FROM pg_database WHERE datname LIKE '${DB}%'`), '0');
	fs.rmSync(RKEYS, { recursive: true, force: true });
});

test('make restore: same data, same keys; badges issued before still verify', () => {
	const r = run('restore.sh', [archive], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.equal(r.status, 0, r.stderr + r.stdout);
	// The keys, byte for byte, mode 0600.
	for (const f of fs.readdirSync(KEYS).filter((x) => x.endsWith('.json'))) {
		assert.deepEqual(fs.readFileSync(path.join(RKEYS, f)), fs.readFileSync(path.join(KEYS, f)), f);
		assert.equal(fs.statSync(path.join(RKEYS, f)).mode & 0o777, 0o600);
	}
	// The data: every table as counted when the backup was taken (the
	// server went on working since), and the audit chain intact.
	for (const [t, n] of Object.entries(manifestRows(archive)))
		assert.equal(rq(`SELECT count(*) FROM "${t}"`), n, t);
	for (const t of ['users', 'badges', 'evidence', 'attempts', 'audit_log', 'module_versions'])
		assert.ok(Number(sql(`SELECT count(*) FROM ${t}`)) >= Number(rq(`SELECT count(*) FROM ${t}`)), t);
	// The backup's audit checkpoints, where the restored copy keeps
	// them (it had none), and the chain checked against them.
	assert.match(r.stdout, /audit checkpoints restored to/);
	assert.deepEqual(fs.readFileSync(restoredEnv.CAPACITA_AUDIT_FILE), backedUp);
	const av = cli(['audit', 'verify'], restoredEnv);
	assert.equal(av.status, 0, av.stdout + av.stderr);
	// The badge verifies with the restored status list.
	const status = path.join(TMP, `status-${process.pid}.json`);
	fs.writeFileSync(status, rq('SELECT credential FROM status_lists WHERE id = 1'));
	const cred = path.join(TMP, `badge-${process.pid}.json`);
	fs.writeFileSync(cred, badge);
	const v = cli(['verify', '--status', status, cred], restoredEnv);
	assert.equal(v.status, 0, v.stdout + v.stderr);
	assert.match(v.stdout, /^valid/);
	if (revoked) {
		fs.writeFileSync(cred, revoked);
		const x = cli(['verify', '--status', status, cred], restoredEnv);
		assert.equal(x.status, 1);
		assert.match(x.stdout, /revoked/);
	}
	// The restored keys are the ones the database knows.
	assert.deepEqual(cli(['keys', 'show'], restoredEnv).stdout, cli(['keys', 'show']).stdout);
});

test('restoring over other keys needs --force; the same keys are fine', () => {
	const again = run('restore.sh', [archive], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.equal(again.status, 0, again.stderr);
	const f = path.join(RKEYS, fs.readdirSync(RKEYS)[0]);
	const orig = fs.readFileSync(f);
	fs.writeFileSync(f, '{"other": true}');
	const r = run('restore.sh', [archive], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /exists with another key/);
	assert.equal(fs.readFileSync(f, 'utf8'), '{"other": true}', 'not overwritten');
	const forced = run('restore.sh', [archive], { ...restoredEnv, CAPACITA_BACKUP_PASSPHRASE: PASS, RESTORE_FORCE_KEYS: '1' });
	assert.equal(forced.status, 0, forced.stderr);
	assert.deepEqual(fs.readFileSync(f), orig);
});
