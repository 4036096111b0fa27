// Issue 4: the trainers' web editor: preview, drafts, publish, versions,
// diff, download that imports back to the same version, line-accurate
// quiz errors, and the subtree rule.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, cli, contentDir, http, org, sql, user, signedIn, unique } from '../lib/util.mjs';

const tag = unique('au').replace(/[^a-z0-9-]/g, '');
const slug = `${tag}-modulo`;
let trainerA, trainerB, learner;

function source(version, quiz = '') {
	return [
		'---', `title: Modulo di prova ${version}`, `slug: ${slug}`, 'lang: it', 'minutes: 20',
		`summary: Versione ${version} del modulo di prova.`, 'competences:', '  - GOV.1', '---', '',
		`Testo della versione **${version}**.`, '', 'Una riga che resta uguale.', '',
		'```quiz', '? Chi rilascia il permesso di soggiorno?', 'competenza: ACC.1 base',
		'( ) Il Comune', '(x) La Questura', '    -> Sì: la Questura.', quiz, '```', '',
	].join('\r\n');
}

async function edit(c, action, src) {
	const csrf = await c.csrf('/author/edit');
	return c.post('/author/edit', { multipart: { csrf, action, source: src } });
}

before(async () => {
	org('calabria', `${tag}-a`, 'Ente autori A');
	org('sicilia', `${tag}-b`, 'Ente autori B');
	trainerA = await signedIn(await user({ email: `ta-${tag}@example.org`, org: `${tag}-a`, roles: 'trainer' }));
	trainerB = await signedIn(await user({ email: `tb-${tag}@example.org`, org: `${tag}-b`, roles: 'trainer' }));
	learner = await signedIn(await user({ email: `l-${tag}@example.org`, org: `${tag}-a` }));
});

test('preview renders with the import\'s renderer, right answers visible to the trainer', async () => {
	const r = await edit(trainerA, 'preview', source(1));
	assert.equal(r.status, 200);
	assert.match(r.body, /Testo della versione <strong>1<\/strong>/);
	assert.match(r.body, /class="opt-right"><span aria-hidden="true">✓<\/span> <span class="visually-hidden">right<\/span> La Questura/);
	assert.match(r.body, /ACC\.1 base/);
	assert.equal(sql(`SELECT count(*) FROM modules WHERE slug = '${slug}'`), '0', 'preview stores nothing');
});

test('quiz syntax errors are shown next to their line, and nothing is published', async () => {
	const bad = source(1).replace('(x) La Questura', '(x) La Questura\r\n(x) Anche la Prefettura').replace('competenza: ACC.1 base', 'competenza: ZZZ.9 base');
	const r = await edit(trainerA, 'publish', bad);
	assert.equal(r.status, 400);
	const lines = bad.split('\r\n');
	const qline = lines.findIndex((l) => l.startsWith('? Chi')) + 1;
	assert.match(r.body, new RegExp(`<a href="#L${qline}">riga ${qline}</a>: single-choice question has 2 right answers`));
	assert.match(r.body, new RegExp(`<span id="L${qline}" class="line line-error">`));
	assert.match(r.body, /↑ single-choice question has 2 right answers/);
	assert.equal(sql(`SELECT count(*) FROM modules WHERE slug = '${slug}'`), '0');
	const unknown = await edit(trainerA, 'publish', source(1).replace('competenza: ACC.1 base', 'competenza: ZZZ.9 base'));
	assert.equal(unknown.status, 400);
	assert.match(unknown.body, new RegExp(`riga ${qline + 1}</a>: competence &#39;ZZZ.9&#39; is not in the framework`));
	assert.doesNotMatch(unknown.body, /unknown level/, 'one error per cause');
});

test('drafts are saved and come back in the editor', async () => {
	const r = await edit(trainerA, 'save', source('bozza'));
	assert.equal(r.status, 200);
	assert.match(r.body, /Bozza salvata/);
	const list = await trainerA.get('/author');
	assert.match(list.body, new RegExp(`<code>${slug}</code>.*bozza salvata`, 's'));
	const back = await trainerA.get(`/author/edit?slug=${slug}`);
	assert.match(back.body, /Versione bozza del modulo di prova/);
	assert.equal(sql(`SELECT position(E'\\r' IN source) FROM module_drafts WHERE slug = '${slug}'`), '0', 'stored with LF');
});

