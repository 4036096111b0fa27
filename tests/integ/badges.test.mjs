// Issues 6 and 17: Open Badges 3.0 credentials signed with eddsa-jcs-2022:
// issuance from the completion queue, key provenance (the issuer's
// controller document), verification by the reference stack
// (@digitalbazaar/vc, controller check on) and 1EdTech's JSON Schema,
// every forgery refused by the CLI, /verify and the API alike, expiry,
// revocation through the status list, key rotation, the public and PDF
// certificates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { BASE, Client, ROOT, TMP, cli, contentDir, elapse, http, org, sql, user, signedIn, unique } from '../lib/util.mjs';
import { keyPairFromMultibase, proofFor, sign, verify } from '../lib/vc.mjs';
import { documentLoader, serverDocs, verifyCredential, issue, suite, Ed25519Multikey, CID_V1 } from '../lib/refstack.mjs';

const tag = unique('bd').replace(/[^a-z0-9-]/g, '');
const M = `${tag}-m`, C = `${tag}-c`;
const W3C = { pub: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2', sec: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq' };
const ISSUER = `${BASE}/issuer`;
const OTHER = 'https://badges.other.example/issuer';
let learner, learnerUser, email, badgeId, badgeText, dir;

function write(name, text) {
	const p = path.join(dir, name);
	fs.writeFileSync(p, typeof text === 'string' || Buffer.isBuffer(text) ? text : JSON.stringify(text, null, 2));
	return p;
}

function verifyCli(file, ...args) {
	return cli(['verify', ...args, file]);
}

// bin/capacita without blocking this process (it serves the documents).
function cliAsync(args, env = {}) {
	return new Promise((resolve) => {
		const p = spawn(path.join(ROOT, 'bin/capacita'), args, { cwd: ROOT, env: { ...process.env, ...env } });
		let stdout = '', stderr = '';
		p.stdout.on('data', (d) => { stdout += d; });
		p.stderr.on('data', (d) => { stderr += d; });
		p.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

// The reference stack, resolving our issuer from the running server.
function loader(extra) {
	return documentLoader(serverDocs(BASE, extra));
}

async function reference(credential) {
	return verifyCredential(credential, loader());
}

function errorsOf(result) {
	const e = result.error;
	return JSON.stringify(e && (e.errors || [e]).map((x) => x.message));
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

// A controller document for a test issuer whose key is the W3C one.
function w3cIssuerDoc(id = OTHER) {
	return {
		'@context': [CID_V1, 'https://w3id.org/security/multikey/v1'],
		id,
		verificationMethod: [{ id: `${id}#key-1`, type: 'Multikey', controller: id, publicKeyMultibase: W3C.pub }],
		assertionMethod: [`${id}#key-1`],
	};
}

// The three verifiers on one credential: the CLI (offline, with our key
// store), the web page and the API.
async function allThree(credential, name) {
	const text = typeof credential === 'string' ? credential : JSON.stringify(credential);
	const c = verifyCli(write(`${name}.json`, text));
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: text })).body);
	const v = new Client();
	const csrf = await v.csrf('/verify');
	const page = await v.post('/verify', { multipart: { csrf, credential: text } });
	return { cli: c, api, page };
}

