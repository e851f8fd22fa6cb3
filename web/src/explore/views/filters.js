// Filters shared by the table and the network: country (or a whole region) and years.
import { gql } from '../api.js';

/** Countries that appear in the data, grouped by region, for a country select. */
export async function countryChoices() {
  const data = await gql(`query CountryChoices {
    countries(filter: {hasActions: true}, first: 100) { nodes { code name region } }
    stats { responses(groupBy: COUNTRY) { value label } }
  }`);
  const byCode = new Map(data.countries.nodes.map((c) => [c.code, c]));
  const missing = data.stats.responses.filter((b) => !byCode.has(b.value)).map((b) => b.value);
  if (missing.length) {
    const more = await gql(`query More($codes: [String!]) { countries(filter: {codes: $codes}, first: 100) { nodes { code name region } } }`, { codes: missing });
    for (const c of more.countries.nodes) byCode.set(c.code, c);
  }
  const all = [...byCode.values()].sort((a, b) => a.name.localeCompare(b.name));
  const regions = [...new Set(all.map((c) => c.region))].sort();
  return { all, regions };
}

/** The select options: every country, and each region as a whole. */
export function countryOptions(choices) {
  return [
    ['', 'All countries'],
    { label: 'Regions', options: choices.regions.map((r) => [`region:${r}`, `${r} (all)`]) },
    { label: 'Countries', options: choices.all.map((c) => [c.code, `${c.name} (${c.code})`]) },
  ];
}

/** Turns a country select value into a list of ISO codes (null: no country filter). */
export function countryCodes(value, choices) {
  if (!value) return null;
  if (value.startsWith('region:')) {
    const r = value.slice(7);
    return choices.all.filter((c) => c.region === r).map((c) => c.code);
  }
  return [value];
}

/** A year as a date range bound: from → Jan 1, to → Dec 31. */
export function yearBounds(from, to) {
  const out = {};
  if (/^\d{4}$/.test(from || '')) out.from = `${from}-01-01`;
  if (/^\d{4}$/.test(to || '')) out.to = `${to}-12-31`;
  return out;
}

/** Writes the filters into the hash so a view can be linked to and reloaded. */
export function setParams(name, values) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
  const s = p.toString();
  const next = `#/${name}${s ? '?' + s : ''}`;
  if (location.hash !== next) location.hash = next;
}
