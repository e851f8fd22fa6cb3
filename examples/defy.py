#!/usr/bin/env python3
"""Ask cybertrade the DEFY question and print a table.

Every company that chose DEFY, the country it answered, and what that country did in return:
one row per reply (or one row with empty reply columns when the country has not replied).

    python3 examples/defy.py [URL] [--csv]

URL defaults to $CYBERTRADE_URL, then http://localhost:8080. With --csv the table is written
as CSV to standard output (for a spreadsheet or pandas). Standard library only.
"""
import csv
import json
import os
import sys
import urllib.request

QUERY = """
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
}
"""

COLUMNS = ["company", "country", "date", "response", "reply_option", "reply_date", "reply"]


def graphql(url, query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
    req = urllib.request.Request(url.rstrip("/") + "/graphql", data=body,
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        answer = json.load(resp)
    if answer.get("errors"):
        raise SystemExit("cybertrade: " + "; ".join(e["message"] for e in answer["errors"]))
    return answer["data"]


def rows(url):
    after = None
    while True:
        page = graphql(url, QUERY, {"after": after})["responses"]
        for r in page["nodes"]:
            base = [r["company"]["name"], r["country"]["code"], r["date"], r["title"]]
            replies = [x for x in r["replies"] if "option" in x] or [{"option": "", "date": "", "title": ""}]
            for x in replies:
                yield base + [x["option"], x["date"], x["title"]]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    url = args[0] if args else os.environ.get("CYBERTRADE_URL", "http://localhost:8080")
    table = list(rows(url))
    if "--csv" in argv:
        w = csv.writer(sys.stdout)
        w.writerow(COLUMNS)
        w.writerows(table)
        return
    widths = [min(40, max([len(c)] + [len(r[i]) for r in table])) for i, c in enumerate(COLUMNS)]
    line = lambda cells: "  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(COLUMNS))
    print(line(["-" * w for w in widths]))
    for r in table:
        print(line(r))
    print(f"\n{len(table)} row(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
