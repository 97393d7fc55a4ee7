// Browser test of assessment (issue 5), "done means": an instructor imports a question bank from
// GIFT (a file with an error is refused line by line, then only its valid questions are taken)
// and from Moodle XML, gives a question a competency code in the question editor, previews and
// grades a try, and builds a final exam drawing questions at random by category with a time limit.
// A learner on a phone finishes the course's lessons, starts the exam, answers with autosave,
// loses the connection and gets it back, loses the page and resumes the same attempt, saves an
// answer without JavaScript, finds no answer key in the page or the API before submitting, submits
// and passes: the course is completed and the competency shows in the profile. The instructor sees
// the score in the gradebook and downloads it as CSV. Every page is axe-core clean.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { assertAccessible, clickMenuLink, launchBrowser, VIEWPORTS } from './lib/browser.mjs';
import { apiClient } from './lib/api.mjs';
import { createAdmin, startServer } from './lib/server.mjs';

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));
const ADMIN = { login: '0900000001', password: 'Quan-tri-2025!' };
const COURSE_TITLE = 'An toàn khi dùng dịch vụ công trực tuyến';
const EXAM_TITLE = 'Bài thi cuối khóa: an toàn và dịch vụ công';

// The GIFT file: two categories, and one question with a missing "}" (reported at its line).
const GIFT = `// Ngân hàng câu hỏi cho khóa "${COURSE_TITLE}".
$CATEGORY: An toàn

::Tin nhắn xác minh::Bạn nhận tin nhắn yêu cầu bấm vào đường link để xác minh tài khoản ngân hàng. Bạn nên làm gì? {
  =Không bấm, gọi số tổng đài in trên thẻ ngân hàng để hỏi
  ~Bấm vào đường link ngay để tài khoản không bị khóa
  ~Trả lời tin nhắn để hỏi thêm
}

::Mã OTP::Có thể đọc mã OTP cho nhân viên ngân hàng gọi điện đến. {F}

::Mật khẩu::Mật khẩu nào an toàn nhất? {
  =Một câu dài dễ nhớ, có chữ hoa và chữ số
  ~Ngày sinh của bạn
  ~123456
}

::Lỗi cú pháp::Câu hỏi này thiếu dấu đóng ngoặc {
  =Đúng
  ~Sai

::Xác thực::Ngoài mật khẩu, một lớp bảo vệ nữa khi đăng nhập gọi là xác thực hai gì? Điền một từ. {=lớp =lop}

$CATEGORY: Dịch vụ công

::Ứng dụng định danh::Ứng dụng định danh điện tử quốc gia tên là gì? {
  =VNeID
  ~Zalo
  ~Facebook
}

::Nộp hồ sơ::Cổng Dịch vụ công quốc gia cho phép nộp hồ sơ trực tuyến. {T}

::Tích hợp giấy tờ::Những giấy tờ nào tích hợp được vào tài khoản định danh điện tử? {
  ~%50%Giấy phép lái xe
  ~%50%Thẻ bảo hiểm y tế
  ~%-100%Vé xem phim
}
`;
const GIFT_ERROR_LINE = GIFT.split('\n').findIndex((l) => l.startsWith('::Lỗi cú pháp::')) + 1;

