// PostGraphile v5 for cybertrade's benchmark (bench/run): the amber preset (v5's defaults),
// @graphile/pg-aggregates 0.2 for query 4, and two plugins equivalent to v4's setup in
// bench/postgraphile: the year grouping derivative of year-plugin.js and the smart tags of
// postgraphile.tags.json5. The connection comes from DATABASE_URL; host and port from the CLI
// (-n, -p). The pool holds 16 connections, like cybertrade's and v4's.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { makeJSONPgSmartTagsPlugin } from "postgraphile/utils";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";

// cybertrade stores dates as text at their precision ("2016", "2016-11", "2016-11-17"), so
// pg-aggregates' own derivatives (which truncate timestamps) do not apply: this adds
// `<COLUMN>_YEAR` (substr(col, 1, 4)) to the groupBy enums of text columns, as v4's
// year-plugin.js does.
const YearGroupByPlugin = {
  name: "CybertradeBenchYearGroupByPlugin",
  version: "1.0.0",
  after: ["PgAggregatesSpecsPlugin"],
  schema: {
    hooks: {
      build(build) {
        const { sql, dataplanPg: { TYPES } } = build;
        build.pgAggregateGroupBySpecs = [
          ...(build.pgAggregateGroupBySpecs || []),
          {
            id: "year",
            isSuitableType: (codec) => codec === TYPES.text,
            sqlWrap: (frag) => sql`substr(${frag}, 1, 4)`,
            sqlWrapCodec: () => TYPES.text,
          },
        ];
        return build;
      },
    },
  },
};

// The curation tables are not part of the query mix and have no place on a public read API
// (v4: postgraphile.tags.json5 with `omit`; v5 says it with behaviors).
const HideCurationTablesPlugin = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: {
    class: {
      revisions: { tags: { behavior: "-*" } },
      api_tokens: { tags: { behavior: "-*" } },
      data_changes: { tags: { behavior: "-*" } },
      goose_db_version: { tags: { behavior: "-*" } },
    },
  },
});

export default {
  extends: [PostGraphileAmberPreset, PgAggregatesPreset],
  plugins: [YearGroupByPlugin, HideCurationTablesPlugin],
  // v4's CLI ignores indexes by default (every column may be ordered, filtered and grouped by);
  // v5 exposes only indexed ones. Query 4 groups by `date`, which leads no index: turning the
  // index behaviours off gives v5 v4's schema surface. It changes what the schema offers, not
  // the SQL of a query.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 16 },
    }),
  ],
  grafserv: { graphqlPath: "/graphql" },
};