async function assertRefused(credential, name, reason, words) {
	const r = await allThree(credential, name);
	assert.equal(r.cli.status, 1, `${name}: CLI exit ${r.cli.status}: ${r.cli.stdout}${r.cli.stderr}`);
	assert.match(r.cli.stdout, reason, `${name}: CLI reason`);
	assert.doesNotMatch(r.cli.stdout, /^valid/m);
	assert.equal(r.api.valid, false, `${name}: API ${JSON.stringify(r.api)}`);
	assert.ok(r.api.reasons.some((x) => reason.test(x)), `${name}: API reasons ${r.api.reasons.join('; ')}`);
	assert.equal(r.page.status, 200);
	assert.match(r.page.body, /L&#39;attestato NON è valido/, `${name}: /verify`);
	assert.match(r.page.body, words, `${name}: /verify words`);
}

before(async () => {
	dir = contentDir(tag, {
		[`modules/${M}.md`]: `---\ntitle: Modulo ${tag}\nslug: ${M}\nlang: it\nminutes: 60\nsummary: Un modulo.\n---\nTesto.\n`,
		[`courses/${C}.md`]: `---\ntitle: Corso attestato ${tag}\nslug: ${C}\nlang: it\nsummary: Corso.\nhours: 2,5\nmodules:\n  - ${M}\nbadge-name: Attestato di prova ${tag}\nbadge-description: Descrizione dell'attestato.\nbadge-criteria: Lettura del modulo.\ncompetences:\n  - GOV.1 base\n  - ACC.2 intermedio\n---\nDescrizione.\n`,
	});
	assert.equal(cli(['import', dir]).status, 0);
	org('basilicata', `${tag}-ente`, 'Ente badge');
	email = `Learner.${tag}@Example.org`;
	learnerUser = await user({ email, org: `${tag}-ente` });
	learner = await signedIn(learnerUser);
	let csrf = await learner.csrf('/me');
	await learner.post('/learn/enrol', { form: { csrf, course: C } });
	const page = await learner.get(`/modules/${M}`);
	const version = /name="version" value="(\d+)"/.exec(page.body)[1];
	await elapse(learner, version);
	csrf = await learner.csrf('/me');
	await learner.post('/learn/read', { form: { csrf, version } });
	badgeId = await waitForBadge(learnerUser.id);
	badgeText = (await learner.get(`/badges/${badgeId}.json`)).body;
});

test('completion issues an OpenBadgeCredential with every required field, no personal data in clear', () => {
	const c = JSON.parse(badgeText);
	assert.deepEqual(c['@context'], ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
	assert.deepEqual(c.type, ['VerifiableCredential', 'OpenBadgeCredential']);
	assert.equal(c.id, `urn:uuid:${badgeId}`);
	// base_url follows the port the server listens on (nothing configured).
	assert.equal(c.issuer.id, ISSUER);
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
	assert.equal(c.credentialStatus.statusListCredential, `${BASE}/status/1`);
	assert.match(c.credentialStatus.statusListIndex, /^\d+$/);
	// The proof: an array of one, by a key of the issuer's own document.
	assert.ok(Array.isArray(c.proof) && c.proof.length === 1, 'proof is an array');
	assert.equal(c.proof[0].type, 'DataIntegrityProof');
	assert.equal(c.proof[0].cryptosuite, 'eddsa-jcs-2022');
	assert.equal(c.proof[0].proofPurpose, 'assertionMethod');
	assert.match(c.proof[0].verificationMethod, new RegExp(`^${ISSUER}#key-\\d+$`));
	assert.equal(badgeText, sql(`SELECT credential FROM badges WHERE id = '${badgeId}'`), 'the download is the stored credential');
	assert.equal(sql(`SELECT done_at IS NOT NULL FROM jobs j JOIN badges b ON j.ref = b.enrolment_id::text WHERE j.kind = 'badge' AND b.id = '${badgeId}'`), 't');
});

test('the reference stack verifies the badge and /status/1 with the controller check on, and reads the revocation bit', async () => {
	const cred = JSON.parse(badgeText);
	const log = [];
	const r = await verifyCredential(cred, documentLoader(serverDocs(BASE), log));
	assert.equal(r.verified, true, errorsOf(r));
	// The controller check ran: the issuer's document was loaded.
	assert.ok(log.includes(ISSUER), log.join(', '));
	assert.equal(r.results[0].purposeResult.valid, true);
	assert.equal(r.results[0].verificationMethod.controller, ISSUER);
	const sl = JSON.parse((await http('/status/1')).body);
	const rs = await reference(sl);
	assert.equal(rs.verified, true, errorsOf(rs));
	const st = await checkStatus({ credential: cred, documentLoader: loader(), suite: suite(), verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
	assert.equal(st.verified, true, String(st.error));
	assert.equal(st.results[0].status, false, 'not revoked');
	// The issuer document is a CID controller document and an OB Profile.
	const doc = JSON.parse((await http('/issuer')).body);
	assert.equal(doc.id, ISSUER);
	assert.ok(doc['@context'].includes(CID_V1));
	for (const m of doc.verificationMethod) {
		assert.equal(m.controller, ISSUER);
		assert.equal(m.type, 'Multikey');
		assert.ok(doc.assertionMethod.includes(m.id));
	}
});

test("1EdTech's AchievementCredential JSON Schema validates every credential the server issued, with 0 errors", async () => {
	const schema = JSON.parse(fs.readFileSync(new URL('../data/peers/ob_v3p0_achievementcredential_schema.json', import.meta.url), 'utf8'));
	const ajv = new Ajv2019({ strict: false, allErrors: true });
	addFormats(ajv);
	const validate = ajv.compile(schema);
	const all = sql('SELECT credential FROM badges ORDER BY issued_at').split(/\n(?=\{)/).filter(Boolean);
	assert.ok(all.length >= 1);
	for (const text of [badgeText, ...all]) {
		const ok = validate(JSON.parse(text));
		assert.equal(ok, true, JSON.stringify(validate.errors, null, 1));
	}
});

test('the badge verifies offline with bin/capacita: our key store, or the issuer document given with --issuer', async () => {
	const f = write('badge.json', badgeText);
	let r = verifyCli(f);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /^valid: issued by/);
	assert.match(r.stdout, /^revocation not checked/m, 'says so in words');
	r = verifyCli(f, '--strict');
	assert.equal(r.status, 1, '--strict refuses an unchecked revocation');
	assert.match(r.stdout, /not accepted with --strict/);
	const status = (await http('/status/1')).body;
	r = verifyCli(f, '--status', write('status.json', status), '--strict');
	assert.equal(r.status, 0, r.stdout);
	assert.doesNotMatch(r.stdout, /not checked/);
	// Elsewhere (no key store): the controller document of /issuer.
	const away = { CAPACITA_KEYS_DIR: path.join(dir, 'no-keys') };
	r = cli(['verify', f], away);
	assert.equal(r.status, 1, 'an issuer nobody vouched for is unknown');
	assert.match(r.stdout, /^unknown issuer: /m);
	const doc = write('issuer.json', (await http('/issuer')).body);
	r = cli(['verify', '--issuer', doc, f], away);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	// The independent implementation agrees with the document's keys.
	assert.equal(verify(JSON.parse(badgeText), JSON.parse(fs.readFileSync(doc, 'utf8'))), true);
	assert.equal(verify(JSON.parse(status), JSON.parse(fs.readFileSync(doc, 'utf8'))), true);
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText })).body);
	assert.equal(api.valid, true, JSON.stringify(api));
	assert.equal(api.statusChecked, true);
});

