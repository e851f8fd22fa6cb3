#!/usr/bin/env node
// Replays, through a real HTTP client (Node's fetch) against the live server at
// $CYBERTRADE_URL, the traps a newcomer's trial fell into (shared/reviews/newcomer.md, issue
// 16), and fails unless each is fixed. Run by .ci/run through scripts/with-server.sh, which also
// sets $CYBERTRADE_CLI (the built binary on the server's database) for the synth check.
import { execFileSync } from "node:child_process";

const url = process.env.CYBERTRADE_URL.replace(/\/+$/, "");
let failed = 0;
const check = (ok, what, detail) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${ok ? "" : `: ${detail}`}`);
  if (!ok) failed++;
};
async function post(query, variables) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}
const code = (r) => r.body.errors?.[0]?.extensions?.code;

// Every answer names its release, errors included.
for (const q of ["{ dataset { version } }", "{ nope }", '{ company(slug: "nope") { name } }']) {
  const r = await post(q);
  check(/^\d+\.\d+\.\d+$/.test(r.body.extensions?.dataset?.version ?? ""), `extensions.dataset.version on ${q}`, JSON.stringify(r.body));
}
// A GET answer is cacheable, and its ETag is the body's.
{
  const get = () => fetch(`${url}/graphql?query=${encodeURIComponent("{ dataset { version } }")}`);
  const a = await get();
  const b = await fetch(`${url}/graphql?query=${encodeURIComponent("{ dataset { version } }")}`, { headers: { "If-None-Match": a.headers.get("ETag") } });
  check(a.headers.get("ETag") && b.status === 304, "GET with the release: ETag and 304", `${a.headers.get("ETag")} ${b.status}`);
}
// Move answers without fragments.
{
  const r = await post(`{ moves(first: 100) { nodes { kind moveOption date datePrecision dateStart dateEnd } } }`);
  const nodes = r.body.data?.moves?.nodes ?? [];
  const ok = nodes.length > 0 && nodes.every((m) => ["ACTION", "RESPONSE"].includes(m.kind) && m.moveOption &&
    m.dateStart.startsWith(m.date.slice(0, 4)) && m.dateStart <= m.dateEnd && /^\d{4}-\d\d-\d\d$/.test(m.dateEnd));
  check(ok, "Move: kind, moveOption, dateStart and dateEnd without fragments", JSON.stringify(nodes.slice(0, 2)));
}
// "unknown country", "unknown company".
for (const [q, want] of [['{ actions(filter: {countries: ["XX"]}) { totalCount } }', "unknown country: XX"],
  ['{ actions(filter: {companies: ["nope"]}) { totalCount } }', "unknown company: nope"]]) {
  const r = await post(q);
  check(code(r) === "INVALID_ARGUMENT" && r.body.errors[0].message.includes(want), `message "${want}"`, JSON.stringify(r.body.errors));
}
// An unknown enum value is one request error however it is spelled.
for (const v of ["defy", "dEFY", "NOPE"]) {
  const r = await post("query($f: ResponseFilter) { responses(filter: $f) { totalCount } }", { f: { options: [v] } });
  check(r.status === 400 && code(r) === "GRAPHQL_VALIDATION_FAILED" && !("data" in r.body), `enum value ${v}: 400 GRAPHQL_VALIDATION_FAILED`, `${r.status} ${JSON.stringify(r.body)}`);
}
// first: 0 never says "more" without a cursor.
{
  const r = await post("{ actions(first: 0) { totalCount pageInfo { hasNextPage endCursor } } }");
  const p = r.body.data?.actions?.pageInfo;
  check(p && (p.hasNextPage === false || p.endCursor !== null), "first: 0 ends a while-hasNextPage loop", JSON.stringify(r.body));
}
// synth refuses the database that holds the curated data, and changes nothing.
{
  let out = "";
  let refused = false;
  try {
    execFileSync("sh", ["-c", `${process.env.CYBERTRADE_CLI} synth --cases 3 --seed 1`], { stdio: "pipe" });
  } catch (e) {
    refused = true;
    out = String(e.stderr) + String(e.stdout);
  }
  const after = await post("{ dataset { version counts { cases } } }");
  check(refused && /separate SQLite file or database/.test(out) && after.body.data.dataset.version !== "0.0.0",
    "synth refuses the curated database", `${refused} ${out} ${JSON.stringify(after.body)}`);
}
if (failed) {
  console.log(`${failed} trap(s) still open`);
  process.exit(1);
}
