'use strict';

// check.js checks a built evalsite site in Debian's headless Chromium. It serves
// the built folder itself on 127.0.0.1, opens every HTML page and fails on:
//   - any axe-core violation at WCAG 2.2 AA (closed <details> are opened and
//     checked too, since the chart tables live in them; the summary is
//     checked again at 320 px wide);
//   - any console error, page error or failed request (HTTP >= 400, a network
//     error, or any request to another host: the site must be self-contained);
//   - any internal link or asset (a, area, img, source, script, link, ...) that
//     does not resolve in the folder, a #fragment with no such id on its page,
//     a root-relative URL (it breaks when the site is published in a sub-folder),
//     a javascript: URL, or an image that does not decode;
//   - an injected script that runs (a dialog opens, or window.__evalsite_xss
//     is set), and, over the whole site, the probe text not being shown as
//     text on any page (so the injection test cannot pass vacuously);
//   - a link to a folder ("../agreements/"), which opened from disk shows a
//     folder listing instead of the page;
//   - a page wider than 320 CSS px at a 320 px viewport (WCAG 1.4.10 reflow);
//   - chart text below 12 CSS px at 320 px (the drawing the browser chose, at
//     the width it is shown);
//   - a report chapter whose printed charts are narrower than 150 mm or that
//     prints a chart without its table;
//   - a page with no date in words ("16 July 2001"), or with an ISO date
//     (2001-07-16) in its text outside tables and code;
//   - the summary (index.html) printing on more than one A4 page;
//   - a search page (search/index.html) on which the name of the first
//     agreement, department or theme does not find its page, over HTTP or
//     opened from disk.
// It writes screenshots of index.html at 1280 and 320 px and its print PDF to
// $EVALSITE_SHOTS (default /tmp/evalsite-shots) for a person to look at, and
// notes (without failing) what goes wrong when index.html is opened from disk.
// See docs/browser-check.md.
//
// Usage: node check.js SITE_DIR [PAGE...]
// PAGE limits the run to some pages (paths relative to SITE_DIR, such as
// index.html or themes/meetings/index.html); the whole-site checks are skipped.
// Exit status: 0 all passed, 1 a check failed, 2 bad usage or a broken setup.

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const http = require('node:http');
const path = require('node:path');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// DEFAULT_XSS_PROBE is the text the example data holds in a cleared interview
// excerpt: it must be shown as text on some page and never run.
const DEFAULT_XSS_PROBE = '<script>alert(1)</script>';

const REFLOW_WIDTH = 320;
// MIN_CHART_TEXT_PX is the smallest chart text allowed at REFLOW_WIDTH.
const MIN_CHART_TEXT_PX = 12;
// MIN_PRINT_CHART_MM is the narrowest a chart of a report chapter may print.
const MIN_PRINT_CHART_MM = 150;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: REFLOW_WIDTH, height: 640 };
const PAGE_TIMEOUT_MS = 30000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.webmanifest': 'application/manifest+json',
};

// resolveInSite maps a URL path onto the site folder the way a static host
// does: a directory serves its index.html. It returns {file} for a file,
// {redirect} for a directory named without its trailing slash, or null.
function resolveInSite(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.join(root, decoded);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  let st;
  try {
    st = fs.statSync(full);
  } catch {
    return null;
  }
  if (st.isFile()) return { file: full };
  if (!st.isDirectory()) return null;
  const index = path.join(full, 'index.html');
  if (!fs.existsSync(index)) return null;
  if (!decoded.endsWith('/')) return { redirect: urlPath + '/' };
  return { file: index };
}

// AXE_PATH is where the server offers axe-core to the pages it serves. Loading
// it by URL (not as inline text) lets Chromium cache its compiled code: inline,
// parsing it again took 1-2 s a page.
const AXE_PATH = '/__evalsite_browser_check__/axe.min.js';

