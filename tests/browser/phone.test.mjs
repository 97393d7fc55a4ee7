// A person's first screen on a small phone (issue 11, items 3, 4, 5 and 12), at 360x740 with
// JavaScript on and off: what is visible without scrolling. The header is one short bar whose menu
// (a <details> disclosure) needs no script and offers each person what they use; the catalogue's
// search box is full width, readable and beside "Tìm", with the first result on the first screen;
// a course's "Đăng ký học" is on the first screen; tables read on a phone (stacked rows with
// labelled cells); forms leave validation to the server, whose messages follow the page's language.
// Screenshots of each first screen go to tests/browser/out/.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertAccessible, clickMenuLink, launchBrowser, VIEWPORTS } from './lib/browser.mjs';
import { apiClient } from './lib/api.mjs';
import { createAdmin, runCommand, startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../../web/templates/', import.meta.url));
const ADMIN = { login: '0900000001', password: 'Quan-tri-2025!' };
const PHONE = VIEWPORTS.phone;
const HEADER_MAX_PX = 120;
const TARGET_MIN_PX = 44;
const CELL_MIN_PX = 96;  // a table cell narrower than this shows a word or two per line
const VNEID = 'VNeID và dịch vụ công trực tuyến';  // its first lesson has a three-column table

let server;
let browser;
let adminToken;
const { expectApi, signInApi } = apiClient(() => server.baseUrl);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  mkdirSync(OUT_DIR, { recursive: true });
  runCommand(server, ['seed', '--demo']);
  createAdmin(server, ADMIN);
  adminToken = await signInApi(ADMIN.login, ADMIN.password);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

let nextPerson = 0;
async function registerCitizen(fullName) {
  nextPerson += 1;
  const n = String(nextPerson).padStart(3, '0');
  const person = {
    full_name: fullName, national_id: `001160000${n}`, birth_date: '1960-05-12', phone: `0913400${n}`,
    password: `Hoc-so-2025-${n}`, target_group: 'citizen', unit_code: '01',
  };
  await expectApi(201, 'POST', '/api/v1/accounts', { body: person });
  return person;
}

async function phone(t, javaScriptEnabled) {
  // The browser speaks English; the page is Vietnamese: nothing the browser adds may be English.
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US', javaScriptEnabled });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(server.baseUrl + '/?lang=vi');  // the page's language, kept in a cookie
  return page;
}

async function signIn(page, person) {
  await page.goto(server.baseUrl + '/sign-in');
  await page.fill('#login', person.phone ?? person.login);
  await page.fill('#password', person.password);
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/me');
}

const nfc = (s) => (s ?? '').normalize('NFC');

/** The element's box, asserting that all of it is on the first screen (no scrolling). */
async function onFirstScreen(locator, what) {
  assert.equal(await locator.count() > 0, true, `${what}: not on the page`);
  const box = await locator.first().boundingBox();
  assert.ok(box, `${what}: not rendered`);
  assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height && box.x >= 0 && box.x + box.width <= PHONE.width,
    `${what} is not on the first screen of ${PHONE.width}x${PHONE.height}: ${JSON.stringify(box)}`);
  return box;
}

async function headerHeight(page) {
  return (await page.locator('body > header').boundingBox()).height;
}

async function firstScreenShot(page, name, js) {
  await page.screenshot({ path: join(OUT_DIR, `${name}-phone-${js ? 'js' : 'nojs'}.png`) });
}

/**
 * Every table on the page reads at 360 px: each body cell with text is either at least
 * CELL_MIN_PX wide, or stacked (not a table cell) with its column's heading shown beside it (a
 * column without a heading holds the rows' own titles).
 * Returns how many cells were stacked.
 */
async function assertTablesRead(page, what) {
  const cells = await page.$$eval('table td', (tds) => tds.filter((td) => td.innerText.trim() !== '').map((td) => {
    const style = getComputedStyle(td);
    const before = getComputedStyle(td, '::before').content;
    const heading = td.closest('table').querySelectorAll('thead th')[td.cellIndex];
    return {
      text: td.innerText.trim().slice(0, 40), width: td.getBoundingClientRect().width,
      display: style.display, label: td.getAttribute('data-label'), before,
      headed: !!heading && heading.textContent.trim() !== '',
    };
  }));
  assert.ok(cells.length > 0, `${what}: no table cells`);
  let stacked = 0;
  for (const c of cells) {
    if (c.display === 'table-cell') {
      assert.ok(c.width >= CELL_MIN_PX, `${what}: cell "${c.text}" is ${Math.round(c.width)} px wide at 360 px`);
    } else {
      stacked += 1;
      if (!c.headed) continue;  // a column without a heading holds each row's own title
      assert.ok(c.label && c.before.includes(c.label), `${what}: stacked cell "${c.text}" shows no label (${c.before})`);
    }
  }
  return stacked;
}

