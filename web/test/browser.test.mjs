// Drives /explore and GraphiQL in Debian's Chromium (playwright-core, no downloaded browser)
// against a live server on the bundled data ($CYBERTRADE_URL, see scripts/with-server.sh), and
// checks every view against the API: the table's rows equal totalCount, each matrix cell equals
// stats, a cell lists exactly its moves, a case lists replies after what they answer, search
// finds LinkedIn, GraphiQL runs its default query with no request leaving the machine, no
// console errors, and axe-core finds no serious or critical accessibility violation.
// Screenshots of every view go to web/screenshots/ (SCREENSHOTS to change).
//
//   scripts/with-server.sh node --test web/test/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.env.CYBERTRADE_URL;
if (!base) throw new Error('CYBERTRADE_URL is not set: run under scripts/with-server.sh');
const shots = process.env.SCREENSHOTS || path.join(here, '..', 'screenshots');
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MAX_COST = 10000; // an anonymous client's per-request cost limit (internal/limits)

let browser;
let context;
const problems = []; // console errors, page errors, refused requests, costly answers
const costs = []; // extensions.cost of every GraphQL answer the pages received

before(async () => {
  await mkdir(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Nothing may leave the machine: any request to a host that is not local fails (and is noted).
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname)) return route.continue();
    problems.push(`request left the machine: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
});

after(async () => {
  await browser?.close();
});

async function api(query, variables = {}) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  assert.ok(!body.errors, JSON.stringify(body.errors));
  return body.data;
}

/** Opens a page, watching its console, errors and the cost of each GraphQL answer. */
async function open(url) {
  const page = await context.newPage();
  const seen = [];
  page.on('console', (m) => { if (m.type() === 'error') seen.push(`console error on ${url}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.push(`page error on ${url}: ${e.message}`));
  page.on('response', async (r) => {
    if (!r.url().endsWith('/graphql') || r.request().method() !== 'POST') return;
    try {
      const b = await r.json();
      if (b.errors) seen.push(`GraphQL errors on ${url}: ${JSON.stringify(b.errors)}`);
      if (typeof b.extensions?.cost === 'number') costs.push(b.extensions.cost);
      if (typeof b.extensions?.cost === 'number' && b.extensions.cost > MAX_COST / 2) seen.push(`a request on ${url} cost ${b.extensions.cost}`);
    } catch { /* page closed */ }
  });
  await page.goto(base + url);
  return { page, seen };
}

async function ready(page, view) {
  await page.waitForFunction((v) => document.body.dataset.view === v && document.body.dataset.ready === 'true', view, { timeout: 20000 });
  await page.waitForSelector('footer#dataset cite');
}

async function axe(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${what}`);
}

async function finish(page, seen, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
  assert.deepEqual(seen, [], `problems on ${name}`);
  await page.close();
}

const TOTAL = `query T($filter: ResponseFilter) { responses(filter: $filter) { totalCount } }`;

test('the DEFY table lists exactly the API\'s DEFY responses, with replies and case links', async () => {
  const { page, seen } = await open('/explore');
  await ready(page, 'table');
  const { responses } = await api(TOTAL, { filter: { options: ['DEFY'] } });
  assert.ok(responses.totalCount > 0);
  assert.equal(await page.locator('#responses tbody tr').count(), responses.totalCount);
  assert.equal(await page.getAttribute('[data-total]', 'data-total'), String(responses.totalCount));
  const caseLinks = await page.locator('#responses tbody tr td:last-child a[href^="#/case/"]').count();
  assert.equal(caseLinks, responses.totalCount, 'each row links to its case');
  await axe(page, 'the table');
  await finish(page, seen, 'table');
});

test('the table\'s filters answer "every COMPROMISE in Europe"', async () => {
  const { page, seen } = await open('/explore#/table?option=COMPROMISE&country=region:Europe');
  await ready(page, 'table');
  const { countries } = await api(`{ countries(filter: {regions: ["Europe"]}, first: 100) { nodes { code } } }`);
  const { responses } = await api(TOTAL, { filter: { options: ['COMPROMISE'], countries: countries.nodes.map((c) => c.code) } });
  assert.equal(await page.locator('#responses tbody tr').count(), responses.totalCount);
  // The years filter through the form, with the keyboard.
  await page.fill('#from', '2017');
  await page.fill('#to', '2018');
  await page.press('#to', 'Enter');
  await page.waitForFunction(() => location.hash.includes('from=2017'));
  await ready(page, 'table');
  const ranged = await api(TOTAL, { filter: { options: ['COMPROMISE'], countries: countries.nodes.map((c) => c.code), from: '2017-01-01', to: '2018-12-31' } });
  assert.equal(await page.locator('#responses tbody tr').count(), ranged.responses.totalCount);
  await finish(page, seen, 'table-compromise-europe');
});

test('each matrix cell equals stats, and a cell lists exactly its moves', async () => {
  const { stats } = await api(`{ stats { actionResponseMatrix { countryOption responses { option count } } } }`);
  const { page, seen } = await open('/explore#/matrix');
  await ready(page, 'matrix');
  await page.waitForSelector('#heatmap canvas');
  let cells = 0;
  let best = null;
  for (const row of stats.actionResponseMatrix) {
    for (const c of row.responses) {
      const shown = await page.getAttribute(`button.cell[data-country="${row.countryOption}"][data-company="${c.option}"]`, 'data-count');
      assert.equal(shown, String(c.count), `${row.countryOption} → ${c.option}`);
      cells++;
      if (!best || c.count > best.count) best = { co: row.countryOption, ro: c.option, count: c.count };
    }
  }
  assert.equal(cells, 30);
  // With the keyboard: focus the cell's button and press Enter.
  await page.focus(`button.cell[data-country="${best.co}"][data-company="${best.ro}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#cell-table');
  await ready(page, 'matrix');
  assert.equal(await page.locator('#cell-table tbody tr').count(), best.count);
  assert.match(await page.textContent('#cell-moves h2'), new RegExp(`${best.co} → ${best.ro}: ${best.count} moves`));
  await axe(page, 'the matrix');
  await finish(page, seen, 'matrix');
});

