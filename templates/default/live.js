// Progressive enhancement for the status page: keeps relative times fresh and, when the server
// has live updates (data-live="1" on the script tag), patches the elements a result batch changed
// from the event's own data: the component rows, their group headers and the banner. Nothing is
// refetched and no element that can hold focus is replaced, so keyboard focus, scroll position
// and open popovers stay where they are.
// Served as a file, not inline, so the page's Content-Security-Policy allows no inline script.
(function () {
  var script = document.currentScript;
  var live = !!script && script.getAttribute('data-live') === '1';
  var relText = function (s) {
    return s < 5 ? 'just now' : s < 60 ? s + ' s ago' : s < 3600 ? Math.floor(s / 60) + ' min ago' : s < 172800 ? Math.floor(s / 3600) + ' h ago' : Math.floor(s / 86400) + ' d ago';
  };
  var rel = function () {
    var now = Date.now();
    document.querySelectorAll('time[data-rel]').forEach(function (el) {
      var text = relText(Math.max(0, Math.round((now - Date.parse(el.getAttribute('datetime'))) / 1000)));
      if (el.textContent !== text) el.textContent = text;
    });
  };
  setInterval(rel, 10000);

  // Absolute times in the visitor's own zone, in the page's one format (YYYY-MM-DD HH:MM[:SS] zone);
  // the tooltip keeps the UTC text the server wrote.
  var local = window.Intl && new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  var parts = function (at) {
    var p = {};
    local.formatToParts(at).forEach(function (x) { p[x.type] = x.value; });
    return { day: p.year + '-' + p.month + '-' + p.day, time: p.hour + ':' + p.minute, sec: ':' + p.second, zone: p.timeZoneName || '' };
  };
  var localize = function () {
    if (!local || !local.formatToParts) return;
    document.querySelectorAll('time[data-abs]').forEach(function (el) {
      var from = Date.parse(el.getAttribute('datetime'));
      if (isNaN(from)) return;
      var a = parts(from), text;
      var until = el.getAttribute('data-until');
      if (until) {
        var b = parts(Date.parse(until));
        text = a.day + ' ' + a.time + ' – ' + (b.day === a.day ? '' : b.day + ' ') + b.time + ' ' + b.zone;
      } else if (el.hasAttribute('data-until') || /\d \d\d:\d\d [^:]*$/.test(el.textContent)) {
        text = a.day + ' ' + a.time + ' ' + a.zone;
      } else {
        text = a.day + ' ' + a.time + a.sec + ' ' + a.zone;
      }
      if (el.textContent !== text) el.textContent = text;
    });
  };
  localize();
  if (!live || !window.EventSource || !window.JSON) return;

  // Writes only what differs, so an unchanged row is not touched at all.
  var setText = function (el, text) { if (el && el.textContent !== text) el.textContent = text; };
  var setAttr = function (el, name, value) { if (el && el.getAttribute(name) !== value) el.setAttribute(name, value); };
  var pill = function (el, status, label) { setAttr(el, 'class', 'pill s-' + status); setText(el, label); };
  var setTime = function (el, at) {
    if (!el || at === undefined || at === null) return;
    setAttr(el, 'datetime', new Date(at).toISOString());
    setText(el, relText(Math.max(0, Math.round((Date.now() - at) / 1000))));
  };
  // The failure line below a row (or the check page's header): shown while down or degraded.
  var failure = function (container, before, reason) {
    var p = container.querySelector(':scope > p.fail:not(.past)');
    if (!reason) { if (p) p.remove(); return; }
    if (!p) { p = document.createElement('p'); p.className = 'fail'; container.insertBefore(p, before ? before.nextSibling : null); }
    setText(p, reason);
  };

  var patchRow = function (row, c) {
    setAttr(row, 'data-status', c.status);
    pill(row.querySelector('.row > .pill'), c.status, c.label);
    var dd = row.querySelectorAll('.meta dd');
    if (dd.length >= 5) {
      var t = dd[0].querySelector('time');
      if (t) setTime(t, c.at);
      setText(dd[1], c.latency);
      setText(dd[2], c.uptime[0]); setText(dd[3], c.uptime[1]); setText(dd[4], c.uptime[2]);
    }
    failure(row, row.querySelector('.meta'), c.reason);
  };

  var patchCheckPage = function (root, c) {
    pill(root.querySelector('.head .pill'), c.status, c.label);
    var t = root.querySelector('.checked time');
    if (t) setTime(t, c.at);
    failure(root, root.querySelector('.checked'), c.reason && '' + c.reason);
  };

  var apply = function (data) {
    var checkPage = document.querySelector('#live[data-check]');
    (data.checks || []).forEach(function (c) {
      var row = document.getElementById('c-' + c.id);
      if (row) patchRow(row, c);
      else if (checkPage && checkPage.getAttribute('data-check') === c.id) patchCheckPage(checkPage, c);
    });
    (data.groups || []).forEach(function (g) {
      var h = document.getElementById('g-' + g.id);
      if (h) pill(h.querySelector('.pill'), g.status, g.label);
    });
    var banner = document.querySelector('.banner');
    if (banner && data.overall) {
      setAttr(banner, 'class', 'banner t-' + data.overall.tone);
      setAttr(banner.querySelector('use'), 'href', '#i-' + data.overall.tone);
      setText(document.getElementById('overall'), data.overall.description);
      setTime(banner.querySelector('p time'), data.overall.updatedAt);
    }
    document.dispatchEvent(new CustomEvent('upstate:updated', { detail: data }));
  };

  var es = new EventSource('/events');
  var mark = function (on) { var el = document.querySelector('.live'); if (el) el.hidden = !on; };
  es.addEventListener('open', function () { mark(true); });
  es.addEventListener('error', function () { mark(false); });
  es.addEventListener('results', function (e) {
    try { apply(JSON.parse(e.data)); } catch (err) { /* a malformed event changes nothing */ }
  });
})();
