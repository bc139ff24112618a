package api

import (
	_ "embed"
	"net/http"
)

// OpenAPIDocument is the OpenAPI 3.1 description of the API. A test holds
// it against the real handlers: every route documented, every answer valid.
//
//go:embed openapi.json
var OpenAPIDocument []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(OpenAPIDocument)
	return err
}
