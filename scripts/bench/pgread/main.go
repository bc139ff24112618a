// Command pgread is the PostgreSQL twin of ../shared/bench/limits/sqlread:
// a minimal handler reading one person's 6 rows and writing JSON, on
// 127.0.0.1:18082, the ceiling of a database-backed read on PostgreSQL.
//
//	pgread URL init   # 10,000 people with 6 rows each, in the URL's search_path
//	pgread URL        # serve /people/{id}/blocks
package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net/http"
	"os"
	"strconv"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type block struct {
	Code      string `json:"code"`
	Validated bool   `json:"validated"`
	Date      string `json:"date"`
	Route     string `json:"route"`
}

func main() {
	db, err := sql.Open("pgx", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(20) // as certibloc's pool
	db.SetMaxIdleConns(10)
	if len(os.Args) > 2 && os.Args[2] == "init" {
		for _, q := range []string{
			`create table person(id integer primary key, name text)`,
			`create table ledger(person_id integer, code text, validated boolean, date text, route text, primary key(person_id, code))`,
		} {
			if _, err := db.Exec(q); err != nil {
				log.Fatal(err)
			}
		}
		tx, _ := db.Begin()
		for i := 1; i <= 10000; i++ {
			tx.Exec(`insert into person values($1,$2)`, i, "P"+strconv.Itoa(i))
			for b := 1; b <= 6; b++ {
				tx.Exec(`insert into ledger values($1,$2,$3,$4,$5)`, i, fmt.Sprintf("RNCP38478BC%02d", b), rand.Intn(2) == 1, "2026-06-30", "training")
			}
		}
		if err := tx.Commit(); err != nil {
			log.Fatal(err)
		}
		return
	}
	stmt, err := db.Prepare(`select code, validated, date, route from ledger where person_id = $1 order by code`)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/people/{id}/blocks", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		rows, err := stmt.QueryContext(r.Context(), id)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		var out []block
		for rows.Next() {
			var b block
			rows.Scan(&b.Code, &b.Validated, &b.Date, &b.Route)
			out = append(out, b)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:18082", nil))
}
