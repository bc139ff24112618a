// Command sqlread is a copy of ../shared/bench/limits/sqlread: a minimal
// handler reading one person's 6 rows from SQLite (WAL, 10,000 people) and
// writing JSON on 127.0.0.1:18081, the ceiling of a database-backed read.
//
//	sqlread FILE init; sqlread FILE
package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"strconv"

	_ "modernc.org/sqlite"
)

type block struct {
	Code      string `json:"code"`
	Validated bool   `json:"validated"`
	Date      string `json:"date"`
	Route     string `json:"route"`
}

func main() {
	path := os.Args[1]
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(8)
	if len(os.Args) > 2 && os.Args[2] == "init" {
		db.Exec(`create table person(id integer primary key, name text)`)
		db.Exec(`create table ledger(person_id integer, code text, validated int, date text, route text, primary key(person_id, code))`)
		tx, _ := db.Begin()
		for i := 1; i <= 10000; i++ {
			tx.Exec(`insert into person values(?,?)`, i, "P"+strconv.Itoa(i))
			for b := 1; b <= 6; b++ {
				tx.Exec(`insert into ledger values(?,?,?,?,?)`, i, fmt.Sprintf("RNCP38478BC%02d", b), rand.Intn(2), "2026-06-30", "training")
			}
		}
		tx.Commit()
		return
	}
	stmt, _ := db.Prepare(`select code, validated, date, route from ledger where person_id = ? order by code`)
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
	http.ListenAndServe("127.0.0.1:18081", nil)
}