// serve starts a static file server for root on 127.0.0.1 and a free port.
function serve(root, axeSource) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === AXE_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=3600' });
      res.end(req.method === 'HEAD' ? undefined : axeSource);
      return;
    }
    const hit = resolveInSite(root, url.pathname);
    if (hit === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (hit.redirect) {
      res.writeHead(301, { Location: hit.redirect + url.search }).end();
      return;
    }
    const type = CONTENT_TYPES[path.extname(hit.file).toLowerCase()] || 'application/octet-stream';
    const size = fs.statSync(hit.file).size;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(hit.file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

// htmlPages lists the site's HTML files, relative to root with / separators,
// sorted so that every run reports in the same order.
async function htmlPages(root) {
  const out = [];
  async function walk(dir) {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  await walk(root);
  return out.sort();
}

// pageURLPath is the URL path a person would use for a page: a folder for an
// index.html, the file otherwise.
function pageURLPath(rel) {
  const parts = rel.split('/').map(encodeURIComponent);
  if (parts[parts.length - 1] === 'index.html') parts[parts.length - 1] = '';
  return '/' + parts.join('/');
}

// siteFile names the site file an internal URL path resolves to, relative to
// root, or null when it does not resolve.
function siteFile(root, urlPath) {
  const hit = resolveInSite(root, urlPath);
  if (hit === null) return null;
  const file = hit.file || path.join(root, decodeURIComponent(hit.redirect), 'index.html');
  return path.relative(root, file).split(path.sep).join('/');
}

// countPDFPages counts the page objects of a PDF that Chromium wrote. Skia
// writes each page as an uncompressed "/Type /Page" dictionary.
function countPDFPages(pdf) {
  const text = pdf.toString('latin1');
  const matches = text.match(/\/Type\s*\/Page(?![A-Za-z])/g);
  return matches ? matches.length : 0;
}

function oneLine(s, max = 300) {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

// The functions below run inside the page.

/* eslint-disable no-undef */
function inPageXSSTrap() {
  // Set before any page script: records the first write to window.__evalsite_xss.
  let value;
  Object.defineProperty(window, '__evalsite_xss', {
    configurable: false,
    get() {
      return value;
    },
    set(v) {
      value = v;
      try {
        window.__evalsiteReportXSS(String(v));
      } catch {
        // The binding reports asynchronously; the final read catches the rest.
      }
    },
  });
}

function inPageDescribe() {
  // Installs window.__evalsitePath(el), a short selector, and
  // window.__evalsiteDescribe(el), that selector with the start tag and text.
  window.__evalsitePath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) {
        parts.unshift(s + '#' + e.id);
        break;
      }
      const cls = [...e.classList].slice(0, 2);
      if (cls.length) s += '.' + cls.join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  window.__evalsiteDescribe = (el) => {
    const html = el.outerHTML.replace(/\s+/g, ' ');
    const open = html.slice(0, html.indexOf('>') + 1 || 120).slice(0, 160);
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return window.__evalsitePath(el) + ' ' + open + (text ? ` ("${text}")` : '');
  };
}

function inPageRefs() {
  const out = [];
  const describe = window.__evalsiteDescribe;
  const add = (el, attr, raw) => {
    if (raw == null) return;
    raw = raw.trim();
    if (raw === '') return;
    let abs = null;
    try {
      abs = new URL(raw, document.baseURI).href;
    } catch {
      // Reported as unparsable below.
    }
    out.push({ attr, raw, abs, el: describe(el), isLink: el.tagName === 'A' || el.tagName === 'AREA' });
  };
  const srcset = (el, value) => {
    if (!value) return;
    for (const cand of value.split(',')) {
      const u = cand.trim().split(/\s+/)[0];
      if (u) add(el, 'srcset', u);
    }
  };
  for (const el of document.querySelectorAll('a[href], area[href], link[href]')) add(el, 'href', el.getAttribute('href'));
  for (const el of document.querySelectorAll('img, source, script[src], iframe[src], embed[src], audio[src], video[src], track[src], input[type=image][src]')) {
    add(el, 'src', el.getAttribute('src'));
    srcset(el, el.getAttribute('srcset'));
  }
  for (const el of document.querySelectorAll('video[poster]')) add(el, 'poster', el.getAttribute('poster'));
  for (const el of document.querySelectorAll('object[data]')) add(el, 'data', el.getAttribute('data'));
  for (const el of document.querySelectorAll('svg use, svg image')) {
    add(el, 'href', el.getAttribute('href') || el.getAttributeNS('http://www.w3.org/1999/xlink', 'href'));
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  return { refs: out, ids: ids.concat(names) };
}

async function inPageDecodeImages() {
  const bad = [];
  const imgs = [...document.images].map((img) => ({ img, el: window.__evalsiteDescribe(img) }));
  for (const { img } of imgs) img.loading = 'eager'; // lazy images off screen never load otherwise
  await Promise.all(
    imgs.map(async ({ img, el }) => {
      try {
        await img.decode();
      } catch {
        bad.push({ src: img.getAttribute('src'), el });
      }
    }),
  );
  return bad;
}

async function inPageAxe(tags) {
  const r = await window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  });
  return r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary || '' })),
  }));
}