test('a click on the heatmap itself lists that cell', async () => {
  const { page, seen } = await open('/explore#/matrix');
  await ready(page, 'matrix');
  await page.waitForSelector('#heatmap canvas');
  await page.locator('#heatmap').scrollIntoViewIfNeeded();
  const box = await page.locator('#heatmap').boundingBox();
  // Click the drawn cell with the most responses.
  const cells = JSON.parse(await page.getAttribute('#heatmap', 'data-cells'));
  const counts = await Promise.all(cells.map(([co, ro]) => page.getAttribute(`button.cell[data-country="${co}"][data-company="${ro}"]`, 'data-count')));
  const top = cells[counts.map(Number).indexOf(Math.max(...counts.map(Number)))];
  assert.ok(Math.max(...counts.map(Number)) > 0);
  await page.mouse.click(box.x + top[2], box.y + top[3]);
  await page.waitForFunction(() => location.hash.includes('cell='));
  await page.waitForSelector('#cell-table');
  await ready(page, 'matrix');
  const [co, ro] = decodeURIComponent(new URL(page.url()).hash.split('cell=')[1]).split(',');
  assert.deepEqual([co, ro], top.slice(0, 2), 'the click chose the cell under the mouse');
  const expected = await page.getAttribute(`button.cell[data-country="${co}"][data-company="${ro}"]`, 'data-count');
  assert.equal(String(await page.locator('#cell-table tbody tr').count()), expected);
  await finish(page, seen, 'matrix-click');
});

test('a case timeline lists every reply after what it answers, with sources', async () => {
  const { page, seen } = await open('/explore#/case/linkedin-in-russia');
  await ready(page, 'case');
  const { case: c } = await api(`{ case(slug: "linkedin-in-russia") { moves(first: 100) { totalCount nodes { slug inReplyTo { slug } } } } }`);
  const order = await page.$$eval('#timeline > li', (lis) => lis.map((li) => ({ slug: li.dataset.slug, answers: li.dataset.answers.split(' ').filter(Boolean) })));
  assert.equal(order.length, c.moves.totalCount);
  const at = new Map(order.map((m, i) => [m.slug, i]));
  let replies = 0;
  for (const [i, m] of order.entries()) {
    for (const s of m.answers) {
      if (!at.has(s)) continue; // answers a move of another case
      assert.ok(at.get(s) < i, `${m.slug} is listed before ${s}, which it answers`);
      replies++;
    }
  }
  assert.ok(replies > 0, 'the case has replies');
  assert.equal(await page.locator('svg.arrows path[data-from]').count(), replies, 'one arrow per reply');
  assert.ok(await page.locator('#timeline ul.sources a[href^="http"]').count() >= order.length, 'every move shows its sources');
  assert.ok(await page.locator('#timeline .confidence').count() === order.length);
  await axe(page, 'a case');
  await finish(page, seen, 'case');
});

