// Lesson page enhancement: report progress to the server as the learner reads, watches and
// answers. Without this file the page still works: "Đã học xong" marks the reading and answers
// are posted as forms. The server decides what counts (src/learning/progress.h); this script only
// reports what happened, and a lost report is sent again with the next one.
(function () {
  'use strict';
  var lesson = document.querySelector('[data-lesson-id]');
  if (!lesson || !window.fetch) return;
  var lessonId = Number(lesson.getAttribute('data-lesson-id'));
  var pending = [];
  var sending = false;
  var HEARTBEAT_MS = 10000;

  function setPercent(courses) {
    if (!courses || !courses.length) return;
    var pct = courses[0].percent_complete;
    var bar = document.querySelector('[data-course-progress] progress');
    var label = document.querySelector('[data-percent]');
    if (bar) { bar.value = pct; bar.textContent = pct + '%'; }
    if (label) label.textContent = pct + '%';
  }

  function markDone(key) {
    var block = lesson.querySelector('[data-block="' + key + '"]');
    if (block) block.classList.add('block--done');
  }

  // Sends what is queued; on failure keeps it for the next try (a weak network loses nothing).
  // A JSON body cannot be sent cross-site without CORS, and the session cookie is SameSite, so the
  // API needs no CSRF token.
  function flush(keepalive) {
    if (sending || !pending.length) return Promise.resolve(null);
    var batch = pending.splice(0, pending.length);
    sending = true;
    return fetch('/api/v1/progress', {
      method: 'POST', credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: batch })
    }).then(function (r) {
      sending = false;
      if (r.status !== 202) { if (r.status >= 500) pending = batch.concat(pending); return null; }
      return r.json().then(function (body) {
        body.events.forEach(function (e) { if (e.done) markDone(e.block); });
        setPercent(body.courses);
        return body;
      });
    }, function () { sending = false; pending = batch.concat(pending); return null; });
  }

  function send(event, keepalive) {
    event.lesson_id = lessonId;
    pending.push(event);
    return flush(keepalive);
  }

  // Reading blocks count once they have been on screen.
  var reading = lesson.querySelectorAll('[data-kind=text],[data-kind=image],[data-kind=link],[data-kind=document]');
  if ('IntersectionObserver' in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        seen.unobserve(entry.target);
        send({ block: entry.target.getAttribute('data-block'), kind: 'viewed' });
      });
    }, { threshold: 0.3 });
    Array.prototype.forEach.call(reading, function (b) { seen.observe(b); });
  } else {
    Array.prototype.forEach.call(reading, function (b) { send({ block: b.getAttribute('data-block'), kind: 'viewed' }); });
  }

  // Videos: every few seconds of playback, the stretch played since the last report.
  Array.prototype.forEach.call(lesson.querySelectorAll('[data-kind=video]'), function (block) {
    var video = block.querySelector('video');
    if (!video) return;
    var key = block.getAttribute('data-block');
    var from = null;
    var resume = Number(video.getAttribute('data-resume') || 0);
    if (resume > 0) video.addEventListener('loadedmetadata', function () {
      if (resume < video.duration - 1) video.currentTime = resume;
    }, { once: true });
    function report(keepalive) {
      if (from === null) return;
      var to = video.currentTime;
      if (to > from + 0.2) send({ block: key, kind: 'video', from: from, to: to }, keepalive);
      from = video.paused ? null : to;
    }
    video.addEventListener('play', function () { from = video.currentTime; });
    video.addEventListener('pause', function () { report(); });
    video.addEventListener('seeking', function () { report(); });
    video.addEventListener('seeked', function () { from = video.paused ? null : video.currentTime; });
    video.addEventListener('ended', function () { report(); });
    setInterval(function () { if (!video.paused) report(); }, HEARTBEAT_MS);
    document.addEventListener('visibilitychange', function () { if (document.hidden) report(true); });
  });

  // Questions: answered in place; the server answers with the right option only now.
  Array.prototype.forEach.call(lesson.querySelectorAll('form[data-question]'), function (form) {
    form.addEventListener('submit', function (ev) {
      var chosen = form.querySelector('input[name=answer]:checked');
      var feedback = form.querySelector('[data-feedback]');
      if (!chosen) { ev.preventDefault(); feedback.textContent = form.getAttribute('data-choose') || ''; return; }
      ev.preventDefault();
      var key = form.querySelector('input[name=block]').value;
      send({ block: key, kind: 'answer', answer: Number(chosen.value) }).then(function (body) {
        if (!body) { form.submit(); return; }  // fall back to the plain form
        var result = body.events.filter(function (e) { return e.block === key; })[0];
        if (!result || result.correct === undefined) { form.submit(); return; }
        // Reload the block from the server so the explanation shows exactly as without script.
        window.location.reload();
      });
    });
  });

  window.addEventListener('pagehide', function () { flush(true); });
})();
