// Issue 17: a server configured with trusted_issuers verifies other
// issuers' credentials on /verify and POST /api/verify, fetching their
// controller documents (libcurl inside a sandboxed Kore worker) from the
// allow-listed origins only, and refuses redirects to another host. Its
// own stack: the shared test server has no allow-list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { TMP, confWorkers } from '../lib/util.mjs';
import { startStack } from '../lib/stack.mjs';
import { keyPairFromMultibase, sign } from '../lib/vc.mjs';

const W3C = keyPairFromMultibase('z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2', 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq');
let stack, srv, origin, hits = 0;

function controller(id) {
	return {
		'@context': ['https://www.w3.org/ns/cid/v1', 'https://w3id.org/security/multikey/v1'],
		id,
		verificationMethod: [{ id: `${id}#key-1`, type: 'Multikey', controller: id, publicKeyMultibase: W3C.publicMultibase }],
		assertionMethod: [`${id}#key-1`],
	};
}

function credential(issuer) {
	return sign({
		'@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
		id: 'urn:uuid:1b671a64-40d5-491e-99b0-da01ff1f3341',
		type: ['VerifiableCredential', 'OpenBadgeCredential'],
		issuer: { id: issuer, type: ['Profile'], name: 'Ente remoto' },
		validFrom: '2025-01-01T00:00:00Z',
		credentialSubject: { type: ['AchievementSubject'], identifier: [], achievement: { id: 'https://x.example/a', type: ['Achievement'], name: 'Corso remoto' } },
	}, W3C, '2025-06-01T00:00:00Z', `${issuer}#key-1`);
}

async function api(base, cred) {
	const r = await fetch(base + '/api/verify', { method: 'POST', body: JSON.stringify(cred) });
	return r.json();
}

before(async () => {
	srv = createServer((req, res) => {
		hits++;
		if (req.url === '/issuer') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(controller(`${origin}/issuer`)));
		} else if (req.url === '/away/issuer') {
			res.writeHead(301, { location: 'http://localhost:9/issuer' });
			res.end();
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise((r) => srv.listen(0, '127.0.0.1', r));
	origin = `http://127.0.0.1:${srv.address().port}`;
	stack = await startStack(path.join(TMP, `trusted-${process.pid}`), { CAPACITA_TRUSTED_ISSUERS: origin });
	await stack.start();
});

after(async () => {
	if (stack)
		await stack.destroy();
	srv.close();
});

test('an allow-listed issuer verifies on the API and /verify; the document is cached', async () => {
	const cred = credential(`${origin}/issuer`);
	const before = hits;
	const j = await api(stack.base, cred);
	assert.equal(j.valid, true, JSON.stringify(j));
	assert.equal(j.issuer, `${origin}/issuer`);
	assert.equal(j.statusChecked, false);
	for (let i = 0; i < 4; i++)
		assert.equal((await api(stack.base, cred)).valid, true);
	assert.ok(hits - before <= Math.min(5, confWorkers()), `fetched ${hits - before} times for 5 verifications on ${confWorkers()} workers`);
	// The forged twin (another key) is refused with the fetched document.
	const forged = { ...cred, name: 'Altro' };
	const f = await api(stack.base, forged);
	assert.equal(f.valid, false);
	assert.ok(f.reasons.some((x) => /^bad signature/.test(x)), f.reasons.join('; '));
	const log = fs.readFileSync(stack.log, 'utf8');
	assert.doesNotMatch(log, /sandbox violation|gone/, 'libcurl runs inside the seccomp sandbox');
});

test('a redirect to another host and an origin off the list are refused', async () => {
	let j = await api(stack.base, credential(`${origin}/away/issuer`));
	assert.equal(j.valid, false);
	assert.ok(j.reasons.some((x) => /redirects to another host/.test(x)), j.reasons.join('; '));
	j = await api(stack.base, credential('http://127.0.0.2:9/issuer'));
	assert.equal(j.valid, false);
	assert.ok(j.reasons.some((x) => /its origin is not in trusted_issuers/.test(x)), j.reasons.join('; '));
});
