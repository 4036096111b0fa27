// Issue 2: pages, health, errors, assets, the content pipeline and the
// schema check, against the running server and its database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { http, raw, statusOf, sql, cli, contentDir, moduleSource, unique, eventually, BASE, ROOT, TMP } from '../lib/util.mjs';

test('catalogue lists every course and its modules, in Italian', async () => {
	const r = await http('/');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
	assert.match(r.body, /<html lang="it">/);
	assert.match(r.body, /Catalogo della formazione/);
	const courses = sql('SELECT slug || \'|\' || title FROM courses ORDER BY slug').split('\n');
	assert.ok(courses.length >= 3, 'the shipped courses are imported');
	for (const line of courses) {
		const [slug] = line.split('|');
		assert.ok(r.body.includes(`href="/courses/${slug}"`), `link to course ${slug}`);
	}
	const mods = sql(`SELECT m.slug FROM course_modules cm JOIN modules m ON m.id = cm.module_id`).split('\n');
	for (const slug of mods)
		assert.ok(r.body.includes(`href="/modules/${slug}"`), `link to module ${slug}`);
});

test('a course page lists its modules in the order of the file', async () => {
	const slug = sql('SELECT slug FROM courses ORDER BY slug LIMIT 1');
	const r = await http('/courses/' + slug);
	assert.equal(r.status, 200);
	const order = sql(`SELECT m.slug FROM course_modules cm JOIN modules m ON m.id = cm.module_id
	    JOIN courses c ON c.id = cm.course_id WHERE c.slug = '${slug}' ORDER BY cm.position`).split('\n');
	let last = -1;
	for (const m of order) {
		const at = r.body.indexOf(`href="/modules/${m}"`);
		assert.ok(at > last, `${m} appears after the previous module`);
		last = at;
	}
	assert.equal((await http('/courses/no-such-course')).status, 404);
});

test('a module page shows the rendered text and keeps the quiz out', async () => {
	const r = await http('/modules/accesso-servizi');
	assert.equal(r.status, 200);
	const title = sql(`SELECT v.title FROM modules m JOIN module_versions v ON v.id = m.current_version_id WHERE m.slug = 'accesso-servizi'`);
	assert.ok(r.body.includes(`<h1>${title}</h1>`));
	assert.match(r.body, /<article class="module" lang="it">/);
	assert.match(r.body, /<h2>Fonti<\/h2>/);
	assert.doesNotMatch(r.body, /competenza:/, 'quiz source never shown');
	assert.doesNotMatch(r.body, /\(x\)/);
	assert.equal((r.body.match(/<h1[ >]/g) || []).length, 1, 'one h1 per page');
});

test('module HTML is rendered at import and served from the database', async () => {
	const slug = unique('served');
	const dir = contentDir(slug, { [`modules/${slug}.md`]: moduleSource({ slug, body: 'Original *text*.' }) });
	assert.equal(cli(['import', dir]).status, 0);
	let r = await http('/modules/' + slug);
	assert.match(r.body, /Original <em>text<\/em>\./);
	// Change the stored HTML only: the page must show it as stored, on
	// every worker, once the change notification has gone round.
	sql(`UPDATE module_versions SET html = '<p>stored-marker</p>' WHERE module_id = (SELECT id FROM modules WHERE slug = '${slug}')`);
	const seen = await eventually(async () => {
		const pages = await Promise.all([1, 2, 3, 4].map(() => http('/modules/' + slug)));
		return pages.every((p) => /stored-marker/.test(p.body)) && pages;
	});
	assert.ok(seen, 'the stored HTML is served within 1 s');
	for (const p of seen)
		assert.doesNotMatch(p.body, /Original/);
});

