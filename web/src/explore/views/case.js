// A case: its moves in causal order (the API's order: a reply is never before what it answers),
// each reply drawn with an arrow to the move it answers, each move's sources, confidence and
// coding note.
import { page, pageAll } from '../api.js';
import { h, mount, badge, actorOf, companyLink, countryLink } from '../dom.js';

export const CASE_QUERY = `query Case($slug: String!, $first: Int, $after: String) {
  case(slug: $slug) {
    slug title summary startDate endDate
    countries { code name }
    companies { slug name }
    sources { title publisher date url }
    moves(first: $first, after: $after) {
      ${page(`
        __typename slug date instrument title summary actor confidence codingNote
        sources { title publisher date url }
        inReplyTo { slug }
        ... on CountryAction { countryOption: option country { code name } }
        ... on CompanyResponse { companyOption: option company { slug name } country { code name } }
      `)}
    }
  }
}`;

export async function caseView(view, slug, alive = () => true) {
  const { nodes, extra } = await pageAll(CASE_QUERY, { slug }, (d) => d.case.moves);
  if (!alive()) return;
  const c = extra.case;
  const index = new Map(nodes.map((m, i) => [m.slug, i]));
  const titleOf = (s) => nodes[index.get(s)]?.title ?? s;

  const items = nodes.map((m, i) => h('li', {
    class: `move ${m.__typename === 'CountryAction' ? 'action' : 'response'}`, id: `move-${m.slug}`,
    dataset: { slug: m.slug, index: i, answers: m.inReplyTo.map((r) => r.slug).join(' ') },
  },
    h('div', { class: 'meta' }, h('time', {}, m.date), ' ', badge(m.option), ' ', actorOf(m),
      m.__typename === 'CompanyResponse' ? [' → ', countryLink(m.country)] : null,
      ' · ', h('span', { class: 'instrument' }, m.instrument), m.actor ? ` · ${m.actor}` : ''),
    h('h3', {}, m.title),
    h('p', {}, m.summary),
    m.inReplyTo.length ? h('p', { class: 'answers' }, '↳ answers: ', m.inReplyTo.map((r, k) => [k ? '; ' : '', h('a', { href: `#/case/${encodeURIComponent(c.slug)}`, onclick: (e) => { e.preventDefault(); focusMove(r.slug); } }, titleOf(r.slug))])) : null,
    h('p', { class: `confidence conf-${m.confidence}` }, `Confidence: ${m.confidence}`, m.codingNote ? h('span', { class: 'note' }, ` — coding note: ${m.codingNote}`) : null),
    h('ul', { class: 'sources', 'aria-label': 'Sources' }, m.sources.map((s) => h('li', {}, h('a', { href: s.url, rel: 'noopener noreferrer' }, s.title), ` — ${s.publisher}, ${s.date}`)))));

  const timeline = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Moves in causal order' }, items);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'arrows');
  svg.setAttribute('aria-hidden', 'true');
  const wrap = h('div', { class: 'timeline-wrap' }, svg, timeline);

  mount(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/table' }, 'Table'), ' › case'),
    h('h1', {}, c.title),
    h('p', { class: 'lead' }, c.summary),
    h('p', {}, `${c.startDate ?? '?'} – ${c.endDate ?? 'ongoing'} · countries: `, c.countries.map((x, i) => [i ? ', ' : '', countryLink(x)]), ' · companies: ', c.companies.map((x, i) => [i ? ', ' : '', companyLink(x)])),
    h('h2', {}, `Timeline: ${nodes.length} moves`),
    h('p', { class: 'muted' }, 'In causal order: a reply never comes before the move it answers. Arrows run from a reply to the move it answers.'),
    wrap,
    c.sources.length ? [h('h2', {}, 'Case sources'), h('ul', { class: 'sources' }, c.sources.map((s) => h('li', {}, h('a', { href: s.url, rel: 'noopener noreferrer' }, s.title), ` — ${s.publisher}, ${s.date}`)))] : null);

  const draw = () => drawArrows(svg, timeline);
  requestAnimationFrame(draw);
  const ro = new ResizeObserver(draw);
  ro.observe(timeline);
  window.addEventListener('hashchange', () => ro.disconnect(), { once: true });
}

function focusMove(slug) {
  const el = document.getElementById(`move-${slug}`);
  if (!el) return;
  el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView({ block: 'center' });
}

/** Draws, in the gutter left of the timeline, an arrow from each reply to each move it answers. */
function drawArrows(svg, list) {
  const top = list.offsetTop;
  const height = list.offsetHeight;
  svg.setAttribute('height', height + top);
  svg.setAttribute('viewBox', `0 0 48 ${height + top}`);
  svg.replaceChildren();
  const ns = 'http://www.w3.org/2000/svg';
  const defs = document.createElementNS(ns, 'defs');
  defs.innerHTML = '<marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#334155"/></marker>';
  svg.append(defs);
  const items = [...list.children];
  const bySlug = new Map(items.map((li) => [li.dataset.slug, li]));
  let lane = 0;
  for (const li of items) {
    for (const s of (li.dataset.answers || '').split(' ').filter(Boolean)) {
      const target = bySlug.get(s);
      if (!target) continue;
      const y1 = li.offsetTop + 18;
      const y2 = target.offsetTop + 18;
      const x = 40 - 8 * (lane++ % 4) - 6;
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', `M48,${y1} C${x},${y1} ${x},${y2} 48,${y2}`);
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', '#334155');
      path.setAttribute('stroke-width', '1.5');
      path.setAttribute('marker-end', 'url(#arrowhead)');
      path.dataset.from = li.dataset.slug;
      path.dataset.to = s;
      svg.append(path);
    }
  }
}
