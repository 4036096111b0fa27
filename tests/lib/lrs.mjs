// A small learning record store for the tests: the statements resource
// of xAPI (POST /xapi/statements, GET for the test to read what it
// holds), checking what it receives with Learning Locker's validator
// (@learninglocker/xapi-validation) in 1.0.x and with tests/lib/xapi2.mjs
// in 2.0.0, and answering as the xAPI Communication part says:
//
//  - 401 without the right Basic credentials;
//  - 400 for a missing or unknown X-Experience-API-Version, a body that
//    is not JSON, or any statement that does not validate: the whole
//    batch is refused and nothing is stored;
//  - 409 when a statement's id is held by a statement with other
//    content: the whole batch is refused, nothing is stored;
//  - 200 with the ids otherwise: a statement whose id is held by the
//    same statement is taken again without being stored twice.
//
// For the fault tests: fail(n) answers the next n POSTs with 503 and
// Retry-After: 1, storing nothing; hold(ms) keeps the next POST for ms
// before it is stored and answered, whether the client still waits or
// not (a push killed mid-batch).
import http from 'node:http';
import { createRequire } from 'node:module';
import { checkStatements } from './xapi2.mjs';

const require = createRequire(import.meta.url);
const validate = require('@learninglocker/xapi-validation').default;

// The same statement: compared with keys in order, as canonical JSON.
function canonical(v) {
	if (Array.isArray(v))
		return `[${v.map(canonical).join(',')}]`;
	if (v !== null && typeof v === 'object')
		return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
	return JSON.stringify(v);
}

export async function startLrs({ user = 'lrs', password = 'secret' } = {}) {
	const lrs = {
		statements: new Map(),	// id -> { statement, version, stored }
		order: [],
		posts: [],		// every POST: { status, n, version }
		failing: 0,
		holding: 0,
		fail(n) { this.failing = n; },
		hold(ms) { this.holding = ms; },
	};
	const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
	const answer = (res, status, body, headers = {}) => {
		res.writeHead(status, { 'content-type': 'application/json', 'x-experience-api-version': '1.0.3', ...headers });
		res.end(JSON.stringify(body));
	};
	const server = http.createServer((req, res) => {
		let chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const text = Buffer.concat(chunks).toString('utf8');
			if (req.method === 'GET') {
				answer(res, 200, { statements: lrs.order.map((id) => lrs.statements.get(id).statement) });
				return;
			}
			const log = (status, n, version) => lrs.posts.push({ status, n, version });
			if (req.url !== '/xapi/statements' || req.method !== 'POST')
				return answer(res, 404, { error: 'not here' });
			if (req.headers.authorization !== auth) {
				log(401, 0);
				return answer(res, 401, { error: 'credentials' });
			}
			const version = req.headers['x-experience-api-version'] ?? '';
			if (!/^1\.0\.\d+$/.test(version) && version !== '2.0.0') {
				log(400, 0, version);
				return answer(res, 400, { error: 'X-Experience-API-Version' });
			}
			if (lrs.failing > 0) {
				lrs.failing--;
				log(503, 0, version);
				return answer(res, 503, { error: 'restarting' }, { 'retry-after': '1' });
			}
			if (lrs.holding > 0) {
				const ms = lrs.holding;
				lrs.holding = 0;
				await new Promise((r) => setTimeout(r, ms));
			}
			let list;
			try {
				list = JSON.parse(text);
			} catch {
				log(400, 0, version);
				return answer(res, 400, { error: 'not JSON' });
			}
			if (!Array.isArray(list))
				list = [list];
			const problems = [];
			if (version === '2.0.0')
				problems.push(...checkStatements(text));
			else
				list.forEach((s, i) => validate(s).forEach((w) => problems.push(`statement ${i}: ${w.path.join('.')}: ${w.message}`)));
			if (problems.length > 0) {
				log(400, list.length, version);
				return answer(res, 400, { error: 'invalid statements', problems });
			}
			for (const s of list) {
				const held = s.id && lrs.statements.get(s.id);
				if (held && canonical(held.statement) !== canonical(s)) {
					log(409, list.length, version);
					return answer(res, 409, { error: `statement ${s.id} differs from the one held` });
				}
			}
			const ids = [];
			for (const s of list) {
				if (!lrs.statements.has(s.id)) {
					lrs.statements.set(s.id, { statement: s, version, stored: new Date().toISOString() });
					lrs.order.push(s.id);
				}
				ids.push(s.id);
			}
			log(200, list.length, version);
			answer(res, 200, ids);
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	lrs.url = `http://127.0.0.1:${server.address().port}/xapi/`;
	lrs.close = () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); });
	return lrs;
}
