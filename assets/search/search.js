// The site's search: MiniSearch over the index the build wrote beside this
// page (window.EVALSITE_SEARCH: title t, kind k, URL u from the site's root,
// a few words x). It runs in the page, with no server, so it works from disk.
(function () {
  'use strict';
  var docs = window.EVALSITE_SEARCH || [];
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var root = document.getElementById('search').getAttribute('data-root');
  if (!form || !input || !window.MiniSearch) return;
  var index = null;
  function build() {
    if (index) return index;
    index = new window.MiniSearch({ fields: ['t', 'x'], storeFields: ['t', 'k', 'u'], idField: 'id' });
    index.addAll(docs.map(function (d, i) { return { id: i, t: d.t, k: d.k, u: d.u, x: d.x }; }));
    return index;
  }
  // A folder's page is its index.html, so that links work opened from disk.
  function href(u) {
    var path = u === '' || /\/$/.test(u) ? u + 'index.html' : u;
    return root + path;
  }
  function show(q) {
    list.textContent = '';
    q = q.trim();
    if (q === '') {
      status.textContent = '';
      return;
    }
    // Fuzzy matching only for longer words: on short ones it matches too
    // much and costs the most.
    var hits = build().search(q, {
      prefix: true,
      fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
      boost: { t: 3 },
      combineWith: 'AND',
    }).slice(0, 50);
    status.textContent = hits.length === 0 ? 'No pages match “' + q + '”.' : hits.length + (hits.length === 1 ? ' page matches' : ' pages match') + ' “' + q + '”' + (hits.length === 50 ? ' (the first 50 are shown).' : '.');
    hits.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = href(h.u);
      a.textContent = h.t;
      var k = document.createElement('span');
      k.className = 'search-kind';
      k.textContent = h.k;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(k);
      list.appendChild(li);
    });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    show(input.value);
    try {
      history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    } catch (err) {
      // A page opened from disk may refuse; the results are shown anyway.
    }
  });
  input.addEventListener('input', function () { show(input.value); });
  // The index is built while the reader is still reading the page (about
  // 0.3 s for 10,000 agreements), so the first search answers at once.
  setTimeout(build, 0);
  var m = /[?&]q=([^&]*)/.exec(location.search);
  if (m) {
    input.value = decodeURIComponent(m[1].replace(/\+/g, ' '));
    show(input.value);
  }
})();
