// The MUST rules of xAPI 2.0 (IEEE 9274.1.1) for a Learning Record
// Provider's statements, written from the specification, since no
// independent 2.0 validator installs from npm. xAPI 2.0 keeps the
// statement data model of 1.0.x (adlnet/xAPI-Spec, xAPI-Data.md, the
// text whose requirements are cited below by section) with "MUST" read
// as "SHALL", and changes what the 1.0.3 -> 9274.1.1 technical report
// lists: the version is 2.0.0 (g4), contextAgents and contextGroups join
// the context, timestamps are held to the 2.0 timestamp rules.
//
// checkStatements(text) parses a JSON array of statements, refusing a
// property given twice in one object (2.2: "A Statement MUST use each
// property no more than one time"), and returns every broken rule as
// "statement N: path: rule", [] when there is none.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// RFC 3339 with the 2.0 rules: milliseconds at least (4.5), a zone.
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3,})(Z|[+-]\d\d:\d\d)$/;
// ISO 8601:2004 4.4.3.2 durations (4.6), the alternative format refused.
const DURATION = /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/;
// RFC 5646 language tags, the common shape (2.2, 4.2 language maps).
const LANG = /^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$/;
const STATEMENT_KEYS = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'];
const INTERACTIONS = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other'];
const COMPONENTS = { choices: ['choice', 'sequencing'], scale: ['likert'], source: ['matching'], target: ['matching'], steps: ['performance'] };

// JSON.parse that refuses a key twice in one object.
export function parseStrict(text) {
	let i = 0;
	const ws = () => { while (/\s/.test(text[i])) i++; };
	const value = () => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			const o = {}, seen = new Set();
			ws();
			if (text[i] === '}') { i++; return o; }
			for (;;) {
				ws();
				const k = string();
				if (seen.has(k))
					throw new Error(`property "${k}" twice`);
				seen.add(k);
				ws();
				if (text[i++] !== ':') throw new Error('expected :');
				o[k] = value();
				ws();
				if (text[i] === ',') { i++; continue; }
				if (text[i++] === '}') return o;
				throw new Error('expected , or }');
			}
		}
		if (c === '[') {
			i++;
			const a = [];
			ws();
			if (text[i] === ']') { i++; return a; }
			for (;;) {
				a.push(value());
				ws();
				if (text[i] === ',') { i++; continue; }
				if (text[i++] === ']') return a;
				throw new Error('expected , or ]');
			}
		}
		if (c === '"')
			return string();
		const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
		if (!m) throw new Error(`unexpected ${c} at ${i}`);
		i += m[0].length;
		return JSON.parse(m[0]);
	};
	const string = () => {
		const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
		if (!m) throw new Error(`bad string at ${i}`);
		i += m[0].length;
		return JSON.parse(m[0]);
	};
	const v = value();
	ws();
	if (i !== text.length) throw new Error('trailing text');
	return v;
}

// An absolute IRI (3.1, RFC 3987): a scheme, no spaces.
const iri = (s) => typeof s === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s);
const isObj = (o) => o !== null && typeof o === 'object' && !Array.isArray(o);

export function checkStatement(s, err, now = Date.now()) {
	if (!isObj(s)) return err('', 'a Statement is a JSON object');
	for (const k of Object.keys(s))
		if (!STATEMENT_KEYS.includes(k)) err(k, 'no property outside the data model (2.2)');
	for (const k of ['actor', 'verb', 'object'])
		if (!(k in s)) err(k, 'a Statement uses actor, verb and object (2.2)');
	if ('id' in s && !UUID.test(s.id)) err('id', 'a UUID of RFC 4122 variant 2 (2.4.1)');
	agent(s.actor, 'actor', err);
	if (!isObj(s.verb) || !iri(s.verb.id)) err('verb.id', 'an IRI (2.4.3)');
	if (s.verb && 'display' in s.verb) langMap(s.verb.display, 'verb.display', err);
	activity(s.object, 'object', err);
	if ('result' in s) result(s.result, err);
	if ('context' in s) context(s.context, s.object, err);
	if ('timestamp' in s) {
		const m = TIMESTAMP.exec(s.timestamp ?? '');
		if (!m || Number.isNaN(Date.parse(s.timestamp)))
			err('timestamp', 'ISO 8601 with milliseconds and a zone (4.5)');
		else if (Date.parse(s.timestamp) > now + 1000)
			err('timestamp', 'a provider never uses a future time (2.4.7)');
	}
	if ('stored' in s || 'authority' in s) err('stored', 'set by the LRS, not the provider (2.4.8, 2.4.9)');
	if (s.version !== '2.0.0') err('version', '2.0.0 in xAPI 2.0 (9274.1.1; the 1.0.3 text says 1.0.0)');
}

