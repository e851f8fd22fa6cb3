// The /explore data explorer: a hash-routed page over the public GraphQL API only.
// Views: #/table (the DEFY question), #/matrix (action → response heatmap), #/network,
// #/case/<slug>, #/company/<slug>, #/country/<code>, #/search?q=…
import './style.css';
import { gql } from './api.js';
import { h, mount, errorBox, status } from './dom.js';
import { tableView } from './views/table.js';
import { caseView } from './views/case.js';
import { entityView } from './views/entity.js';
import { searchView } from './views/search.js';

const view = document.getElementById('view');

/** Parses '#/name/arg?x=1' into { name, arg, params }. */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [name = '', ...rest] = path.split('/');
  return { name: name || 'table', arg: decodeURIComponent(rest.join('/')), params: new URLSearchParams(query) };
}

const routes = {
  table: (r, alive) => tableView(view, r.params, alive),
  matrix: async (r, alive) => (await import('./views/matrix.js')).matrixView(view, r.params, alive),
  network: async (r, alive) => (await import('./views/network.js')).networkView(view, r.params, alive),
  case: (r, alive) => caseView(view, r.arg, alive),
  company: (r, alive) => entityView(view, 'company', r.arg, alive),
  country: (r, alive) => entityView(view, 'country', r.arg, alive),
  search: (r, alive) => searchView(view, r.params.get('q') || '', alive),
};

let current = 0;
async function route() {
  const r = parseHash(location.hash);
  const run = routes[r.name];
  const seq = ++current;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === r.name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!run) {
    mount(view, h('h1', {}, 'Not found'), h('p', {}, 'No such view. ', h('a', { href: '#/table' }, 'Back to the table')));
    return;
  }
  mount(view, status('Loading…'));
  document.body.dataset.view = r.name;
  document.body.dataset.ready = 'false';
  try {
    await run(r, () => seq === current);
  } catch (err) {
    if (seq === current) mount(view, errorBox(err));
  }
  if (seq === current) {
    document.body.dataset.ready = 'true';
    const title = view.querySelector('h1');
    document.title = `${title ? title.textContent + ' · ' : ''}cybertrade explorer`;
  }
}

document.getElementById('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = e.target.elements.q.value.trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

window.addEventListener('hashchange', () => {
  route();
  view.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});

// The dataset's version, licence and how to cite it, on every view.
async function footer() {
  const el = document.getElementById('dataset');
  try {
    const { dataset: d } = await gql(`{ dataset { title version license licenseUrl citation counts { cases actions responses } } }`);
    mount(el,
      h('p', {}, h('strong', {}, d.title), ` · version ${d.version} · `,
        h('a', { href: d.licenseUrl, rel: 'license' }, d.license), ` · ${d.counts.cases} cases, ${d.counts.actions} country actions, ${d.counts.responses} company responses · `,
        h('a', { href: '/export/dataset.json' }, 'download (JSON)'), ' · ',
        h('a', { href: '/export/datapackage.json' }, 'data package (CSV)'), ' · ',
        h('a', { href: '/export/releases/' }, 'releases'), ' · ', h('a', { href: '/schema.graphql' }, 'schema')),
      h('p', { class: 'cite' }, h('span', {}, 'Cite as: '), h('cite', {}, d.citation)));
  } catch (err) {
    mount(el, errorBox(err));
  }
}

footer();
route();