test('raw HTML and javascript: links in Markdown never reach the page', async () => {
	const slug = unique('xss');
	const body = '<script>alert(1)</script>\n\n[a](javascript:alert(2)) [b](JaVaScRiPt:alert(3)) <img src=x onerror=alert(4)>\n\n<iframe src="//evil"></iframe>';
	const dir = contentDir(slug, { [`modules/${slug}.md`]: moduleSource({ slug, title: '<b>T</b> & "q"', body }) });
	assert.equal(cli(['import', dir]).status, 0);
	const r = await http('/modules/' + slug);
	assert.equal(r.status, 200);
	const main = r.body.slice(r.body.indexOf('<main'), r.body.indexOf('</main>'));
	assert.doesNotMatch(main, /<script/i);
	assert.doesNotMatch(main, /javascript:/i);
	assert.doesNotMatch(main, /onerror/i);
	assert.doesNotMatch(main, /<iframe/i);
	assert.doesNotMatch(main, /<b>T<\/b>/, 'front matter is escaped too');
	assert.match(main, /&lt;b&gt;T&lt;\/b&gt; &amp; &quot;q&quot;/);
});

test('bad files get path:line errors and are skipped; the rest import and serve', async () => {
	const good = unique('good');
	const dir = contentDir(unique('mixed'), {
		[`modules/${good}.md`]: moduleSource({ slug: good }),
		'modules/open.md': '---\ntitle: x\nslug: open\n',
		'modules/unknown.md': moduleSource({ slug: 'unknown', extra: 'colour: red\n' }),
		'modules/nokey.md': '---\nslug: nokey\nlang: it\nminutes: 1\nsummary: s\n---\n',
		'modules/bytes.md': Buffer.concat([Buffer.from(moduleSource({ slug: 'bytes' })), Buffer.from([0xff, 0x0a])]),
		[`modules/copy-of-${good}.md`]: moduleSource({ slug: good }),
		'courses/c-missing.md': `---\ntitle: C\nslug: c-missing\nlang: it\nsummary: s\nhours: 1\nmodules:\n  - ${good}\n  - not-there\n---\n`,
	});
	const r = cli(['import', dir]);
	assert.equal(r.status, 1, 'non-zero exit when a file is skipped');
	assert.match(r.stderr, /modules\/open\.md:1: front matter is not closed/);
	assert.match(r.stderr, /modules\/unknown\.md:7: unknown key 'colour'/);
	assert.match(r.stderr, /modules\/nokey\.md:1: missing required key 'title'/);
	assert.match(r.stderr, /modules\/bytes\.md:9: invalid UTF-8/);
	assert.match(r.stderr, new RegExp(`copy-of-${good}\\.md:3: duplicate slug '${good}'`));
	assert.match(r.stderr, /courses\/c-missing\.md:9: module 'not-there' does not exist/);
	assert.equal((await http('/modules/' + good)).status, 200, 'the good module is served');
	assert.equal((await http('/modules/unknown')).status, 404);
	assert.equal(sql(`SELECT count(*) FROM courses WHERE slug = 'c-missing'`), '0');

	const check = cli(['import', '--check', dir]);
	assert.equal(check.status, 1);
	assert.match(check.stdout, /6 with errors/);
});

test('import --check writes nothing, and every shipped file passes it', async () => {
	const slug = unique('checkonly');
	const dir = contentDir(slug, { [`modules/${slug}.md`]: moduleSource({ slug }) });
	const r = cli(['import', '--check', dir]);
	assert.equal(r.status, 0);
	assert.equal(sql(`SELECT count(*) FROM modules WHERE slug = '${slug}'`), '0');
	const shipped = cli(['import', '--check', ROOT]);
	assert.equal(shipped.status, 0, shipped.stderr);
	assert.match(shipped.stdout, / 0 with errors/);
});

