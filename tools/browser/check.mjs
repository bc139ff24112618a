// check.mjs loads pages in headless Chromium and checks each with axe-core.
//
// It reads one JSON job on stdin:
//
//   {"chromium": "/usr/bin/chromium",
//    "pages": [{"name": "home", "url": "http://127.0.0.1:8080/",
//               "cookies": [{"name": "session", "value": "..."}],
//               "viewport": {"width": 360, "height": 740},
//               "screenshot": "/path/of/window.png", "screenshot_at": "#part",
//               "actions": [{"do": "fill", "selector": "#q", "value": "x"},
//                           {"do": "click", "selector": "button"}]}]}
//
// and prints one JSON result on stdout:
//
//   {"pages": [{"name", "url", "final_url", "status", "bytes", "third_party": [...],
//               "console_errors": [...], "violations": [...], "overflow", "error"}]}
//
// It is driven by internal/browsertest; the Go side decides what fails.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// axe-core comes from node_modules, never from the network.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The rule sets checked: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// This machine's network is closed: without these flags Chromium keeps trying
// to reach Google's hosts in the background. --no-sandbox because tests run as root.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const job = JSON.parse(readFileSync(0, 'utf8'));

// Playwright's launch gives Chromium a fresh, empty --user-data-dir of its own
// and removes it on close.
const browser = await chromium.launch({
  executablePath: job.chromium || '/usr/bin/chromium',
  headless: true,
  args: chromiumArgs,
});
try {
  const pages = [];
  for (const p of job.pages) {
    pages.push(await checkPage(browser, p));
  }
  process.stdout.write(JSON.stringify({ pages }) + '\n');
} finally {
  await browser.close();
}

async function checkPage(browser, spec) {
  const result = {
    name: spec.name, url: spec.url, final_url: '', status: 0, bytes: 0,
    third_party: [], console_errors: [], violations: [], overflow: 0, error: '',
  };
  const host = new URL(spec.url).host;
  // Each page gets its own context, so cookies never leak between pages.
  const context = await browser.newContext({ // French first, as the site's visitors
    locale: 'fr-FR', ...(spec.viewport ? { viewport: spec.viewport } : {}),
  });
  try {
    if (spec.cookies?.length) {
      // For the whole site (path /), as the site sets its own: a cookie set
      // for the page's URL would have that URL's directory as its path, and
      // a form posting elsewhere would go without it.
      const site = new URL('/', spec.url).href;
      await context.addCookies(spec.cookies.map((c) => (c.domain ? c : { ...c, url: site })));
    }
    const page = await context.newPage();
    page.setDefaultTimeout(15000);

    // Sizes arrive asynchronously; a new main-frame navigation starts a new count,
    // so the budget applies to the page that is finally checked.
    let sizes = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host !== host) {
        result.third_party.push(req.url());
      }
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) sizes = [];
    });
    page.on('requestfinished', (req) => {
      sizes.push(req.sizes().then((s) => s.responseHeadersSize + s.responseBodySize, () => 0));
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) result.status = res.status();
    });
    page.on('console', (msg) => {
      // Chromium asks for /favicon.ico by itself, at a moment of its choosing,
      // so whether its 404 is seen is a matter of timing: leave it out.
      if (msg.type() !== 'error' || msg.location().url.endsWith('/favicon.ico')) return;
      result.console_errors.push(msg.text());
    });
    page.on('pageerror', (err) => result.console_errors.push(String(err)));

    await page.goto(spec.url, { waitUntil: 'load' });
    for (const a of spec.actions || []) {
      await act(page, a);
      await page.waitForLoadState('load');
    }
    result.final_url = page.url();
    if (spec.screenshot) {
      if (spec.screenshot_at) await page.$eval(spec.screenshot_at, (el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: spec.screenshot });
    }

    result.overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    result.violations = await runAxe(page);
    result.bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  } catch (err) {
    result.error = String(err.message || err).split('\n')[0];
  } finally {
    await context.close();
  }
  return result;
}

async function act(page, a) {
  switch (a.do) {
    case 'click': return page.click(a.selector);
    case 'fill': return page.fill(a.selector, a.value ?? '');
    case 'check': return page.check(a.selector);
    case 'select': return page.selectOption(a.selector, a.value ?? '');
    case 'press': return page.press(a.selector || 'body', a.value);
    case 'upload': return page.setInputFiles(a.selector, a.value);
    // wait: until the selector shows, the page having reloaded itself meanwhile if it must.
    case 'wait': return page.waitForSelector(a.selector, {timeout: Number(a.value) || 60000});
    default: throw new Error(`unknown action ${JSON.stringify(a.do)}`);
  }
}

async function runAxe(page) {
  // Evaluated through the DevTools protocol rather than added as a <script> tag:
  // a page's Content-Security-Policy would block an inline tag, and bypassing
  // CSP for the whole page would hide the page's own CSP violations.
  await page.evaluate(`${axeSource}\n;undefined`);
  const res = await page.evaluate(
    (tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    }),
    axeTags,
  );
  return res.violations.map((v) => ({
    id: v.id,
    impact: v.impact || '',
    help: v.help,
    help_url: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html })),
  }));
}
