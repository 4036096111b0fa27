// Issue 18, trainers: a course editor on the web, so that modules written
// in the web editor are taught, graded and counted like shipped ones;
// the programme's slugs and the units' kept apart both ways; read-only
// modules without edit actions; drafts seen only in their unit; nobody
// rates themselves; the editors' help in the page.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, cli, contentDir, org, readModule, sql, user, signedIn, unique } from '../lib/util.mjs';
import { answer } from '../lib/quiz.mjs';

const tag = unique('tr').replace(/[^a-z0-9-]/g, '');
const WM = `${tag}-web`, WC = `${tag}-corso`;
let trainerA, trainerB, admin, learner, trainerAUser;

function moduleSource(slug, extra = '') {
	return [
		'---', `title: Modulo del web ${tag}`, `slug: ${slug}`, 'lang: it', 'minutes: 20',
		'summary: Un modulo scritto nell\'editor.', 'competences:', '  - GOV.1', '---', '',
		'Il testo del modulo.', '', '```quiz',
		'? Chi fa le leggi sull\'immigrazione?', 'competenza: GOV.1 base', '(x) Lo Stato', '( ) Il Comune', '',
		'? Vero o falso: il permesso di soggiorno lo rilascia la Questura.', 'competenza: GOV.1 base', '= vero', extra,
		'```', '',
	].join('\n');
}

async function edit(c, action, src) {
	const csrf = await c.csrf('/author/edit');
	return c.post('/author/edit', { multipart: { csrf, action, source: src } });
}