test('import is idempotent; a changed file becomes a new version, old ones stay', async () => {
	const slug = unique('versions');
	const dir = contentDir(slug, { [`modules/${slug}.md`]: moduleSource({ slug, body: 'First.' }) });
	assert.match(cli(['import', dir]).stdout, /1 new versions/);
	assert.match(cli(['import', dir]).stdout, /0 new versions, 1 unchanged/);
	fs.writeFileSync(path.join(dir, `modules/${slug}.md`), moduleSource({ slug, body: 'Second.' }));
	assert.match(cli(['import', dir]).stdout, /1 new versions/);
	const rows = sql(`SELECT v.version_no || ':' || (v.id = m.current_version_id) FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${slug}' ORDER BY v.version_no`);
	assert.equal(rows, '1:false\n2:true');
	assert.match((await http('/modules/' + slug)).body, /Second\./);
	const sha = sql(`SELECT sha256 FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.slug = '${slug}' AND version_no = 2`);
	const src = fs.readFileSync(path.join(dir, `modules/${slug}.md`));
	const { createHash } = await import('node:crypto');
	assert.equal(sha, createHash('sha256').update(src).digest('hex'), 'version id is the SHA-256 of the source');
});

test('healthz reports status, schema and database', async () => {
	const r = await http('/healthz');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /application\/json/);
	const j = JSON.parse(r.body);
	assert.equal(j.status, 'ok');
	assert.equal(j.database, true);
	assert.equal(j.schema.database, j.schema.expected);
	assert.equal(String(j.schema.database), sql('SELECT max(version) FROM schema_migrations'));
});

test('unknown pages get a real 404 page; oversized bodies get 413', async () => {
	for (const p of ['/nope', '/modules/', '/modules/UPPER', '/courses/a/b', '/%00']) {
		const r = await http(p);
		assert.equal(r.status, 404, p);
		assert.match(r.body, /Pagina non trovata/, p);
		assert.match(r.body, /<html lang="it">/);
	}
	const big = 'x'.repeat(2 * 1024 * 1024);
	const r = await raw(`POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`);
	assert.equal(statusOf(r), 413);
	assert.equal((await http('/', { method: 'DELETE' })).status, 405);
});

test('every page carries the security headers', async () => {
	for (const p of ['/', '/modules/accesso-servizi', '/nope', '/assets/css/capacita.css', '/healthz']) {
		const r = await http(p);
		const csp = r.headers.get('content-security-policy') || '';
		assert.match(csp, /default-src 'self'/, p);
		assert.match(csp, /script-src 'self'/, p);
		assert.doesNotMatch(csp, /unsafe-inline/, p);
		assert.match(csp, /frame-ancestors 'none'/, p);
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
		assert.ok(r.headers.get('referrer-policy'), p);
		assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS on plain HTTP');
	}
});

test('assets are served locally with caching, gzip and no traversal', async () => {
	let r = await http('/assets/bi/css/bootstrap-italia.min.css');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /text\/css/);
	const etag = r.headers.get('etag');
	assert.ok(etag);
	const onDisk = fs.readFileSync(path.join(ROOT, 'node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css'));
	const served = Buffer.from(await (await fetch(BASE + '/assets/bi/css/bootstrap-italia.min.css')).arrayBuffer());
	assert.ok(served.equals(onDisk), 'same bytes as the npm package');
	r = await http('/assets/bi/css/bootstrap-italia.min.css', { headers: { 'if-none-match': etag } });
	assert.equal(r.status, 304);
	const gz = await raw('GET /assets/bi/css/bootstrap-italia.min.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n');
	assert.match(gz, /content-encoding: gzip/i);
	r = await http('/');
	assert.doesNotMatch(r.body, /https?:\/\/(cdn|unpkg|fonts\.googleapis)/, 'nothing from a CDN');
	for (const p of ['/assets/../conf/app.conf', '/assets/bi/../../conf/app.conf', '/assets/%2e%2e/conf/app.conf', '/assets/tmpl/layout.html', '/assets/i18n/it.txt']) {
		const res = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
		assert.equal(statusOf(res), 404, p);
		assert.doesNotMatch(res, /load \.\/bin/, p);
	}
});

