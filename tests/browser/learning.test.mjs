// Browser tests of learning on a phone-sized screen: a learner finds a starter course without
// diacritics, enrols, learns lesson by lesson (questions reveal the right answer only once
// answered), leaves and comes back where they were, and completes the course; an instructor
// builds a course with text, video and a question, previews, publishes, exports and re-imports it,
// and a learner cannot complete its video by seeking to the end; a manager assigns a course to an
// organisation with a deadline and a member sees it. Every page is axe-core clean.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertAccessible, launchBrowser, VIEWPORTS } from './lib/browser.mjs';
import { serverBinary, startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const ADMIN = { login: '0900000001', password: 'Quan-tri-2025!' };
const STARTER_TITLE = 'Nhận diện lừa đảo trực tuyến và bảo vệ dữ liệu cá nhân';

let server;
let browser;
let adminToken;
let workDir;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  workDir = mkdtempSync(join(tmpdir(), 'hocvu-learning-'));
  mkdirSync(OUT_DIR, { recursive: true });
  const env = { ...process.env, HOCVU_DATA_DIR: server.dataDir };
  if (process.env.HOCVU_TEST_DATABASE_URL) env.HOCVU_DATABASE_URL = process.env.HOCVU_TEST_DATABASE_URL;
  // The starter courses, published, and the first national administrator.
  execFileSync(serverBinary(), ['seed', '--demo'], { env, stdio: 'pipe' });
  execFileSync(serverBinary(), ['create-admin', '--login', ADMIN.login, '--name', 'Quản Trị Viên'],
    { input: ADMIN.password + '\n', env, stdio: 'pipe' });
  adminToken = await signInApi(ADMIN.login, ADMIN.password);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// --- setup through the JSON API (not the journeys under test) ---

async function api(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(server.baseUrl + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; the assertion below shows the text
  }
  return { status: res.status, json, text };
}

async function expectApi(status, method, path, options) {
  const res = await api(method, path, options);
  assert.equal(res.status, status, `${method} ${path} answered ${res.status}: ${res.text}`);
  return res.json;
}

async function signInApi(login, password) {
  return (await expectApi(201, 'POST', '/api/v1/sessions', { body: { login, password } })).token;
}

let nextPerson = 0;
/** Registers a citizen of unit 01 born in 1985; returns {id, phone, password, full_name}. */
async function register(fullName) {
  nextPerson += 1;
  const n = String(nextPerson).padStart(3, '0');
  const person = {
    full_name: fullName,
    national_id: `001185000${n}`,
    birth_date: '1985-03-15',
    phone: `0912300${n}`,
    password: `Hoc-so-2025-${n}`,
    target_group: 'citizen',
    unit_code: '01',
  };
  const created = await expectApi(201, 'POST', '/api/v1/accounts', { body: person });
  return { ...person, id: created.id };
}

async function createOrganisation(name) {
  return expectApi(201, 'POST', '/api/v1/organisations',
    { token: adminToken, body: { name, kind: 'committee', unit_code: '01' } });
}

async function addMember(orgId, personId) {
  const res = await api('POST', `/api/v1/organisations/${orgId}/members`,
    { token: adminToken, body: { person_id: personId } });
  assert.ok(res.status === 201 || res.status === 200 || res.status === 204,
    `adding member ${personId} to ${orgId} answered ${res.status}: ${res.text}`);
}

async function grant(personId, role, orgId) {
  await expectApi(201, 'POST', `/api/v1/people/${personId}/roles`,
    { token: adminToken, body: { role, scope_kind: 'organisation', scope_code: String(orgId) } });
}

// --- the browser ---

async function phonePage(t) {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone, locale: 'vi-VN', acceptDownloads: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught page error: ${err.message}`));
  return { page, problems };
}

async function signIn(page, login, password) {
  await page.goto(server.baseUrl + '/sign-in');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/me', `signing in as ${login}`);
}

const path = (page) => new URL(page.url()).pathname;
const mainText = async (page) => (await page.textContent('main')).normalize('NFC');

/**
 * Answers the first question on the lesson page with option `index` and waits for the page to
 * show the result (learning.js posts the answer, then reloads the lesson).
 */
async function answerQuestion(page, index) {
  const form = page.locator('form[data-question]').first();
  await form.locator(`input[name=answer][value="${index}"]`).check();
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('form[data-question] [data-feedback] strong');
}

test('a learner finds a course without diacritics, learns it lesson by lesson, leaves, comes back and completes it', { timeout: 90_000 }, async (t) => {
  const learner = await register('Phạm Thị Học Viên');
  const { page, problems } = await phonePage(t);
  await signIn(page, learner.phone, learner.password);

  // The catalogue: a search typed without diacritics finds the course.
  await page.click('header a[href="/courses"]');
  await assertAccessible(page, 'catalogue');
  await page.fill('#q', 'bao ve du lieu');
  await page.click('main form[role=search] button[type=submit]');
  assert.equal(new URL(page.url()).searchParams.get('q'), 'bao ve du lieu');
  const found = page.locator('.course-card__title a', { hasText: STARTER_TITLE });
  assert.equal(await found.count(), 1, 'the search finds the course');
  await assertAccessible(page, 'catalogue search results');
  await found.click();
  assert.match(path(page), /^\/courses\/\d+$/);
  const courseUrl = page.url();
  assert.equal((await page.textContent('h1')).normalize('NFC'), STARTER_TITLE);
  await assertAccessible(page, 'course page');

  // Enrol; the syllabus opens the first lesson only (the course unlocks lessons in order).
  await page.click('main form[action$="/enrol"] button[type=submit]');
  assert.equal(page.url(), courseUrl);
  assert.match(await page.textContent('.progress-panel'), /0%/);
  assert.equal(await page.locator('.syllabus a').count(), 1, 'only the first lesson is open');
  await assertAccessible(page, 'course page, enrolled');
  await page.click('.progress-panel a.button');
  assert.match(path(page), /^\/lessons\/\d+$/);
  const firstLesson = path(page);
  assert.match(await page.textContent('.lesson-progress'), /Bài 1\/4/);

  // Before answering, nothing in the page gives the right option away.
  const before = (await page.content()).normalize('NFC');
  assert.doesNotMatch(before, /choice--right/);
  assert.doesNotMatch(before, /đáp án đúng/i);
  assert.equal(await page.locator('form[data-question] [data-feedback] strong').count(), 0);
  await assertAccessible(page, 'lesson page');
  await page.screenshot({ path: OUT_DIR + 'lesson-phone.png', fullPage: true });

  // A wrong answer: the feedback says so and now shows which option was right.
  await answerQuestion(page, 0);
  assert.equal(path(page), firstLesson);
  const question = page.locator('form[data-question]').first();
  assert.match(await question.locator('[data-feedback]').textContent(), /Chưa đúng/);
  assert.match(await question.locator('.choice--right label').textContent(), /áp lực thời gian.*\(đáp án đúng\)/s);
  assert.equal(await question.locator('.choice--chosen input').getAttribute('value'), '0');
  assert.equal(await question.locator('button[type=submit]').count(), 0, 'no second try');
  await assertAccessible(page, 'lesson page, answered');
  await page.screenshot({ path: OUT_DIR + 'lesson-answered-phone.png', fullPage: true });

  // "Done, next lesson" goes to lesson 2; the learner reads a little, then leaves.
  await page.click('main form[action$="/done"] button[type=submit]');
  assert.match(path(page), /^\/lessons\/\d+$/);
  const secondLesson = path(page);
  assert.notEqual(secondLesson, firstLesson);
  assert.match(await page.textContent('.lesson-progress'), /Bài 2\/4/);
  await page.waitForSelector('[data-kind=text].block--done');
  await page.goto(server.baseUrl + '/');

  // Back through "my learning": the course is in progress and "continue" opens lesson 2.
  await page.click('header a[href="/learn"]');
  assert.equal(path(page), '/learn');
  await assertAccessible(page, 'my learning, in progress');
  const inProgress = page.locator('section[aria-labelledby=progress-heading] .course-card', { hasText: STARTER_TITLE });
  assert.equal(await inProgress.count(), 1);
  await inProgress.locator('a.button').click();
  assert.equal(path(page), secondLesson, 'continue opens the lesson where the learner was');

  // The rest of the course: answer each question, then "done" until the last lesson.
  for (let n = 2; n <= 4; n++) {
    assert.match(await page.textContent('.lesson-progress'), new RegExp(`Bài ${n}/4`));
    assert.equal(await page.locator('.notice', { hasText: 'chưa mở' }).count(), 0, `lesson ${n} is open`);
    await answerQuestion(page, RIGHT_ANSWERS[n]);
    assert.match(await page.locator('form[data-question] [data-feedback]').textContent(), /Chính xác/);
    await page.click('main form[action$="/done"] button[type=submit]');
  }
  // After the last lesson, the course page: completed.
  assert.equal(page.url(), courseUrl);
  assert.match(await mainText(page), /Đã hoàn thành\./);
  assert.match(await page.textContent('.progress-panel'), /100%/);
  assert.equal(await page.locator('.syllabus .badge--done').count(), 4);

  await page.click('header a[href="/learn"]');
  const completed = page.locator('section[aria-labelledby=completed-heading] .course-card', { hasText: STARTER_TITLE });
  assert.equal(await completed.count(), 1, 'the course is in the completed list');
  assert.match(await completed.textContent(), /Hoàn thành ngày \d{4}-\d{2}-\d{2}/);
  assert.equal(await page.locator('section[aria-labelledby=progress-heading] .course-card').count(), 0);
  await assertAccessible(page, 'my learning, completed');
  assert.deepEqual(problems, []);
});

// The right options of the starter course's questions, lessons 2 to 4 (content/courses/lua-dao-truc-tuyen).
const RIGHT_ANSWERS = { 2: 3, 3: 2, 4: 0 };