test('every form in every template leaves validation to the server (its messages follow the page language)', () => {
  const files = readdirSync(TEMPLATES).map((f) => join(TEMPLATES, f))
    .concat(readdirSync(join(TEMPLATES, 'partials')).map((f) => join(TEMPLATES, 'partials', f)))
    .filter((f) => f.endsWith('.mustache'));
  const missing = [];
  for (const file of files) {
    for (const form of readFileSync(file, 'utf8').match(/<form\b[^>]*>/g) ?? []) {
      if (!/\bnovalidate\b/.test(form)) missing.push(`${file}: ${form}`);
    }
  }
  assert.deepEqual(missing, [], 'forms without novalidate show the browser\'s messages in the browser\'s language');
});

for (const js of [true, false]) {
  // axe-core runs as a script in the page, which a page without JavaScript cannot run; the same
  // pages (the server sends the same HTML) are checked in the JavaScript-on run.
  const axe = (page, label) => (js ? assertAccessible(page, label) : Promise.resolve());
  describe(`a small phone, JavaScript ${js ? 'on' : 'off'}`, { timeout: 120_000 }, () => {
    test('catalogue: a short header, "Đăng ký" as a button, the search box beside "Tìm" and the first result on the first screen', async (t) => {
      const page = await phone(t, js);
      await page.goto(server.baseUrl + '/courses');
      await firstScreenShot(page, 'catalogue', js);
      const height = await headerHeight(page);
      assert.ok(height <= HEADER_MAX_PX, `the header takes ${height} px of ${PHONE.height}`);

      const register = page.locator('header a[href="/register"]');
      const reg = await onFirstScreen(register, '"Đăng ký"');
      assert.ok(reg.height >= TARGET_MIN_PX, `"Đăng ký" is ${reg.height} px tall`);

      const box = await onFirstScreen(page.locator('#q'), 'the search box');
      assert.ok(box.height >= TARGET_MIN_PX, `the search box is ${box.height} px tall`);
      assert.ok(box.width >= 200, `the search box is ${box.width} px wide`);
      const fontSize = parseFloat(await page.locator('#q').evaluate((e) => getComputedStyle(e).fontSize));
      assert.ok(fontSize >= 16, `the search box's text is ${fontSize} px (phones zoom below 16)`);
      const submit = await onFirstScreen(page.locator('main form[role=search] button[type=submit]').first(), '"Tìm"');
      assert.equal(nfc(await page.locator('main form[role=search] button[type=submit]').first().innerText()), 'Tìm');
      assert.ok(submit.x >= box.x + box.width && submit.y < box.y + box.height && submit.y + submit.height > box.y,
        `"Tìm" is not beside the search box: box ${JSON.stringify(box)}, button ${JSON.stringify(submit)}`);
      await onFirstScreen(page.locator('.course-card__title a'), 'the first result');

      // The filters are folded away, and open to use.
      assert.equal(await page.locator('#group').isVisible(), false, 'the filters take the first screen');
      await page.click('main details.disclosure > summary');
      assert.equal(await page.locator('#group').isVisible(), true, 'the filters do not open');
      await page.selectOption('#max_minutes', '30');
      await page.locator('main form[role=search] button[type=submit]').last().click();
      assert.equal(new URL(page.url()).searchParams.get('max_minutes'), '30');
      assert.equal(await page.locator('#max_minutes').isVisible(), true, 'a filter in use is folded away');
      await axe(page, `catalogue (JavaScript ${js ? 'on' : 'off'})`);
    });

    test('a citizen: a menu without "Tổ chức" that opens without script, and "Đăng ký học" on the first screen', async (t) => {
      const citizen = await registerCitizen(`Bà Sáu ${js ? 'A' : 'B'}`);
      const page = await phone(t, js);
      await signIn(page, citizen);
      const height = await headerHeight(page);
      assert.ok(height <= HEADER_MAX_PX, `the header takes ${height} px`);
      assert.equal(await page.locator('header a[href="/organisations"]').count(), 0, 'a citizen is offered "Tổ chức"');
      assert.equal(await page.locator('header a[href="/people"]').count(), 0, 'a citizen is offered the people list');
      const learn = page.locator('header a[href="/learn"]');
      assert.equal(await learn.isVisible(), false, 'the menu is open before it is asked for');
      await page.click('header .site-menu__toggle');
      assert.equal(await learn.isVisible(), true, 'the menu does not open');
      await firstScreenShot(page, 'menu-citizen', js);
      await axe(page, 'the open menu');
      await clickMenuLink(page, '/courses');

      await page.click(`.course-card__title a:text-is("${VNEID}")`);
      await firstScreenShot(page, 'course', js);
      await onFirstScreen(page.locator('main button[type=submit]', { hasText: 'Đăng ký học' }), '"Đăng ký học"');
      await axe(page, 'course page');
      await page.click('main button[type=submit]:has-text("Đăng ký học")');
      await page.locator('main a.button', { hasText: /Tiếp tục học|Bắt đầu/ }).first().click();
      assert.match(new URL(page.url()).pathname, /^\/lessons\/\d+$/);

      // The lesson's Markdown table (three columns) reads at 360 px.
      const stacked = await assertTablesRead(page, 'lesson table');
      assert.ok(stacked > 0, 'the lesson\'s table is not stacked at 360 px');
      await page.locator('main table').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT_DIR, `lesson-table-phone-${js ? 'js' : 'nojs'}.png`) });
      await axe(page, 'lesson with a table');

      // Answering without a choice: the page's language, never the browser's.
      const form = page.locator('form[data-question]').first();
      await form.locator('button[type=submit]').click();
      await form.getByText('Hãy chọn một câu trả lời').first().waitFor();
      assert.match(nfc(await form.innerText()), /Hãy chọn một câu trả lời/);
      await axe(page, 'lesson question sent without a choice');
    });

    test('a manager: the menu names the work their roles allow, and the people list reads as labelled rows', async (t) => {
      const page = await phone(t, js);
      await signIn(page, ADMIN);
      const height = await headerHeight(page);
      assert.ok(height <= HEADER_MAX_PX, `the header takes ${height} px`);
      for (const href of ['/people', '/organisations', '/audit', '/author']) {
        assert.equal(await page.locator(`header a[href="${href}"]`).count(), 1, `the administrator's menu has no ${href}`);
      }
      await clickMenuLink(page, '/people');
      assert.equal(new URL(page.url()).pathname, '/people');
      assert.equal(await page.locator('header a[href="/people"][aria-current="page"]').count(), 1, 'the menu does not mark where one is');
      const stacked = await assertTablesRead(page, 'people list');
      assert.ok(stacked > 0, 'the people list is not stacked at 360 px');
      await page.screenshot({ path: join(OUT_DIR, `people-phone-${js ? 'js' : 'nojs'}.png`), fullPage: true });
      await axe(page, 'people list');
    });

    test('registering with empty fields in an English browser: the server\'s Vietnamese messages, no browser bubble', async (t) => {
      const page = await phone(t, js);
      await page.goto(server.baseUrl + '/register');
      await page.click('main button[type=submit]');
      await page.waitForSelector('.error-summary');
      assert.match(nfc(await page.locator('.error-summary').innerText()), /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i,
        'the error summary is not in Vietnamese');
      await axe(page, 'register with errors');
    });
  });
}

test('desktop: the menu is in the bar, without a toggle, whether or not scripts run', { timeout: 60_000 }, async (t) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, javaScriptEnabled });
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(server.baseUrl + '/courses');
    assert.equal(await page.locator('header .site-menu__toggle').isVisible(), false, 'a desktop shows the menu toggle');
    assert.equal(await page.locator('header a[href="/courses"]').isVisible(), true, 'a desktop hides the menu');
    assert.equal(await page.locator('header a[href="/sign-in"]').isVisible(), true, 'a desktop hides "Đăng nhập"');
    if (javaScriptEnabled) await assertAccessible(page, 'desktop catalogue');  // axe needs scripts
  }
});
