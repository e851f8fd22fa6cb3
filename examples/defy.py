#!/usr/bin/env python3
"""Ask cybertrade the DEFY question and print a table.

Every company that chose DEFY, the country it answered, and what that country did in return:
one row per reply (or one row with empty reply columns when the country has not replied).

    python3 examples/defy.py [URL] [--csv]

URL defaults to $CYBERTRADE_URL, then http://localhost:8080. With --csv the table is written
as CSV to standard output (for a spreadsheet or pandas). It pages with cursors
($CYBERTRADE_PAGE_SIZE rows a page, 100 by default), waits as long as `Retry-After` says when
the server answers 429 (rate limit) or 503 (loading), and ends with the dataset release the
answer came from (`extensions.dataset.version`), to cite. $CYBERTRADE_TOKEN, when set, is sent
as a bearer token (its own rate budget). Standard library only; the query is defy.graphql,
beside this file.
"""
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.request

# The query, beside this file: the same for every DEFY example.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "defy.graphql"), encoding="utf-8") as f:
    QUERY = f.read()

COLUMNS = ["company", "country", "date", "response", "reply_option", "reply_date", "reply"]
WIDTHS = [16, 7, 10, 40, 23, 10, 40]  # fixed, so a row prints the same whatever the other rows hold


RELEASES = set()  # extensions.dataset.version of every answer


def graphql(url, query, variables=None, tries=5):
    body = json.dumps({"query": query, "variables": variables or {}}).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if os.environ.get("CYBERTRADE_TOKEN"):
        headers["Authorization"] = "Bearer " + os.environ["CYBERTRADE_TOKEN"]
    for attempt in range(tries):
        req = urllib.request.Request(url.rstrip("/") + "/graphql", data=body, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                answer = json.load(resp)
            break
        except urllib.error.HTTPError as e:
            if e.code not in (429, 503) or attempt == tries - 1:
                raise SystemExit(f"cybertrade: HTTP {e.code}: {e.read().decode('utf-8', 'replace')}")
            wait = int(e.headers.get("Retry-After") or 1)
            print(f"cybertrade: {e.code}, waiting {wait} s as Retry-After says", file=sys.stderr)
            time.sleep(wait)
    if answer.get("errors"):
        raise SystemExit("cybertrade: " + "; ".join(e["message"] for e in answer["errors"]))
    RELEASES.add(answer.get("extensions", {}).get("dataset", {}).get("version"))
    return answer["data"]


def nodes(url, query, field):
    """Every node of the connection `field` that query (taking $first and $after) asks for,
    paging with cursors."""
    first = int(os.environ.get("CYBERTRADE_PAGE_SIZE") or 100)
    after = None
    while True:
        page = graphql(url, query, {"first": first, "after": after})[field]
        yield from page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def rows(url):
    for r in nodes(url, QUERY, "responses"):
        base = [r["company"]["name"], r["country"]["code"], r["date"], r["title"]]
        replies = [x for x in r["replies"] if x["kind"] == "ACTION"] or [{"moveOption": "", "date": "", "title": ""}]
        for x in replies:
            yield base + [x["moveOption"], x["date"], x["title"]]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    url = args[0] if args else os.environ.get("CYBERTRADE_URL", "http://localhost:8080")
    table = list(rows(url))
    if "--csv" in argv:
        w = csv.writer(sys.stdout)
        w.writerow(COLUMNS)
        w.writerows(table)
        return
    line = lambda cells: "  ".join(str(c)[:w].ljust(w) for c, w in zip(cells, WIDTHS)).rstrip()
    print(line(COLUMNS))
    print(line(["-" * w for w in WIDTHS]))
    for r in table:
        print(line(r))
    print(f"\n{len(table)} row(s); dataset release {', '.join(sorted(map(str, RELEASES)))}")


if __name__ == "__main__":
    main(sys.argv[1:])
