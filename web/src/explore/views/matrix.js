// The action → response matrix: how many responses of each company option answered an action
// of each country option (stats { actionResponseMatrix }), as a heatmap and as a table of
// buttons (the keyboard's way in); choosing a cell lists its moves: one row per response, with
// the actions of that option it answered, as the matrix counts them (distinct responses).
import { use, init } from 'echarts/core';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, VisualMapComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { gql, page, pageAll } from '../api.js';
import { h, mount, badge, caseLink, companyLink, countryLink, COUNTRY_OPTIONS, COMPANY_OPTIONS } from '../dom.js';
import { setParams } from './filters.js';

use([HeatmapChart, GridComponent, VisualMapComponent, TooltipComponent, CanvasRenderer]);

export const MATRIX_QUERY = `query Matrix { stats { actionResponseMatrix { countryOption responses { option count } } } }`;

export const CELL_QUERY = `query CellMoves($filter: ResponseFilter, $first: Int, $after: String) {
  responses(filter: $filter, first: $first, after: $after) {
    ${page(`
      slug date title option
      company { slug name }
      country { code name }
      case { slug title }
      inReplyTo { __typename ... on CountryAction { slug countryOption: option date title country { code name } } }
    `)}
  }
}`;

let chart = null;

export async function matrixView(view, params, alive = () => true) {
  const { stats } = await gql(MATRIX_QUERY);
  if (!alive()) return;
  const rows = stats.actionResponseMatrix;
  const count = (co, ro) => rows.find((r) => r.countryOption === co)?.responses.find((x) => x.option === ro)?.count ?? 0;
  const cell = (params.get('cell') || '').split(',');
  const [selCountry, selCompany] = COUNTRY_OPTIONS.includes(cell[0]) && COMPANY_OPTIONS.includes(cell[1]) ? cell : [null, null];
  const choose = (co, ro) => setParams('matrix', { cell: `${co},${ro}` });

  const chartEl = h('div', { class: 'heatmap', id: 'heatmap', role: 'img', 'aria-label': 'Heatmap of the action → response matrix; the same counts are in the table below.' });
  const table = h('table', { class: 'data matrix', id: 'matrix' },
    h('caption', {}, 'Responses of each company option (columns) to actions of each country option (rows)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Country option ↓ / company option →'), COMPANY_OPTIONS.map((o) => h('th', { scope: 'col' }, o)))),
    h('tbody', {}, COUNTRY_OPTIONS.map((co) => h('tr', {},
      h('th', { scope: 'row' }, co),
      COMPANY_OPTIONS.map((ro) => {
        const n = count(co, ro);
        return h('td', {}, h('button', {
          type: 'button', class: 'cell', dataset: { country: co, company: ro, count: n },
          'aria-pressed': co === selCountry && ro === selCompany ? 'true' : 'false',
          'aria-label': `${n} ${ro} responses to ${co} actions`,
          onclick: () => choose(co, ro),
        }, String(n)));
      })))));
  const list = h('section', { id: 'cell-moves', 'aria-live': 'polite' });

  mount(view,
    h('h1', {}, 'What companies did when a country acted'),
    h('p', { class: 'lead' }, 'Each cell counts the responses of a company option that answered an action of a country option (a response answering actions of two options counts in both cells, once in each). Choose a cell to list its moves.'),
    chartEl,
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Matrix as a table' }, table),
    list);

  chart?.dispose();
  chart = init(chartEl, null, { renderer: 'canvas' });
  const data = [];
  let max = 1;
  COUNTRY_OPTIONS.forEach((co, y) => COMPANY_OPTIONS.forEach((ro, x) => { const n = count(co, ro); max = Math.max(max, n); data.push([x, y, n]); }));
  chart.setOption({
    animation: false,
    tooltip: { formatter: (p) => `${COUNTRY_OPTIONS[p.value[1]]} → ${COMPANY_OPTIONS[p.value[0]]}: ${p.value[2]}` },
    grid: { left: 10, right: 10, top: 10, bottom: 60, containLabel: true },
    xAxis: { type: 'category', data: COMPANY_OPTIONS, axisLabel: { interval: 0, rotate: 30, fontSize: 11 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: COUNTRY_OPTIONS, inverse: true, axisLabel: { fontSize: 11 }, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f8fafc', '#fde68a', '#f97316', '#b91c1c'] } },
    series: [{ type: 'heatmap', data, label: { show: true }, emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } } }],
  });
  chart.on('click', (p) => choose(COUNTRY_OPTIONS[p.value[1]], COMPANY_OPTIONS[p.value[0]]));
  // Where each cell is drawn (its centre in the chart's pixels), for tests that click the picture.
  const mapCells = () => {
    chartEl.dataset.cells = JSON.stringify(data.map(([x, y]) => [COUNTRY_OPTIONS[y], COMPANY_OPTIONS[x], ...chart.convertToPixel({ seriesIndex: 0 }, [x, y]).map(Math.round)]));
  };
  mapCells();
  const onResize = () => { if (chart && !chart.isDisposed()) { chart.resize(); mapCells(); } };
  window.addEventListener('resize', onResize);
  window.addEventListener('hashchange', () => window.removeEventListener('resize', onResize), { once: true });

  if (selCountry) await cellMoves(list, selCountry, selCompany, count(selCountry, selCompany), alive);
}

/** Lists the moves of one cell: the responses with the company option that answer at least one action with the country option. */
async function cellMoves(list, co, ro, expected, alive) {
  mount(list, h('p', { role: 'status' }, 'Loading the moves…'));
  const { nodes } = await pageAll(CELL_QUERY, { filter: { options: [ro] } }, (d) => d.responses);
  if (!alive()) return;
  const links = [];
  for (const r of nodes) {
    const answered = r.inReplyTo.filter((a) => a.__typename === 'CountryAction' && a.option === co);
    if (answered.length) links.push({ answered, r });
  }
  mount(list,
    h('h2', { tabindex: -1 }, `${co} → ${ro}: ${links.length} move${links.length === 1 ? '' : 's'}`),
    links.length !== expected ? h('p', { class: 'error', role: 'alert' }, `The matrix counts ${expected}; the list has ${links.length}.`) : null,
    h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Moves of the chosen cell' },
      h('table', { class: 'data', id: 'cell-table' },
        h('thead', {}, h('tr', {}, ['Company response', `The ${co} action(s) it answered`, 'Case'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, links.map(({ answered, r }) => h('tr', { dataset: { response: r.slug } },
          h('td', {}, badge(r.option), ' ', companyLink(r.company), ', ', h('time', {}, r.date), h('div', { class: 'title' }, r.title)),
          h('td', {}, h('ul', { class: 'replies' }, answered.map((a) => h('li', {}, badge(a.option), ' ', countryLink(a.country), ', ', h('time', {}, a.date), h('div', { class: 'title' }, a.title))))),
          h('td', {}, caseLink(r.case))))))));
}