test('forgeries are refused by the CLI, /verify and the API, each with its reason', async () => {
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	const orig = JSON.parse(badgeText);
	const { proof: realProofs, ...unsigned } = orig;
	const real = realProofs[0];
	const created = '2026-01-01T00:00:00Z';

	// 1. A real badge renamed and re-signed by a did:key naming our issuer
	// (bin/capacita used to print "valid": that test expectation was wrong).
	const renamed = sign({ ...unsigned, name: 'Attestato falso' }, k, created);
	await assertRefused(renamed, 'foreign-didkey', /^key not controlled by the issuer: did:key:/, /non appartiene all&#39;emittente dichiarato/);
	// 2. A foreign key presented as one of ours (https method).
	const asOurs = sign({ ...unsigned, name: 'Attestato falso' }, k, created, `${ISSUER}#key-999`);
	await assertRefused(asOurs, 'foreign-https', /^unknown key: .*#key-999 is not an assertionMethod/, /non è una chiave di questo emittente/);
	// 3. A did:key issuer claiming our name.
	const did = `did:key:${W3C.pub}`;
	const claim = sign({ ...unsigned, issuer: { ...unsigned.issuer, id: did } }, k, created);
	await assertRefused(claim, 'didkey-issuer', /^unknown issuer: did:key:/, /non è tra quelli riconosciuti/);
	// 4. A revoked badge whose credentialStatus was removed, re-signed.
	const { credentialStatus, ...stripped } = unsigned;
	void credentialStatus;
	await assertRefused(sign(stripped, k, created), 'stripped', /^key not controlled by the issuer/, /non appartiene/);
	// ... and with the real proof kept: the signature breaks.
	await assertRefused({ ...stripped, proof: [real] }, 'stripped-kept', /^bad signature/, /La firma non corrisponde/);
	// 5. Proof sets: [real, forged] and [foreign, real].
	const forged = { ...real, proofValue: real.proofValue.slice(0, -2) + (real.proofValue.endsWith('11') ? '22' : '11') };
	await assertRefused({ ...unsigned, proof: [real, forged] }, 'set-real-forged', /^bad signature \(proof 2 of 2\)/, /La firma non corrisponde/);
	const foreign = proofFor(unsigned, k, created);
	await assertRefused({ ...unsigned, proof: [foreign, real] }, 'set-foreign-real', /^proof 1 of 2: key not controlled by the issuer/, /non appartiene/);
	const unknownSuite = { ...real, cryptosuite: 'ecdsa-rdfc-2019' };
	await assertRefused({ ...unsigned, proof: [real, unknownSuite] }, 'set-unknown-suite', /^malformed: proof 2 of 2: the proof is not a DataIntegrityProof with cryptosuite eddsa-jcs-2022/, /non è un attestato Open Badges 3.0 completo/);
	// 6. Extra contexts appended after signing (the hash would not see them).
	const extra = { ...orig, '@context': [...orig['@context'], { name: 'https://evil.example/name' }] };
	await assertRefused(extra, 'extra-context', /^context mismatch/, /Il formato dichiarato/);
	// The reference stack refuses the single-proof forgeries too.
	for (const f of [renamed, asOurs]) {
		const r = await verifyCredential(f, loader());
		assert.equal(r.verified, false);
	}
	// It accepts a proof set when any one proof verifies (jsonld-signatures'
	// ProofSet: results.some()); we require every proof, so we differ here
	// on purpose (README, "Verification policy").
	const set = await verifyCredential({ ...unsigned, proof: [foreign, real] }, loader());
	assert.equal(set.verified, true);
	assert.equal(set.results.filter((x) => x.verified).length, 1, 'only the real proof verified');
});

test('a credential signed by the reference stack for another issuer verifies with bin/capacita verify --issuer DOC', async () => {
	const key = await Ed25519Multikey.generate({ id: `${OTHER}#key-1`, controller: OTHER });
	const vm = await key.export({ publicKey: true, includeContext: false });
	const ctl = { '@context': [CID_V1, 'https://w3id.org/security/multikey/v1'], id: OTHER, verificationMethod: [vm], assertionMethod: [vm.id] };
	const docs = new Map([[OTHER, ctl]]);
	const { proof: _p, credentialStatus: _s, ...unsigned } = JSON.parse(badgeText);
	const cred = { ...unsigned, issuer: { id: OTHER, type: ['Profile'], name: 'Altro ente' } };
	const signed = await issue(cred, key, documentLoader(docs));
	assert.equal((await verifyCredential(signed, documentLoader(docs))).verified, true);
	const f = write('other.json', signed);
	const d = write('other-issuer.json', ctl);
	let r = verifyCli(f, '--issuer', d);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, new RegExp(`^valid: issued by ${OTHER.replace(/\./g, '\\.')}`));
	r = verifyCli(f);
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^unknown issuer: /);
	// A trust file: an array of documents (and trusted did:key issuers).
	r = verifyCli(f, '--trust', write('trust.json', [ctl, `did:key:${W3C.pub}`]));
	assert.equal(r.status, 0, r.stdout);
	// The server does not know that issuer.
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: JSON.stringify(signed) })).body);
	assert.equal(api.valid, false);
	assert.ok(api.reasons.some((x) => /^unknown issuer/.test(x)), api.reasons.join('; '));
	// Its 64-byte secretKeyMultibase (seed + public key) signs with bin/capacita.
	const exported = await key.export({ publicKey: true, secretKey: true, includeContext: false });
	assert.ok(exported.secretKeyMultibase.length > 60);
	const s = cli(['sign', '--key', write('k64.json', { publicKeyMultibase: exported.publicKeyMultibase, secretKeyMultibase: exported.secretKeyMultibase }), '--vm', `${OTHER}#key-1`, write('u.json', cred)]);
	assert.equal(s.status, 0, s.stderr);
	const ours = JSON.parse(s.stdout);
	assert.equal((await verifyCredential(ours, documentLoader(docs))).verified, true, 'the reference stack accepts what we signed');
	assert.equal(verifyCli(write('ours.json', ours), '--issuer', d).status, 0);
	// A mismatched 64-byte key is refused.
	const other = await Ed25519Multikey.generate({ id: `${OTHER}#key-2`, controller: OTHER });
	const o = await other.export({ publicKey: true, secretKey: true, includeContext: false });
	const bad = cli(['sign', '--key', write('kbad.json', { publicKeyMultibase: exported.publicKeyMultibase, secretKeyMultibase: o.secretKeyMultibase }), write('u2.json', cred)]);
	assert.equal(bad.status, 2);
});

