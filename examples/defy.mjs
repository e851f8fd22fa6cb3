#!/usr/bin/env node
// Ask cybertrade the DEFY question and print a table (Node 18+, built-in fetch, no packages).
//
// Every company that chose DEFY, the country it answered, and what that country did in return:
// one row per reply (or one row with empty reply columns when the country has not replied).
//
//     node examples/defy.mjs [URL]
//
// URL defaults to $CYBERTRADE_URL, then http://localhost:8080. It pages with cursors
// ($CYBERTRADE_PAGE_SIZE rows a page, 100 by default), waits as long as `Retry-After` says when
// the server answers 429 (rate limit) or 503 (loading), and ends with the dataset release the
// answer came from (`extensions.dataset.version`). $CYBERTRADE_TOKEN, when set, is sent as a
// bearer token (its own rate budget). The query is defy.graphql, beside this file.
import { readFileSync } from "node:fs";

const url = (process.argv[2] ?? process.env.CYBERTRADE_URL ?? "http://localhost:8080").replace(/\/+$/, "");
const first = Number(process.env.CYBERTRADE_PAGE_SIZE || 100);

// The query, beside this file: the same for every DEFY example.
const query = readFileSync(new URL("defy.graphql", import.meta.url), "utf8");

const releases = new Set(); // extensions.dataset.version of every answer

async function graphql(variables, tries = 5) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (process.env.CYBERTRADE_TOKEN) headers.Authorization = `Bearer ${process.env.CYBERTRADE_TOKEN}`;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    if ((res.status === 429 || res.status === 503) && attempt < tries) {
      const wait = Number(res.headers.get("Retry-After") || 1);
      console.error(`cybertrade: ${res.status}, waiting ${wait} s as Retry-After says`);
      await res.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const answer = await res.json();
    if (answer.errors?.length) {
      throw new Error(answer.errors.map((e) => e.message).join("; "));
    }
    releases.add(answer.extensions?.dataset?.version);
    return answer.data;
  }
}

const columns = ["company", "country", "date", "response", "reply_option", "reply_date", "reply"];
const rows = [];
let after = null;
for (;;) {
  const { responses } = await graphql({ first, after });
  for (const r of responses.nodes) {
    const replies = r.replies.filter((x) => x.kind === "ACTION");
    for (const x of replies.length ? replies : [{ moveOption: "", date: "", title: "" }]) {
      rows.push([r.company.name, r.country.code, r.date, r.title, x.moveOption, x.date, x.title]);
    }
  }
  if (!responses.pageInfo.hasNextPage) break;
  after = responses.pageInfo.endCursor;
}

const widths = [16, 7, 10, 40, 23, 10, 40]; // fixed, so a row prints the same whatever the other rows hold
const line = (cells) => cells.map((c, i) => String(c).slice(0, widths[i]).padEnd(widths[i])).join("  ").trimEnd();
console.log(line(columns));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`\n${rows.length} row(s); dataset release ${[...releases].sort().join(", ")}`);
