package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// The documents of an application: uploaded while it is a draft, as a
// multipart form (a "file" part and a "kind" field) or as the raw body
// with ?kind=&filename=; listed and downloaded by whoever may read the
// application.

// maxUpload bounds an upload request: a document and a form around it.
const maxUpload = certibloc.MaxDocumentSize + 1<<20

func (a *API) addDocument(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	kind, filename, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	doc, err := a.db.AddDocument(r.Context(), app.ID, kind, filename, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, doc)
}

// readUpload reads the document of an upload request, either form.
func readUpload(w http.ResponseWriter, r *http.Request) (kind, filename string, data []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		q := r.URL.Query()
		data, err = readAtMost(r.Body)
		return q.Get("kind"), q.Get("filename"), data, err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || strings.Contains(err.Error(), "request body too large") {
			return "", "", nil, tooLarge()
		}
		return "", "", nil, certibloc.Errorf(certibloc.EINVALID, "the multipart form could not be read: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	f, header, err := r.FormFile("file")
	if err != nil {
		return "", "", nil, certibloc.Errorf(certibloc.EINVALID, "the form has no file part named \"file\"")
	}
	defer f.Close()
	data, err = readAtMost(f)
	return r.FormValue("kind"), header.Filename, data, err
}

// readAtMost reads a document, refusing one larger than the limit.
func readAtMost(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, certibloc.MaxDocumentSize+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), len(data) > certibloc.MaxDocumentSize:
		return nil, tooLarge()
	case err != nil:
		return nil, err
	}
	return data, nil
}

func tooLarge() error {
	return certibloc.Errorf(certibloc.EINVALID, "the document is too large: a document may not be larger than %d MiB",
		certibloc.MaxDocumentSize>>20)
}

func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	list, err := a.db.Documents(r.Context(), app.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"documents": list})
}

// getDocument sends a document as an attachment, with the type read from
// its content and a name that ends as that type does
// (certibloc.ServedDocument): never shown in the page, never sniffed.
func (a *API) getDocument(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "doc", "document")
	if err != nil {
		return err
	}
	doc, data, err := a.db.DocumentData(r.Context(), id)
	if err == nil && doc.ApplicationID != app.ID {
		err = certibloc.Errorf(certibloc.ENOTFOUND, "application %d has no document %d", app.ID, id)
	}
	if err != nil {
		return err
	}
	contentType, name := certibloc.ServedDocument(doc.Filename, data)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", fmt.Sprintf("%q", doc.SHA256))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(data)
	return err
}