test('allow-listed issuers are fetched: timeout, size limit, no redirect to another host, cached', async () => {
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	let hits = 0;
	const { createServer } = await import('node:http');
	const srv = createServer((req, res) => {
		hits++;
		if (req.url === '/issuer') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(w3cIssuerDoc(`http://127.0.0.1:${srv.address().port}/issuer`)));
		} else if (req.url === '/moved/issuer') {
			res.writeHead(302, { location: `http://127.0.0.1:${srv.address().port}/issuer2` });
			res.end();
		} else if (req.url === '/issuer2') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(w3cIssuerDoc(`http://127.0.0.1:${srv.address().port}/moved/issuer`)));
		} else if (req.url === '/away/issuer') {
			res.writeHead(302, { location: 'http://localhost:1/issuer' });
			res.end();
		} else if (req.url === '/big/issuer') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ...w3cIssuerDoc(`http://127.0.0.1:${srv.address().port}/big/issuer`), pad: 'x'.repeat(100000) }));
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	const origin = `http://127.0.0.1:${srv.address().port}`;
	try {
		const { proof: _p, credentialStatus: _s, ...unsigned } = JSON.parse(badgeText);
		const make = (iss) => write(`fetched-${hits}.json`, sign({ ...unsigned, issuer: { id: iss, type: ['Profile'], name: 'Ente remoto' } }, k, '2026-01-01T00:00:00Z', `${iss}#key-1`));
		const env = { CAPACITA_TRUSTED_ISSUERS: origin };
		let r = await cliAsync(['verify', make(`${origin}/issuer`)], env);
		assert.equal(r.status, 0, r.stdout + r.stderr);
		// Fetched once for two proofs by the same issuer (then cached).
		const iss = `${origin}/issuer`;
		const doc2 = { ...unsigned, issuer: { id: iss, type: ['Profile'], name: 'Ente remoto' } };
		const before = hits;
		r = await cliAsync(['verify', write('two.json', { ...doc2, proof: [proofFor(doc2, k, '2026-01-01T00:00:00Z', `${iss}#key-1`), proofFor(doc2, k, '2026-01-02T00:00:00Z', `${iss}#key-1`)] })], env);
		assert.equal(r.status, 0, r.stdout);
		assert.equal(hits - before, 1);
		r = await cliAsync(['verify', make(`${origin}/issuer`)], {});
		assert.equal(r.status, 1, 'not allow-listed: not fetched');
		assert.match(r.stdout, /^unknown issuer/);
		r = await cliAsync(['verify', make(`${origin}/moved/issuer`)], env);
		assert.equal(r.status, 0, 'a redirect on the same host is followed: ' + r.stdout);
		r = await cliAsync(['verify', make(`${origin}/away/issuer`)], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /redirects to another host/);
		r = await cliAsync(['verify', make(`${origin}/big/issuer`)], env);
		assert.equal(r.status, 1);
		assert.match(r.stdout, /larger than 64 KB/);
	} finally {
		srv.close();
	}
});

