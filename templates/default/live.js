// Progressive enhancement for the status page: keeps relative times fresh and, when the server
// has live updates (data-live="1" on the script tag), patches the elements a result batch changed
// from the event's own data: the component rows, their group headers and the banner. Nothing is
// refetched and no element that can hold focus is replaced, so keyboard focus, scroll position
// and open popovers stay where they are.
// Served as a file, not inline, so the page's Content-Security-Policy allows no inline script.
(function () {
  var script = document.currentScript;
  var live = !!script && script.getAttribute('data-live') === '1';
  // a page served under a path prefix (`pages:`) loads this file from <prefix>/assets/live.js
  var base = script ? (script.getAttribute('src') || '').replace(/\/assets\/live\.js.*$/, '') : '';
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

  // Day cells. Each 90-day bar is one Tab stop (roving tabindex): arrow keys, Home and End move
  // between days, Enter or Space (or a tap or click on any day) opens a small popover with that
  // day's uptime, minutes down, degraded and in maintenance, and its incidents as links, fetched
  // from /api/v1/checks/:id/days when first opened. The server sends runs of equal days (page
  // weight); a bar becomes one cell per day only when someone uses it. Without scripts each run
  // keeps its tooltip. Days are UTC days, named by date: nothing relative that could go stale.
  var root = document.getElementById('live');
  var today = root && Date.parse(root.getAttribute('data-today') + 'T00:00:00Z');
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var css = document.createElement('style');
  css.textContent = '.bar button{display:block;width:100%;height:100%;margin:0;padding:0;border:0;border-radius:2px;background:none;cursor:pointer}' +
    '.bar button:focus-visible,.bar button[aria-expanded=true]{outline:2px solid var(--text);outline-offset:1px}' +
    '.pop{width:min(300px,100%);margin:8px 0 0;padding:10px 14px 12px;border:1px solid var(--line);border-radius:10px;background:var(--card);color:var(--text);box-shadow:0 6px 24px rgba(0,0,0,.18);font-size:13px}' +
    '.pop-h{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0;font-weight:600}.pop-x{font:inherit;font-size:18px;line-height:1;padding:2px 6px;border:0;border-radius:4px;background:none;color:var(--muted);cursor:pointer}' +
    '.pop dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:8px 0 0}.pop dt{color:var(--muted)}.pop dd{margin:0;font-variant-numeric:tabular-nums}' +
    '.pop ul{margin:4px 0 0;padding-left:18px}.pop p{margin:8px 0 0}.pop .pop-h{margin:0}';
  document.head.appendChild(css);

  var dayOf = function (i, n) { return new Date(today - (n - 1 - i) * 86400000); };
  var label = function (d) { return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate(); };
  var isoDay = function (d) { return d.toISOString().slice(0, 10); };
  var checkOf = function (bar) {
    var comp = bar.closest('.comp');
    if (comp) return { id: comp.id.slice(2), name: comp.querySelector('.name a').textContent };
    var page = bar.closest('[data-check]');
    return page && { id: page.getAttribute('data-check'), name: (page.querySelector('h1') || page).textContent };
  };
  var bars = function () { return today ? document.querySelectorAll('ol.bar') : []; };

  // One button per bar to start with, in today's run: the bar's Tab stop.
  var initBar = function (bar) {
    var last = bar.lastElementChild, check = checkOf(bar);
    if (!last || !check) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('aria-label', label(new Date(today)) + ': ' + (last.getAttribute('title') || '').replace(/^[^:]*: /, ''));
    b.setAttribute('aria-expanded', 'false');
    last.appendChild(b);
  };
  bars().forEach(initBar);

  // A collapsed group of a large page carries a link to its own page instead of its rows: opening
  // it loads the rows from there in place (the link stays if that fails, and works without us).
  var groups = {};
  var loadGroup = function (details) {
    var lazy = details && details.querySelector(':scope > .lazy');
    if (!lazy) return Promise.resolve();
    var id = lazy.getAttribute('data-group');
    if (!groups[id]) {
      groups[id] = fetch(base + '/groups/' + encodeURIComponent(id), { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      }).then(function (html) {
        var rows = new DOMParser().parseFromString(html, 'text/html').querySelector('ul.comps');
        if (!rows || !lazy.isConnected) return;
        rows = document.importNode(rows, true);
        lazy.replaceWith(rows);
        if (today) rows.querySelectorAll('ol.bar').forEach(initBar);
        localize();
        rel();
      });
      groups[id].catch(function () { delete groups[id]; });
    }
    return groups[id];
  };
  document.addEventListener('toggle', function (e) {
    var t = e.target;
    if (t && t.matches && t.matches('details.grp') && t.open) loadGroup(t).catch(function () {});
  }, true);

  // The bar as one cell per day, each with its own tooltip and (unfocusable) button.
  var expand = function (bar) {
    if (bar.hasAttribute('data-n')) return;
    var cells = [];
    Array.prototype.forEach.call(bar.children, function (li) {
      var n = Number(li.style.getPropertyValue('--n')) || 1;
      var value = (li.getAttribute('title') || '').replace(/^[^:]*: /, '');
      for (var k = 0; k < n; k++) cells.push({ cls: li.className, value: value });
    });
    var frag = document.createDocumentFragment();
    cells.forEach(function (c, i) {
      var d = dayOf(i, cells.length);
      var li = document.createElement('li');
      if (c.cls) li.className = c.cls;
      li.title = label(d) + ': ' + c.value;
      var b = document.createElement('button');
      b.type = 'button';
      b.tabIndex = i === cells.length - 1 ? 0 : -1;
      b.setAttribute('aria-label', li.title);
      b.setAttribute('aria-expanded', 'false');
      b.setAttribute('data-day', isoDay(d));
      li.appendChild(b);
      frag.appendChild(li);
    });
    bar.textContent = '';
    bar.appendChild(frag);
    bar.setAttribute('data-n', String(cells.length));
  };
  var cell = function (bar, i) { return bar.children[i] && bar.children[i].firstElementChild; };
  var indexOf = function (button) { return Array.prototype.indexOf.call(button.closest('ol').children, button.parentElement); };

  var loaded = {}, changed = {};
  var load = function (id) {
    if (!loaded[id]) {
      // after a live update about this check, past the browser's cached copy (revalidated by ETag)
      loaded[id] = fetch(base + '/api/v1/checks/' + encodeURIComponent(id) + '/days', { credentials: 'same-origin', cache: changed[id] ? 'no-cache' : 'default' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      });
      loaded[id].catch(function () { delete loaded[id]; });
    }
    return loaded[id];
  };
  var pct = function (v) { return v === null || v === undefined ? 'No data' : v >= 100 ? '100%' : v <= 0 ? '0%' : v.toFixed(2) + '%'; };
  var mins = function (m) { m = m || 0; return m < 60 ? m + ' min' : Math.floor(m / 60) + ' h' + (m % 60 ? ' ' + (m % 60) + ' min' : ''); };
  var el = function (tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };

  var pop, open; // the one popover, and the day button it belongs to
  var close = function (refocus) {
    if (!open) return;
    open.setAttribute('aria-expanded', 'false');
    if (refocus) open.focus();
    open = undefined;
    if (pop) pop.remove();
  };
  var fill = function (button, check, data) {
    var date = button.getAttribute('data-day');
    var day = data && data.days.filter(function (x) { return x.date === date; })[0];
    var body = pop.querySelector('.pop-b');
    body.textContent = '';
    if (!data) { body.appendChild(el('p', button.getAttribute('aria-label').replace(/^[^:]*: /, ''))); return; }
    if (!day) { body.appendChild(el('p', 'No data for this day.')); return; }
    var dl = el('dl');
    [['Uptime', pct(day.uptime)], ['Down', mins(day.downMinutes)], ['Degraded', mins(day.degradedMinutes)], ['In maintenance', mins(day.maintenanceMinutes)]].forEach(function (f) {
      dl.appendChild(el('dt', f[0]));
      dl.appendChild(el('dd', f[1]));
    });
    body.appendChild(dl);
    if (!day.incidents.length) { body.appendChild(el('p', 'No incidents this day.')); return; }
    body.appendChild(el('p', day.incidents.length === 1 ? 'Incident' : 'Incidents'));
    var ul = el('ul');
    day.incidents.forEach(function (i) {
      var a = el('a', i.title);
      a.href = base + '/incidents/' + encodeURIComponent(i.id);
      var li = el('li');
      li.appendChild(a);
      ul.appendChild(li);
    });
    body.appendChild(ul);
  };
  var show = function (button) {
    var bar = button.closest('ol'), check = checkOf(bar);
    if (open && open !== button) open.setAttribute('aria-expanded', 'false');
    open = button;
    if (!pop) {
      pop = el('section', '', 'pop');
      pop.id = 'day-pop';
      pop.setAttribute('aria-labelledby', 'day-pop-h');
      var head = el('p', '', 'pop-h');
      head.appendChild(el('span')).id = 'day-pop-h';
      var x = el('button', '×', 'pop-x');
      x.type = 'button';
      x.setAttribute('aria-label', 'Close');
      x.addEventListener('click', function () { close(true); });
      head.appendChild(x);
      pop.appendChild(head);
      pop.appendChild(el('div', '', 'pop-b'));
    }
    button.setAttribute('aria-expanded', 'true');
    button.setAttribute('aria-controls', 'day-pop');
    pop.querySelector('#day-pop-h').textContent = check.name + ', ' + button.getAttribute('data-day') + ' (UTC)';
    // after the bar and its axis, so Tab goes from the day into the popover's links
    var after = bar.nextElementSibling && bar.nextElementSibling.classList.contains('axis') ? bar.nextElementSibling : bar;
    if (after.nextElementSibling !== pop) after.parentElement.insertBefore(pop, after.nextElementSibling);
    fill(button, check);
    // in the flow under the bar (a card clips what overflows it), shifted towards the day
    var box = after.getBoundingClientRect(), r = button.getBoundingClientRect();
    var left = r.left + r.width / 2 - box.left - pop.offsetWidth / 2;
    pop.style.marginLeft = Math.max(0, Math.min(left, box.width - pop.offsetWidth)) + 'px';
    load(check.id).then(function (data) { if (open === button) fill(button, check, data); }, function () {
      if (open === button) pop.querySelector('.pop-b').appendChild(el('p', 'The incidents of this day could not be loaded.'));
    });
  };
  var move = function (bar, i) {
    var b = cell(bar, Math.max(0, Math.min(i, bar.children.length - 1)));
    if (!b) return;
    Array.prototype.forEach.call(bar.querySelectorAll('button[tabindex="0"]'), function (x) { if (x !== b) x.tabIndex = -1; });
    b.tabIndex = 0;
    b.focus();
    if (open) show(b);
  };

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (pop && pop.contains(t)) return;
    var bar = t.closest && t.closest('ol.bar');
    if (!bar || !today) { close(false); return; }
    var i;
    if (e.detail === 0 && t.tagName === 'BUTTON' && bar.hasAttribute('data-n')) i = indexOf(t);
    else if (e.detail === 0) i = bar.children.length && Number.MAX_SAFE_INTEGER;
    else {
      // a pointer: the day under it (the bar is a 90-column grid, clipped to 30 days on a phone)
      var r = bar.getBoundingClientRect();
      var n = Number(bar.getAttribute('data-n')) || Array.prototype.reduce.call(bar.children, function (s, li) { return s + (Number(li.style.getPropertyValue('--n')) || 1); }, 0);
      i = Math.floor(((e.clientX - r.left) / r.width) * n);
    }
    expand(bar);
    var b = cell(bar, Math.max(0, Math.min(i, bar.children.length - 1)));
    if (!b) return;
    if (open === b) { close(true); return; }
    move(bar, indexOf(b));
    show(b);
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key === 'Escape' && open && (t === open || (pop && pop.contains(t)))) { close(true); return; }
    var bar = t.tagName === 'BUTTON' && t.closest && t.closest('ol.bar');
    if (!bar) return;
    var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 }[e.key];
    if (!step && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    var fresh = !bar.hasAttribute('data-n');
    expand(bar);
    var from = fresh ? bar.children.length - 1 : indexOf(t);
    // a phone shows the last 30 days only: the keys stay on the days that can be seen
    var first = 0, edge = (bar.nextElementSibling || bar.parentElement).getBoundingClientRect().left + 1;
    while (first < bar.children.length - 1 && bar.children[first].getBoundingClientRect().right <= edge) first++;
    move(bar, Math.max(first, e.key === 'Home' ? 0 : e.key === 'End' ? bar.children.length - 1 : from + step));
  });
  // live updates change a check's days: its next popover reads them afresh, an open one now
  document.addEventListener('upstate:updated', function (e) {
    (e.detail.checks || []).forEach(function (c) { delete loaded[c.id]; changed[c.id] = true; });
    if (open && pop) {
      var bar = open.closest('ol'), check = bar && checkOf(bar), button = open;
      if (check && (e.detail.checks || []).some(function (c) { return c.id === check.id; })) load(check.id).then(function (data) { if (open === button) fill(button, check, data); }, function () {});
    }
  });

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
      // a group with trouble is open, as the server renders it: load its rows, then patch them
      var details = h && h.closest('details.grp');
      if (details && g.status !== 'up' && g.status !== 'unknown' && details.querySelector(':scope > .lazy')) {
        details.open = true;
        loadGroup(details).then(function () {
          (data.checks || []).forEach(function (c) { var row = document.getElementById('c-' + c.id); if (row) patchRow(row, c); });
        }, function () {});
      }
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

  var es = new EventSource(base + '/events');
  var mark = function (on) { var el = document.querySelector('.live'); if (el) el.hidden = !on; };
  es.addEventListener('open', function () { mark(true); });
  es.addEventListener('error', function () { mark(false); });
  es.addEventListener('results', function (e) {
    try { apply(JSON.parse(e.data)); } catch (err) { /* a malformed event changes nothing */ }
  });
})();