test('the network draws the moves and a node opens its page', async () => {
  const { page, seen } = await open('/explore#/network');
  await ready(page, 'network');
  await page.waitForSelector('#network canvas');
  const { moves } = await api(`{ moves { totalCount } }`);
  assert.equal(await page.getAttribute('[data-total]', 'data-total'), String(moves.totalCount));
  assert.ok(Number(await page.getAttribute('[data-edges]', 'data-edges')) > 0);
  await axe(page, 'the network');
  await page.screenshot({ path: path.join(shots, 'network.png') });
  // Filtered by option: only DEFY moves.
  await page.selectOption('#net-option', 'DEFY');
  await page.waitForFunction(() => location.hash.includes('option=DEFY'));
  await ready(page, 'network');
  const defy = await api(TOTAL, { filter: { options: ['DEFY'] } });
  assert.equal(await page.getAttribute('[data-total]', 'data-total'), String(defy.responses.totalCount));
  // A click on a drawn node opens its page: its timeline and counts.
  const drawn = JSON.parse(await page.getAttribute('#network', 'data-nodes'));
  const linkedin = drawn.find(([href]) => href === '#/company/linkedin');
  assert.ok(linkedin, 'LinkedIn is drawn in the DEFY network');
  await page.locator('#network').scrollIntoViewIfNeeded();
  const box = await page.locator('#network').boundingBox();
  await page.mouse.click(box.x + linkedin[1], box.y + linkedin[2]);
  await page.waitForFunction(() => location.hash === '#/company/linkedin');
  await ready(page, 'company');
  assert.equal(await page.textContent('h1'), 'LinkedIn');
  const { company } = await api(`{ company(slug: "linkedin") { responses { totalCount } } }`);
  const listed = await page.locator('#entity-timeline li').count();
  assert.ok(listed >= company.responses.totalCount && listed > 0);
  await axe(page, 'a company');
  await page.screenshot({ path: path.join(shots, 'company.png') });
  await page.goto(`${base}/explore#/country/RU`);
  await ready(page, 'country');
  assert.match(await page.textContent('h1'), /Russia/);
  await finish(page, seen, 'country');
});

test('search finds LinkedIn', async () => {
  const { page, seen } = await open('/explore');
  await ready(page, 'table');
  await page.fill('#search-input', 'LinkedIn');
  await page.press('#search-input', 'Enter');
  await ready(page, 'search');
  const text = await page.textContent('#results');
  assert.match(text, /LinkedIn/);
  assert.ok(await page.locator('#results a[href="#/company/linkedin"]').count() >= 1);
  // The footer's links (download, schema) lead somewhere.
  for (const href of await page.$$eval('footer#dataset a[href^="/"]', (as) => as.map((a) => a.getAttribute('href')))) {
    assert.equal((await fetch(base + href)).status, 200, href);
  }
  await axe(page, 'search');
  await finish(page, seen, 'search');
});

test('GraphiQL runs the DEFY question offline, with the explorer plugin', async () => {
  const { page, seen } = await open('/');
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  const editor = await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue());
  assert.match(editor, /# Every company that chose DEFY/);
  assert.ok(await page.locator('button[aria-label="Show GraphiQL Explorer"], button[aria-label*="Explorer"]').count() >= 1, 'the explorer plugin is on');
  const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && (r.request().postData() || '').includes('DEFY'));
  await page.click('.graphiql-execute-button');
  const res = await answer;
  const body = await res.json();
  const { responses } = await api(TOTAL, { filter: { options: ['DEFY'] } });
  assert.equal(body.data.responses.totalCount, responses.totalCount);
  await page.waitForFunction(() => (document.querySelector('.result-window')?.textContent || '').includes('totalCount'));
  await page.screenshot({ path: path.join(shots, 'graphiql.png') });
  assert.deepEqual(seen, [], 'problems on GraphiQL');
  await page.close();
});

test('on a phone-sized screen every view fits the width (wide tables scroll inside their box)', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  const page = await phone.newPage();
  for (const [hash, view] of [['#/table', 'table'], ['#/matrix?cell=IMPORT_BARRIER,DEFY', 'matrix'], ['#/case/linkedin-in-russia', 'case'], ['#/network', 'network'], ['#/search?q=LinkedIn', 'search']]) {
    await page.goto(`${base}/explore${hash}`);
    await ready(page, view);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${hash} is ${width}px wide on a 390px screen`);
    await page.screenshot({ path: path.join(shots, `phone-${view}.png`) });
  }
  await phone.close();
});

test('nothing left the machine, and every request stayed within an anonymous client\'s cost limit', () => {
  assert.deepEqual(problems, []);
  assert.ok(costs.length > 10);
  console.log(`${costs.length} GraphQL requests from the pages; highest cost ${Math.max(...costs)} (limit ${MAX_COST}), total ${costs.reduce((a, b) => a + b, 0)}`);
});
