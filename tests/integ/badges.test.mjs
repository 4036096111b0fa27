// Issue 6: Open Badges 3.0 credentials signed with eddsa-jcs-2022:
// issuance from the completion queue, download, offline and independent
// verification, every tampered copy refused, expiry, wrong keys,
// revocation through the status list, key rotation.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, Client, TMP, cli, contentDir, elapse, http, org, sql, user, signedIn, unique } from '../lib/util.mjs';
import { keyPairFromMultibase, sign, verify } from '../lib/vc.mjs';

const tag = unique('bd').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`;
const W3C = { pub: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2', sec: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq' };
let learner, email, badgeId, badgeText, dir;

function write(name, text) {
	const p = path.join(dir, name);
	fs.writeFileSync(p, typeof text === 'string' ? text : JSON.stringify(text, null, 2));
	return p;
}

function verifyCli(file, ...args) {
	return cli(['verify', ...args, file]);
}

async function waitForBadge(uid) {
	for (let i = 0; i < 100; i++) {
		const id = sql(`SELECT id FROM badges WHERE user_id = ${uid}`);
		if (id)
			return id;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('no badge issued');
}

before(async () => {
	dir = contentDir(tag, {
		[`modules/${M}.md`]: `---\ntitle: Modulo ${tag}\nslug: ${M}\nlang: it\nminutes: 60\nsummary: Un modulo.\n---\nTesto.\n`,
		[`courses/${C}.md`]: `---\ntitle: Corso attestato ${tag}\nslug: ${C}\nlang: it\nsummary: Corso.\nhours: 2,5\nmodules:\n  - ${M}\nbadge-name: Attestato di prova ${tag}\nbadge-description: Descrizione dell'attestato.\nbadge-criteria: Lettura del modulo.\ncompetences:\n  - GOV.1 base\n  - ACC.2 intermedio\n---\nDescrizione.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('basilicata', `${tag}-ente`, 'Ente badge');
	email = `Learner.${tag}@Example.org`;
	const u = await user({ email, org: `${tag}-ente` });
	learner = await signedIn(u);
	let csrf = await learner.csrf('/me');
	await learner.post('/learn/enrol', { form: { csrf, course: C } });
	const page = await learner.get(`/modules/${M}`);
	const version = /name="version" value="(\d+)"/.exec(page.body)[1];
	await elapse(learner, version);
	csrf = await learner.csrf('/me');
	await learner.post('/learn/read', { form: { csrf, version } });
	badgeId = await waitForBadge(u.id);
	badgeText = (await learner.get(`/badges/${badgeId}.json`)).body;
});

test('completion issues an OpenBadgeCredential with every required field, no personal data in clear', () => {
	const c = JSON.parse(badgeText);
	assert.deepEqual(c['@context'], ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
	assert.deepEqual(c.type, ['VerifiableCredential', 'OpenBadgeCredential']);
	assert.equal(c.id, `urn:uuid:${badgeId}`);
	assert.equal(c.issuer.id, `${sql("SELECT 1") && new URL('/issuer', 'http://127.0.0.1:8080').href}`);
	assert.deepEqual(c.issuer.type, ['Profile']);
	assert.ok(c.issuer.name.length > 0);
	assert.match(c.validFrom, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	const s = c.credentialSubject;
	assert.deepEqual(s.type, ['AchievementSubject']);
	const idn = s.identifier[0];
	assert.equal(idn.type, 'IdentityObject');
	assert.equal(idn.hashed, true);
	assert.equal(idn.identityType, 'emailAddress');
	assert.equal(idn.identityHash, 'sha256$' + createHash('sha256').update(email.toLowerCase() + idn.salt).digest('hex'));
	assert.ok(!badgeText.toLowerCase().includes(email.toLowerCase()), 'no e-mail in clear');
	assert.ok(!badgeText.includes(tag + '@'), 'no e-mail in clear');
	const a = s.achievement;
	assert.deepEqual(a.type, ['Achievement']);
	assert.equal(a.name, `Attestato di prova ${tag}`);
	assert.equal(a.criteria.narrative, 'Lettura del modulo.');
	assert.equal(a.creditsAvailable, 2.5);
	assert.deepEqual(a.alignment.map((x) => x.targetCode), ['ACC.2', 'GOV.1']);
	for (const al of a.alignment) {
		assert.deepEqual(al.type, ['Alignment']);
		assert.ok(al.targetName && al.targetUrl);
	}
	const sha = sql(`SELECT v.sha256 FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${M}'`);
	assert.ok(c.evidence[0].description.includes(sha), 'evidence names the module version by its SHA-256');
	assert.equal(c.credentialStatus.type, 'BitstringStatusListEntry');
	assert.equal(c.credentialStatus.statusPurpose, 'revocation');
	assert.match(c.credentialStatus.statusListIndex, /^\d+$/);
	assert.equal(c.proof.type, 'DataIntegrityProof');
	assert.equal(c.proof.cryptosuite, 'eddsa-jcs-2022');
	assert.equal(c.proof.proofPurpose, 'assertionMethod');
	assert.match(c.proof.verificationMethod, /^did:key:z6Mk\w+#z6Mk\w+$/);
	assert.equal(badgeText, sql(`SELECT credential FROM badges WHERE id = '${badgeId}'`), 'the download is the stored credential');
	assert.equal(sql(`SELECT done_at IS NOT NULL FROM jobs j JOIN badges b ON j.ref = b.enrolment_id::text WHERE j.kind = 'badge' AND b.id = '${badgeId}'`), 't');
});

test('the badge verifies offline with bin/capacita and with an independent implementation', async () => {
	const f = write('badge.json', badgeText);
	let r = verifyCli(f);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /^valid: issued by/);
	const status = (await http('/status/1')).body;
	r = verifyCli(f, '--status', write('status.json', status));
	assert.equal(r.status, 0, r.stdout);
	assert.doesNotMatch(r.stdout, /not checked/);
	assert.equal(verify(JSON.parse(badgeText)), true, 'node:crypto + canonicalize agree');
	assert.equal(verify(JSON.parse(status)), true, 'the status list is signed too');
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText, headers: { 'content-type': 'application/json' } })).body);
	assert.equal(api.valid, true, JSON.stringify(api));
	assert.equal(api.statusChecked, true);
});

