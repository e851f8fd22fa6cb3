// Runs the graphql-http package's server audits (the GraphQL-over-HTTP spec's conformance
// checks) against a running cybertrade server and fails on any error or warning.
//
//   node audit.mjs http://127.0.0.1:8080/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2] || process.env.AUDIT_URL || 'http://127.0.0.1:8080/graphql';
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  results.push(await audit.fn());
}
let failed = 0;
for (const r of results) {
  const mark = { ok: 'ok    ', notice: 'notice', warn: 'WARN  ', error: 'ERROR ' }[r.status] || r.status;
  console.log(`${mark} ${r.id} ${r.name}`);
  if (r.status === 'warn' || r.status === 'error') {
    failed++;
    console.log(`       ${r.reason}`);
    if (r.response) {
      console.log(`       status ${r.response.status}: ${(await r.response.text()).slice(0, 300)}`);
    }
  } else if (r.status === 'notice') {
    console.log(`       ${r.reason}`);
  }
}
const count = (s) => results.filter((r) => r.status === s).length;
console.log(`\n${results.length} audits: ${count('ok')} ok, ${count('notice')} notices, ${count('warn')} warnings, ${count('error')} errors`);
console.log(`audit: ${count('ok') + count('notice')} passed, ${count('warn') + count('error')} failed`);
process.exit(failed ? 1 : 0);