function inPageOpenDetails() {
  const closed = [...document.querySelectorAll('details:not([open])')];
  for (const d of closed) {
    d.setAttribute('data-evalsite-opened', '');
    d.open = true;
  }
  return closed.length;
}

function inPagePageMargins() {
  // The @page margins in mm, read from the style sheets (0 where unset, as in
  // Playwright's page.pdf).
  const m = { top: 0, right: 0, bottom: 0, left: 0 };
  const toMM = (v) => {
    if (!v) return 0;
    const probe = document.createElement('div');
    probe.style.cssText = `position:absolute;visibility:hidden;height:${v}`;
    document.body.appendChild(probe);
    const px = probe.getBoundingClientRect().height;
    probe.remove();
    return (px * 25.4) / 96;
  };
  const visit = (rules) => {
    for (const r of rules) {
      if (r instanceof CSSPageRule && !r.selectorText) {
        for (const side of ['top', 'right', 'bottom', 'left']) {
          const v = r.style.getPropertyValue('margin-' + side);
          if (v) m[side] = toMM(v);
        }
      } else if (r.cssRules && (!(r instanceof CSSMediaRule) || matchMedia(r.conditionText || r.media.mediaText).matches)) {
        visit(r.cssRules);
      }
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      visit(sheet.cssRules);
    } catch {
      // A style sheet from another origin cannot be read.
    }
  }
  return m;
}

function inPagePrintOverflow(availPx) {
  // In print media: the total height, and the first element (in document
  // order) whose box ends below one page and that has no child that does.
  const mm = (px) => Math.round((px * 25.4) / 96);
  const height = document.documentElement.scrollHeight;
  let first = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.height === 0 || r.bottom + window.scrollY <= availPx + 1) continue;
    const deeper = [...el.children].some((c) => {
      const cr = c.getBoundingClientRect();
      return cr.height > 0 && cr.bottom + window.scrollY > availPx + 1;
    });
    if (deeper) continue;
    first = { el: window.__evalsiteDescribe(el), bottomMM: mm(r.bottom + window.scrollY) };
    break;
  }
  return { heightMM: mm(height), first };
}

function inPageOverflow(width) {
  const doc = document.documentElement;
  const scrollWidth = doc.scrollWidth;
  if (scrollWidth <= width) return { scrollWidth, culprits: [] };
  // The culprits: elements that stick out past the viewport while their parent
  // does not, outside any element that scrolls or clips its own overflow.
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  // A culprit sticks out past the viewport while its parent does not, or it
  // fits but its content spills out of it (a long word, a <pre>) and no
  // child of its is a culprit itself. Culprits are grouped by selector:
  // twenty <dd> of one list make one line.
  const all = [...document.body.querySelectorAll('*')].filter((el) => !clipped(el));
  const sticks = new Set(all.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 0.5;
  }));
  const spills = new Set(all.filter((el) => {
    if (sticks.has(el) || el.clientWidth === 0) return false;
    if (getComputedStyle(el).overflowX !== 'visible') return false;
    return el.scrollWidth > el.clientWidth + 1 && el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
  }));
  const groups = new Map();
  for (const el of all) {
    let culprit = false;
    if (sticks.has(el)) {
      culprit = !(el.parentElement && sticks.has(el.parentElement));
    } else if (spills.has(el)) {
      culprit = ![...el.querySelectorAll('*')].some((c) => sticks.has(c) || spills.has(c));
    }
    if (!culprit) continue;
    const right = Math.round(el.getBoundingClientRect().left + Math.max(el.scrollWidth, el.getBoundingClientRect().width));
    const key = window.__evalsitePath(el);
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.right = Math.max(g.right, right);
    } else {
      groups.set(key, { el: window.__evalsiteDescribe(el), count: 1, right });
    }
  }
  return { scrollWidth, culprits: [...groups.values()].slice(0, 5) };
}
function inPageChartImages() {
  // Every chart drawing as shown: the file the browser chose and its width.
  return [...document.querySelectorAll('figure.chart img')].map((img) => ({
    src: img.currentSrc || img.src,
    width: img.getBoundingClientRect().width,
    el: window.__evalsiteDescribe(img),
  }));
}

