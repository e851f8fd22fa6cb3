// The DEFY question as a table: every response with a company option (DEFY by default), the
// country it answered, when, by what instrument, and what the country did in return.
import { page, pageAll } from '../api.js';
import { h, mount, status, badge, caseLink, companyLink, countryLink, select, COMPANY_OPTIONS } from '../dom.js';
import { countryChoices, countryOptions, countryCodes, yearBounds, setParams } from './filters.js';

export const TABLE_QUERY = `query Responses($filter: ResponseFilter, $first: Int, $after: String) {
  responses(filter: $filter, first: $first, after: $after) {
    ${page(`
      slug date instrument title option
      company { slug name }
      country { code name }
      case { slug title }
      replies { __typename ... on CountryAction { slug countryOption: option date title instrument } ... on CompanyResponse { slug companyOption: option date title instrument } }
    `)}
  }
}`;

/** The API filter for the table's parameters. */
export function tableFilter(params, choices) {
  const option = optionOf(params);
  const filter = { ...yearBounds(params.get('from'), params.get('to')) };
  if (option) filter.options = [option];
  const codes = countryCodes(params.get('country') || '', choices);
  if (codes) filter.countries = codes;
  return filter;
}

/** The company option asked for: DEFY unless the link says another, '' for any. */
function optionOf(params) {
  const o = params.get('option') || 'DEFY';
  return o === 'any' ? '' : o;
}

export async function tableView(view, params, alive = () => true) {
  const choices = await countryChoices();
  const option = optionOf(params);
  const filter = tableFilter(params, choices);
  const { totalCount, nodes } = await pageAll(TABLE_QUERY, { filter }, (d) => d.responses);
  if (!alive()) return;

  const values = () => ({
    option: form.elements.option.value,
    country: form.elements.country.value,
    from: form.elements.from.value,
    to: form.elements.to.value,
  });
  const apply = (e) => { e?.preventDefault(); setParams('table', values()); };
  const form = h('form', { class: 'filters', onsubmit: apply, 'aria-label': 'Filters' },
    select('option', 'Company option', [['any', 'Any option'], ...COMPANY_OPTIONS.map((o) => [o, o])], option || 'any', apply),
    select('country', 'Country answered', countryOptions(choices), params.get('country') || '', apply),
    h('span', { class: 'field' }, h('label', { for: 'from' }, 'From year'), h('input', { id: 'from', name: 'from', type: 'number', min: 1990, max: 2100, inputmode: 'numeric', value: params.get('from') || '' })),
    h('span', { class: 'field' }, h('label', { for: 'to' }, 'To year'), h('input', { id: 'to', name: 'to', type: 'number', min: 1990, max: 2100, inputmode: 'numeric', value: params.get('to') || '' })),
    h('button', { type: 'submit' }, 'Apply'));

  const what = option ? `chose ${option}` : 'responded';
  const rows = nodes.map((n) => h('tr', { dataset: { slug: n.slug } },
    h('td', {}, companyLink(n.company)),
    h('td', {}, countryLink(n.country)),
    h('td', { class: 'nowrap' }, h('time', {}, n.date)),
    h('td', {}, option ? null : [badge(n.option), ' '], h('span', { class: 'instrument' }, n.instrument), h('div', { class: 'title' }, n.title)),
    h('td', {}, n.replies.length
      ? h('ul', { class: 'replies' }, n.replies.map((r) => h('li', {}, badge(r.option), ' ', h('time', {}, r.date), ' ', r.title)))
      : h('span', { class: 'muted' }, 'no reply recorded')),
    h('td', {}, caseLink(n.case))));

  mount(view,
    h('h1', {}, option === 'DEFY' ? 'Every company that defied a country, and what the country did in return' : `Every company that ${what}, and what the country did in return`),
    h('p', { class: 'lead' }, 'One row per company response; “Replies” are the country’s later moves that answered it. Filter by option, country (or a whole region) and years: “COMPROMISE” in “Europe (all)” lists every compromise in Europe.'),
    form,
    h('p', { class: 'count', role: 'status', dataset: { total: totalCount } }, `${totalCount} response${totalCount === 1 ? '' : 's'}`),
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Responses table' },
      h('table', { class: 'data', id: 'responses' },
        h('thead', {}, h('tr', {}, ['Company', 'Country', 'Date', 'Instrument and title', 'Replies (what the country did)', 'Case'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows))),
    nodes.length === 0 ? status('No response matches these filters.') : null);
}
