'use strict';

// Tests of the browser check: the pure helpers, then the whole check on two
// small sites in testdata/, one that must pass and one with a single planted
// fault a page, so that every kind of failure is shown to be caught (a check
// that cannot fail proves nothing). Run with `npm test` in .ci/browser.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { checkSite, countPDFPages, pageURLPath, resolveInSite } = require('./check.js');

const chromium = process.env.EVALSITE_CHROMIUM || '/usr/bin/chromium';
const noBrowser = fs.existsSync(chromium) ? false : `no Chromium at ${chromium}`;

test('countPDFPages counts page objects, not the page tree', () => {
  const cases = [
    { name: 'one page', pdf: '<</Type /Pages /Count 1 /Kids [2 0 R]>>\n<</Type /Page\n/Parent 1 0 R>>', want: 1 },
    { name: 'two pages, no spaces', pdf: '<</Type/Pages/Count 2>> <</Type/Page/Parent 1 0 R>> <</Type/Page>>', want: 2 },
    { name: 'only the tree', pdf: '<</Type /Pages /Count 0 /Kids []>>', want: 0 },
    { name: 'not a pdf', pdf: 'hello', want: 0 },
  ];
  for (const c of cases) {
    assert.equal(countPDFPages(Buffer.from(c.pdf, 'latin1')), c.want, c.name);
  }
});

test('pageURLPath serves index.html as its folder', () => {
  const cases = [
    ['index.html', '/'],
    ['themes/index.html', '/themes/'],
    ['themes/a b/index.html', '/themes/a%20b/'],
    ['report/notes.html', '/report/notes.html'],
  ];
  for (const [rel, want] of cases) assert.equal(pageURLPath(rel), want, rel);
});

test('resolveInSite maps URL paths like a static host', () => {
  const root = fs.realpathSync(path.join(__dirname, 'testdata', 'good'));
  const cases = [
    { url: '/', want: { file: path.join(root, 'index.html') } },
    { url: '/sub/', want: { file: path.join(root, 'sub', 'index.html') } },
    { url: '/sub', want: { redirect: '/sub/' } },
    { url: '/chart.svg', want: { file: path.join(root, 'chart.svg') } },
    { url: '/missing.svg', want: null },
    { url: '/%2e%2e/bad/index.html', want: null }, // outside the site
    { url: '/%E0%A4%A', want: null }, // not valid percent-encoding
    { url: '/chart.svg%00', want: null },
  ];
  for (const c of cases) assert.deepEqual(resolveInSite(root, c.url), c.want, c.url);
});

function tmpShots() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'evalsite-shots-'));
}

test('a clean site passes and leaves its screenshots', { skip: noBrowser }, async () => {
  const shots = tmpShots();
  try {
    const got = await checkSite(path.join(__dirname, 'testdata', 'good'), { chromium, shots });
    assert.deepEqual(got.pages, ['index.html', 'report/chapter/index.html', 'sub/index.html']);
    assert.deepEqual(got.failures, []);
    assert.deepEqual(got.notes, []);
    for (const f of ['index-1280.png', 'index-320.png', 'index-print.pdf']) {
      assert.ok(fs.statSync(path.join(shots, f)).size > 0, `${f} written`);
    }
    assert.equal(countPDFPages(fs.readFileSync(path.join(shots, 'index-print.pdf'))), 1);
  } finally {
    fs.rmSync(shots, { recursive: true, force: true });
  }
});