test('a credential signed by the independent implementation verifies with bin/capacita', () => {
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	const doc = JSON.parse(badgeText);
	delete doc.proof;
	doc.name = 'Signed by Node: € ö 😀 "quoted" \\ / \u0001';
	doc.credentialSubject.achievement.creditsAvailable = 0.1 + 0.2;
	const signed = sign(doc, k, '2026-01-01T00:00:00Z');
	const f = write('node-signed.json', signed);
	const r = verifyCli(f);
	assert.equal(r.status, 0, r.stdout);
	// The server knows it is not one of its own keys.
	return http('/api/verify', { method: 'POST', body: JSON.stringify(signed) }).then((res) => {
		const j = JSON.parse(res.body);
		assert.equal(j.valid, false);
		assert.ok(j.reasons.some((x) => /^unknown key/.test(x)), j.reasons.join('; '));
	});
});

test('bin/capacita sign reproduces the W3C eddsa-jcs-2022 test vector', () => {
	const key = write('w3c-key.json', { publicKeyMultibase: W3C.pub, secretKeyMultibase: W3C.sec });
	const r = cli(['sign', '--key', key, '--created', '2023-02-24T23:36:38Z', new URL('../data/vc/w3c-unsigned.json', import.meta.url).pathname]);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(JSON.parse(r.stdout).proof.proofValue, 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX');
	assert.equal(verify(JSON.parse(r.stdout)), true);
});

function leaves(v, p = []) {
	if (v && typeof v === 'object')
		return Object.entries(v).flatMap(([k, x]) => leaves(x, [...p, k]));
	return [p];
}

function setAt(o, p, f) {
	let x = o;
	for (const k of p.slice(0, -1))
		x = x[k];
	x[p.at(-1)] = f(x[p.at(-1)]);
}

test('every field changed in turn fails verification with the right reason', () => {
	const orig = JSON.parse(badgeText);
	const paths = leaves(orig).filter((p) => p[0] !== 'proof' || p[1] !== 'proofValue');
	assert.ok(paths.length > 30, `${paths.length} fields`);
	let checked = 0;
	for (const p of paths) {
		const c = structuredClone(orig);
		setAt(c, p, (v) => typeof v === 'string' ? v + 'x' : typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : 'x');
		const r = verifyCli(write('tampered.json', c));
		assert.equal(r.status, 1, `changing ${p.join('.')} was not noticed`);
		if (p[0] === '@context' || (p[0] === 'proof' && p[1] === '@context'))
			assert.match(r.stdout, /context mismatch/, p.join('.'));
		else if (p[0] === 'proof' && p[1] === 'verificationMethod')
			assert.match(r.stdout, /unknown key|bad signature/, p.join('.'));
		else if (p[0] === 'proof' && ['type', 'cryptosuite', 'proofPurpose', 'created'].includes(p[1]))
			assert.match(r.stdout, /malformed|bad signature/, p.join('.'));
		else
			assert.match(r.stdout, /bad signature/, p.join('.'));
		checked++;
	}
	assert.equal(checked, paths.length);
	// Structural tampering.
	const noProof = structuredClone(orig);
	delete noProof.proof;
	assert.match(verifyCli(write('t.json', noProof)).stdout, /malformed: no eddsa-jcs-2022 proof/);
	const badSig = structuredClone(orig);
	badSig.proof.proofValue = badSig.proof.proofValue.slice(0, -2) + (badSig.proof.proofValue.endsWith('11') ? '22' : '11');
	assert.match(verifyCli(write('t.json', badSig)).stdout, /bad signature/);
	const added = structuredClone(orig);
	added.credentialSubject.extra = 'x';
	assert.match(verifyCli(write('t.json', added)).stdout, /bad signature/);
	assert.equal(verifyCli(write('t.json', badgeText.replace('"name"', '"name": "dup", "name"'))).status, 1, 'duplicate keys refused');
	assert.match(verifyCli(write('t.json', '{"truncated": ')).stdout, /^malformed/);
	assert.equal(cli(['verify', path.join(dir, 'no-such-file.json')]).status, 2);
	assert.equal(cli(['verify']).status, 2);
});

test('expired, not yet valid and wrong-key credentials', () => {
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	const base = JSON.parse(badgeText);
	delete base.proof;
	const expired = sign({ ...base, validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' }, k, '2020-01-01T00:00:00Z');
	let r = verifyCli(write('expired.json', expired));
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^expired/m);
	r = verifyCli(write('expired.json', expired), '--at', '2020-06-01T00:00:00Z');
	assert.equal(r.status, 0, 'valid at a time inside its period');
	const future = sign({ ...base, validFrom: '2099-01-01T00:00:00Z' }, k, '2026-01-01T00:00:00Z');
	r = verifyCli(write('future.json', future));
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^not yet valid/m);
	assert.match(verifyCli(write('b.json', badgeText), '--at', '2000-01-01T00:00:00Z').stdout, /not yet valid/);
	// Signed by one key, claiming another.
	const other = sign(base, k, '2026-01-01T00:00:00Z');
	other.proof.verificationMethod = JSON.parse(badgeText).proof.verificationMethod;
	assert.match(verifyCli(write('wrong.json', other)).stdout, /bad signature/);
	const https = structuredClone(other);
	https.proof.verificationMethod = 'https://example.org/keys#1';
	assert.match(verifyCli(write('https.json', https)).stdout, /unknown key/);
});

test('an issuer revokes with a reason: status list, page, API and CLI say revoked', async () => {
	const issuer = await signedIn(await user({ email: `iss-${tag}@example.org`, org: `${tag}-ente`, roles: 'issuer' }));
	const list = await issuer.get('/issuer/badges');
	assert.match(list.body, new RegExp(badgeId));
	const csrf = await issuer.csrf('/issuer/badges');
	assert.equal((await issuer.post('/issuer/badges', { form: { csrf, badge: badgeId, reason: '' } })).status, 400);
	const r = await issuer.post('/issuer/badges', { form: { csrf, badge: badgeId, reason: 'Rilasciato per errore' } });
	assert.equal(r.status, 200);
	assert.match(r.body, /Attestato revocato/);
	assert.equal((await issuer.post('/issuer/badges', { form: { csrf, badge: badgeId, reason: 'di nuovo' } })).status, 409);
	assert.equal(sql(`SELECT details FROM audit_log WHERE event = 'badge.revoke' AND subject = '${badgeId}'`), 'Rilasciato per errore');

	const status = (await http('/status/1')).body;
	const sl = JSON.parse(status);
	assert.deepEqual(sl.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
	assert.equal(sl.credentialSubject.statusPurpose, 'revocation');
	assert.equal(verify(sl), true);
	const bits = gunzipSync(Buffer.from(sl.credentialSubject.encodedList.slice(1), 'base64url'));
	assert.ok(bits.length * 8 >= 131072, `${bits.length * 8} entries`);
	const idx = Number(JSON.parse(badgeText).credentialStatus.statusListIndex);
	assert.equal((bits[idx >> 3] >> (7 - (idx & 7))) & 1, 1, 'the badge\'s bit is set');

	const cl = verifyCli(write('b.json', badgeText), '--status', write('s.json', status));
	assert.equal(cl.status, 1);
	assert.match(cl.stdout, /^revoked$/m);
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText })).body);
	assert.equal(api.valid, false);
	assert.equal(api.revoked, true);
	const page = await http(`/verify?id=${badgeId}`);
	assert.match(page.body, /L&#39;attestato NON è valido/);
	assert.match(page.body, /revocato dall&#39;emittente/);
	// Another issuer's subtree cannot revoke it.
	org('puglia', `${tag}-altro`, 'Altro ente');
	const stranger = await signedIn(await user({ email: `iss2-${tag}@example.org`, org: `${tag}-altro`, roles: 'issuer' }));
	const c2 = await stranger.csrf('/issuer/badges');
	assert.equal((await stranger.post('/issuer/badges', { form: { csrf: c2, badge: badgeId, reason: 'x' } })).status, 404);
});