test('publish makes a version a learner sees; a new version keeps the old one', async () => {
	let r = await edit(trainerA, 'publish', source(1));
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/modules/${slug}`);
	assert.equal(sql(`SELECT count(*) FROM module_drafts WHERE slug = '${slug}'`), '0', 'draft gone');
	let page = await learner.get(`/modules/${slug}`);
	assert.match(page.body, /Testo della versione <strong>1<\/strong>/);
	assert.match(page.body, /versione 1/);

	r = await edit(trainerA, 'publish', source(2, '\r\n? Vero o falso: la prova è finita.\r\ncompetenza: GOV.1 base\r\n= vero'));
	assert.equal(r.status, 303);
	page = await learner.get(`/modules/${slug}`);
	assert.match(page.body, /Testo della versione <strong>2<\/strong>/);
	assert.match(page.body, /versione 2/);
	const rows = sql(`SELECT v.version_no || ':' || v.origin || ':' || (SELECT count(*) FROM questions q WHERE q.version_id = v.id) || ':' || (u.email IS NOT NULL) FROM module_versions v JOIN modules m ON m.id = v.module_id LEFT JOIN users u ON u.id = v.author_id WHERE m.slug = '${slug}' ORDER BY 1`);
	assert.equal(rows, '1:web:1:true\n2:web:2:true', 'both versions kept, each with its own quiz');
	assert.match(sql(`SELECT details FROM audit_log WHERE event = 'module.publish' AND subject = 'module:${slug}' ORDER BY id DESC LIMIT 1`), /^[0-9a-f]{64}$/);
});

test('compare two versions line by line', async () => {
	const r = await trainerA.get(`/author/diff?slug=${slug}&from=1&to=2`);
	assert.equal(r.status, 200);
	assert.match(r.body, /<tr class="diff-del"><td>\d+<\/td><td><\/td><td>−<\/td><td><code>Testo della versione \*\*1\*\*\.<\/code>/);
	assert.match(r.body, /<tr class="diff-add"><td><\/td><td>\d+<\/td><td>\+<\/td><td><code>Testo della versione \*\*2\*\*\.<\/code>/);
	assert.match(r.body, /<tr class="diff-same">.*Una riga che resta uguale/);
	assert.equal((await trainerA.get(`/author/diff?slug=${slug}&from=1&to=9`)).status, 404);
});

test('a downloaded version imports back to the identical version', async () => {
	for (const v of [1, 2]) {
		const r = await trainerA.get(`/author/source?slug=${slug}&version=${v}`);
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-disposition'), new RegExp(`attachment; filename="${slug}\\.md"`));
		const sha = createHash('sha256').update(r.body).digest('hex');
		assert.equal(sha, sql(`SELECT v.sha256 FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${slug}' AND v.version_no = ${v}`));
		const dir = contentDir(`${tag}-rt${v}`, { [`modules/${slug}.md`]: r.body });
		assert.equal(cli(['import', '--check', dir]).status, 0);
		const imp = cli(['import', dir]);
		assert.equal(imp.status, 0, imp.stderr);
		assert.match(imp.stdout, /0 new versions, 1 unchanged/);
	}
	assert.equal(sql(`SELECT count(*) FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${slug}'`), '2');
});

test('trainers edit only their subtree; git modules are edited in git', async () => {
	const r = await edit(trainerB, 'publish', source(3));
	assert.equal(r.status, 403);
	assert.equal(sql(`SELECT max(version_no) FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${slug}'`), '2');
	const view = await trainerB.get(`/author/edit?slug=${slug}`);
	assert.equal(view.status, 200);
	assert.match(view.body, /non modificarlo/);
	// The programme's modules: refused with the reason, the text kept.
	const git = fs.readFileSync(new URL('../../modules/accesso-servizi.md', import.meta.url), 'utf8');
	const pub = await edit(trainerA, 'publish', git + '\nAggiunta.\n');
	assert.equal(pub.status, 409);
	assert.match(pub.body, /appartiene a un modulo del programma/);
	assert.match(pub.body, /Aggiunta\./);
	assert.equal((await edit(trainerA, 'save', git)).status, 409);
});

test('the public page never shows the quiz source; download needs the trainer role', async () => {
	const page = await http(`/modules/${slug}`);
	assert.doesNotMatch(page.body, /\(x\)|competenza:/);
	assert.equal((await learner.get(`/author/source?slug=${slug}`)).status, 403);
	assert.equal((await http(`/author/source?slug=${slug}`)).status, 303);
});