test('bin/capacita sign reproduces the W3C eddsa-jcs-2022 test vector; JCS edge cases match canonicalize', async () => {
	const key = write('w3c-key.json', { publicKeyMultibase: W3C.pub, secretKeyMultibase: W3C.sec });
	const r = cli(['sign', '--key', key, '--created', '2023-02-24T23:36:38Z', new URL('../data/vc/w3c-unsigned.json', import.meta.url).pathname]);
	assert.equal(r.status, 0, r.stderr);
	const signed = JSON.parse(r.stdout);
	assert.ok(Array.isArray(signed.proof));
	assert.equal(signed.proof[0].proofValue, 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX');
	assert.equal(verify(signed), true);
	// Both forms are read: a proof as a single object too.
	const single = { ...JSON.parse(badgeText), proof: JSON.parse(badgeText).proof[0] };
	const v = verifyCli(write('single.json', single));
	assert.equal(v.status, 0, v.stdout);
	const { default: canonicalize } = await import('canonicalize');
	const edge = '{"b":"\\u0000 nul, \\u001f, \\u007f, \\"q\\", \\\\ / é 😀 \\ud83d\\ude00","a":[1e21,1e-7,-0,0.000001,123456789012345680000,5e-324,1.7976931348623157e308,0.1,-1.5e-300],"\\u20ac":"€","\\ud800\\udc00":1,"\\u00e9":2,"e\\u0301":3}';
	const j = cli(['jcs', write('edge.json', edge)]);
	assert.equal(j.status, 0, j.stderr);
	assert.equal(j.stdout.replace(/\n$/, ''), canonicalize(JSON.parse(edge)));
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
	const paths = leaves(orig).filter((p) => p[0] !== 'proof' || p[2] !== 'proofValue');
	assert.ok(paths.length > 30, `${paths.length} fields`);
	let checked = 0;
	for (const p of paths) {
		const c = structuredClone(orig);
		setAt(c, p, (v) => typeof v === 'string' ? v + 'x' : typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : 'x');
		const r = verifyCli(write('tampered.json', c));
		assert.equal(r.status, 1, `changing ${p.join('.')} was not noticed`);
		if (p[0] === '@context' || (p[0] === 'proof' && p[2] === '@context'))
			assert.match(r.stdout, /context mismatch/, p.join('.'));
		else if (p[0] === 'proof' && p[2] === 'verificationMethod')
			assert.match(r.stdout, /unknown key|bad signature/, p.join('.'));
		else if (p[0] === 'proof' && ['type', 'cryptosuite', 'proofPurpose', 'created'].includes(p[2]))
			assert.match(r.stdout, /malformed|bad signature/, p.join('.'));
		else if (p[0] === 'issuer' && p[1] === 'id')
			assert.match(r.stdout, /unknown issuer/, p.join('.'));
		else
			assert.match(r.stdout, /bad signature/, p.join('.'));
		checked++;
	}
	assert.equal(checked, paths.length);
	// Structural tampering.
	const noProof = structuredClone(orig);
	delete noProof.proof;
	assert.match(verifyCli(write('t.json', noProof)).stdout, /malformed: no eddsa-jcs-2022 proof/);
	const emptySet = { ...structuredClone(orig), proof: [] };
	assert.match(verifyCli(write('t.json', emptySet)).stdout, /malformed: no eddsa-jcs-2022 proof/);
	const badSig = structuredClone(orig);
	badSig.proof[0].proofValue = badSig.proof[0].proofValue.slice(0, -2) + (badSig.proof[0].proofValue.endsWith('11') ? '22' : '11');
	assert.match(verifyCli(write('t.json', badSig)).stdout, /bad signature/);
	const added = structuredClone(orig);
	added.credentialSubject.extra = 'x';
	assert.match(verifyCli(write('t.json', added)).stdout, /bad signature/);
	assert.equal(verifyCli(write('t.json', badgeText.replace('"name"', '"name": "dup", "name"'))).status, 1, 'duplicate keys refused');
	assert.match(verifyCli(write('t.json', '{"truncated": ')).stdout, /^malformed/);
	assert.equal(cli(['verify', path.join(dir, 'no-such-file.json')]).status, 2);
	assert.equal(cli(['verify']).status, 2);
});

test('expired, not yet valid and wrong-key credentials (a test issuer given with --issuer)', () => {
	const k = keyPairFromMultibase(W3C.pub, W3C.sec);
	const { proof: _p, credentialStatus: _s, ...base0 } = JSON.parse(badgeText);
	const base = { ...base0, issuer: { id: OTHER, type: ['Profile'], name: 'Ente di prova' } };
	const vm = `${OTHER}#key-1`;
	const doc = write('w3c-issuer.json', w3cIssuerDoc());
	const expired = sign({ ...base, validFrom: '2020-01-01T00:00:00Z', validUntil: '2021-01-01T00:00:00Z' }, k, '2020-01-01T00:00:00Z', vm);
	let r = verifyCli(write('expired.json', expired), '--issuer', doc);
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^expired/m);
	r = verifyCli(write('expired.json', expired), '--issuer', doc, '--at', '2020-06-01T00:00:00Z');
	assert.equal(r.status, 0, 'valid at a time inside its period: ' + r.stdout);
	const future = sign({ ...base, validFrom: '2099-01-01T00:00:00Z' }, k, '2026-01-01T00:00:00Z', vm);
	r = verifyCli(write('future.json', future), '--issuer', doc);
	assert.equal(r.status, 1);
	assert.match(r.stdout, /^not yet valid/m);
	assert.match(verifyCli(write('b.json', badgeText), '--at', '2000-01-01T00:00:00Z').stdout, /not yet valid/);
	// Signed by one key, claiming another of the issuer's methods.
	const other = sign(base0, k, '2026-01-01T00:00:00Z', JSON.parse(badgeText).proof[0].verificationMethod);
	assert.match(verifyCli(write('wrong.json', other)).stdout, /bad signature/);
	// A method whose controller is someone else.
	const d2 = w3cIssuerDoc();
	d2.verificationMethod[0].controller = 'https://someone.else.example/';
	r = verifyCli(write('wrong-ctl.json', sign(base, k, '2026-01-01T00:00:00Z', vm)), '--issuer', write('d2.json', d2));
	assert.equal(r.status, 1);
	assert.match(r.stdout, /key not controlled by the issuer: .* has controller https:\/\/someone\.else\.example\//);
});

test('the certificate is public by its id (noindex), the learner can turn it off; issuers see only their subtree', async () => {
	const anon = new Client();
	let page = await anon.get(`/badges/${badgeId}`);
	assert.equal(page.status, 200, 'no login needed');
	assert.match(page.headers.get('x-robots-tag'), /noindex/);
	assert.match(page.body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+" class="qr" role="img"/);
	assert.match(page.body, new RegExp(`${BASE.replace(/[.:/]/g, '\\$&')}/verify\\?id=${badgeId}`), 'the QR names the port we serve');
	assert.ok((page.body.match(/h1v1h-1z/g) || []).length > 100, 'a real QR matrix');
	assert.doesNotMatch(page.body, /REVOCATO/);
	assert.equal((await anon.get(`/badges/${badgeId}.json`)).status, 200);
	// The learner turns it off.
	const list = await learner.get('/badges');
	assert.match(list.body, /visibile a chi ha il link/);
	const csrf = await learner.csrf('/badges');
	const off = await learner.post('/badges', { form: { csrf, badge: badgeId, public: '0' } });
	assert.equal(off.status, 303);
	assert.match((await learner.get('/badges')).body, /solo voi/);
	for (const p of [`/badges/${badgeId}`, `/badges/${badgeId}.json`, `/badges/${badgeId}.pdf`, `/verify?id=${badgeId}`])
		assert.equal((await anon.get(p)).status, 404, p);
	assert.equal((await learner.get(`/badges/${badgeId}`)).status, 200, 'the learner still sees it');
	const peer = await signedIn(await user({ email: `x-${tag}@example.org`, org: `${tag}-ente` }));
	assert.equal((await peer.get(`/badges/${badgeId}`)).status, 404, 'not someone else\'s');
	org('puglia', `${tag}-altro`, 'Altro ente');
	const stranger = await signedIn(await user({ email: `iss0-${tag}@example.org`, org: `${tag}-altro`, roles: 'issuer' }));
	assert.equal((await stranger.get(`/badges/${badgeId}`)).status, 404, 'an issuer of another agency');
	assert.equal((await stranger.get(`/badges/${badgeId}.json`)).status, 404);
	const local = await signedIn(await user({ email: `iss1-${tag}@example.org`, org: `${tag}-ente`, roles: 'issuer' }));
	assert.equal((await local.get(`/badges/${badgeId}`)).status, 200, 'the issuer of the learner\'s subtree');
	// Someone else cannot switch it.
	const c2 = await peer.csrf('/badges');
	assert.equal((await peer.post('/badges', { form: { csrf: c2, badge: badgeId, public: '1' } })).status, 404);
	const on = await learner.post('/badges', { form: { csrf, badge: badgeId, public: '1' } });
	assert.equal(on.status, 303);
	assert.equal((await anon.get(`/badges/${badgeId}`)).status, 200);
});

test('the PDF certificate: A4, Titillium Web, the QR code, the signed credential embedded and verified by bin/capacita', async () => {
	const anon = new Client();
	const r = await fetch(`${BASE}/badges/${badgeId}.pdf`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'application/pdf');
	const pdf = Buffer.from(await r.arrayBuffer());
	assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
	const text = pdf.toString('latin1');
	assert.match(text, /\/MediaBox \[ 0 0 595(\.\d+)? 841(\.\d+)? \]/, 'A4');
	assert.match(text, /TitilliumWeb/, 'Bootstrap Italia\'s font, embedded');
	assert.match(text, /\/EmbeddedFiles/);
	assert.match(text, new RegExp(`badge-${badgeId}\\.json`));
	const f = write('cert.pdf', pdf);
	const v = verifyCli(f);
	assert.equal(v.status, 0, v.stdout + v.stderr);
	assert.match(v.stdout, /^valid: issued by/);
	// /verify and the API take the PDF too.
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: pdf })).body);
	assert.equal(api.valid, true, JSON.stringify(api));
	const v2 = new Client();
	const csrf = await v2.csrf('/verify');
	const up = await v2.post('/verify', { multipart: { csrf, file: { filename: 'cert.pdf', content: pdf, type: 'application/pdf' } } });
	assert.match(up.body, /L&#39;attestato è autentico e valido/);
	// Elsewhere, without our key store, the issuer is unknown.
	assert.match(cli(['verify', f], { CAPACITA_KEYS_DIR: path.join(dir, 'no-keys') }).stdout, /^unknown issuer/);
	// A damaged PDF is unusable (2), never a crash: cut inside the
	// embedded file's stream (a cut at a fixed fraction of the file
	// may leave the whole attachment in, depending on the layout).
	const ef = /\/EF\s*<<\s*\/F\s+(\d+)\s+0\s+R/.exec(text);
	assert.ok(ef, 'the file specification names its stream');
	const obj = text.search(new RegExp(`(^|[^0-9])${ef[1]} 0 obj`));
	assert.ok(obj > 0, 'the embedded file\'s object');
	const at = text.indexOf('stream', obj) + 'stream'.length + 16;
	assert.ok(at > obj + 16 && at < pdf.length, 'its stream');
	const cut = write('cut.pdf', pdf.subarray(0, at));
	const c = verifyCli(cut);
	assert.equal(c.status, 2);
	assert.match(c.stderr, /embedded file|PDF/);
	void anon;
});

