// Browser tests of the public pages: home (phone and desktop), language switch, frameworks,
// the 404 page and the home page without JavaScript. Run through ./run.sh (needs HOCVU_BINARY).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertAccessible, formatViolations, launchBrowser, VIEWPORTS } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const PRODUCT = 'HọcVụ';
const TEST_TIMEOUT = 60_000;

const nfc = (s) => String(s ?? '').normalize('NFC');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const exit = await server?.stop();
  // A server that crashed or was killed while we tested deserves a look at its output.
  if (exit && exit.signal && exit.signal !== 'SIGTERM') {
    console.error(`server ended with signal ${exit.signal}\n${server.output()}`);
  }
});

/**
 * A fresh browser context (own cookies and storage) in Vietnamese, with page errors and failed
 * same-origin subresources recorded in `problems`.
 */
async function openContext(t, { viewport = VIEWPORTS.desktop, javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ viewport, javaScriptEnabled, locale: 'vi-VN' });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught page error: ${err.message}`));
  page.on('response', (res) => {
    const req = res.request();
    if (req.resourceType() !== 'document' && res.url().startsWith(server.baseUrl) && res.status() >= 400) {
      problems.push(`${req.resourceType()} ${res.url()} answered ${res.status()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (req.url().startsWith(server.baseUrl)) {
      problems.push(`${req.resourceType()} ${req.url()} failed: ${req.failure()?.errorText}`);
    }
  });
  return { context, page, problems };
}

async function goto(page, path) {
  const response = await page.goto(server.baseUrl + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  return response;
}

const htmlLang = (page) => page.locator('html').getAttribute('lang');

/** Runs axe and prints (without failing) the minor and moderate findings. */
async function axe(t, page, label) {
  const minor = await assertAccessible(page, label);
  if (minor.length > 0) t.diagnostic(`axe (minor/moderate) on ${label}:\n${formatViolations(minor)}`);
}

async function assertHomeContent(page, label) {
  assert.equal(await htmlLang(page), 'vi', `${label}: <html lang> should be "vi"`);
  const h1 = page.locator('h1');
  assert.ok((await h1.count()) >= 1, `${label}: the page has no <h1>`);
  assert.ok(await h1.first().isVisible(), `${label}: the <h1> is not visible`);
  assert.notEqual((await h1.first().innerText()).trim(), '', `${label}: the <h1> is empty`);
  for (const href of ['/courses', '/frameworks']) {
    const link = page.locator(`main a[href="${href}"]`);
    assert.ok((await link.count()) >= 1, `${label}: no link a[href="${href}"] in <main>`);
    assert.ok(await link.first().isVisible(), `${label}: the first a[href="${href}"] in <main> is not visible`);
  }
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`home page, ${name} ${viewport.width}x${viewport.height}`, { timeout: TEST_TIMEOUT }, () => {
    test('renders in Vietnamese with an h1 and links to the catalogue and frameworks', async (t) => {
      const { page, problems } = await openContext(t, { viewport });
      const response = await goto(page, '/');
      assert.equal(response.status(), 200, 'GET / status');
      await assertHomeContent(page, `/ (${name})`);
      assert.deepEqual(problems, [], 'page errors or failed subresources');
      if (name === 'phone') {
        mkdirSync(OUT_DIR, { recursive: true });
        await page.screenshot({ path: OUT_DIR + 'home-phone.png', fullPage: true });
      }
    });

    test('has no serious or critical axe violations', async (t) => {
      const { page } = await openContext(t, { viewport });
      await goto(page, '/');
      await axe(t, page, `/ (${name})`);
    });

    if (name === 'phone') {
      test('fits the phone width (no horizontal scrolling)', async (t) => {
        const { page } = await openContext(t, { viewport });
        await goto(page, '/');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `document is ${width}px wide in a ${viewport.width}px viewport`);
      });
    }

    test('switches to English through the a[hreflang="en"] link', async (t) => {
      const { page, problems } = await openContext(t, { viewport });
      await goto(page, '/');
      const link = page.locator('a[hreflang="en"]');
      assert.ok((await link.count()) >= 1, 'no language switch link a[hreflang="en"]');
      // On a phone the switch is in the header's menu.
      if (await page.locator('header .site-menu__toggle').isVisible()) await page.click('header .site-menu__toggle');
      const [response] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        link.first().click(),
      ]);
      assert.ok(response, 'clicking a[hreflang="en"] did not navigate');
      assert.ok(response.status() < 400, `language switch answered ${response.status()} (${page.url()})`);
      assert.equal(await htmlLang(page), 'en', `<html lang> after the switch (at ${page.url()})`);
      assert.ok((await page.locator('h1').count()) >= 1, 'the English page has no <h1>');
      assert.deepEqual(problems, [], 'page errors or failed subresources');
      await axe(t, page, `${page.url()} (${name}, English)`);
    });
  });
}

describe('other pages', { timeout: TEST_TIMEOUT }, () => {
  test('/frameworks lists "Khai thác dữ liệu và thông tin" and is axe clean', async (t) => {
    const { page, problems } = await openContext(t);
    const response = await goto(page, '/frameworks');
    assert.equal(response.status(), 200, 'GET /frameworks status');
    assert.equal(await htmlLang(page), 'vi', '<html lang> on /frameworks');
    const text = nfc(await page.locator('body').innerText());
    assert.ok(
      text.includes(nfc('Khai thác dữ liệu và thông tin')),
      `/frameworks does not mention "Khai thác dữ liệu và thông tin"; its text starts:\n${text.slice(0, 600)}`,
    );
    assert.deepEqual(problems, [], 'page errors or failed subresources');
    await axe(t, page, '/frameworks');
  });

  test('/does-not-exist is a 404 page in the site layout and axe clean', async (t) => {
    const { page, problems } = await openContext(t);
    const response = await goto(page, '/does-not-exist');
    assert.equal(response.status(), 404, 'GET /does-not-exist status');
    assert.match(response.headers()['content-type'] ?? '', /^text\/html/, '404 content-type');
    assert.equal(await htmlLang(page), 'vi', '<html lang> on the 404 page');
    const header = page.locator('header');
    assert.ok((await header.count()) >= 1, 'the 404 page has no <header>');
    const headerText = nfc(await header.first().innerText());
    assert.ok(headerText.includes(nfc(PRODUCT)), `the 404 header does not name ${PRODUCT}: "${headerText}"`);
    assert.ok((await page.locator('h1').count()) >= 1, 'the 404 page has no <h1>');
    assert.deepEqual(problems, [], 'page errors or failed subresources');
    await axe(t, page, '/does-not-exist');
  });

  test('the home page works without JavaScript', async (t) => {
    const { page, problems } = await openContext(t, { viewport: VIEWPORTS.phone, javaScriptEnabled: false });
    const response = await goto(page, '/');
    assert.equal(response.status(), 200, 'GET / status without JavaScript');
    await assertHomeContent(page, '/ (no JavaScript)');
    assert.deepEqual(problems, [], 'failed subresources');
  });
});
