#!/usr/bin/env node
// Ask cybertrade the DEFY question and print a table (Node 18+, built-in fetch, no packages).
//
// Every company that chose DEFY, the country it answered, and what that country did in return:
// one row per reply (or one row with empty reply columns when the country has not replied).
//
//     node examples/defy.mjs [URL]
//
// URL defaults to $CYBERTRADE_URL, then http://localhost:8080.

const url = (process.argv[2] ?? process.env.CYBERTRADE_URL ?? "http://localhost:8080").replace(/\/+$/, "");

const query = `
query Defy($after: String) {
  responses(filter: {options: [DEFY]}, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      date title
      company { name }
      country { code name }
      replies { ... on CountryAction { option date title } }
    }
  }
}`;

async function graphql(variables) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await res.json();
  if (answer.errors?.length) {
    throw new Error(answer.errors.map((e) => e.message).join("; "));
  }
  return answer.data;
}

const columns = ["company", "country", "date", "response", "reply_option", "reply_date", "reply"];
const rows = [];
let after = null;
for (;;) {
  const { responses } = await graphql({ after });
  for (const r of responses.nodes) {
    const replies = r.replies.filter((x) => x.option);
    for (const x of replies.length ? replies : [{ option: "", date: "", title: "" }]) {
      rows.push([r.company.name, r.country.code, r.date, r.title, x.option, x.date, x.title]);
    }
  }
  if (!responses.pageInfo.hasNextPage) break;
  after = responses.pageInfo.endCursor;
}

const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...rows.map((r) => r[i].length))));
const line = (cells) => cells.map((c, i) => String(c).slice(0, widths[i]).padEnd(widths[i])).join("  ").trimEnd();
console.log(line(columns));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`\n${rows.length} row(s)`);
