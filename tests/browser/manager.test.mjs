// Browser tests of the manager's pages on a phone-sized screen: the people list with a search
// typed without diacritics, a person's page with role granting, the people import with its
// report, and the audit log, each axe-core clean.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertAccessible, launchBrowser, VIEWPORTS } from './lib/browser.mjs';
import { serverBinary, startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The first national administrator, as an operator would make them.
  const env = { ...process.env, HOCVU_DATA_DIR: server.dataDir };
  if (process.env.HOCVU_TEST_DATABASE_URL) env.HOCVU_DATABASE_URL = process.env.HOCVU_TEST_DATABASE_URL;
  execFileSync(serverBinary(), ['create-admin', '--login', '0900000001', '--name', 'Quản Trị Viên'],
    { input: 'Quan-tri-2025!\n', env });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a manager imports people, finds one without diacritics, grants a role and reads the audit log', { timeout: 90_000 }, async (t) => {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone, locale: 'vi-VN' });
  t.after(() => context.close());
  const page = await context.newPage();

  await page.goto(server.baseUrl + '/sign-in');
  await page.fill('#login', '0900000001');
  await page.fill('#password', 'Quan-tri-2025!');
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/me');
  await page.click('main a[href="/people"]');  // from /me (the header's menu has it too)
  await assertAccessible(page, 'people list');

  // Import two people and one bad row, with a real file upload; a dry run first.
  await page.click('a[href="/people/import"]');
  await assertAccessible(page, 'people import form');
  mkdirSync(OUT_DIR, { recursive: true });
  const file = OUT_DIR + 'import.csv';
  writeFileSync(file, '\ufeffho_ten,cccd,so_dien_thoai,ngay_sinh,nhom,ma_don_vi\r\n' +
    'Nguyễn Thị Bảo Mật,001090000111,0931000111,01/01/1990,Người dân,01\r\n' +
    'Trần Văn Dịch Vụ,001090000112,0931000112,02/02/1990,Cán bộ,01\r\n' +
    'Sai Dòng,123,0931000113,03/03/1990,Người dân,01\r\n');
  await page.setInputFiles('#file', file);
  await page.click('main button[type=submit]');
  assert.match(await page.textContent('[role=status]'), /chạy thử/i);
  await page.setInputFiles('#file', file);
  await page.uncheck('#dry_run');
  await page.click('main button[type=submit]');
  const report = await page.textContent('main');
  assert.match(report, /Thêm mới: 2/);
  assert.match(report, /12 chữ số/);
  assert.match(report, /Nguyễn Thị Bảo Mật/);
  await assertAccessible(page, 'people import report');
  await page.screenshot({ path: OUT_DIR + 'import-report-phone.png', fullPage: true });

  // Search without diacritics, open the person: their data is shown and the view audited.
  await page.goto(server.baseUrl + '/people?q=bao+mat');
  assert.match(await page.textContent('tbody'), /Nguyễn Thị Bảo Mật/);
  assert.doesNotMatch(await page.textContent('tbody'), /Trần Văn Dịch Vụ/);
  await page.click('tbody a');
  assert.match(await page.textContent('main'), /001090000111/);
  await assertAccessible(page, 'a person');
  await page.selectOption('#role', 'instructor');
  await page.fill('#scope_code', '01');
  await page.click('form[action$="/roles"] button');
  assert.match(await page.textContent('main'), /Giảng viên số/);

  // Create an organisation through the form; the tree shows it.
  await page.goto(server.baseUrl + '/organisations');
  await page.fill('#name', 'Uỷ ban nhân dân phường Ba Đình');
  await page.selectOption('#kind', 'committee');
  await page.fill('#unit_code', '01');
  await page.click('form[action="/organisations"] button');
  assert.match(await page.textContent('.org-tree'), /Uỷ ban nhân dân phường Ba Đình/);
  await assertAccessible(page, 'organisations');

  await page.goto(server.baseUrl + '/audit');
  const log = await page.textContent('tbody');
  // Actions in words and times in Vietnam's time, day first: no action names, no ISO or UTC times.
  assert.match(log, /Xem thông tin cá nhân/);
  assert.match(log, /Cấp vai trò/);
  assert.match(log, /Nhập danh sách người/);
  assert.doesNotMatch(log, /view_person|grant_role|import_people/);
  assert.doesNotMatch(log, /\d{4}-\d{2}-\d{2}T|Z\b/);
  assert.match(log, /\d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
  await assertAccessible(page, 'audit log');
});