function agent(a, path, err) {
	if (!isObj(a)) return err(path, 'an Agent or Group');
	if ('objectType' in a && !['Agent', 'Group'].includes(a.objectType)) err(`${path}.objectType`, 'Agent or Group');
	const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => k in a);
	if ((a.objectType ?? 'Agent') === 'Agent' && ifis.length !== 1)
		err(path, 'an Agent has exactly one Inverse Functional Identifier (2.4.2.1)');
	if ('mbox' in a && !/^mailto:[^@\s]+@[^@\s]+$/.test(a.mbox)) err(`${path}.mbox`, 'a mailto IRI (2.4.2.3)');
	if ('account' in a) {
		if (!isObj(a.account) || !iri(a.account.homePage) || typeof a.account.name !== 'string')
			err(`${path}.account`, 'homePage (an IRL) and name (2.4.2.4)');
	}
}

function langMap(m, path, err) {
	if (!isObj(m)) return err(path, 'a language map (4.2)');
	for (const [k, v] of Object.entries(m)) {
		if (!LANG.test(k)) err(`${path}.${k}`, 'an RFC 5646 language tag (2.2)');
		if (typeof v !== 'string') err(`${path}.${k}`, 'a string');
	}
}

function activity(o, path, err) {
	if (!isObj(o)) return err(path, 'an Object');
	if ('objectType' in o && o.objectType !== 'Activity')
		return err(`${path}.objectType`, 'these statements have Activities (2.4.4.1: Activity when present)');
	if (!iri(o.id)) err(`${path}.id`, 'an IRI (2.4.4.1)');
	const d = o.definition;
	if (d === undefined) return;
	if (!isObj(d)) return err(`${path}.definition`, 'an object');
	if ('name' in d) langMap(d.name, `${path}.definition.name`, err);
	if ('description' in d) langMap(d.description, `${path}.definition.description`, err);
	if ('type' in d && !iri(d.type)) err(`${path}.definition.type`, 'an IRI');
	if ('moreInfo' in d && !iri(d.moreInfo)) err(`${path}.definition.moreInfo`, 'an IRL');
	for (const k of Object.keys(d.extensions ?? {}))
		if (!iri(k)) err(`${path}.definition.extensions`, 'keys are IRIs (4.1)');
	if ('interactionType' in d && !INTERACTIONS.includes(d.interactionType))
		err(`${path}.definition.interactionType`, 'a valid interactionType (2.4.4.1.1)');
	for (const [k, types] of Object.entries(COMPONENTS)) {
		if (!(k in d)) continue;
		if (!types.includes(d.interactionType))
			err(`${path}.definition.${k}`, `only with ${types.join(' or ')} (2.4.4.1.1, interaction components)`);
		if (!Array.isArray(d[k])) { err(`${path}.definition.${k}`, 'an array'); continue; }
		const ids = d[k].map((c) => c.id);
		if (ids.some((x) => typeof x !== 'string')) err(`${path}.definition.${k}`, 'every component has a string id');
		if (new Set(ids).size !== ids.length) err(`${path}.definition.${k}`, 'the ids within an array of interaction components are distinct');
		for (const c of d[k])
			if ('description' in c) langMap(c.description, `${path}.definition.${k}.description`, err);
	}
	if ('correctResponsesPattern' in d) {
		if (!('interactionType' in d)) err(`${path}.definition.correctResponsesPattern`, 'only in interaction activities');
		if (!Array.isArray(d.correctResponsesPattern) || d.correctResponsesPattern.some((x) => typeof x !== 'string'))
			err(`${path}.definition.correctResponsesPattern`, 'an array of strings');
		else if (d.choices) {
			const ids = new Set(d.choices.map((c) => c.id));
			for (const p of d.correctResponsesPattern)
				if (p !== '' && !p.split('[,]').every((x) => ids.has(x)))
					err(`${path}.definition.correctResponsesPattern`, 'names the ids of its choices');
		}
	}
}