test('each planted fault is reported against its page, and nothing else', { skip: noBrowser }, async () => {
  const got = await checkSite(path.join(__dirname, 'testdata', 'bad'), { chromium, shots: '' });
  // One entry a failure; each page of testdata/bad holds the faults named in
  // its title, and a missing image fails three ways (link, request, decode).
  const want = [
    '(site) xss-probe', // no page shows "<script>alert(1)</script>" as text
    'alert/index.html injected-script', // alert(1) opened a dialog
    'axe/index.html axe image-alt', // <img> without alt
    'badimg/index.html broken-image', // truncated SVG
    'chart320/index.html chart-text-320', // 13-unit text in a 400-wide drawing shown narrower
    'dates/index.html date-in-words', // no "16 July 2001"
    'dates/index.html iso-date', // "Released 2001-07-16" (the one in the table is allowed)
    'report/chapter/index.html print-chart', // its chart prints 50 mm wide
    'report/chapter/index.html print-chart', // and without a table
    'console/index.html console-error', // console.error("boom")
    'details/index.html axe image-alt', // <img> without alt inside a closed <details>
    'external/index.html broken-image', // blocked, so it never loads
    'external/index.html external-request', // an <img> from another host
    'flag/index.html injected-script', // window.__evalsite_xss = 1
    'index.html axe target-size', // two links that shrink to 10px below 400px wide,
    'index.html axe target-size', // seen only by the second axe run, at 320px
    'index.html overflow-320', // a 600px-wide block
    'index.html print-a4', // a 2000px-tall block (no @page rule: the whole 297 mm is the page)
    'links/index.html broken-link', // ../missing/
    'links/index.html broken-link', // ../axe/#nowhere
    'links/index.html broken-link', // /axe/ (root-relative)
    'links/index.html broken-link', // javascript:
    'links/index.html disk-link', // ../axe/#nowhere names a folder
    'links/index.html disk-link', // so does /axe/
    'missing-asset/index.html broken-image',
    'missing-asset/index.html broken-link',
    'missing-asset/index.html failed-request', // HTTP 404
    'pageerror/index.html page-error', // throw new Error("kaboom")
    'reflow/index.html overflow-320', // an unbreakable line in a <pre>
  ];
  const gotKeys = got.failures.map((f) => `${f.page} ${f.kind}`).sort();
  assert.deepEqual(gotKeys, want.slice().sort());

  // Over HTTP the summary's stylesheet passes its integrity check; from disk,
  // Chromium refuses it (no CORS on file: URLs), which is noted, not failed.
  assert.ok(got.notes.some((n) => n.page === 'index.html' && /1 of 1 stylesheets did not apply/.test(n.message)), JSON.stringify(got.notes));

  const msg = (page, kind) => got.failures.filter((f) => f.page === page && f.kind === kind).map((f) => f.message);
  assert.match(msg('chart320/index.html', 'chart-text-320')[0], /small-text\.svg \d+px wide at a 320px viewport: its 13-unit text is \d+\.\dpx \(must be >= 12\)/);
  assert.match(msg('dates/index.html', 'iso-date')[0], /2001-07-16$|2001-07-16 \(/);
  assert.doesNotMatch(msg('dates/index.html', 'iso-date')[0], /2000-11-01/);
  assert.match(msg('report/chapter/index.html', 'print-chart').join('\n'), /prints 50 mm wide[\s\S]*without its table/);
  assert.match(msg('index.html', 'print-a4')[0], /prints on 2 A4 pages.*first content past one page is main#main > div <div style="height: 2000px">/);
  for (const m of msg('index.html', 'axe target-size')) assert.match(m, /\(at 320px wide\)/);
  assert.match(msg('index.html', 'overflow-320')[0], /616px wide.*div style="width: 600px"/);
  assert.match(msg('reflow/index.html', 'overflow-320')[0], /<pre>/);
  assert.match(msg('alert/index.html', 'injected-script')[0], /a dialog \(alert\) opened/);
  assert.match(msg('missing-asset/index.html', 'failed-request')[0], /GET \/missing\.png answered HTTP 404/);
  const links = msg('links/index.html', 'broken-link').join('\n');
  for (const re of [/\/missing\/ does not exist/, /#nowhere, but axe\/index\.html has no element/, /root-relative/, /javascript: URL/]) {
    assert.match(links, re);
  }
});

test('a page list limits the check and skips the whole-site checks', { skip: noBrowser }, async () => {
  const got = await checkSite(path.join(__dirname, 'testdata', 'bad'), { chromium, shots: '', only: ['console/index.html'] });
  assert.deepEqual(got.pages, ['console/index.html']);
  assert.deepEqual(got.failures.map((f) => `${f.page} ${f.kind}`), ['console/index.html console-error']);
  await assert.rejects(checkSite(path.join(__dirname, 'testdata', 'bad'), { chromium, shots: '', only: ['nope.html'] }), /not HTML pages/);
});
