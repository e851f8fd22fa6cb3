// A company's or a country's page: counts by option and its timeline of moves.
import { gql, page, pageAll } from '../api.js';
import { h, mount, badge, caseLink, actorOf, countryLink } from '../dom.js';

const MOVE_FIELDS = `__typename slug date title instrument case { slug title }
  ... on CountryAction { countryOption: option country { code name } }
  ... on CompanyResponse { companyOption: option company { slug name } country { code name } }`;

export const ENTITY_QUERIES = {
  company: {
    head: `query Company($slug: String!) {
      company(slug: $slug) { slug name sector description homeCountry { code name } }
      stats {
        responses(groupBy: OPTION, filter: {companies: [$slug]}) { value count }
        actions(groupBy: OPTION, filter: {companies: [$slug]}) { value count }
      }
    }`,
    moves: `query CompanyMoves($slug: String!, $first: Int, $after: String) {
      moves(filter: {companies: [$slug]}, first: $first, after: $after) {
        ${page(MOVE_FIELDS)}
      }
    }`,
  },
  country: {
    head: `query Country($code: String!) {
      country(code: $code) { code name region }
      stats {
        actions(groupBy: OPTION, filter: {countries: [$code]}) { value count }
        responses(groupBy: OPTION, filter: {countries: [$code]}) { value count }
      }
    }`,
    moves: `query CountryMoves($code: String!, $first: Int, $after: String) {
      moves(filter: {countries: [$code]}, first: $first, after: $after) {
        ${page(MOVE_FIELDS)}
      }
    }`,
  },
};

export async function entityView(view, kind, key, alive = () => true) {
  const q = ENTITY_QUERIES[kind];
  const vars = kind === 'company' ? { slug: key } : { code: key };
  const [head, moves] = await Promise.all([gql(q.head, vars), pageAll(q.moves, vars, (d) => d.moves)]);
  if (!alive()) return;
  const e = head[kind];
  const counts = (title, buckets) => h('div', { class: 'counts' }, h('h3', {}, title),
    buckets.length ? h('table', { class: 'data small' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Option'), h('th', { scope: 'col' }, 'Moves'))),
      h('tbody', {}, buckets.map((b) => h('tr', {}, h('td', {}, badge(b.value)), h('td', { class: 'num' }, String(b.count))))))
      : h('p', { class: 'muted' }, 'None.'));
  const about = kind === 'company'
    ? [h('p', { class: 'lead' }, e.description), h('p', {}, `Sector: ${e.sector}`, e.homeCountry ? [' · home: ', countryLink(e.homeCountry)] : null)]
    : [h('p', { class: 'lead' }, `${e.code} · ${e.region}`)];
  const [first, second] = kind === 'company'
    ? [counts('Its responses, by company option', head.stats.responses), counts('Country actions aimed at it, by option', head.stats.actions)]
    : [counts('Its actions, by country option', head.stats.actions), counts('Company responses answering it, by option', head.stats.responses)];

  mount(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/network' }, 'Network'), ` › ${kind}`),
    h('h1', {}, e.name),
    about,
    h('div', { class: 'count-grid' }, first, second),
    h('h2', {}, `Timeline: ${moves.totalCount} moves`),
    h('ol', { class: 'timeline plain', id: 'entity-timeline' }, moves.nodes.map((m) => h('li', { class: 'move' },
      h('div', { class: 'meta' }, h('time', {}, m.date), ' ', badge(m.option), ' ', actorOf(m), m.__typename === 'CompanyResponse' ? [' → ', countryLink(m.country)] : null, ' · ', h('span', { class: 'instrument' }, m.instrument)),
      h('div', {}, m.title, ' · ', caseLink(m.case))))));
}
