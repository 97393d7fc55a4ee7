// Browser tests of registration, sign-in and sign-out on a phone-sized screen: the forms work
// with a real browser (cookies, CSRF tokens, redirects), show their errors accessibly, and pass
// axe-core with no serious or critical violation.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { VIEWPORTS, assertAccessible, clickMenuLink, launchBrowser } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function phonePage(t) {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone, locale: 'vi-VN' });
  t.after(() => context.close());
  return context.newPage();
}

test('a learner registers, sees their details, signs out and signs in again', { timeout: 60_000 }, async (t) => {
  const page = await phonePage(t);
  await page.goto(server.baseUrl + '/');
  await page.click('a[href="/register"]');
  assert.equal(new URL(page.url()).pathname, '/register');
  await assertAccessible(page, 'empty registration form');

  // A first try with mistakes: the summary at the top links to the fields, values are kept.
  await page.fill('#full_name', 'Hoàng Thị Mai');
  await page.fill('#national_id', '12345');
  await page.click('main button[type=submit]');
  assert.ok(await page.isVisible('.error-summary'), 'error summary shown');
  assert.equal(await page.inputValue('#full_name'), 'Hoàng Thị Mai');
  assert.ok(await page.isVisible('#national_id-error'));
  await assertAccessible(page, 'registration form with errors');
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: OUT_DIR + 'register-errors-phone.png', fullPage: true });

  await page.fill('#national_id', '001185000777');
  await page.fill('#birth_date', '02/09/1985');  // day first, as people write it
  await page.fill('#phone', '0912 000 777');
  await page.check('#group-citizen');
  await page.selectOption('#unit_code', '01');
  await page.fill('#password', 'Mai-hoc-so-2025');
  await page.click('main button[type=submit]');
  // A welcome and a first step, not the account details.
  assert.equal(new URL(page.url()).pathname, '/learn');
  assert.match(await page.textContent('[data-welcome]'), /Chào mừng bạn đến với HọcVụ!/);
  await assertAccessible(page, 'welcome');
  await page.screenshot({ path: OUT_DIR + 'welcome-phone.png', fullPage: true });
  await page.goto(server.baseUrl + '/me');
  assert.match(await page.textContent('main'), /Hoàng Thị Mai/);
  assert.match(await page.textContent('main'), /001185000777/);
  // Names, not codes; the birth date day first.
  const details = await page.textContent('main dl');
  assert.match(details, /02\/09\/1985/);
  assert.match(details, /Thành phố Hà Nội/);
  assert.doesNotMatch(details, /\bcitizen\b|1985-09-02/);
  await assertAccessible(page, 'my details');

  // Edit the profile: the change shows on the details page, with a notice.
  await page.click('a[href="/me/edit"]');
  await assertAccessible(page, 'edit my details');
  await page.fill('#full_name', 'Hoàng Thị Mai Anh');
  await page.fill('#email', 'mai.anh@example.vn');
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/me');
  assert.match(await page.textContent('[role=status]'), /Đã lưu/);
  assert.match(await page.textContent('main'), /Hoàng Thị Mai Anh/);
  await page.click('a[href="/me/password"]');
  await assertAccessible(page, 'change password');
  await page.goBack();

  await page.click('header .site-menu__toggle');  // on a phone, signing out is in the menu
  await page.click('form[action="/sign-out"] button');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.ok(await page.isVisible('header a[href="/register"]'));
  assert.equal(await page.locator('header a[href="/sign-in"]').count(), 1);

  await clickMenuLink(page, '/sign-in');
  await assertAccessible(page, 'sign-in form');
  await page.fill('#login', '0912000777');
  await page.fill('#password', 'sai-mat-khau');
  await page.click('main button[type=submit]');
  assert.match(await page.textContent('.error-summary'), /không đúng/);
  await assertAccessible(page, 'sign-in form with an error');
  await page.fill('#password', 'Mai-hoc-so-2025');
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/me');
  assert.match(await page.textContent('header'), /Hoàng Thị Mai Anh/);
});