function inPagePrintedCharts() {
  // In print media: each chart's drawing width in mm, and whether its numbers
  // are printed (a table shown inside the figure, or a link to one on the page).
  const mm = (px) => (px * 25.4) / 96;
  return [...document.querySelectorAll('figure.chart')].map((fig) => {
    const img = fig.querySelector('img');
    const tables = [...fig.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().height > 0);
    const elsewhere = [...fig.querySelectorAll('a[href^="#"]')].some((a) => document.getElementById(a.getAttribute('href').slice(1)));
    return {
      id: fig.id,
      widthMM: img ? Math.round(mm(img.getBoundingClientRect().width)) : 0,
      table: tables.length > 0 || elsewhere,
    };
  });
}

function inPageDates() {
  // The page's text outside tables of data and code: dates in words found,
  // and ISO dates (YYYY-MM-DD) that a reader would meet in the prose.
  const words = /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/;
  const iso = /\b\d{4}-\d{2}-\d{2}\b/g;
  const skip = (el) => el.closest('table, code, pre, script, style, [hidden]');
  let prose = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && !skip(n.parentElement)) prose += n.textContent + ' ';
  }
  return { inWords: words.test(document.body.innerText), iso: [...new Set(prose.match(iso) || [])].slice(0, 5) };
}
/* eslint-enable no-undef */

