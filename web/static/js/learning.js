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
  // The server believes the first report of a video for up to 5 s of playback (it has no earlier
  // report to measure time from: src/learning/progress.h), so the first one goes out sooner.
  var FIRST_REPORT_MS = 4000;
  var MAX_BATCH = 100;

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

  // Posts events; resolves with the server's answer, or null when it did not accept them; rejects
  // when the network or the server failed, so that the caller may try again.
  // A JSON body cannot be sent cross-site without CORS, and the session cookie is SameSite, so the
  // API needs no CSRF token.
  function post(events, keepalive) {
    return fetch('/api/v1/progress', {
      method: 'POST', credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: events })
    }).then(function (r) {
      if (r.status >= 500) throw new Error('progress: ' + r.status);
      if (r.status !== 202) return null;
      return r.json().then(function (body) {
        body.events.forEach(function (e) { if (e.done) markDone(e.block); });
        setPercent(body.courses);
        return body;
      });
    });
  }

  // Sends what is queued, one batch at a time; on failure keeps it and tries again later, sooner
  // when the browser says the network is back (a weak network loses nothing, not even the last
  // report of a video that nothing follows). When the page goes away it sends at once.
  var retryMs = 0;
  var retryTimer = null;
  function flush(keepalive) {
    if ((sending && !keepalive) || !pending.length) return;
    // The server takes at most 100 events a request (src/learning/events_json.cpp): a long time
    // offline is sent in turns.
    var batch = pending.splice(0, MAX_BATCH);
    sending = true;
    post(batch, keepalive).then(function () {
      sending = false;
      retryMs = 0;
      flush();
    }, function () {
      sending = false;
      pending = batch.concat(pending);
      retryMs = Math.min(retryMs ? retryMs * 2 : 2000, 60000);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryMs);
    });
  }
  window.addEventListener('online', function () { flush(); });

  function send(event, keepalive) {
    event.lesson_id = lessonId;
    pending.push(event);
    flush(keepalive);
  }

  // Reading blocks count once they have been on screen: a third of the block at once, or, for a
  // block taller than about three screens (long texts on a phone), once it reaches the middle of
  // the screen.
  var reading = lesson.querySelectorAll('[data-kind=text],[data-kind=image],[data-kind=link],[data-kind=document]');
  var viewed = {};
  function seen(block) {
    var key = block.getAttribute('data-block');
    if (viewed[key]) return;
    viewed[key] = true;
    send({ block: key, kind: 'viewed' });
  }
  if ('IntersectionObserver' in window) {
    [{ threshold: 0.3 }, { rootMargin: '-45% 0px -45% 0px' }].forEach(function (options) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          seen(entry.target);
        });
      }, options);
      Array.prototype.forEach.call(reading, function (b) { observer.observe(b); });
    });
  } else {
    Array.prototype.forEach.call(reading, seen);
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
    // Where playback was before a seek: during 'seeking', currentTime is already the new place.
    var last = 0;
    video.addEventListener('timeupdate', function () { if (!video.seeking) last = video.currentTime; });
    // Reports the stretch played since the last report, up to `to` (default: now). The periodic
    // reports keep a stretch too short to matter for the next one; a pause, a seek or the end
    // reports whatever is left.
    function report(keepalive, to, periodic) {
      if (from === null) return;
      if (to === undefined) to = video.currentTime;
      if (to > from + (periodic ? 0.2 : 0)) {
        send({ block: key, kind: 'video', from: from, to: to }, keepalive);
        from = to;
      }
      if (video.paused) from = null;
    }
    video.addEventListener('play', function () {
      from = video.currentTime;
      setTimeout(function () { if (!video.paused) report(false, undefined, true); }, FIRST_REPORT_MS);
    });
    video.addEventListener('pause', function () { report(); });
    video.addEventListener('seeking', function () { report(false, last); });
    video.addEventListener('seeked', function () { from = video.paused ? null : video.currentTime; });
    video.addEventListener('ended', function () { report(); });
    setInterval(function () { if (!video.paused) report(false, undefined, true); }, HEARTBEAT_MS);
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
      // Sent on its own, not queued behind other reports: the learner is waiting for the result.
      post([{ lesson_id: lessonId, block: key, kind: 'answer', answer: Number(chosen.value) }]).then(function (body) {
        var result = body && body.events.filter(function (e) { return e.block === key; })[0];
        if (!result || result.correct === undefined) { form.submit(); return; }  // fall back to the plain form
        // Reload the block from the server so the explanation shows exactly as without script.
        window.location.reload();
      }, function () { form.submit(); });
    });
  });

  window.addEventListener('pagehide', function () { flush(true); });
})();
