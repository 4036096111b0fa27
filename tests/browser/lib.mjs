// Headless Chromium (Debian package) driven by playwright-core.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OUT } from '../lib/util.mjs';

export async function browser() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'capacita-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport: { width: 1280, height: 900 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const page = ctx.pages()[0] || await ctx.newPage();
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('requestfailed', (r) => problems.push('failed: ' + r.url()));
	return {
		ctx, page, problems,
		async shot(name) {
			fs.mkdirSync(path.join(OUT, 'screenshots'), { recursive: true });
			await page.screenshot({ path: path.join(OUT, 'screenshots', name + '.png'), fullPage: true });
		},
		async close() {
			await ctx.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
