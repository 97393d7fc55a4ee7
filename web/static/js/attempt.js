// Attempt page enhancement: save each answer to the server as soon as it changes, keep unsent
// answers and send them again when the connection comes back, and count the time left by the
// server's clock. Without this file the page still works: the buttons save the page as a form.
// The server decides everything (src/assessment/service.h): a save after the deadline is refused
// with 409, and then the page is reloaded to show the submitted attempt.
(function () {
  'use strict';
  var bar = document.querySelector('[data-attempt]');
  var form = document.querySelector('[data-attempt-form]');
  if (!bar || !form || !window.fetch || !window.JSON) return;
  var attemptId = bar.getAttribute('data-attempt');
  var deadline = Number(bar.getAttribute('data-deadline-ms') || 0);
  // The browser's clock may be wrong: count from the server's time when the page was made.
  var skew = Number(bar.getAttribute('data-server-ms')) - Date.now();
  var connection = bar.querySelector('[data-connection]');
  var answered = bar.querySelector('[data-answered]');
  var lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  var TEXT = {
    vi: { saving: 'Đang lưu…', saved: 'Đã lưu', offline: 'Mất kết nối: câu trả lời sẽ được gửi lại khi có mạng.',
          online: 'Đã kết nối lại, mọi câu trả lời đã được lưu.', closed: 'Bài đã được nộp.', left: 'Còn', min: 'phút', sec: 'giây',
          up: 'Hết giờ.', nav_done: 'đã trả lời' },
    en: { saving: 'Saving…', saved: 'Saved', offline: 'Offline: answers will be sent when the connection returns.',
          online: 'Back online, every answer is saved.', closed: 'The attempt has been submitted.', left: '', min: 'min', sec: 's',
          up: 'Time is up.', nav_done: 'answered' }
  }[lang];
  var pending = {};   // question id -> value not yet saved
  var sending = false;

  function fieldset(qid) { return form.querySelector('[data-question="' + qid + '"]'); }

  function status(qid, text) {
    var fs = fieldset(qid);
    var el = fs && fs.querySelector('[data-save-status]');
    if (el) el.textContent = text;
  }

  // The API's value for one question, from its inputs; undefined when left blank.
  function valueOf(fs) {
    var type = fs.getAttribute('data-type');
    var name = 'a.' + fs.getAttribute('data-question');
    var inputs = fs.querySelectorAll('input, select');
    var i, v;
    if (type === 'single_choice' || type === 'true_false') {
      for (i = 0; i < inputs.length; i++) if (inputs[i].name === name && inputs[i].checked) v = inputs[i].value;
      if (v === undefined) return undefined;
      return type === 'true_false' ? v === 'true' : v;
    }
    if (type === 'multiple_choice') {
      var list = [];
      for (i = 0; i < inputs.length; i++) if (inputs[i].name === name && inputs[i].checked) list.push(inputs[i].value);
      return list;
    }
    if (type === 'short_answer') {
      v = fs.querySelector('input[name="' + name + '"]').value.trim();
      return v === '' ? undefined : v;
    }
    if (type === 'numerical') {
      v = fs.querySelector('input[name="' + name + '"]').value.trim().replace(',', '.');
      if (v === '' || isNaN(Number(v))) return undefined;
      return Number(v);
    }
    if (type === 'matching') {
      var pairs = {}, any = false;
      for (i = 0; i < inputs.length; i++) if (inputs[i].tagName === 'SELECT' && inputs[i].value) {
        pairs[inputs[i].name.slice(name.length + 1)] = inputs[i].value; any = true;
      }
      return any ? pairs : undefined;
    }
    if (type === 'ordering') {
      var placed = [];
      for (i = 0; i < inputs.length; i++) if (inputs[i].tagName === 'SELECT')
        placed.push([Number(inputs[i].value), inputs[i].name.slice(name.length + 1)]);
      placed.sort(function (a, b) { return a[0] - b[0]; });
      for (i = 1; i < placed.length; i++) if (placed[i][0] === placed[i - 1][0]) return undefined;  // a position twice
      return placed.map(function (p) { return p[1]; });
    }
    if (type === 'fill_blanks') {
      var gaps = [], some = false;
      for (i = 0; i < inputs.length; i++) if (inputs[i].type === 'text') {
        gaps.push(inputs[i].value.trim()); some = some || inputs[i].value.trim() !== '';
      }
      return some ? gaps : undefined;
    }
    return undefined;
  }

  function markAnswered(qid) {
    var link = document.querySelector('[data-nav="' + qid + '"]');
    if (link && !link.classList.contains('question-nav__item--done')) {
      link.classList.add('question-nav__item--done');
      // The same words the server writes for a question answered before the page was made.
      var hidden = link.querySelector('.visually-hidden');
      if (hidden) hidden.textContent = ' (' + TEXT.nav_done + ')';
      if (answered) answered.textContent = String(Number(answered.textContent) + 1);
    }
  }

  function flush() {
    if (sending) return;
    var ids = Object.keys(pending);
    if (!ids.length) return;
    var qid = ids[0];
    var value = pending[qid];
    sending = true;
    status(qid, TEXT.saving);
    fetch('/api/v1/attempts/' + attemptId + '/answers/' + encodeURIComponent(qid), {
      method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: value })
    }).then(function (r) {
      sending = false;
      if (r.status === 409 || r.status === 404 || r.status === 401) { window.location.reload(); return; }
      if (r.ok) {
        if (pending[qid] === value) delete pending[qid];
        status(qid, TEXT.saved);
        markAnswered(qid);
        if (connection && connection.getAttribute('data-was-offline')) {
          connection.removeAttribute('data-was-offline');
          connection.textContent = Object.keys(pending).length ? '' : TEXT.online;
        }
        flush();
        return;
      }
      if (r.status === 400 || r.status === 422) {
        // The value is not usable (a position chosen twice...): the form save will say why.
        if (pending[qid] === value) delete pending[qid];
        status(qid, '');
        flush();
        return;
      }
      // The server is busy or a proxy failed (429, 5xx): keep the answer and try again later.
      status(qid, TEXT.offline);
    }, function () {
      sending = false;
      if (connection) { connection.textContent = TEXT.offline; connection.setAttribute('data-was-offline', '1'); }
    });
  }

  function remember(fs) {
    var v = valueOf(fs);
    if (v === undefined) return;
    pending[fs.getAttribute('data-question')] = v;
  }
  form.addEventListener('change', function (e) {
    var fs = e.target.closest ? e.target.closest('[data-question]') : null;
    if (!fs) return;
    remember(fs);
    flush();
  });
  // Typed answers are saved while typing too (a pause of a second), not only when the field is
  // left: a learner still typing when time runs out keeps what was typed.
  var typing = null;
  form.addEventListener('input', function (e) {
    var fs = e.target.closest ? e.target.closest('[data-question]') : null;
    if (!fs || e.target.type !== 'text') return;
    clearTimeout(typing);
    typing = setTimeout(function () { remember(fs); flush(); }, 1000);
  });
  window.addEventListener('online', flush);
  setInterval(flush, 5000);

  // The time left, by the server's clock; at the deadline the attempt is submitted as it is.
  var timeLeft = document.querySelector('[data-time-left]');
  if (deadline && timeLeft) {
    var tick = function () {
      var ms = deadline - (Date.now() + skew);
      if (ms <= 0) {
        timeLeft.textContent = TEXT.up;
        var submit = document.createElement('form');
        submit.method = 'post';
        submit.action = '/attempts/' + attemptId + '/submit';
        var csrf = form.querySelector('input[name="csrf"]').cloneNode();
        submit.appendChild(csrf);
        document.body.appendChild(submit);
        // Everything on the page goes out first; the server's grace covers answers in flight.
        var all = form.querySelectorAll('[data-question]');
        for (var i = 0; i < all.length; i++) remember(all[i]);
        flush();
        var waited = 0;
        var wait = function () {
          if ((Object.keys(pending).length || sending) && waited < 5000) { waited += 250; setTimeout(wait, 250); return; }
          submit.submit();
        };
        wait();
        return;
      }
      var m = Math.floor(ms / 60000), s = Math.floor((ms % 60000) / 1000);
      timeLeft.textContent = (TEXT.left ? TEXT.left + ' ' : '') + m + ' ' + TEXT.min + ' ' + s + ' ' + TEXT.sec;
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
