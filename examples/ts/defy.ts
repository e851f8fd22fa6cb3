// The DEFY question from TypeScript: every company that chose DEFY, the country it answered and
// what that country did in return, typed by the code GraphQL Code Generator writes from
// cybertrade's schema (codegen.yml) for the query all the DEFY examples share (../defy.graphql).
//
//     npm ci && npm run build && node dist/defy.js [URL]
//
// URL defaults to $CYBERTRADE_URL, then http://localhost:8080. It pages with cursors
// ($CYBERTRADE_PAGE_SIZE rows a page, 100 by default), waits as long as `Retry-After` says when
// the server answers 429 (rate limit) or 503 (loading), and ends with the dataset release the
// answer came from (`extensions.dataset.version`). $CYBERTRADE_TOKEN, when set, is sent as a
// bearer token.
import { readFileSync } from "node:fs";
import type { DefyQuery, DefyQueryVariables, MoveOption } from "./generated/graphql.js";

const url = (process.argv[2] ?? process.env.CYBERTRADE_URL ?? "http://localhost:8080").replace(/\/+$/, "");
const first = Number(process.env.CYBERTRADE_PAGE_SIZE || 100);
const query = readFileSync(new URL("../../defy.graphql", import.meta.url), "utf8"); // examples/defy.graphql

/** A GraphQL answer as cybertrade sends it. */
interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: number; dataset?: { version: string } };
}

const releases = new Set<string>();

async function graphql<T, V>(variables: V, tries = 5): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (process.env.CYBERTRADE_TOKEN) headers.Authorization = `Bearer ${process.env.CYBERTRADE_TOKEN}`;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    if ((res.status === 429 || res.status === 503) && attempt < tries) {
      const wait = Number(res.headers.get("Retry-After") ?? 1);
      console.error(`cybertrade: ${res.status}, waiting ${wait} s as Retry-After says`);
      await res.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const answer = (await res.json()) as Answer<T>;
    if (answer.errors?.length || !answer.data) {
      throw new Error(answer.errors?.map((e) => e.message).join("; ") ?? `HTTP ${res.status}`);
    }
    if (answer.extensions?.dataset) releases.add(answer.extensions.dataset.version);
    return answer.data;
  }
}

type Row = [company: string, country: string, date: string, response: string, replyOption: MoveOption | "", replyDate: string, reply: string];
const rows: Row[] = [];
let after: string | null = null;
for (;;) {
  const { responses }: DefyQuery = await graphql<DefyQuery, DefyQueryVariables>({ first, after });
  for (const r of responses.nodes) {
    const replies = r.replies.filter((x) => x.kind === "ACTION"); // typed: no fragment, no narrowing
    if (replies.length === 0) rows.push([r.company.name, r.country.code, r.date, r.title, "", "", ""]);
    for (const x of replies) rows.push([r.company.name, r.country.code, r.date, r.title, x.moveOption, x.date, x.title]);
  }
  if (!responses.pageInfo.hasNextPage) break;
  after = responses.pageInfo.endCursor;
}

const columns = ["company", "country", "date", "response", "reply_option", "reply_date", "reply"];
const widths = [16, 7, 10, 40, 23, 10, 40]; // fixed, so a row prints the same whatever the other rows hold
const line = (cells: readonly string[]) => cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join("  ").trimEnd();
console.log(line(columns));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
console.log(`\n${rows.length} row(s); dataset release ${[...releases].sort().join(", ")}`);
