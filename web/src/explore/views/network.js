// The network: countries and companies as nodes, moves as edges coloured by option (an action
// runs from the country to each company it targets, a response from the company to the country
// it answers), filterable by option, country and years. Choosing a node opens its page.
import cytoscape from 'cytoscape';
import { page, pageAll } from '../api.js';
import { h, mount, select, OPTION_COLOURS, COUNTRY_OPTIONS, COMPANY_OPTIONS } from '../dom.js';
import { countryChoices, countryOptions, countryCodes, yearBounds, setParams } from './filters.js';

export const NETWORK_QUERY = `query Network($filter: MoveFilter, $first: Int, $after: String) {
  moves(filter: $filter, first: $first, after: $after) {
    ${page(`
      __typename slug date title
      ... on CountryAction { countryOption: option country { code name } targetCompanies { slug name } }
      ... on CompanyResponse { companyOption: option company { slug name } country { code name } }
    `)}
  }
}`;

let cy = null;

export async function networkView(view, params, alive = () => true) {
  const choices = await countryChoices();
  const option = params.get('option') || '';
  const filter = { ...yearBounds(params.get('from'), params.get('to')) };
  if (COUNTRY_OPTIONS.includes(option)) filter.countryOptions = [option];
  if (COMPANY_OPTIONS.includes(option)) filter.companyOptions = [option];
  const codes = countryCodes(params.get('country') || '', choices);
  if (codes) filter.countries = codes;
  const { totalCount, nodes: moves } = await pageAll(NETWORK_QUERY, { filter }, (d) => d.moves);
  if (!alive()) return;

  // One edge per (from, to, option), as wide as the moves it stands for.
  const nodes = new Map();
  const links = new Map();
  const node = (id, label, kind, href) => nodes.has(id) || nodes.set(id, { data: { id, label, kind, href } });
  const edge = (source, target, option) => {
    const id = `${source}>${target}>${option}`;
    const e = links.get(id) || { data: { id, source, target, option, colour: OPTION_COLOURS[option], moves: 0 } };
    e.data.moves++;
    e.data.width = 1 + Math.min(6, e.data.moves - 1);
    links.set(id, e);
  };
  for (const m of moves) {
    if (m.__typename === 'CountryAction') {
      const c = `country:${m.country.code}`;
      node(c, m.country.name, 'country', `#/country/${encodeURIComponent(m.country.code)}`);
      for (const t of m.targetCompanies) {
        const co = `company:${t.slug}`;
        node(co, t.name, 'company', `#/company/${encodeURIComponent(t.slug)}`);
        edge(c, co, m.option);
      }
    } else {
      const co = `company:${m.company.slug}`;
      const c = `country:${m.country.code}`;
      node(co, m.company.name, 'company', `#/company/${encodeURIComponent(m.company.slug)}`);
      node(c, m.country.name, 'country', `#/country/${encodeURIComponent(m.country.code)}`);
      edge(co, c, m.option);
    }
  }
  const edges = [...links.values()];

  const form = h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
    select('net-option', 'Option', [['', 'Any option'], { label: 'Country options', options: COUNTRY_OPTIONS.map((o) => [o, o]) }, { label: 'Company options', options: COMPANY_OPTIONS.map((o) => [o, o]) }], option, () => apply()),
    select('net-country', 'Country', countryOptions(choices), params.get('country') || '', () => apply()),
    h('span', { class: 'field' }, h('label', { for: 'net-from' }, 'From year'), h('input', { id: 'net-from', type: 'number', min: 1990, max: 2100, value: params.get('from') || '' })),
    h('span', { class: 'field' }, h('label', { for: 'net-to' }, 'To year'), h('input', { id: 'net-to', type: 'number', min: 1990, max: 2100, value: params.get('to') || '' })),
    h('button', { type: 'submit' }, 'Apply'));
  function apply() {
    setParams('network', { option: form.querySelector('#net-option').value, country: form.querySelector('#net-country').value, from: form.querySelector('#net-from').value, to: form.querySelector('#net-to').value });
  }

  const graphEl = h('div', { class: 'network', id: 'network', role: 'img', 'aria-label': `Network of ${nodes.size} countries and companies linked by ${totalCount} moves; the same nodes are listed below as links.` });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Edge colours' }, [...COUNTRY_OPTIONS, ...COMPANY_OPTIONS].map((o) => h('li', {}, h('span', { class: 'swatch', style: `background:${OPTION_COLOURS[o]}` }), o)));
  const sorted = [...nodes.values()].map((n) => n.data).sort((a, b) => a.label.localeCompare(b.label));
  const list = (kind, title) => h('div', {}, h('h3', {}, title), h('ul', { class: 'node-list' }, sorted.filter((n) => n.kind === kind).map((n) => h('li', {}, h('a', { href: n.href }, n.label)))));

  mount(view,
    h('h1', {}, 'Who moved against whom'),
    h('p', { class: 'lead' }, 'Countries (squares) and companies (circles); moves are edges coloured by option, wider for more moves: an action runs from the country to each company it targets, a response from the company to the country it answers. Choose a node to open its page.'),
    form,
    h('p', { class: 'count', role: 'status', dataset: { total: totalCount, edges: edges.length, nodes: nodes.size } }, `${totalCount} moves · ${nodes.size} countries and companies · ${edges.length} links`),
    graphEl, legend,
    h('div', { class: 'count-grid' }, list('country', 'Countries'), list('company', 'Companies')));

  cy?.destroy();
  cy = cytoscape({
    container: graphEl,
    elements: [...nodes.values(), ...edges],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 14, height: 14, 'background-color': '#1e293b' } },
      { selector: 'node[kind = "country"]', style: { shape: 'round-rectangle', 'background-color': '#0369a1', width: 18, height: 18 } },
      { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.7, opacity: 0.8 } },
    ],
    layout: { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 90, nodeOverlap: 20, gravity: 60, numIter: 1500 },
    wheelSensitivity: 0.3,
  });
  cy.on('tap', 'node', (e) => { location.hash = e.target.data('href'); });
  // Where each node is drawn (in the container's pixels), for tests that click the picture.
  const mapNodes = () => { graphEl.dataset.nodes = JSON.stringify(cy.nodes().map((n) => [n.data('href'), Math.round(n.renderedPosition().x), Math.round(n.renderedPosition().y)])); };
  mapNodes();
  cy.on('viewport resize', mapNodes);
}
