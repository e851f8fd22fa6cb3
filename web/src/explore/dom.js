// A tiny DOM builder: text always goes in as text (never as HTML), so data cannot inject markup.

/** h('a', {href: '#/x', class: 'y'}, 'text', child…) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A status line announced to screen readers. */
export function status(text) {
  return h('p', { class: 'status', role: 'status' }, text);
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, 'Could not load: ', err.message || String(err));
}

/** The option badge used everywhere (colour by option). */
export function badge(option) {
  return h('span', { class: `badge opt-${option}` }, option);
}

export const COUNTRY_OPTIONS = ['DO_NOTHING', 'IMPORT_BARRIER', 'PROCUREMENT_RESTRICTION', 'NORMS', 'AMPLIFY'];
export const COMPANY_OPTIONS = ['RECOMMEND', 'ACQUIESCE', 'COMPROMISE', 'AVOID', 'DEFY', 'COLLABORATE'];

/** One colour per option, shared by badges (CSS) and the network's edges. */
export const OPTION_COLOURS = {
  DO_NOTHING: '#6b7280',
  IMPORT_BARRIER: '#b91c1c',
  PROCUREMENT_RESTRICTION: '#c2410c',
  NORMS: '#0f766e',
  AMPLIFY: '#7e22ce',
  RECOMMEND: '#1d4ed8',
  ACQUIESCE: '#4d7c0f',
  COMPROMISE: '#a16207',
  AVOID: '#475569',
  DEFY: '#be123c',
  COLLABORATE: '#047857',
};

export function caseLink(c) {
  return h('a', { href: `#/case/${encodeURIComponent(c.slug)}` }, c.title || c.slug);
}
export function companyLink(c) {
  return h('a', { href: `#/company/${encodeURIComponent(c.slug)}` }, c.name);
}
export function countryLink(c) {
  return h('a', { href: `#/country/${encodeURIComponent(c.code)}` }, c.name);
}

/** Who made a move: the acting country or the responding company. */
export function actorOf(m) {
  return m.__typename === 'CountryAction' ? countryLink(m.country) : companyLink(m.company);
}

/** A select element with a label; options are [value, text] pairs or groups {label, options}. */
export function select(id, label, options, value, onchange) {
  const sel = h('select', { id, name: id, onchange });
  for (const o of options) {
    if (o.options) {
      const g = h('optgroup', { label: o.label });
      for (const [v, t] of o.options) g.append(h('option', { value: v, selected: v === value }, t));
      sel.append(g);
    } else {
      sel.append(h('option', { value: o[0], selected: o[0] === value }, o[1]));
    }
  }
  return h('span', { class: 'field' }, h('label', { for: id }, label), sel);
}
