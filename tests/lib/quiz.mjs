// Quizzes and pre/post tests as a person takes them: the page is read,
// each question found by its place on the page and each choice by its
// label, and the form sent with the field names and values the page
// gave (they are tokens of the attempt's secret key: nothing in them
// says which question or which choice they are; src/quiz-form.c).
import { sql } from './util.mjs';

// Text of an HTML fragment: tags dropped, our escapes decoded.
export function text(html) {
	return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
	    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

// Labels compared as people read them: Markdown emphasis marks and
// typographic apostrophes do not count.
const norm = (s) => s.replace(/[*_`]/g, '').replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').trim();

// The questions of a quiz or test page, in order: the question's field
// (its fieldset's id), its choices (radio or checkbox: name, value,
// label), its ordering items (select: name, label) and its text field.
export function parseQuiz(html) {
	return html.split('<fieldset class="quiz-question" id="').slice(1).map((part) => {
		const name = part.slice(0, part.indexOf('"'));
		const body = part.slice(0, part.indexOf('</fieldset>'));
		const choices = [...body.matchAll(/<input name="([^"]+)" type="(radio|checkbox)" id="([^"]+)" value="([^"]*)"[^>]*>\s*<label for="([^"]+)">([\s\S]*?)<\/label>/g)]
		    .map((m) => ({ name: m[1], type: m[2], value: m[4], label: text(m[6]) }));
		const items = [...body.matchAll(/<label for="([^"]+)">([\s\S]*?)<\/label>\s*<select id="([^"]+)" name="([^"]+)">/g)]
		    .map((m) => ({ name: m[4], label: text(m[2]) }));
		const input = /<input type="text"[^>]*name="([^"]+)"/.exec(body);
		return { name, choices, items, text: input ? input[1] : null };
	});
}

// The form's fields for answers given per question (by place): a label or
// several for choices, 'true'/'false', the text typed, or for ordering
// the items' labels in the order wanted; undefined leaves it blank.
export function quizPairs(html, answers) {
	const qs = parseQuiz(html);
	const pairs = [];
	answers.forEach((a, i) => {
		if (a === undefined || a === null)
			return;
		const q = qs[i];
		if (!q)
			throw new Error(`no question ${i + 1} on the page`);
		if (q.items.length > 0) {
			a.forEach((label, rank) => {
				const it = q.items.find((x) => norm(x.label) === norm(label));
				if (!it)
					throw new Error(`question ${i + 1}: no item "${label}" in ${q.items.map((x) => x.label).join(' / ')}`);
				pairs.push([it.name, String(rank + 1)]);
			});
		} else if (q.text) {
			pairs.push([q.text, a]);
		} else {
			for (const label of Array.isArray(a) ? a : [a]) {
				const c = q.choices.find((x) => norm(x.label) === norm(label) || x.value === label);
				if (!c)
					throw new Error(`question ${i + 1}: no choice "${label}" in ${q.choices.map((x) => x.label).join(' / ')}`);
				pairs.push([c.name, c.value]);
			}
		}
	});
	return pairs;
}

// The right answers of a module's current quiz (or of a version), in the
// form quizPairs takes, read from the database.
export function rightAnswers(slugOrVersion) {
	const where = /^\d+$/.test(String(slugOrVersion)) ? `q.version_id = ${slugOrVersion}` :
	    `q.version_id = (SELECT current_version_id FROM modules WHERE slug = '${slugOrVersion}')`;
	const rows = sql(`SELECT q.type, q.truth, q.number, (SELECT json_agg(json_build_object('t', o.text, 'c', o.correct) ORDER BY o.position) FROM question_options o WHERE o.question_id = q.id) FROM questions q WHERE ${where} ORDER BY q.position`);
	return rows.split('\n').filter(Boolean).map((r) => {
		const [type, truth, num, json] = r.split('|');
		const opts = JSON.parse(json);
		switch (type) {
		case 'single': return opts.find((o) => o.c).t;
		case 'multiple': return opts.filter((o) => o.c).map((o) => o.t);
		case 'truefalse': return truth === 't' ? 'true' : 'false';
		case 'numeric': return String(Number(num)).replace('.', ',');
		case 'short': return opts[0].t;
		case 'order': return opts.map((o) => o.t);
		default: throw new Error(type);
		}
	});
}

// Wrong answers for the same questions: another choice, the opposite,
// a number off by 1000, a made-up text, the items reversed.
export function wrongAnswers(slugOrVersion) {
	const where = /^\d+$/.test(String(slugOrVersion)) ? `q.version_id = ${slugOrVersion}` :
	    `q.version_id = (SELECT current_version_id FROM modules WHERE slug = '${slugOrVersion}')`;
	const rows = sql(`SELECT q.type, q.truth, q.number, (SELECT json_agg(json_build_object('t', o.text, 'c', o.correct) ORDER BY o.position) FROM question_options o WHERE o.question_id = q.id) FROM questions q WHERE ${where} ORDER BY q.position`);
	return rows.split('\n').filter(Boolean).map((r) => {
		const [type, truth, num, json] = r.split('|');
		const opts = JSON.parse(json);
		switch (type) {
		case 'single': return opts.find((o) => !o.c).t;
		case 'multiple': return opts.filter((o) => !o.c).map((o) => o.t);
		case 'truefalse': return truth === 't' ? 'false' : 'true';
		case 'numeric': return String(Number(num) + 1000);
		case 'short': return 'risposta sbagliata';
		case 'order': return opts.map((o) => o.t).reverse();
		default: throw new Error(type);
		}
	});
}

// GET the page at path, send the answers with its CSRF token; returns
// the response (303 when accepted).
export async function answer(client, path, answers, extra = []) {
	const page = await client.get(path);
	if (page.status !== 200)
		throw new Error(`${path}: ${page.status}`);
	const p = new URLSearchParams();
	p.append('csrf', /name="csrf" value="([^"]+)"/.exec(page.body)[1]);
	for (const [k, v] of [...quizPairs(page.body, answers), ...extra])
		p.append(k, v);
	return client.req('POST', path, { body: p.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

// The answer to one question (by id), right or wrong, in the form
// quizPairs takes: for one-question pages (the placement test).
export function questionAnswer(id, right) {
	const [type, truth, num, json] = sql(`SELECT q.type, q.truth, q.number, (SELECT json_agg(json_build_object('t', o.text, 'c', o.correct) ORDER BY o.position) FROM question_options o WHERE o.question_id = q.id) FROM questions q WHERE q.id = ${Number(id)}`).split('|');
	const opts = JSON.parse(json || '[]');
	switch (type) {
	case 'single': return (right ? opts.find((o) => o.c) : opts.find((o) => !o.c)).t;
	case 'multiple': return opts.filter((o) => (right ? o.c : !o.c)).map((o) => o.t);
	case 'truefalse': return (truth === 't') === right ? 'true' : 'false';
	case 'numeric': return String(Number(num) + (right ? 0 : 1000)).replace('.', ',');
	case 'short': return right ? opts[0].t : 'risposta sbagliata';
	case 'order': return right ? opts.map((o) => o.t) : opts.map((o) => o.t).reverse();
	default: throw new Error(type);
	}
}
