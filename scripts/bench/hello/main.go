// Command hello is a copy of ../shared/bench/limits/hello: a bare net/http
// handler on 127.0.0.1:18080, the HTTP ceiling (see scripts/bench/side-by-side.sh).
package main

import (
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello"))
	})
	http.ListenAndServe("127.0.0.1:18080", nil)
}