test('the server refuses a database schema it does not know', async () => {
	for (const [name, version, want] of [['future', 99, /newer than the version/], ['past', 0, /run 'make migrate'/]]) {
		const db = `capacita_${name}_${process.pid}`;
		sql(`CREATE DATABASE ${db}`);
		try {
			const dsn = `host=${process.env.PGHOST} dbname=${db} user=postgres`;
			if (version > 0) {
				assert.equal(cli(['migrate'], { CAPACITA_DSN: dsn }).status, 0);
				spawnSync('psql', ['-d', db, '-c', `INSERT INTO schema_migrations VALUES (${version}, 'future')`]);
			}
			const conf = path.join(TMP, `${name}.conf`);
			fs.writeFileSync(conf, fs.readFileSync(path.join(ROOT, 'conf/app.conf'), 'utf8')
			    .replace(/bind 127\.0\.0\.1 \d+/, 'bind 127.0.0.1 0')
			    .replace(/^pidfile.*$/m, `pidfile ${TMP}/${name}.pid`));
			const r = spawnSync('kore', ['-fnr', '-c', conf], {
				cwd: ROOT, encoding: 'utf8', timeout: 20000,
				env: { ...process.env, CAPACITA_DSN: dsn, CAPACITA_PORT_FILE: path.join(TMP, `${name}.port`) },
			});
			assert.notEqual(r.status, 0, 'kore exits with an error');
			assert.match(r.stdout + r.stderr, want);
		} finally {
			sql(`DROP DATABASE ${db}`);
		}
	}
});

test('migrate is idempotent and reports the schema', async () => {
	const r = cli(['migrate']);
	assert.equal(r.status, 0);
	assert.match(r.stdout, /0 applied/);
	const s = cli(['migrate', '--status']);
	assert.equal(s.status, 0);
});

test('a second make run in the same checkout says so and touches nothing', async () => {
	const lockdir = path.join(TMP, 'lockvar');
	fs.mkdirSync(path.join(lockdir, 'run'), { recursive: true });
	fs.writeFileSync(path.join(lockdir, 'run', 'kore.pid'), '4242\n');
	const holder = spawnSync('sh', ['-c', `exec 9>${lockdir}/run/run.lock; flock -n 9 || exit 9; CAPACITA_VAR=${lockdir} PORT=1 ${ROOT}/scripts/run.sh; echo rc=$?`], { encoding: 'utf8', timeout: 20000 });
	assert.match(holder.stdout + holder.stderr, /already running/);
	assert.match(holder.stdout, /rc=1/);
});

test('make run on another port: the links that leave the site name that port, unless base_url says otherwise', () => {
	// scripts/run.sh exports CAPACITA_PORT; settings.c makes base_url of
	// it when neither conf/capacita.conf nor CAPACITA_BASE_URL set one.
	const dir = path.join(TMP, 'base-url');
	fs.mkdirSync(dir, { recursive: true });
	const conf = path.join(dir, 'capacita.conf');
	const base = (env) => {
		const e = { ...process.env, CAPACITA_PORT: '9122', CAPACITA_VAR_DIR: dir, ...env };
		if (!env.CAPACITA_BASE_URL)
			delete e.CAPACITA_BASE_URL;
		const r = spawnSync(path.join(ROOT, 'bin/capacita'), ['config', 'base_url'], { cwd: ROOT, encoding: 'utf8', env: e });
		assert.equal(r.status, 0, r.stderr);
		return r.stdout.trim();
	};
	fs.writeFileSync(conf, '# base_url = http://x\nsite_name = Capacita   # a comment after the value\n');
	assert.equal(base({ CAPACITA_CONF: conf }), 'http://127.0.0.1:9122');
	fs.writeFileSync(conf, '# base_url = http://x\nbase_url = https://formazione.regione.example.it   # ours\n');
	assert.equal(base({ CAPACITA_CONF: conf }), 'https://formazione.regione.example.it', 'a public address of its own is kept');
	assert.equal(base({ CAPACITA_CONF: conf, CAPACITA_BASE_URL: 'https://other.example.it' }), 'https://other.example.it');
});
