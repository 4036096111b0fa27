// Times people read are Italy's (settings: timezone = Europe/Rome by
// default, given to every database session as PGTZ), while machine
// formats stay in UTC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, org, user, signedIn, unique } from '../lib/util.mjs';

const hhmm = (d, timeZone) => new Intl.DateTimeFormat('it-IT', {
	timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(d);

test('the audit log shows the time in Rome, not the server\'s UTC', async () => {
	const tag = unique('tz').replace(/[^a-z0-9-]/g, '');
	const admin = await user({ email: `admin-${tag}@example.org`, org: 'campania', roles: 'admin' });
	const before = new Date();
	org('campania', tag, 'Ufficio ' + tag);
	const after = new Date();
	const page = await (await signedIn(admin)).get('/admin/audit');
	assert.equal(page.status, 200);
	const row = page.body.split('<tr').slice(1).find((r) => r.includes('Ufficio ' + tag));
	assert.ok(row, 'the org.add row is listed');
	const shown = /, (\d{2}:\d{2})<\/td>/.exec(row)?.[1];
	assert.ok(shown, `a time in the row: ${row.slice(0, 400)}`);
	const rome = new Set([hhmm(before, 'Europe/Rome'), hhmm(after, 'Europe/Rome')]);
	const utc = new Set([hhmm(before, 'UTC'), hhmm(after, 'UTC')]);
	assert.ok(rome.has(shown), `shown ${shown}, Rome ${[...rome]}`);
	assert.ok(!utc.has(shown), `shown ${shown} is UTC`);
});

test('a time zone that does not exist is refused at start with its name', () => {
	const r = cli(['migrate', '--status'], { CAPACITA_TIMEZONE: 'Europe/Atlantide' });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr + r.stdout, /timezone 'Europe\/Atlantide': not a time zone/);
	const ok = cli(['migrate', '--status'], { CAPACITA_TIMEZONE: 'UTC' });
	assert.equal(ok.status, 0, ok.stderr);
});
