#!/usr/bin/env Rscript
# Ask cybertrade the DEFY question from R and print it as a data frame.
#
# Every company that chose DEFY, the country it answered, and what that country did in return:
# one row per reply (or one row with empty reply columns when the country has not replied).
#
#     Rscript examples/defy.R [URL]
#
# URL defaults to $CYBERTRADE_URL, then http://localhost:8080. It pages with cursors
# ($CYBERTRADE_PAGE_SIZE rows a page, 100 by default), waits as long as `Retry-After` says when
# the server answers 429 (rate limit) or 503 (loading), and ends with the dataset release the
# answer came from (`extensions.dataset.version`). $CYBERTRADE_TOKEN, when set, is sent as a
# bearer token. The query is defy.graphql, beside this script. Needs jsonlite and curl
# (Debian: r-cran-jsonlite, r-cran-curl).
suppressPackageStartupMessages({
  library(jsonlite)
  library(curl)
})

args <- commandArgs(trailingOnly = TRUE)
url <- if (length(args) > 0) args[[1]] else Sys.getenv("CYBERTRADE_URL", "http://localhost:8080")
url <- sub("/+$", "", url)
options(width = 250)
page_size <- as.integer(Sys.getenv("CYBERTRADE_PAGE_SIZE", "100"))

# The query, beside this script: the same for every DEFY example.
script <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
query <- paste(readLines(file.path(dirname(script), "defy.graphql")), collapse = "\n")

releases <- character()

graphql <- function(variables, tries = 5) {
  body <- toJSON(list(query = query, variables = variables), auto_unbox = TRUE, null = "null")
  for (attempt in seq_len(tries)) {
    h <- new_handle()
    handle_setopt(h, copypostfields = body)
    headers <- list("Content-Type" = "application/json", "Accept" = "application/json")
    token <- Sys.getenv("CYBERTRADE_TOKEN")
    if (nzchar(token)) headers[["Authorization"]] <- paste("Bearer", token)
    do.call(handle_setheaders, c(list(h), headers))
    res <- curl_fetch_memory(paste0(url, "/graphql"), handle = h)
    if (res$status_code %in% c(429, 503) && attempt < tries) {
      wait <- as.numeric(parse_headers_list(res$headers)[["retry-after"]])
      if (length(wait) == 0 || is.na(wait)) wait <- 1
      message(sprintf("cybertrade: %d, waiting %d s as Retry-After says", res$status_code, as.integer(wait)))
      Sys.sleep(wait)
      next
    }
    answer <- fromJSON(rawToChar(res$content), simplifyVector = FALSE)
    if (length(answer$errors) > 0) {
      stop("cybertrade: ", paste(vapply(answer$errors, function(e) e$message, ""), collapse = "; "))
    }
    releases <<- union(releases, answer$extensions$dataset$version)
    return(answer$data)
  }
}

rows <- list()
after <- NULL
repeat {
  page <- graphql(list(first = page_size, after = after))$responses
  for (r in page$nodes) {
    replies <- Filter(function(x) x$kind == "ACTION", r$replies)
    if (length(replies) == 0) replies <- list(list(moveOption = "", date = "", title = ""))
    for (x in replies) {
      rows[[length(rows) + 1]] <- data.frame(
        company = r$company$name, country = r$country$code, date = r$date, response = substr(r$title, 1, 40),
        reply_option = x$moveOption, reply_date = x$date, reply = substr(x$title, 1, 40))
    }
  }
  if (!isTRUE(page$pageInfo$hasNextPage)) break
  after <- page$pageInfo$endCursor
}
defy <- do.call(rbind, rows)
print(defy, right = FALSE, row.names = FALSE)
cat(sprintf("\n%d row(s); dataset release %s\n", nrow(defy), paste(sort(releases), collapse = ", ")))
