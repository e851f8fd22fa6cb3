// The explorer's only way to the data: the public GraphQL API at /graphql, as any client would
// use it. Every answer's extensions.cost is kept (window.__cybertradeCosts) so the browser
// tests can check the explorer stays within an anonymous client's limits.

export const PAGE = 100; // the API's hard maximum page size

export class APIError extends Error {}

/** Runs one GraphQL request and returns its data; GraphQL errors throw an APIError. */
export async function gql(query, variables = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new APIError(`the API answered ${res.status} ${res.statusText}`);
  }
  const costs = (window.__cybertradeCosts ||= []);
  if (body.extensions && typeof body.extensions.cost === 'number') costs.push(body.extensions.cost);
  if (body.errors && body.errors.length) {
    throw new APIError(body.errors.map((e) => e.message + (e.extensions?.code ? ` (${e.extensions.code})` : '')).join('; '));
  }
  return withOption(body.data);
}

/**
 * A country action's option and a company response's option are of two enum types, so a query
 * over both kinds must alias them (countryOption, companyOption); this puts either back as
 * `option`, so the views read one field.
 */
function withOption(v) {
  if (Array.isArray(v)) v.forEach(withOption);
  else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) withOption(x);
    if (v.option === undefined && (v.countryOption || v.companyOption)) v.option = v.countryOption || v.companyOption;
  }
  return v;
}

/** The selection pageAll reads from a connection: its total, where the page ends, and each
 * node with the given fields. */
export const page = (fields) => `totalCount pageInfo { hasNextPage endCursor } edges { node { ${fields} } }`;

/**
 * Fetches every page of a connection. `pick(data)` returns the connection from an answer; the
 * query must take `$first: Int, $after: String` and select `totalCount`, `pageInfo { hasNextPage
 * endCursor }` and `edges { node }`. Returns { totalCount, nodes, extra } where extra is the
 * first page's data (for fields asked beside the connection).
 */
export async function pageAll(query, variables, pick, maxPages = 20) {
  const nodes = [];
  let after = null;
  let totalCount = 0;
  let extra = null;
  for (let i = 0; i < maxPages; i++) {
    const data = await gql(query, { ...variables, first: PAGE, after });
    extra ||= data;
    const conn = pick(data);
    totalCount = conn.totalCount;
    for (const e of conn.edges) nodes.push(e.node);
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return { totalCount, nodes, extra };
}