test('an issuer revokes with a reason: status list, page, PDF, API, CLI and the reference stack say revoked', async () => {
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
	assert.equal((await reference(sl)).verified, true);
	const bits = gunzipSync(Buffer.from(sl.credentialSubject.encodedList.slice(1), 'base64url'));
	assert.ok(bits.length * 8 >= 131072, `${bits.length * 8} entries`);
	const idx = Number(JSON.parse(badgeText).credentialStatus.statusListIndex);
	assert.equal((bits[idx >> 3] >> (7 - (idx & 7))) & 1, 1, 'the badge\'s bit is set');
	const st = await checkStatus({ credential: JSON.parse(badgeText), documentLoader: loader(), suite: suite(), verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
	assert.equal(st.verified, true, String(st.error));
	assert.equal(st.results[0].status, true, 'the reference stack reads the bit: revoked');

	const cl = verifyCli(write('b.json', badgeText), '--status', write('s.json', status));
	assert.equal(cl.status, 1);
	assert.match(cl.stdout, /^revoked$/m);
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText })).body);
	assert.equal(api.valid, false);
	assert.equal(api.revoked, true);
	const page = await http(`/verify?id=${badgeId}`);
	assert.match(page.body, /L&#39;attestato NON è valido/);
	assert.match(page.body, /revocato dall&#39;emittente/);
	// The certificate says so across the page, with the date and reason.
	const cert = await new Client().get(`/badges/${badgeId}`);
	assert.match(cert.body, /class="certificate certificate-revoked"/);
	assert.match(cert.body, /REVOCATO <span lang="en">\(REVOKED\)<\/span>/);
	assert.match(cert.body, /Revocato il \d{1,2} [a-z]+ \d{4}\. Motivo: Rilasciato per errore/);
	// The learner sees the reason in /badges.
	assert.match((await learner.get('/badges')).body, /revocato<\/strong> Revocato il \d{1,2} [a-z]+ \d{4}: Rilasciato per errore/);
	// The PDF too (its text is compressed: check it is a different PDF that still verifies as revoked with the list).
	const pdf = Buffer.from(await (await fetch(`${BASE}/badges/${badgeId}.pdf`)).arrayBuffer());
	const pr = verifyCli(write('revoked.pdf', pdf), '--status', write('s2.json', status));
	assert.equal(pr.status, 1);
	assert.match(pr.stdout, /^revoked$/m);
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
	const r = await v.post('/verify', { multipart: { csrf, file: { filename: 'b.json', content: badgeText, type: 'application/json' } } });
	assert.equal(r.status, 200);
	assert.match(r.body, /revocato/);
	const tampered = { ...good, name: 'Altro nome' };
	const r2 = await v.post('/verify', { multipart: { csrf, credential: JSON.stringify(tampered) } });
	assert.match(r2.body, /La firma non corrisponde/);
	const r3 = await v.post('/verify', { multipart: { csrf, credential: 'not json' } });
	assert.match(r3.body, /non è un attestato Open Badges 3.0 completo/);
	assert.equal((await v.post('/verify', { multipart: { csrf } })).status, 400);
});