// checkSite runs every check on the site in siteDir and returns
// {pages, failures}, failures being {page, kind, message} in page order.
// Options: chromium (executable path), shots (screenshot folder, '' for none),
// xssProbe (text that must be shown as text somewhere, '' for no such check),
// only (page paths to check; the whole-site checks are skipped), log(line).
async function checkSite(siteDir, opts = {}) {
  const { chromium } = require('playwright-core');
  const root = fs.realpathSync(path.resolve(siteDir));
  const executablePath = opts.chromium || '/usr/bin/chromium';
  const shots = opts.shots === undefined ? '/tmp/evalsite-shots' : opts.shots;
  const xssProbe = opts.xssProbe === undefined ? DEFAULT_XSS_PROBE : opts.xssProbe;
  const log = opts.log || (() => {});

  let pages = await htmlPages(root);
  if (pages.length === 0) throw new Error(`no HTML pages under ${root}`);
  const only = opts.only && opts.only.length ? opts.only.map((p) => p.replace(/^\.?\//, '')) : null;
  if (only) {
    const missing = only.filter((p) => !pages.includes(p));
    if (missing.length) throw new Error(`not HTML pages of ${root}: ${missing.join(', ')}`);
    pages = only.slice().sort();
  }
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: install Debian's chromium (apt-get install chromium) or set EVALSITE_CHROMIUM`);
  }

  const failures = [];
  const notes = [];
  const fail = (page, kind, message) => {
    const f = { page, kind, message: oneLine(message, 600) };
    failures.push(f);
    log(`FAIL ${f.page}: ${f.kind}: ${f.message}`);
  };

  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'));
  const { server, origin } = await serve(root, axeSource);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
    // Nothing may come from another host; abort before any DNS lookup.
    await context.route((u) => /^(https?|wss?):$/.test(u.protocol) && u.origin !== origin, (route) => route.abort('blockedbyclient'));
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    if (shots) await fsp.mkdir(shots, { recursive: true });

    const idsByPage = new Map(); // site file -> Set of ids
    const fragmentRefs = []; // {page, target, id, el}
    let probeShownOn = null;

    // One tab for every page, so its listeners report against `current`.
    let current = '(browser)';
    let failedURLs = new Set();
    const f = (kind, message) => fail(current, kind, message);
    const shortURL = (u) => (u.startsWith(origin) ? u.slice(origin.length) : u);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const loc = m.location();
      const where = loc && loc.url ? ` (at ${shortURL(loc.url)}:${loc.lineNumber + 1})` : '';
      if (/^Failed to load resource/.test(m.text()) && loc && failedURLs.has(loc.url)) return;
      f('console-error', m.text() + where);
    });
    page.on('pageerror', (e) => f('page-error', e.stack || e.message));
    page.on('dialog', (d) => {
      f('injected-script', `a dialog (${d.type()}) opened ("${d.message()}"): text from the data ran as script`);
      d.dismiss().catch(() => {});
    });
    page.on('response', (r) => {
      if (r.status() >= 400) {
        failedURLs.add(r.url());
        f('failed-request', `${r.request().method()} ${shortURL(r.url())} answered HTTP ${r.status()}`);
      }
    });
    page.on('requestfailed', (r) => {
      // A picture that switches drawing when the viewport changes, or a page
      // left while an image loads, aborts a request for a file that exists;
      // an image that does not exist or decode fails the image check.
      if (r.resourceType() === 'image' && r.failure() && r.failure().errorText === 'net::ERR_ABORTED') return;
      failedURLs.add(r.url());
      if (!r.url().startsWith(origin + '/') && !r.url().startsWith('data:')) {
        f('external-request', `${shortURL(r.url())} was requested: the site must not load anything from another host`);
        return;
      }
      f('failed-request', `${r.method()} ${shortURL(r.url())} failed: ${(r.failure() && r.failure().errorText) || 'unknown error'}`);
    });
    await page.exposeFunction('__evalsiteReportXSS', (v) => f('injected-script', `window.__evalsite_xss was set to "${v}": text from the data ran as script`));
    await page.addInitScript(inPageXSSTrap);

    for (const rel of pages) {
      current = rel;
      failedURLs = new Set();
      const isSummary = rel === 'index.html';
      try {
        await page.setViewportSize(DESKTOP);
        const resp = await page.goto(origin + pageURLPath(rel), { waitUntil: 'load' });
        if (!resp) f('failed-request', `no response for ${pageURLPath(rel)}`);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await page.evaluate(inPageDescribe);

        // Links and assets, checked against the folder.
        const { refs, ids } = await page.evaluate(inPageRefs);
        idsByPage.set(rel, new Set(ids));
        for (const r of refs) checkRef(root, origin, rel, r, f, fragmentRefs);

        if (isSummary && shots) {
          await page.screenshot({ path: path.join(shots, 'index-1280.png'), fullPage: true });
        }

        // Accessibility, with every <details> open so that the chart tables
        // inside them are checked too.
        const opened = await page.evaluate(inPageOpenDetails);
        await page.addScriptTag({ url: origin + AXE_PATH });
        const axeSeen = new Set();
        const reportAxe = (violations, note) => {
          for (const v of violations) {
            for (const n of v.nodes) {
              if (axeSeen.has(v.id + '\n' + n.target)) continue;
              axeSeen.add(v.id + '\n' + n.target);
              f(`axe ${v.id}`, `(${v.impact}) ${v.help}${note}: ${n.target} ${oneLine(n.html, 160)} -- ${oneLine(n.summary, 300)} [${v.helpUrl}]`);
            }
          }
        };
        reportAxe(await page.evaluate(inPageAxe, AXE_TAGS), '');

        for (const b of await page.evaluate(inPageDecodeImages)) {
          f('broken-image', `image ${b.src} does not load or decode: ${b.el}`);
        }

        if (xssProbe && probeShownOn === null) {
          const shown = await page.evaluate((p) => document.body.innerText.includes(p), xssProbe);
          if (shown) probeShownOn = rel;
        }
        const trapped = await page.evaluate(() => window.__evalsite_xss);
        if (trapped !== undefined && !failures.some((x) => x.page === rel && x.kind === 'injected-script')) {
          f('injected-script', `window.__evalsite_xss is "${trapped}": text from the data ran as script`);
        }

        // Reflow at 320 CSS px (WCAG 1.4.10): no horizontal scrolling, even
        // with the <details> open.
        await page.setViewportSize(PHONE);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const ov = await page.evaluate(inPageOverflow, REFLOW_WIDTH);
        if (ov.scrollWidth > REFLOW_WIDTH) {
          const who = ov.culprits.map((c) => `${c.el}${c.count > 1 ? ` and ${c.count - 1} more like it` : ''} reach${c.count > 1 ? '' : 'es'} ${c.right}px`).join('; ') || 'no single element found';
          f('overflow-320', `page is ${ov.scrollWidth}px wide at a ${REFLOW_WIDTH}px viewport (must be <= ${REFLOW_WIDTH}): ${who}`);
        }

        // Chart text at 320 px: the drawing the browser chose, at the width
        // it is shown, must not make any text smaller than 12 px.
        await page.evaluate(inPageDecodeImages);
        for (const c of await page.evaluate(inPageChartImages)) {
          const small = chartTextPx(root, origin, c);
          if (small.error) f('chart-text-320', `${c.el}: ${small.error}`);
          else if (small.px < MIN_CHART_TEXT_PX) {
            f('chart-text-320', `${c.el} shows ${small.file} ${Math.round(c.width)}px wide at a ${REFLOW_WIDTH}px viewport: its ${small.size}-unit text is ${small.px.toFixed(1)}px (must be >= ${MIN_CHART_TEXT_PX})`);
          }
        }

        // Dates: one in words on every page, none in ISO form in the prose.
        const dates = await page.evaluate(inPageDates);
        if (!dates.inWords) f('date-in-words', 'no date in words ("16 July 2001") on the page: it must say when it was published');
        if (dates.iso.length) f('iso-date', `ISO dates in the page's text outside data tables: ${dates.iso.join(', ')} (write dates in words)`);

        // Printed chapters: charts at the text's width, their numbers printed.
        if (/^report\/.+\/index\.html$/.test(rel)) {
          await page.emulateMedia({ media: 'print' });
          const m = await page.evaluate(inPagePageMargins);
          const pxPerMM = 96 / 25.4;
          await page.setViewportSize({ width: Math.round((210 - m.left - m.right) * pxPerMM), height: 1000 });
          for (const c of await page.evaluate(inPagePrintedCharts)) {
            if (c.widthMM < MIN_PRINT_CHART_MM) f('print-chart', `figure#${c.id} prints ${c.widthMM} mm wide (must be >= ${MIN_PRINT_CHART_MM} mm)`);
            if (!c.table) f('print-chart', `figure#${c.id} prints without its table of numbers`);
          }
          await page.emulateMedia({ media: null });
          await page.setViewportSize(PHONE);
        }

        if (isSummary) {
          // The summary is read on phones: axe again at 320 px, where target
          // sizes and spacing change.
          reportAxe(await page.evaluate(inPageAxe, AXE_TAGS), ` (at ${REFLOW_WIDTH}px wide)`);
          if (opened > 0) {
            await page.evaluate(() => {
              for (const d of document.querySelectorAll('details[data-evalsite-opened]')) d.open = false;
            });
          }
          if (shots) await page.screenshot({ path: path.join(shots, 'index-320.png'), fullPage: true });
          await page.setViewportSize(DESKTOP);
          // The wide drawings again, loaded before printing.
          await page.evaluate(inPageDecodeImages);
          const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
          if (shots) await fsp.writeFile(path.join(shots, 'index-print.pdf'), pdf);
          const n = countPDFPages(pdf);
          if (n !== 1) {
            // What does not fit? A hint for whoever trims the print stylesheet,
            // from the print layout at the width of the A4 page's content box.
            await page.emulateMedia({ media: 'print' });
            const m = await page.evaluate(inPagePageMargins);
            const pxPerMM = 96 / 25.4;
            await page.setViewportSize({ width: Math.round((210 - m.left - m.right) * pxPerMM), height: 1000 });
            const over = await page.evaluate(inPagePrintOverflow, (297 - m.top - m.bottom) * pxPerMM);
            await page.emulateMedia({ media: null });
            const first = over.first ? `; the first content past one page is ${over.first.el}, ending ${over.first.bottomMM} mm down` : '';
            f('print-a4', `the summary prints on ${n} A4 pages, must be 1: its print layout is about ${over.heightMM} mm tall, one A4 page holds ${Math.round(297 - m.top - m.bottom)} mm within its @page margins${first}`);
          }
        }
      } catch (e) {
        f('check-error', `could not check the page: ${e.message}`);
      }
    }
    current = '(browser)';

    // Opened from disk: people open a built site from a folder or a zip, and
    // relative URLs are there for that. Only noted, not failed: the brief of
    // this check is the served site.
    if (pages.includes('index.html')) {
      for (const n of await fileNotes(context, root)) {
        const message = oneLine(`opened from disk (file://): ${n}`, 600);
        notes.push({ page: 'index.html', message });
        log(`NOTE index.html: ${message}`);
      }
    }

    // Search: an authority, a department and a theme, each found by its
    // name, over HTTP and from disk.
    if (!only && pages.includes('search/index.html')) {
      for (const fl of await searchFailures(context, root, origin)) fail('search/index.html', 'search', fl);
    }

    // Fragments, once every page's ids are known.
    for (const fr of fragmentRefs) {
      const ids = idsByPage.get(fr.target);
      if (!ids) continue; // not a page checked in this run
      if (ids.has(fr.id) || fr.id.toLowerCase() === 'top') continue;
      fail(fr.page, 'broken-link', `${fr.el} points to #${fr.id}, but ${fr.target} has no element with that id`);
    }

    if (!only && xssProbe && probeShownOn === null) {
      fail('(site)', 'xss-probe', `no page shows the text ${JSON.stringify(xssProbe)}: the injected-script check had nothing to catch (the example data should hold it in a cleared excerpt; set EVALSITE_XSS_PROBE= to skip this for another site)`);
    }
    await context.close();
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  const order = new Map(pages.map((p, i) => [p, i]));
  const rank = (p) => (order.has(p) ? order.get(p) : pages.length);
  failures.sort((a, b) => rank(a.page) - rank(b.page));
  return { pages, failures, notes };
}

