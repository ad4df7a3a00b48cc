// Progressive enhancement for the status page: keeps relative times fresh and, when the server
// has live updates (data-live="1" on the script tag), re-renders #live after each result batch.
// Served as a file, not inline, so the page's Content-Security-Policy allows no inline script.
(function () {
  var script = document.currentScript;
  var live = !!script && script.getAttribute('data-live') === '1';
  var rel = function () {
    var now = Date.now();
    document.querySelectorAll('time[data-rel]').forEach(function (el) {
      var s = Math.max(0, Math.round((now - Date.parse(el.getAttribute('datetime'))) / 1000));
      el.textContent = s < 5 ? 'just now' : s < 60 ? s + ' s ago' : s < 3600 ? Math.floor(s / 60) + ' min ago' : s < 172800 ? Math.floor(s / 3600) + ' h ago' : Math.floor(s / 86400) + ' d ago';
    });
  };
  setInterval(rel, 10000);
  if (!live) return;
  if (!window.EventSource || !window.DOMParser) return;
  var timer, es = new EventSource('/events');
  var mark = function (on) { var el = document.querySelector('.live'); if (el) el.hidden = !on; };
  var refresh = function () {
    fetch(location.href, { cache: 'no-store', headers: { accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        var old = document.getElementById('live');
        if (fresh && old) { old.replaceWith(fresh); mark(es.readyState === 1); rel(); document.dispatchEvent(new CustomEvent('upstate:updated')); }
      })
      .catch(function () {});
  };
  es.addEventListener('open', function () { mark(true); });
  es.addEventListener('error', function () { mark(false); });
  // The store writer may still be flushing the batch; a short wait lets the page see it.
  es.addEventListener('results', function () { clearTimeout(timer); timer = setTimeout(refresh, 800); });
})();