test('badges signed before key provenance (did:key) keep verifying here; reissue makes the reference stack accept them', async () => {
	// Make a badge as the old code did: our active key, a did:key method.
	const kid = sql('SELECT id FROM issuer_keys WHERE retired_at IS NULL');
	const keyFile = path.join(process.env.CAPACITA_KEYS_DIR, `issuer-${kid}.json`);
	const { proof: _p, ...unsigned } = JSON.parse(badgeText);
	const s = cli(['sign', '--key', keyFile, '--created', '2025-01-01T00:00:00Z', write('legacy-u.json', unsigned)]);
	assert.equal(s.status, 0, s.stderr);
	const legacy = JSON.parse(s.stdout);
	assert.match(legacy.proof[0].verificationMethod, /^did:key:/);
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: s.stdout })).body);
	assert.ok(!api.reasons.some((x) => /key|issuer|signature/.test(x)), api.reasons.join('; '));
	assert.equal(verifyCli(write('legacy.json', s.stdout)).status, 0, 'the CLI with our key store');
	const away = { CAPACITA_KEYS_DIR: path.join(dir, 'no-keys') };
	assert.equal(cli(['verify', '--issuer', write('iss.json', (await http('/issuer')).body), path.join(dir, 'legacy.json')], away).status, 0, 'the CLI with /issuer');
	const ref = await verifyCredential(legacy, loader());
	assert.equal(ref.verified, false, 'the reference stack refuses a did:key that is not the issuer');
	// Stored as an old badge, then reissued.
	sql(`UPDATE badges SET credential = '${s.stdout.replace(/'/g, "''")}' WHERE id = '${badgeId}'`);
	const re = cli(['badges', 'reissue']);
	assert.equal(re.status, 0, re.stderr);
	assert.match(re.stdout, /^[1-9]\d* badges signed again/);
	const now = JSON.parse(sql(`SELECT credential FROM badges WHERE id = '${badgeId}'`));
	assert.match(now.proof[0].verificationMethod, new RegExp(`^${ISSUER}#key-${kid}$`));
	const { proof: _q, ...after } = now;
	assert.deepEqual(after, unsigned, 'the same credential, a new proof');
	assert.equal((await reference(now)).verified, true);
	badgeText = JSON.stringify(now);
});

