// A grouping derivative for @graphile/pg-aggregates: the year of a text date column
// ("2016", "2016-11" or "2016-11-17" all give "2016"). cybertrade stores dates as text at their
// precision, so pg-aggregates' own derivatives (which truncate timestamps) do not apply; this
// adds `<COLUMN>_YEAR` to the groupBy enums of text columns. Used by bench/run for query 4.
const TEXT_OID = "25";

module.exports = (builder) => {
  builder.hook("build", (build) => {
    const { pgSql: sql } = build;
    build.pgAggregateGroupBySpecs = [
      ...(build.pgAggregateGroupBySpecs || []),
      {
        id: "year",
        isSuitableType: (pgType) => pgType.id === TEXT_OID,
        sqlWrap: (frag) => sql.fragment`substr(${frag}, 1, 4)`,
      },
    ];
    return build;
  });
};
