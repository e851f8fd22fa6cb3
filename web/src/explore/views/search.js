// Full-text search over cases, moves, companies and products.
import { gql } from '../api.js';
import { h, mount, badge, caseLink, companyLink } from '../dom.js';

export const SEARCH_QUERY = `query Search($text: String!) {
  search(text: $text, first: 50) {
    totalCount
    edges { type node {
      __typename
      ... on Case { slug title summary }
      ... on CountryAction { slug title date countryOption: option case { slug title } }
      ... on CompanyResponse { slug title date companyOption: option case { slug title } }
      ... on Company { slug name description }
      ... on Product { slug name company { slug name } }
    } }
  }
}`;

export async function searchView(view, text, alive = () => true) {
  const input = document.getElementById('search-input');
  if (input && input.value !== text) input.value = text;
  if (!text) {
    mount(view, h('h1', {}, 'Search'), h('p', {}, 'Type words in the search box above.'));
    return;
  }
  const { search } = await gql(SEARCH_QUERY, { text });
  if (!alive()) return;
  const item = (n) => {
    switch (n.__typename) {
      case 'Case': return [h('span', { class: 'kind' }, 'Case'), ' ', caseLink(n), h('div', { class: 'muted' }, n.summary)];
      case 'Company': return [h('span', { class: 'kind' }, 'Company'), ' ', companyLink(n), h('div', { class: 'muted' }, n.description)];
      case 'Product': return [h('span', { class: 'kind' }, 'Product'), ` ${n.name} by `, companyLink(n.company)];
      default: return [h('span', { class: 'kind' }, n.__typename === 'CountryAction' ? 'Action' : 'Response'), ' ', badge(n.option), ' ', h('time', {}, n.date), ` ${n.title} · `, caseLink(n.case)];
    }
  };
  mount(view,
    h('h1', {}, `Search: “${text}”`),
    h('p', { role: 'status', class: 'count' }, `${search.totalCount} result${search.totalCount === 1 ? '' : 's'}${search.totalCount > search.edges.length ? ` (the first ${search.edges.length} shown)` : ''}`),
    h('ol', { class: 'results', id: 'results' }, search.edges.map((e) => h('li', {}, item(e.node)))));
}
