// Checks a served data package: node check.js http://host/export/datapackage.json
//  1. the descriptor validates against the published Tabular Data Package profile (the JSON
//     Schema shipped in the `datapackage` npm package), with ajv;
//  2. datapackage-js (the Frictionless JavaScript library) loads it, reads every CSV through
//     it casting each value to its field's type and checking its constraints and foreign keys.
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');
const {Package} = require('datapackage');

(async () => {
  const url = process.argv[2];
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const descriptor = await res.json();

  const profile = require('datapackage/lib/profiles/tabular-data-package.json');
  const ajv = new Ajv({allErrors: true, strict: false});
  addFormats(ajv);
  ajv.addFormat('textarea', true);
  const validate = ajv.compile(profile);
  if (!validate(descriptor)) {
    console.error('the descriptor does not validate against the Tabular Data Package profile:');
    console.error(JSON.stringify(validate.errors, null, 2));
    process.exit(1);
  }
  console.log(`datapackage.json ${descriptor.version}: valid against the Tabular Data Package profile`);

  const dp = await Package.load(url);
  if (!dp.valid) {
    console.error('datapackage-js: invalid descriptor:', dp.errors.map(String));
    process.exit(1);
  }
  let failed = 0;
  for (const r of dp.resources) {
    try {
      const rows = await r.read({keyed: true, cast: true, relations: true});
      console.log(`${r.descriptor.path}: ${rows.length} rows cast and checked`);
    } catch (e) {
      failed++;
      console.error(`${r.descriptor.path}: ${e.message}`, (e.errors || []).slice(0, 5).map(String));
    }
  }
  console.log(`${dp.resources.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