// The Moodle XML file: a subcategory of "Dịch vụ công" (drawn with it), four question types.
const MOODLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Dịch vụ công/VNeID</text></category>
  </question>
  <question type="multichoice">
    <name><text>Mức định danh</text></name>
    <questiontext format="html"><text><![CDATA[<p>Tài khoản định danh điện tử <b>mức 2</b> được cấp ở đâu?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>Tại cơ quan công an</text><feedback><text>Cần đối chiếu trực tiếp.</text></feedback></answer>
    <answer fraction="0"><text>Tại cửa hàng điện thoại</text></answer>
    <answer fraction="0"><text>Qua tin nhắn của người lạ</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Cho mượn tài khoản</text></name>
    <questiontext format="html"><text>Nên cho người lạ mượn tài khoản VNeID để làm thủ tục hộ.</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Số định danh</text></name>
    <questiontext format="html"><text>Số định danh cá nhân có bao nhiêu chữ số? Viết bằng chữ số.</text></questiontext>
    <answer fraction="100"><text>12</text></answer>
  </question>
  <question type="matching">
    <name><text>Ghép việc với nơi làm</text></name>
    <questiontext format="html"><text>Ghép mỗi việc với nơi làm việc đó.</text></questiontext>
    <subquestion format="html"><text>Đăng ký thường trú</text><answer><text>Cổng Dịch vụ công</text></answer></subquestion>
    <subquestion format="html"><text>Xuất trình căn cước</text><answer><text>Ứng dụng VNeID</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Mạng xã hội</text></answer></subquestion>
  </question>
</quiz>
`;

// How to answer each question rightly, found by a piece of the text the learner sees.
const KEY = [
  { text: 'xác minh tài khoản ngân hàng', choose: ['Không bấm, gọi số tổng đài in trên thẻ ngân hàng để hỏi'] },
  { text: 'đọc mã OTP', choose: ['Sai'] },
  { text: 'Mật khẩu nào an toàn nhất', choose: ['Một câu dài dễ nhớ, có chữ hoa và chữ số'] },
  { text: 'xác thực hai gì', type: 'lớp' },
  { text: 'Ứng dụng định danh điện tử quốc gia', choose: ['VNeID'] },
  { text: 'nộp hồ sơ trực tuyến', choose: ['Đúng'] },
  { text: 'Những giấy tờ nào', choose: ['Giấy phép lái xe', 'Thẻ bảo hiểm y tế'] },
  { text: 'mức 2', choose: ['Tại cơ quan công an'] },
  { text: 'mượn tài khoản VNeID', choose: ['Sai'] },
  { text: 'bao nhiêu chữ số', type: '12' },
  { text: 'Ghép mỗi việc', match: { 'Đăng ký thường trú': 'Cổng Dịch vụ công', 'Xuất trình căn cước': 'Ứng dụng VNeID' } },
];

// What would give the answers away before submitting, in the page or the attempt's JSON: the
// review's marks ("… (đáp án đúng)", "Đáp án đúng: …", "vị trí đúng: …") and the answer key's
// fields. (The hint "Chọn tất cả các đáp án đúng." of a question with several answers is no leak.)
const ANSWER_LEAKS = ['choice--right', '(đáp án đúng)', 'đáp án đúng:', 'vị trí đúng:', 'fraction', 'correct', 'truth',
  'accepted'];

let server;
let browser;
let adminToken;
let workDir;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  workDir = mkdtempSync(join(tmpdir(), 'hocvu-assessment-'));
  mkdirSync(OUT_DIR, { recursive: true });
  createAdmin(server, ADMIN);
  adminToken = await signInApi(ADMIN.login, ADMIN.password);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// --- setup through the JSON API (not the journeys under test) ---

const { api, expectApi, signInApi } = apiClient(() => server.baseUrl);

let nextPerson = 0;
/** Registers a citizen of unit 01 born in 1990; returns {id, phone, password, full_name}. */
async function register(fullName) {
  nextPerson += 1;
  const n = String(nextPerson).padStart(3, '0');
  const person = {
    full_name: fullName,
    national_id: `001190000${n}`,
    birth_date: '1990-07-02',
    phone: `0912500${n}`,
    password: `Thi-so-2025-${n}`,
    target_group: 'citizen',
    unit_code: '01',
  };
  const created = await expectApi(201, 'POST', '/api/v1/accounts', { body: person });
  return { ...person, id: created.id };
}

/** A published course of the organisation with two short reading lessons; its id. */
async function publishCourse(token, orgId) {
  const { id } = await expectApi(201, 'POST', '/api/v1/author/courses',
    { token, body: { provider_id: orgId, slug: 'an-toan-dich-vu-cong', title: COURSE_TITLE } });
  const lesson = (n, title, markdown) => ({
    key: `bai-${n}`, title, blocks: [{ key: `doc-${n}`, kind: 'text', markdown }],
  });
  await expectApi(200, 'PUT', `/api/v1/author/courses/${id}/draft`, {
    token,
    body: {
      title: COURSE_TITLE,
      summary: 'Giữ an toàn tài khoản khi làm thủ tục hành chính trên mạng.',
      target_groups: ['citizen'],
      competencies: [{ code: '4.1', level: 1 }],
      duration_minutes: 10,
      unlock: 'sequential',
      sections: [{
        key: 'phan-1', title: 'An toàn và dịch vụ công',
        lessons: [
          lesson(1, 'Giữ an toàn tài khoản', 'Không bao giờ đọc **mã OTP** cho người khác.'),
          lesson(2, 'Dịch vụ công trực tuyến', 'Nộp hồ sơ trên **Cổng Dịch vụ công quốc gia** và ứng dụng VNeID.'),
        ],
      }],
    },
  });
  await expectApi(200, 'POST', `/api/v1/author/courses/${id}/publish`, { token });
  return id;
}

// --- the browser ---

async function phoneContext(t, options = {}) {
  const context = await browser.newContext({
    viewport: VIEWPORTS.phone, locale: 'vi-VN', acceptDownloads: true, ...options,
  });
  t.after(() => context.close());
  return context;
}

function watch(page, problems = []) {
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => problems.push(`uncaught page error: ${err.message}`));
  return problems;
}

async function phonePage(t, options) {
  const context = await phoneContext(t, options);
  const page = await context.newPage();
  return { context, page, problems: watch(page) };
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
/** Each row of a table as its cells' texts joined by " | ". */
const cells = (rows) => rows.evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.textContent.normalize('NFC').replace(/\s+/g, ' ').trim()).join(' | ')));
const status = async (page) => (await page.textContent('main [role=status]')).normalize('NFC');

/** Imports `content` as a file through the bank page's import form. */
async function importFile(page, name, content, { format, validOnly = false }) {
  const file = join(workDir, name);
  writeFileSync(file, content);
  const form = page.locator('main form[action$="/import"]');
  await form.locator('#file').setInputFiles(file);
  await form.locator(format === 'gift' ? '#format-gift' : '#format-xml').check();
  if (validOnly) await form.locator('#valid_only').check();
  await form.locator('button[type=submit]').click();
}

/** The answer key entry for a question fieldset of the attempt page, by its text. */
async function keyFor(fieldset) {
  const text = (await fieldset.locator('.prose').textContent()).normalize('NFC');
  const entry = KEY.find((k) => text.includes(k.text));
  assert.ok(entry, `no answer known for the question "${text}"`);
  return entry;
}

/**
 * Answers a question of the attempt page rightly, as a learner would (radio, boxes, text, lists);
 * returns the value attempt.js sends for it (the API's form of the answer).
 */
async function answerRightly(fieldset) {
  const entry = await keyFor(fieldset);
  const type = await fieldset.getAttribute('data-type');
  if (entry.choose) {
    const values = [];
    for (const label of entry.choose) {
      const input = fieldset.getByLabel(label, { exact: true });
      await input.check();
      values.push(await input.getAttribute('value'));
    }
    if (type === 'true_false') return values[0] === 'true';
    if (type === 'multiple_choice') {
      // attempt.js lists the ticked boxes in the page's order.
      const ticked = [];
      for (const box of await fieldset.locator('input[type=checkbox]').all()) {
        if (await box.isChecked()) ticked.push(await box.getAttribute('value'));
      }
      return ticked;
    }
    return values[0];
  }
  if (entry.type) {
    const input = fieldset.locator('input[type=text]');
    await input.fill(entry.type);
    await input.press('Tab'); // "change" fires when the field is left
    return entry.type;
  }
  const pairs = {};
  for (const [prompt, answer] of Object.entries(entry.match)) {
    const select = fieldset.getByLabel(prompt, { exact: true });
    await select.selectOption({ label: answer });
    pairs[(await select.getAttribute('name')).split('.').pop()] = answer;
  }
  return pairs;
}

/** Whether `response` is attempt.js saving `value` for question `qid`, and the server took it. */
function saves(response, qid, value) {
  const request = response.request();
  return request.method() === 'PUT' && response.url().endsWith(`/answers/${qid}`) && response.status() === 200 &&
    isDeepStrictEqual(JSON.parse(request.postData()).value, value);
}

/** Waits for attempt.js to have saved `value` for question `qid`. */
function savedAnswer(page, qid, value) {
  return page.waitForResponse((r) => saves(r, qid, value));
}

/** Answers the question rightly and waits until the page says it is saved. */
async function answerAndSave(page, fieldset) {
  const qid = await fieldset.getAttribute('data-question');
  // The value is known only once answered, and may be saved before then: keep every response.
  const responses = [];
  const keep = (r) => responses.push(r);
  page.on('response', keep);
  const value = await answerRightly(fieldset);
  if (!responses.some((r) => saves(r, qid, value))) await savedAnswer(page, qid, value);
  page.off('response', keep);
  await fieldset.locator('[data-save-status]:text-is("Đã lưu")').waitFor();
  return { qid, value };
}

test('an instructor builds a final exam from GIFT and Moodle XML; a learner on a phone takes it through a lost connection and a lost page, passes, and the course is completed', { timeout: 90_000 }, async (t) => {
  const org = await expectApi(201, 'POST', '/api/v1/organisations',
    { token: adminToken, body: { name: 'Trung tâm Chuyển đổi số phường Ba Đình', kind: 'committee', unit_code: '01' } });
  const instructor = await register('Phan Thị Khảo Thí');
  await expectApi(201, 'POST', `/api/v1/people/${instructor.id}/roles`,
    { token: adminToken, body: { role: 'instructor', scope_kind: 'organisation', scope_code: String(org.id) } });
  const instructorToken = await signInApi(instructor.phone, instructor.password);
  const courseId = await publishCourse(instructorToken, org.id);

  // --- 1. The question bank: GIFT with an error, then only its valid questions; Moodle XML. ---
  const author = await phonePage(t);
  let page = author.page;
  await signIn(page, instructor.phone, instructor.password);
  await page.goto(server.baseUrl + '/author');
  await page.click('main a[href="/author/banks"]');
  await assertAccessible(page, 'question banks, none yet');
  await page.fill('#title', 'An toàn và dịch vụ công');
  assert.equal((await page.locator('#provider_id option:checked').textContent()).normalize('NFC'), org.name);
  await page.click('main form[action="/author/banks"] button[type=submit]');
  assert.match(path(page), /^\/author\/banks\/\d+$/);
  const bankUrl = page.url().split(/[?#]/)[0];
  const bankPath = path(page);
  await assertAccessible(page, 'empty bank');

  await importFile(page, 'ngan-hang.gift', GIFT, { format: 'gift' });
  const errors = page.locator('main [data-import-errors]');
  assert.match((await errors.locator('h2').textContent()).normalize('NFC'), /Chưa nhập câu nào: tệp có lỗi/);
  assert.deepEqual((await errors.locator('li').allTextContents()).map((s) => s.normalize('NFC')),
    [`Dòng ${GIFT_ERROR_LINE}: Thiếu dấu } đóng khối đáp án mở ở đây.`]);
  assert.equal(await page.locator('main tbody tr[id^="question-"]').count(), 0, 'nothing imported');
  await assertAccessible(page, 'bank, GIFT import refused');
  await page.screenshot({ path: OUT_DIR + 'bank-import-errors-phone.png', fullPage: true });

  await importFile(page, 'ngan-hang.gift', GIFT, { format: 'gift', validOnly: true });
  assert.equal(page.url().split(/[?#]/)[0], bankUrl);
  assert.match(await status(page), /Đã nhập số câu hỏi: 7[\s\S]*Số câu bị bỏ qua \(có lỗi hoặc loại chưa hỗ trợ\): 1/);
  await importFile(page, 'ngan-hang.xml', MOODLE_XML, { format: 'moodle_xml' });
  assert.match(await status(page), /Đã nhập số câu hỏi: 4$/);
  const rows = page.locator('main tbody tr[id^="question-"]');
  assert.equal(await rows.count(), 11);
  const rowText = await cells(rows);
  assert.match(rowText[0], /^q1 \| Tin nhắn xác minh \| Một lựa chọn đúng \| An toàn \| 1 \|/);
  assert.match(rowText[6], /^q7 \| Tích hợp giấy tờ \| Nhiều lựa chọn đúng \| Dịch vụ công \| 1 \|/);
  assert.match(rowText[10], /^q11 \| Ghép việc với nơi làm \| Ghép đôi \| Dịch vụ công\/VNeID \| 1 \|/);
  assert.match(await page.textContent('main .meta'), /11 câu hỏi/);
  await assertAccessible(page, 'bank with questions');
  await page.screenshot({ path: OUT_DIR + 'bank-phone.png', fullPage: true });

  // A competency code for q1, in the question editor: a new version of the question.
  await page.click('#question-q1 a[href$="/questions/q1"]');
  assert.equal(path(page), `${bankPath}/questions/q1`);
  assert.equal(await page.inputValue('#category'), 'An toàn');
  await assertAccessible(page, 'question editor');
  await page.fill('#competencies', '4.1');
  await page.click('main form.question-editor button[type=submit]');
  assert.equal(path(page), bankPath);
  assert.match(await status(page), /Đã lưu câu hỏi\./);
  assert.match((await cells(page.locator('#question-q1')))[0], /\| An toàn \| 2 \|/, 'version 2');

  // Preview q1 and grade a (right) try.
  await page.click('#question-q1 a[href$="/preview"]');
  assert.equal(path(page), `${bankPath}/questions/q1/preview`);
  const previewed = page.locator('main fieldset[data-question=q1]');
  assert.equal(await previewed.locator('input[type=radio]').count(), 3);
  assert.doesNotMatch((await previewed.innerHTML()).normalize('NFC'), /đáp án đúng|choice--right/i);
  await assertAccessible(page, 'question preview');
  await previewed.getByLabel(KEY[0].choose[0], { exact: true }).check();
  await page.click('main button:text-is("Chấm thử")');
  assert.match((await previewed.locator('.quiz-question__score').textContent()).normalize('NFC'), /Điểm: 1\/1/);
  assert.match((await previewed.locator('.choice--right').textContent()).normalize('NFC'),
    new RegExp(`${KEY[0].choose[0]} \\(đáp án đúng\\)`));
  await assertAccessible(page, 'question preview, graded');

  // --- 2. The final exam: q1 always, then two at random from each category, 10 minutes. ---
  await page.goto(server.baseUrl + '/author/quizzes');
  await assertAccessible(page, 'quizzes, none yet');
  await page.fill('#title', EXAM_TITLE);
  await page.selectOption('#kind', 'final_exam');
  await page.selectOption('#course_id', String(courseId));
  await page.click('main form[action="/author/quizzes"] button[type=submit]');
  assert.match(path(page), /^\/author\/quizzes\/\d+$/);
  const quizId = Number(path(page).split('/').pop());
  assert.equal(await page.locator('main [data-problems]').count(), 1, 'a new quiz has no questions yet');
  await assertAccessible(page, 'quiz editor, new');

  await page.check('#fixed-q1');
  await page.fill('#draw-category-1', 'An toàn');
  await page.fill('#draw-count-1', '2');
  await page.fill('#draw-category-2', 'Dịch vụ công');
  await page.fill('#draw-count-2', '2');
  await page.fill('#time_limit', 'mười');
  await page.selectOption('#review', 'correct');
  await page.click('main form.quiz-editor button[type=submit]');
  // A time limit in words is refused, the field says why.
  assert.match((await page.textContent('main .error-summary a[href="#time_limit"]')).normalize('NFC'), /Thời gian làm bài từ 0/);
  assert.equal(await page.getAttribute('#time_limit', 'aria-describedby'), 'time_limit-error');
  assert.equal(await page.getAttribute('#time_limit', 'aria-invalid'), 'true');
  await assertAccessible(page, 'quiz editor, an error');
  await page.fill('#time_limit', '10');
  await page.click('main form.quiz-editor button[type=submit]');
  assert.equal(path(page), `/author/quizzes/${quizId}`);
  assert.match(await status(page), /Đã lưu cài đặt\./);
  assert.equal(await page.locator('main [data-problems]').count(), 0, 'the problems box is gone');
  assert.equal(await page.inputValue('#draw-category-2'), 'Dịch vụ công');
  assert.equal(await page.inputValue('#time_limit'), '10');
  assert.equal(await page.inputValue('#review'), 'correct');
  await assertAccessible(page, 'quiz editor, saved');
  await page.screenshot({ path: OUT_DIR + 'quiz-editor-phone.png', fullPage: true });
  assert.deepEqual(author.problems, []);

  // --- 3. The learner finishes the lessons and starts the exam. ---
  const learner = await register('Lê Văn Dự Thi');
  const taker = await phonePage(t);
  page = taker.page;
  await signIn(page, learner.phone, learner.password);
  await page.goto(`${server.baseUrl}/courses/${courseId}`);
  await page.click('main form[action$="/enrol"] button[type=submit]');
  await page.click('.progress-panel a.button');
  await page.click('main button:text-is("Đã học xong, sang bài tiếp")');
  await page.click('main button:text-is("Đã học xong bài cuối")');
  assert.equal(path(page), `/courses/${courseId}`);
  assert.match(await page.textContent('.progress-panel'), /Tiến độ 100%/);
  assert.doesNotMatch(await mainText(page), /Đã hoàn thành\./, 'not complete before the final exam');

  await page.click('.progress-panel a:text-is("Bài kiểm tra và bài thi")');
  assert.equal(path(page), `/courses/${courseId}/quizzes`);
  assert.match(await mainText(page), /Bài thi cuối khóa · cần đạt để hoàn thành khóa học/);
  await assertAccessible(page, 'course quizzes');
  await page.click(`main a:text-is("${EXAM_TITLE}")`);
  assert.equal(path(page), `/quizzes/${quizId}`);
  assert.match(await mainText(page), /Thời gian làm bài: 10 phút/);
  await assertAccessible(page, 'exam rules');
  await page.click('main button:text-is("Bắt đầu làm bài")');
  assert.match(path(page), /^\/attempts\/\d+$/);
  const attemptId = Number(path(page).split('/').pop());
  const attemptUrl = `${server.baseUrl}/attempts/${attemptId}`;
  const questions = page.locator('main form[data-attempt-form] fieldset[data-question]');
  assert.equal(await questions.count(), 5, 'q1, then 2 + 2 drawn');
  assert.equal(await questions.first().getAttribute('data-question'), 'q1');
  assert.match(await page.textContent('[data-time-left]'), /^Còn (10 phút 0|9 phút \d+) giây$/);
  await assertAccessible(page, 'attempt, new');
  await page.screenshot({ path: OUT_DIR + 'attempt-phone.png', fullPage: true });

  // Autosave: two answers, each "Đã lưu".
  const answers = [];
  answers.push(await answerAndSave(page, questions.nth(0)));
  answers.push(await answerAndSave(page, questions.nth(1)));
  assert.equal(await page.textContent('[data-answered]'), '2');

  // Offline: the answer waits, the page says it will be sent; back online, it is sent.
  await taker.context.setOffline(true);
  const third = questions.nth(2);
  const thirdId = await third.getAttribute('data-question');
  const thirdValue = await answerRightly(third);
  await page.locator('[data-connection]:text-is("Mất kết nối: câu trả lời sẽ được gửi lại khi có mạng.")').waitFor();
  assert.notEqual(await third.locator('[data-save-status]').textContent(), 'Đã lưu');
  await assertAccessible(page, 'attempt, offline');
  const resent = savedAnswer(page, thirdId, thirdValue);
  await taker.context.setOffline(false);
  assert.equal((await resent).status(), 200);
  await third.locator('[data-save-status]:text-is("Đã lưu")').waitFor();
  await page.locator('[data-connection]:text-is("Đã kết nối lại, mọi câu trả lời đã được lưu.")').waitFor();
  answers.push({ qid: thirdId, value: thirdValue });
  assert.deepEqual(taker.problems, []);

  // A lost page: a new one finds the attempt to resume, with the saved answers.
  await page.close();
  page = await taker.context.newPage();
  watch(page, taker.problems);
  await page.goto(`${server.baseUrl}/quizzes/${quizId}`);
  assert.match(await mainText(page), /Đang làm/);
  await assertAccessible(page, 'exam rules, attempt open');
  await page.click('main button:text-is("Tiếp tục làm bài")');
  assert.equal(page.url().split(/[?#]/)[0], attemptUrl);
  const resumed = page.locator('main form[data-attempt-form] fieldset[data-question]');
  assert.equal(await resumed.count(), 5);
  assert.equal(await page.textContent('[data-answered]'), '3');
  for (let i = 0; i < 3; i++) {
    const fs = resumed.nth(i);
    assert.equal(await fs.getAttribute('data-question'), answers[i].qid, 'the same questions, in the same order');
    const entry = await keyFor(fs);
    for (const label of entry.choose ?? []) assert.ok(await fs.getByLabel(label, { exact: true }).isChecked(), `"${label}" is checked`);
    if (entry.type) assert.equal(await fs.locator('input[type=text]').inputValue(), entry.type);
    for (const [prompt, answer] of Object.entries(entry.match ?? {})) {
      assert.equal(await fs.getByLabel(prompt, { exact: true }).inputValue(), answer);
    }
  }
  await assertAccessible(page, 'attempt, resumed');

  // Without JavaScript: the fourth answer saved with the page's "Lưu câu trả lời" button.
  const noJs = await phonePage(t, { javaScriptEnabled: false });
  await signIn(noJs.page, learner.phone, learner.password);
  await noJs.page.goto(`${server.baseUrl}/quizzes/${quizId}`);
  await noJs.page.click('main button:text-is("Tiếp tục làm bài")');
  assert.equal(noJs.page.url().split(/[?#]/)[0], attemptUrl);
  const plain = noJs.page.locator('main form[data-attempt-form] fieldset[data-question]');
  const fourth = plain.nth(3);
  const fourthId = await fourth.getAttribute('data-question');
  await answerRightly(fourth);
  await noJs.page.click('main button:text-is("Lưu câu trả lời")');
  assert.equal(noJs.page.url().split('#')[0], `${attemptUrl}?page=1`);
  assert.equal(await noJs.page.textContent('[data-answered]'), '4');
  assert.equal(await noJs.page.locator(`main a[data-nav="${fourthId}"].question-nav__item--done`).count(), 1);
  // (axe-core cannot run where scripts are off; the same page was checked above with them on.)
  assert.deepEqual(noJs.problems, []);

  // The last answer, with autosave again, on the page reloaded.
  await page.reload();
  assert.equal(await page.textContent('[data-answered]'), '4');
  answers.push(await answerAndSave(page, resumed.nth(4)));
  assert.equal(await page.textContent('[data-answered]'), '5');

  // --- 4. Nothing in the page or the API tells the answers before submitting. ---
  const seen = await page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/attempts/${id}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return { html: document.documentElement.outerHTML, status: res.status, json: await res.text() };
  }, attemptId);
  assert.equal(seen.status, 200);
  const attemptJson = JSON.parse(seen.json);
  for (const word of ANSWER_LEAKS) {
    const at = seen.html.normalize('NFC').toLowerCase().indexOf(word);
    assert.ok(at < 0, `the page says "${word}": …${seen.html.normalize('NFC').slice(Math.max(0, at - 300), at + 100)}…`);
    assert.ok(!seen.json.normalize('NFC').toLowerCase().includes(word), `the attempt's JSON says "${word}"`);
  }
  const keys = new Set();
  (function collect(v) {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { keys.add(k); collect(x); }
  })(attemptJson);
  for (const word of ['fraction', 'correct', 'truth', 'accepted', 'right', 'answer_key']) {
    assert.ok(![...keys].some((k) => k.toLowerCase().includes(word)), `the attempt's JSON has a key with "${word}"`);
  }

  // --- 5. Submit: passed; the course is completed; the competency has evidence. ---
  await page.click('main button:text-is("Lưu và nộp bài")');
  assert.equal(page.url().split('#')[0], `${attemptUrl}?page=1&confirm=1`);
  assert.doesNotMatch(await page.textContent('#submit'), /Bạn còn/, 'no question left unanswered');
  await assertAccessible(page, 'attempt, confirm submitting');
  await page.click('#submit button:text-is("Nộp bài")');
  assert.equal(page.url(), attemptUrl);
  assert.equal((await page.textContent('main [data-result]')).normalize('NFC'), '5/5 (100%) — Đạt');
  assert.equal(await page.locator('main .quiz-question--right').count(), 5);
  assert.equal(await page.locator('main fieldset :is(input, select):not([type=hidden]):not([disabled])').count(), 0, 'the review cannot be changed');
  await assertAccessible(page, 'attempt, result and review');
  await page.screenshot({ path: OUT_DIR + 'attempt-result-phone.png', fullPage: true });

  await page.click('main a:text-is("Về khóa học")');
  assert.equal(path(page), `/courses/${courseId}`);
  assert.match(await page.textContent('.progress-panel'), /Đã hoàn thành\. Tiến độ 100%/);
  await assertAccessible(page, 'course, completed');
  await clickMenuLink(page, '/learn');
  const completed = page.locator('section[aria-labelledby=completed-heading] .course-card', { hasText: COURSE_TITLE });
  assert.equal(await completed.count(), 1, 'the course is in the completed list');
  assert.match(await completed.textContent(), /Hoàn thành ngày \d{2}\/\d{2}\/\d{4}/);
  await assertAccessible(page, 'my learning, completed');
  await page.goto(server.baseUrl + '/me');
  await page.click('main a[href="/me/competencies"]');
  assert.deepEqual(await cells(page.locator('main tbody tr')), ['4.1 Bảo vệ thiết bị | An toàn | 1 | 100% 100%'],
    'one question answered rightly for 4.1');
  await assertAccessible(page, 'competency profile');
  assert.deepEqual(taker.problems, []);

  // --- 6. The instructor's gradebook, on the page and as CSV. ---
  page = author.page;
  await page.goto(`${server.baseUrl}/author/quizzes/${quizId}`);
  await page.click('main .meta a:text-is("Bảng điểm")');
  assert.equal(path(page), `/courses/${courseId}/gradebook`);
  const line = page.locator('main tbody tr', { hasText: learner.full_name });
  assert.equal(await line.count(), 1);
  assert.match((await cells(line))[0], /^Lê Văn Dự Thi \| 100% \| \d{2}\/\d{2}\/\d{4} \| 5\/5 \(Đạt\) 1 lần$/);
  await assertAccessible(page, 'gradebook');
  await page.screenshot({ path: OUT_DIR + 'gradebook-phone.png', fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('main a[href$="/gradebook.csv"]')]);
  assert.equal(download.suggestedFilename(), `gradebook-${courseId}.csv`);
  const csvFile = join(workDir, 'gradebook.csv');
  await download.saveAs(csvFile);
  const csv = readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '').normalize('NFC').split(/\r?\n/);
  // Text cells quoted (formulas neutralised), the platform's numbers bare.
  assert.match(csv[0], new RegExp(`^"Họ và tên","Tiến độ \\(%\\)","Hoàn thành lúc","${EXAM_TITLE} — số lần",`));
  assert.match(csv[1], /^"Lê Văn Dự Thi",100,"\d{4}-\d{2}-\d{2}T[\d:.]+Z",1,5,5,100,"đạt"$/);

  // The attempt's event trail, from the score.
  await line.locator('a').first().click();
  assert.equal(path(page), `/author/attempts/${attemptId}/events`);
  assert.match(await mainText(page), /Bắt đầu[\s\S]*Lưu câu trả lời[\s\S]*Nộp bài/);
  await assertAccessible(page, 'attempt trail');
  assert.deepEqual(author.problems, []);
});