test('the controller document publishes the keys; rotation keeps old badges verifiable by the reference stack', async () => {
	const doc = JSON.parse((await http('/issuer')).body);
	const vm = JSON.parse(badgeText).proof[0].verificationMethod;
	assert.ok(doc.assertionMethod.includes(vm));
	assert.equal(doc.verificationMethod.find((m) => m.id === vm).type, 'Multikey');
	const r = cli(['keys', 'rotate'], { CAPACITA_KEYS_DIR: process.env.CAPACITA_KEYS_DIR });
	assert.equal(r.status, 0, r.stderr);
	const after = JSON.parse((await http('/issuer')).body);
	assert.equal(after.assertionMethod.length, doc.assertionMethod.length + 1);
	assert.ok(after.assertionMethod.includes(vm), 'the old key stays published');
	assert.match(after.verificationMethod.find((m) => m.id === vm).description, /ritirata .*no longer signs new badges/);
	const keyFiles = fs.readdirSync(process.env.CAPACITA_KEYS_DIR);
	assert.ok(keyFiles.length >= 2);
	for (const f of keyFiles)
		assert.equal(fs.statSync(path.join(process.env.CAPACITA_KEYS_DIR, f)).mode & 0o777, 0o600, f);
	assert.equal(fs.statSync(process.env.CAPACITA_KEYS_DIR).mode & 0o777, 0o700);
	// The status list is now signed by the new key and still verifies.
	const sl = JSON.parse((await http('/status/1')).body);
	assert.notEqual(sl.proof[0].verificationMethod, vm);
	assert.equal((await reference(sl)).verified, true);
	const old = await reference(JSON.parse(badgeText));
	assert.equal(old.verified, true, 'a badge of the retired key: ' + errorsOf(old));
	const api = JSON.parse((await http('/api/verify', { method: 'POST', body: badgeText })).body);
	assert.ok(!api.reasons.some((x) => /unknown key|bad signature/.test(x)), api.reasons.join('; '));
});

after(() => {});
