// An independent eddsa-jcs-2022 implementation for the tests: RFC 8785
// from the npm package "canonicalize" and Ed25519 from Node's own crypto.
// It shares no code with src/vc.c.
import canonicalize from 'canonicalize';
import crypto from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function b58encode(bytes) {
	let n = 0n;
	for (const b of bytes)
		n = n * 256n + BigInt(b);
	let s = '';
	while (n > 0n) {
		s = ALPHABET[Number(n % 58n)] + s;
		n /= 58n;
	}
	for (const b of bytes) {
		if (b !== 0)
			break;
		s = '1' + s;
	}
	return s;
}

export function b58decode(s) {
	let n = 0n;
	for (const ch of s) {
		const i = ALPHABET.indexOf(ch);
		if (i < 0)
			throw new Error('bad base58');
		n = n * 58n + BigInt(i);
	}
	const out = [];
	while (n > 0n) {
		out.unshift(Number(n % 256n));
		n /= 256n;
	}
	for (const ch of s) {
		if (ch !== '1')
			break;
		out.unshift(0);
	}
	return Buffer.from(out);
}

export function publicKeyFromDidKey(vm) {
	const m = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)#(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(vm);
	if (!m || m[1] !== m[2])
		throw new Error('not a did:key method');
	const raw = b58decode(m[1].slice(1));
	if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01)
		throw new Error('not an Ed25519 multikey');
	return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(2).toString('base64url') }, format: 'jwk' });
}

export function keyPairFromMultibase(pub, sec) {
	const p = b58decode(pub.slice(1)).subarray(2);
	const d = b58decode(sec.slice(1)).subarray(2);
	const jwk = { kty: 'OKP', crv: 'Ed25519', x: p.toString('base64url'), d: d.toString('base64url') };
	return { privateKey: crypto.createPrivateKey({ key: jwk, format: 'jwk' }), publicMultibase: pub };
}

function hashData(proofConfig, doc) {
	const a = crypto.createHash('sha256').update(canonicalize(proofConfig), 'utf8').digest();
	const b = crypto.createHash('sha256').update(canonicalize(doc), 'utf8').digest();
	return Buffer.concat([a, b]);
}

export function publicKeyFromMultibase(mb) {
	const raw = b58decode(mb.slice(1));
	if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01)
		throw new Error('not an Ed25519 multikey');
	return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(2).toString('base64url') }, format: 'jwk' });
}

// The proof alone (an object), for building proof sets by hand.
export function proofFor(doc, { privateKey, publicMultibase }, created, vm) {
	const { proof: _drop, ...unsecured } = doc;
	const proof = {
		type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', created,
		verificationMethod: vm || `did:key:${publicMultibase}#${publicMultibase}`,
		proofPurpose: 'assertionMethod',
	};
	if (unsecured['@context'])
		proof['@context'] = unsecured['@context'];
	const sig = crypto.sign(null, hashData(proof, unsecured), privateKey);
	return { ...proof, proofValue: 'z' + b58encode(sig) };
}

export function sign(doc, key, created, vm) {
	return { ...doc, proof: proofFor(doc, key, created, vm) };
}

// true when every proof verifies: did:key methods, or the methods of
// the controller document ctl (verificationMethod[].publicKeyMultibase).
export function verify(signed, ctl) {
	const { proof, ...doc } = signed;
	const proofs = Array.isArray(proof) ? proof : [proof];
	return proofs.length > 0 && proofs.every((p) => {
		const { proofValue, ...options } = p;
		const d = { ...doc };
		if (options['@context']) {
			const dc = d['@context'];
			if (!options['@context'].every((c, i) => dc[i] === c))
				return false;
			d['@context'] = options['@context'];
		}
		const vm = options.verificationMethod;
		const m = ctl && (ctl.verificationMethod || []).find((x) => x.id === vm);
		const key = m ? publicKeyFromMultibase(m.publicKeyMultibase) : publicKeyFromDidKey(vm);
		return crypto.verify(null, hashData(options, d), key, b58decode(proofValue.slice(1)));
	});
}
