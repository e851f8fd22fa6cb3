#!/usr/bin/env python3
"""Draw cybertrade's action → response matrix as a heatmap (pandas + matplotlib).

For every company response, the options of the country actions it answers: which company
options answered which country options. The rows come from paging through every response with
cursors; pandas counts them, the count is checked against the server's own
`stats { actionResponseMatrix }`, and matplotlib draws the heatmap to a PNG whose title names
the dataset release the data came from (`extensions.dataset.version`).

    python3 examples/matrix.py [URL] [--out matrix.png]

URL defaults to $CYBERTRADE_URL, then http://localhost:8080; the PNG to examples/matrix.png.
Pages hold $CYBERTRADE_PAGE_SIZE responses (100 by default); a 429 (rate limit) or 503
(loading) answer is retried after the seconds its `Retry-After` header gives.
$CYBERTRADE_TOKEN, when set, is sent as a bearer token (all three through defy.py, beside
this file). Needs pandas and matplotlib (Debian: python3-pandas, python3-matplotlib).
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")  # draw to a file, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# The HTTP side (token, Retry-After, the release each answer names) and cursor paging are
# defy.py's, beside this file.
from defy import RELEASES, graphql, nodes  # noqa: E402

RESPONSES = """
query Responses($first: Int!, $after: String) {
  responses(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id moveOption inReplyTo { id kind moveOption } }
  }
}
"""

MATRIX = """
{ stats { actionResponseMatrix { countryOption responses { option count } } } }
"""

def links(url):
    """One row per (response, country option it answers), from every response, paged."""
    rows = []
    for r in nodes(url, RESPONSES, "responses"):
        for a in r["inReplyTo"]:
            if a["kind"] == "ACTION":
                rows.append({"response": r["id"], "company_option": r["moveOption"], "country_option": a["moveOption"]})
    return pd.DataFrame(rows, columns=["response", "company_option", "country_option"])


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    out = argv[argv.index("--out") + 1] if "--out" in argv else os.path.join(os.path.dirname(__file__), "matrix.png")
    args = [a for a in args if a != out]
    url = args[0] if args else os.environ.get("CYBERTRADE_URL", "http://localhost:8080")

    # The server's matrix gives the options in the enums' order, zeros included.
    server = graphql(url, MATRIX)["stats"]["actionResponseMatrix"]
    country_options = [row["countryOption"] for row in server]
    company_options = [c["option"] for c in server[0]["responses"]]
    expected = pd.DataFrame([[c["count"] for c in row["responses"]] for row in server],
                            index=country_options, columns=company_options)

    # The same matrix from the paged rows: a response answering several actions of one option
    # counts once in that cell.
    df = links(url).drop_duplicates(["response", "country_option"])
    matrix = (pd.crosstab(df["country_option"], df["company_option"])
              .reindex(index=country_options, columns=company_options, fill_value=0))
    matrix.index.name, matrix.columns.name = "country option", "company option"
    if not matrix.equals(expected):
        raise SystemExit(f"the paged matrix differs from stats.actionResponseMatrix:\n{matrix}\n{expected}")

    release = ", ".join(sorted(map(str, RELEASES)))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    im = ax.imshow(matrix.values, cmap="Blues")
    ax.set_xticks(range(len(company_options)), labels=company_options, rotation=30, ha="right")
    ax.set_yticks(range(len(country_options)), labels=country_options)
    for i in range(len(country_options)):
        for j in range(len(company_options)):
            v = matrix.values[i, j]
            ax.text(j, i, str(v), ha="center", va="center", color="white" if v > matrix.values.max() / 2 else "black")
    ax.set_xlabel("company response")
    ax.set_ylabel("country action answered")
    ax.set_title(f"Action → response matrix (cybertrade dataset {release})", fontsize=10)
    fig.colorbar(im, ax=ax, label="responses")
    fig.tight_layout()
    fig.savefig(out, dpi=80)

    print(matrix.to_string())
    print(f"\n{int(matrix.values.sum())} response-option pairs from {df['response'].nunique()} responses that answer an action; "
          f"matches stats.actionResponseMatrix; dataset release {release}; drawn to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