// fileNotes opens the site's index.html from disk and returns what went
// wrong there: console errors, and stylesheets that did not apply.
async function fileNotes(context, root) {
  const notes = [];
  const page = await context.newPage();
  try {
    page.on('console', (m) => {
      if (m.type() === 'error') notes.push(m.text());
    });
    page.on('pageerror', (e) => notes.push(e.message));
    await page.goto('file://' + path.join(root, 'index.html'), { waitUntil: 'load' });
    const { links, sheets } = await page.evaluate(() => ({
      links: document.querySelectorAll('link[rel~="stylesheet"]').length,
      sheets: [...document.styleSheets].filter((s) => s.ownerNode && s.ownerNode.tagName === 'LINK').length,
    }));
    if (sheets < links) notes.push(`${links - sheets} of ${links} stylesheets did not apply: the page shows unstyled`);
  } catch (e) {
    notes.push(`could not open it: ${e.message}`);
  } finally {
    await page.close().catch(() => {});
  }
  return notes;
}

// searchFailures types the name of the first agreement, department and theme
// of the site into its search page, over HTTP and opened from disk, and
// returns what went wrong: a name that finds nothing, or whose result does not
// link to the page with that name.
async function searchFailures(context, root, origin) {
  const out = [];
  const firstTitle = (section) => {
    const dir = path.join(root, section);
    if (!fs.existsSync(dir)) return null;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(dir, e.name, 'index.html');
      if (!e.isDirectory() || !fs.existsSync(f)) continue;
      const m = /<h1[^>]*>([^<]+)<\/h1>/.exec(fs.readFileSync(f, 'utf8'));
      if (m) return { title: m[1].replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').trim(), file: `${section}/${e.name}/index.html` };
    }
    return null;
  };
  const wants = ['agreements', 'departments', 'themes'].map(firstTitle).filter(Boolean);
  if (wants.length === 0) return ['no agreement, department or theme page to search for'];
  const page = await context.newPage();
  try {
    for (const [how, url] of [['over HTTP', origin + '/search/'], ['from disk', 'file://' + path.join(root, 'search', 'index.html')]]) {
      const errors = [];
      page.removeAllListeners('pageerror');
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      for (const w of wants) {
        await page.fill('#search-q', '');
        await page.type('#search-q', w.title);
        await page.keyboard.press('Enter');
        const hrefs = await page.$$eval('#search-results a', (as) => as.map((a) => a.href));
        const found = hrefs.some((h) => {
          try {
            const u = new URL(h);
            const p = u.protocol === 'file:' ? path.relative(root, decodeURIComponent(u.pathname)).split(path.sep).join('/') : siteFile(root, u.pathname);
            return p === w.file;
          } catch {
            return false;
          }
        });
        if (!found) out.push(`${how}: searching for "${w.title}" does not find ${w.file} (results: ${hrefs.slice(0, 5).join(', ') || 'none'})`);
      }
      for (const e of errors) out.push(`${how}: page error ${e}`);
    }
  } catch (e) {
    out.push(`could not use the search page: ${e.message}`);
  } finally {
    await page.close().catch(() => {});
  }
  return out;
}