// The course editor's form, as a browser sends it.
async function course(c, fields, positions) {
	const csrf = await c.csrf('/author/course');
	const p = new URLSearchParams({ csrf, lang: 'it', hours: '2', pass: '70', attempts: '3', grading: 'highest', review: 'after-pass', assessment: '', summary: 'Un corso fatto nel web.', body: 'Descrizione.', badge_name: '', badge_description: '', badge_criteria: '', competences: '', ...fields });
	for (const [slug, pos] of Object.entries(positions))
		p.append(`m-${slug}`, String(pos));
	return c.req('POST', '/author/course', { body: p.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

before(async () => {
	org('basilicata', `${tag}-a`, `Ente formatori A ${tag}`);
	org('calabria', `${tag}-b`, `Ente formatori B ${tag}`);
	trainerAUser = await user({ email: `ta-${tag}@example.org`, org: `${tag}-a`, roles: 'trainer' });
	trainerA = await signedIn(trainerAUser);
	trainerB = await signedIn(await user({ email: `tb-${tag}@example.org`, org: `${tag}-b`, roles: 'trainer' }));
	admin = await signedIn(await user({ email: `ad-${tag}@example.org`, org: `${tag}-b`, roles: 'admin' }));
	learner = await signedIn(await user({ email: `l-${tag}@example.org`, org: `${tag}-a` }));
});

// Before: a module written in the web editor could never be learnt (no
// course could hold it, its quiz was not offered, no hours).
test('a web module in a web course is taught, graded and counted like a shipped one', async () => {
	assert.equal((await edit(trainerA, 'publish', moduleSource(WM))).status, 303);
	// Checked first: a claim the quizzes cannot certify, and an empty
	// title, are said next to their fields; nothing is stored.
	let r = await course(trainerA, { slug: WC, title: '', competences: 'GOV.1 intermedio' }, { [WM]: 1 });
	assert.equal(r.status, 400);
	assert.match(r.body, /data-problems="1"/);
	assert.match(r.body, /<li><strong>Titolo<\/strong> è obbligatorio\.<\/li>/);
	r = await course(trainerA, { slug: WC, title: `Corso del web ${tag}`, competences: 'GOV.1 intermedio' }, { [WM]: 1 });
	assert.equal(r.status, 400);
	assert.match(r.body, /Competenze dichiarate dall&#39;attestato<\/strong> GOV.1 intermedio cannot be certified by this course/);
	assert.match(r.body, new RegExp(`value="Corso del web ${tag}"`), 'what was typed is kept');
	assert.equal(sql(`SELECT count(*) FROM courses WHERE slug = '${WC}'`), '0');
	r = await course(trainerA, { slug: WC, title: `Corso del web ${tag}`, competences: 'GOV.1 base', action: 'preview' }, { [WM]: 1 });
	assert.equal(r.status, 200);
	assert.match(r.body, /Nessun problema/);
	assert.equal(sql(`SELECT count(*) FROM courses WHERE slug = '${WC}'`), '0', 'a check stores nothing');
	r = await course(trainerA, { slug: WC, title: `Corso del web ${tag}`, competences: 'GOV.1 base', review: 'always', action: 'publish' }, { [WM]: 1 });
	assert.equal(r.status, 303, r.body.slice(0, 500));
	assert.equal(r.headers.get('location'), `/courses/${WC}`);
	assert.equal(sql(`SELECT o.code || '|' || c.review || '|' || c.hours || '|' || (c.author_id IS NOT NULL) FROM courses c JOIN orgs o ON o.id = c.owner_org_id WHERE c.slug = '${WC}'`), `${tag}-a|always|2.00|true`);
	assert.match(sql(`SELECT details FROM audit_log WHERE event = 'course.publish' AND subject = 'course:${WC}'`), /^[0-9a-f]{64}$/);
	// The course's text is a course file that imports back as it is.
	const src = sql(`SELECT source FROM courses WHERE slug = '${WC}'`);
	assert.match(src, new RegExp(`^---\\ntitle: Corso del web ${tag}\\nslug: ${WC}\\n`));
	const chk = cli(['import', '--check', contentDir(`${tag}-rt`, { 'courses/framework.md': fs.readFileSync(path.join(ROOT, 'courses/framework.md'), 'utf8'), [`modules/${WM}.md`]: moduleSource(WM), [`courses/${WC}.md`]: src })]);
	assert.equal(chk.status, 0, chk.stderr);
	// A learner: enrols, reads (for the minimum time), the quiz is
	// offered on the module's page, passes, hours and badge follow.
	const csrf = await learner.csrf(`/courses/${WC}`);
	assert.equal((await learner.post('/learn/enrol', { form: { csrf, course: WC } })).status, 303);
	const page = await learner.get(`/modules/${WM}`);
	assert.match(page.body, new RegExp(`name="course" value="${WC}"`), 'the quiz is offered');
	assert.equal((await readModule(learner, WM)).status, 303);
	const s = await learner.post('/quiz/start', { form: { csrf: await learner.csrf('/me'), course: WC, module: WM } });
	assert.equal(s.status, 303);
	assert.equal((await answer(learner, s.headers.get('location'), ['Lo Stato', 'true'])).status, 303);
	const uid = sql(`SELECT id FROM users WHERE email = 'l-${tag}@example.org'`);
	assert.equal(sql(`SELECT completed_at IS NOT NULL FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${uid} AND c.slug = '${WC}'`), 't');
	assert.equal(sql(`SELECT sum(hours) FROM hours_ledger WHERE user_id = ${uid}`), '2.00');
	let badge = '';
	for (let i = 0; i < 100 && !badge; i++) {
		badge = sql(`SELECT credential FROM badges WHERE user_id = ${uid}`);
		if (!badge)
			await new Promise((res) => setTimeout(res, 100));
	}
	const al = JSON.parse(badge).credentialSubject.achievement.alignment;
	assert.deepEqual(al.map((a) => `${a.targetCode} ${a.targetDescription}`), ['GOV.1 base']);
	// Review "always": the right answers show after the attempt.
	assert.match((await learner.get(s.headers.get('location'))).body, /Risposta giusta: Lo Stato/);
});

test('courses: another unit\'s is read only; the programme\'s slug is refused', async () => {
	const view = await trainerB.get(`/author/course?slug=${WC}`);
	assert.equal(view.status, 200);
	assert.match(view.body, /<fieldset disabled>/);
	assert.doesNotMatch(view.body, /name="action"/);
	let r = await course(trainerB, { slug: WC, title: 'Preso', action: 'publish' }, { [WM]: 1 });
	assert.equal(r.status, 403);
	assert.match(r.body, /appartiene a un altro ente/);
	assert.equal(sql(`SELECT title FROM courses WHERE slug = '${WC}'`), `Corso del web ${tag}`);
	// The programme's course: read only for everybody, admins too.
	const prog = await admin.get('/author/course?slug=governance-accesso');
	assert.match(prog.body, /Questo è un corso del programma/);
	assert.doesNotMatch(prog.body, /name="action"/);
	for (const c of [trainerA, admin]) {
		r = await course(c, { slug: 'governance-accesso', title: 'Sovrascritto', action: 'publish' }, { [WM]: 1 });
		assert.equal(r.status, 409);
		assert.match(r.body, /appartiene a un corso del programma/);
	}
	assert.notEqual(sql("SELECT title FROM courses WHERE slug = 'governance-accesso'"), 'Sovrascritto');
	const list = await trainerA.get('/author/courses');
	assert.match(list.body, new RegExp(`<a href="/author/course\\?slug=${WC}">Modifica</a>`));
	assert.match(list.body, /<a href="\/author\/course\?slug=governance-accesso">Vedi<\/a>/);
});

// Before: importing the programme's module after a trainer had published
// the same slug left the trainer owning it, able to publish over it.
test('a slug is the programme\'s or a unit\'s: refused with a clear message both ways', async () => {
	// Import over a web module: refused, path:line.
	const dir = contentDir(`${tag}-clash`, {
		[`modules/${WM}.md`]: moduleSource(WM).replace('Il testo del modulo.', 'Il testo del programma.'),
		[`courses/${WC}.md`]: sql(`SELECT source FROM courses WHERE slug = '${WC}'`).replace(`title: Corso del web ${tag}`, 'title: Corso del programma'),
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, new RegExp(`modules/${WM}\\.md:3: slug '${WM}' belongs to a module written in the web editor by Ente formatori A ${tag}: give this file another slug`));
	assert.match(r.stderr, new RegExp(`courses/${WC}\\.md:3: slug '${WC}' belongs to a course written in the web editor by Ente formatori A ${tag}`));
	assert.equal(sql(`SELECT count(*) FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${WM}'`), '1');
	assert.notEqual(sql(`SELECT o.code FROM modules m JOIN orgs o ON o.id = m.owner_org_id WHERE m.slug = '${WM}'`), '');
	// Web over the programme's module: refused, the text kept.
	const git = fs.readFileSync(path.join(ROOT, 'modules/accesso-servizi.md'), 'utf8');
	for (const c of [trainerA, admin]) {
		const p = await edit(c, 'publish', git.replace('# Accesso ai servizi', '# Accesso ai servizi modificato'));
		assert.equal(p.status, 409);
		assert.match(p.body, /appartiene a un modulo del programma/);
		assert.match(p.body, /Accesso ai servizi modificato/);
	}
	assert.equal(sql("SELECT owner_org_id IS NULL FROM modules WHERE slug = 'accesso-servizi'"), 't');
});

// Before: a read-only module showed active "Salva la bozza" and
// "Pubblica" buttons that ended in a 403 under a green notice.
test('read-only modules show no edit action', async () => {
	for (const [c, slug, text] of [[trainerB, WM, /non modificarlo/], [trainerA, 'accesso-servizi', /modulo del programma/], [admin, 'accesso-servizi', /modulo del programma/]]) {
		const r = await c.get(`/author/edit?slug=${slug}`);
		assert.equal(r.status, 200);
		assert.match(r.body, text);
		assert.doesNotMatch(r.body, /name="action"/);
		assert.doesNotMatch(r.body, /<button[^>]*>(Salva la bozza|Pubblica|Anteprima)</);
		assert.match(r.body, /<textarea[^>]* readonly>/);
		assert.doesNotMatch(r.body, /action="\/author\/edit"/, 'no form to send');
		assert.match(r.body, /alert-info/);
		assert.doesNotMatch(r.body, /alert-success/);
		assert.match(r.body, new RegExp(`href="/author/source\\?slug=${slug}"`));
	}
	const own = await trainerA.get(`/author/edit?slug=${WM}`);
	assert.match(own.body, /name="action" value="publish"/);
});

// Before: trainers listed and read other agencies' unpublished drafts.
test('drafts are seen only in their unit', async () => {
	const D = `${tag}-bozza`;
	assert.equal((await edit(trainerA, 'save', moduleSource(D).replace('Il testo del modulo.', 'BOZZA-RISERVATA'))).status, 200);
	const listB = await trainerB.get('/author');
	assert.doesNotMatch(listB.body, new RegExp(D));
	assert.equal((await trainerB.get(`/author/edit?slug=${D}`)).status, 404);
	const over = await edit(trainerB, 'save', moduleSource(D));
	assert.equal(over.status, 403);
	assert.equal(sql(`SELECT position('BOZZA-RISERVATA' IN source) > 0 FROM module_drafts WHERE slug = '${D}'`), 't');
	assert.match((await trainerA.get('/author')).body, new RegExp(`<code>${D}</code>`));
	assert.match((await admin.get('/author')).body, new RegExp(`<code>${D}</code>`));
	assert.match((await trainerA.get(`/author/edit?slug=${D}`)).body, /BOZZA-RISERVATA/);
});

// Before: a trainer could rate their own competences.
test('nobody rates themselves', async () => {
	const csrf = await trainerA.csrf('/ratings');
	const r = await trainerA.post('/ratings', { form: { csrf, email: `ta-${tag}@example.org`, competence: 'GOV.1', level: 'avanzato', note: 'Mi valuto da solo.' } });
	assert.equal(r.status, 403);
	assert.match(r.body, /Nessuno valuta le proprie competenze/);
	assert.equal(sql(`SELECT count(*) FROM evidence WHERE user_id = ${trainerAUser.id} AND source = 'rating'`), '0');
	// The database refuses it too.
	assert.throws(() => sql(`INSERT INTO evidence (user_id, competence, level, source, rating_level, note, rated_by) VALUES (${trainerAUser.id}, 'GOV.1', 'base', 'rating', 'base', 'x', ${trainerAUser.id})`), /evidence_not_self/);
	// Rating somebody else still works.
	const ok = await trainerA.post('/ratings', { form: { csrf, email: `l-${tag}@example.org`, competence: 'GOV.1', level: 'base', note: 'Osservato in servizio.' } });
	assert.equal(ok.status, 200);
});

test('the editors\' help is in the page', async () => {
	const m = await trainerA.get('/author/edit');
	assert.match(m.body, /<summary>Guida: come si scrive un modulo<\/summary>/);
	assert.match(m.body, /<td>ordinamento<\/td><td><code>1\. …<\/code>/);
	const c = await trainerA.get('/author/course');
	assert.match(c.body, /<summary>Guida: come si costruisce un corso<\/summary>/);
	assert.match(c.body, /almeno 2 risposte a domande di quel livello/);
	assert.match(c.body, /name="action" value="publish"/);
});