test('the web verifier takes an upload or a paste and answers in plain words', async () => {
	const v = new Client();
	const csrf = await v.csrf('/verify');
	const good = JSON.parse(badgeText);
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	const r = await v.post('/verify', { multipart: { csrf, file: { filename: 'b.json', content: badgeText, type: 'application/json' } } });
	assert.equal(r.status, 200);
	assert.match(r.body, /revocato/);
	const tampered = { ...good, name: 'Altro nome' };
	const r2 = await v.post('/verify', { multipart: { csrf, credential: JSON.stringify(tampered) } });
	assert.match(r2.body, /La firma non corrisponde/);
	const r3 = await v.post('/verify', { multipart: { csrf, credential: 'not json' } });
	assert.match(r3.body, /non è un attestato Open Badges 3.0 completo/);
	assert.equal((await v.post('/verify', { multipart: { csrf } })).status, 400);
	void k;
});

test('the controller document publishes the keys; rotation keeps old badges verifiable', async () => {
	const doc = JSON.parse((await http('/issuer')).body);
	const vm = JSON.parse(badgeText).proof.verificationMethod;
	assert.ok(doc.assertionMethod.includes(vm));
	assert.equal(doc.verificationMethod.find((m) => m.id === vm).type, 'Multikey');
	const r = cli(['keys', 'rotate'], { CAPACITA_KEYS_DIR: process.env.CAPACITA_KEYS_DIR });
	assert.equal(r.status, 0, r.stderr);
	const after = JSON.parse((await http('/issuer')).body);
	assert.equal(after.assertionMethod.length, doc.assertionMethod.length + 1);
	assert.ok(after.assertionMethod.includes(vm), 'the old key stays published');
	const keyFiles = fs.readdirSync(process.env.CAPACITA_KEYS_DIR);
	assert.ok(keyFiles.length >= 2);
	for (const f of keyFiles)
		assert.equal(fs.statSync(path.join(process.env.CAPACITA_KEYS_DIR, f)).mode & 0o777, 0o600, f);
	assert.equal(fs.statSync(process.env.CAPACITA_KEYS_DIR).mode & 0o777, 0o700);
	const kf = JSON.parse(fs.readFileSync(path.join(process.env.CAPACITA_KEYS_DIR, keyFiles.sort().at(-1)), 'utf8'));
	assert.match(kf.publicKeyMultibase, /^z6Mk/);
	assert.match(kf.secretKeyMultibase, /^z/);
	// The status list is now signed by the new key and still verifies.
	const sl = JSON.parse((await http('/status/1')).body);
	assert.equal(verify(sl), true);
	assert.ok(!sl.proof.verificationMethod.includes(vm.split('#')[1]));
	const old = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText })).body);
	assert.ok(!old.reasons.some((x) => /unknown key|bad signature/.test(x)), old.reasons.join('; '));
});

test('the certificate page has a QR code to the public verification page', async () => {
	const page = await learner.get(`/badges/${badgeId}`);
	assert.equal(page.status, 200);
	assert.match(page.body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+" class="qr" role="img"/);
	assert.match(page.body, new RegExp(`/verify\\?id=${badgeId}`));
	assert.ok((page.body.match(/h1v1h-1z/g) || []).length > 100, 'a real QR matrix');
	const other = await signedIn(await user({ email: `x-${tag}@example.org`, org: `${tag}-ente` }));
	assert.equal((await other.get(`/badges/${badgeId}`)).status, 404, 'not someone else\'s');
	assert.equal((await other.get(`/badges/${badgeId}.json`)).status, 404);
	void BASE;
});