function result(r, err) {
	if (!isObj(r)) return err('result', 'an object');
	const sc = r.score;
	if (sc !== undefined) {
		if (!isObj(sc)) err('result.score', 'an object');
		else {
			if ('scaled' in sc && !(typeof sc.scaled === 'number' && sc.scaled >= -1 && sc.scaled <= 1))
				err('result.score.scaled', 'a decimal from -1 to 1 (2.4.5.1)');
			if ('min' in sc && 'max' in sc && !(sc.min < sc.max)) err('result.score', 'min less than max');
			if ('raw' in sc && (('min' in sc && sc.raw < sc.min) || ('max' in sc && sc.raw > sc.max)))
				err('result.score.raw', 'between min and max (2.4.5.1)');
		}
	}
	for (const k of ['success', 'completion'])
		if (k in r && typeof r[k] !== 'boolean') err(`result.${k}`, 'a boolean');
	if ('response' in r && typeof r.response !== 'string') err('result.response', 'a string');
	if ('duration' in r && !DURATION.test(r.duration)) err('result.duration', 'an ISO 8601 duration (4.6)');
}

function context(c, object, err) {
	if (!isObj(c)) return err('context', 'an object');
	if ('registration' in c && !UUID.test(c.registration)) err('context.registration', 'a UUID');
	const isActivity = isObj(object) && (object.objectType ?? 'Activity') === 'Activity';
	for (const k of ['revision', 'platform'])
		if (k in c && !isActivity) err(`context.${k}`, 'only when the object is an Activity (2.4.6)');
	if ('language' in c && !LANG.test(c.language)) err('context.language', 'an RFC 5646 tag (2.4.6)');
	for (const [k, v] of Object.entries(c.contextActivities ?? {})) {
		if (!['parent', 'grouping', 'category', 'other'].includes(k))
			err(`context.contextActivities.${k}`, 'parent, grouping, category or other (2.4.6.2)');
		for (const a of Array.isArray(v) ? v : [v])
			activity(a, `context.contextActivities.${k}`, err);
	}
	for (const k of Object.keys(c.extensions ?? {}))
		if (!iri(k)) err('context.extensions', 'keys are IRIs (4.1)');
	// 2.0: contextAgents and contextGroups (9274.1.1).
	for (const ca of c.contextAgents ?? []) {
		if (ca.objectType !== 'contextAgent') err('context.contextAgents', 'objectType contextAgent');
		agent(ca.agent, 'context.contextAgents.agent', err);
	}
	for (const cg of c.contextGroups ?? []) {
		if (cg.objectType !== 'contextGroup') err('context.contextGroups', 'objectType contextGroup');
		agent(cg.group, 'context.contextGroups.group', err);
	}
}

export function checkStatements(text) {
	const out = [];
	let list;
	try {
		list = parseStrict(text);
	} catch (e) {
		return [`not JSON, or a property twice: ${e.message}`];
	}
	if (!Array.isArray(list)) list = [list];
	list.forEach((s, n) => checkStatement(s, (path, rule) => out.push(`statement ${n}: ${path}: ${rule}`)));
	return out;
}