// checkRef checks one link or asset reference of page rel.
function checkRef(root, origin, rel, r, f, fragmentRefs) {
  const what = `${r.el} ${r.attr}="${r.raw}"`;
  if (r.abs === null) {
    f('broken-link', `${what} is not a valid URL`);
    return;
  }
  const u = new URL(r.abs);
  if (u.protocol === 'javascript:') {
    f('broken-link', `${what} is a javascript: URL`);
    return;
  }
  if (u.origin !== origin) return; // other hosts and schemes are not fetched
  if (/^\/(?!\/)/.test(r.raw)) {
    f('broken-link', `${what} is root-relative: it breaks when the site is published in a sub-folder; use a relative URL`);
  }
  const target = siteFile(root, u.pathname);
  if (target === null) {
    f('broken-link', `${what} -> ${decodeURIComponentSafe(u.pathname)} does not exist in the site`);
    return;
  }
  if (r.isLink && /\/$/.test(r.raw.replace(/[?#].*$/, ''))) {
    f('disk-link', `${what} names a folder: opened from disk (file://) it shows a folder listing, not the page; link to its index.html`);
  }
  if (r.isLink && u.hash.length > 1 && /\.html?$/i.test(target)) {
    fragmentRefs.push({ page: rel, target, id: decodeURIComponentSafe(u.hash.slice(1)), el: what });
  }
}

// chartTextPx reads the chart drawing an img shows and returns the size of its
// smallest text in CSS px as shown: {px, size, file}, or {error}.
function chartTextPx(root, origin, c) {
  let u;
  try {
    u = new URL(c.src);
  } catch {
    return { error: `no drawing shown (src "${c.src}")` };
  }
  if (u.origin !== origin) return { error: `drawing ${c.src} is not from the site` };
  const file = siteFile(root, u.pathname);
  if (file === null) return { error: `drawing ${u.pathname} does not exist in the site` };
  const svg = fs.readFileSync(path.join(root, file), 'utf8');
  const vb = /viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) /.exec(svg);
  if (!vb) return { error: `${file} has no viewBox` };
  const sizes = [...svg.matchAll(/font-size:\s*([0-9.]+)px/g)].map((m) => Number(m[1]));
  if (sizes.length === 0) return { px: Infinity, size: 0, file };
  const size = Math.min(...sizes);
  return { px: (size * c.width) / Number(vb[1]), size, file };
}

function decodeURIComponentSafe(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function main(argv) {
  const args = argv.slice(2);
  if (args.length < 1 || args[0] === '-h' || args[0] === '--help') {
    process.stderr.write('usage: node check.js SITE_DIR [PAGE...]\n');
    return 2;
  }
  const [siteDir, ...only] = args;
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) {
    process.stderr.write(`browser-check: ${siteDir} is not a folder (build the site first)\n`);
    return 2;
  }
  const env = process.env;
  const shots = env.EVALSITE_SHOTS === undefined ? '/tmp/evalsite-shots' : env.EVALSITE_SHOTS;
  let result;
  try {
    result = await checkSite(siteDir, {
      chromium: env.EVALSITE_CHROMIUM || '/usr/bin/chromium',
      shots,
      xssProbe: env.EVALSITE_XSS_PROBE,
      only,
      log: (line) => process.stdout.write(line + '\n'),
    });
  } catch (e) {
    process.stderr.write(`browser-check: ${e.message}\n`);
    return 2;
  }
  const failedPages = new Set(result.failures.map((x) => x.page).filter((p) => result.pages.includes(p)));
  const axeVersion = require('axe-core/package.json').version;
  process.stdout.write(`browser-check: ${result.pages.length} pages of ${siteDir} checked with axe-core ${axeVersion} (${AXE_TAGS.join(', ')})\n`);
  if (shots) process.stdout.write(`browser-check: screenshots and print PDF of index.html in ${shots}\n`);
  process.stdout.write(`browser-check: ${result.failures.length} failures, ${result.notes.length} notes\n`);
  process.stdout.write(`pages: ${result.pages.length - failedPages.size} passed, ${failedPages.size} failed\n`);
  return result.failures.length === 0 ? 0 : 1;
}

module.exports = { checkSite, countPDFPages, pageURLPath, resolveInSite, AXE_TAGS, MIN_CHART_TEXT_PX };

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`browser-check: ${e.stack || e}\n`);
      process.exit(2);
    },
  );
}
