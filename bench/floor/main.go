// Command floor is the benchmark's floor: a minimal hand-written Go handler that answers
// query 1 of the mix (the DEFY question, first 100) with one SQL statement and writes the same
// JSON as cybertrade. Whatever the request body, POST or GET /graphql returns that answer.
// It shows what the database and Go's HTTP server cost without GraphQL:
//
//	DATABASE_URL=postgres://... floor -addr 127.0.0.1:18082
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
)

// defySQL is the least SQL for the DEFY question: the first 100 DEFY responses in causal date
// order (moves.sort_key, as cybertrade lists them) with
// their company and country, and each replying move, in one statement.
const defySQL = `WITH r AS (
	SELECT id, slug, date, sort_key, title, company_option, company_id, country_id
	FROM moves WHERE kind = 'RESPONSE' AND company_option = 'DEFY' ORDER BY sort_key, id LIMIT 100)
SELECT r.slug, r.date, r.title, r.company_option, co.slug, co.name, c.code, c.name,
	a.kind, a.slug, a.country_option, a.date, a.title
FROM r JOIN companies co ON co.id = r.company_id JOIN countries c ON c.id = r.country_id
LEFT JOIN move_links l ON l.target_id = r.id LEFT JOIN moves a ON a.id = l.reply_id
ORDER BY r.sort_key, r.id, a.sort_key, a.id`

type company struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// reply is a CountryAction's fields; a reply of another kind is an empty object, as the
// inline fragment `... on CountryAction` gives.
type reply struct {
	Slug   string `json:"slug,omitempty"`
	Option string `json:"option,omitempty"`
	Date   string `json:"date,omitempty"`
	Title  string `json:"title,omitempty"`
}

type node struct {
	Slug    string  `json:"slug"`
	Date    string  `json:"date"`
	Title   string  `json:"title"`
	Option  string  `json:"option"`
	Company company `json:"company"`
	Country country `json:"country"`
	Replies []reply `json:"replies"`
}

type edge struct {
	Node *node `json:"node"`
}

type answer struct {
	Data struct {
		Responses struct {
			Edges []edge `json:"edges"`
		} `json:"responses"`
	} `json:"data"`
}

func defy(ctx context.Context, db *sql.DB) (*answer, error) {
	rows, err := db.QueryContext(ctx, defySQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &answer{}
	out.Data.Responses.Edges = []edge{}
	var cur *node
	var prev string
	for rows.Next() {
		var n node
		var kind, slug, opt, date, title sql.NullString
		if err := rows.Scan(&n.Slug, &n.Date, &n.Title, &n.Option, &n.Company.Slug, &n.Company.Name, &n.Country.Code, &n.Country.Name,
			&kind, &slug, &opt, &date, &title); err != nil {
			return nil, err
		}
		if cur == nil || n.Slug != prev {
			n.Replies = []reply{}
			cur, prev = &n, n.Slug
			out.Data.Responses.Edges = append(out.Data.Responses.Edges, edge{Node: cur})
		}
		switch {
		case !kind.Valid:
		case kind.String == "ACTION":
			cur.Replies = append(cur.Replies, reply{Slug: slug.String, Option: opt.String, Date: date.String, Title: title.String})
		default:
			cur.Replies = append(cur.Replies, reply{})
		}
	}
	return out, rows.Err()
}

// handler answers /graphql with the DEFY question, whatever the request.
func handler(db *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		a, err := defy(r.Context(), db)
		if err != nil {
			http.Error(w, "database error", http.StatusInternalServerError)
			log.Print(err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(a)
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "listen address")
	flag.Parse()
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		log.Fatal("floor: set DATABASE_URL")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: handler(db), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Printf("floor listening on http://%s/graphql\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
