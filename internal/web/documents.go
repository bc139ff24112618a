package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// claimedTypes are the content types file name endings claim: a PNG
// named cv.pdf is not what it says (certibloc.CheckDocument).
var claimedTypes = map[string]string{".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
	".jpeg": "image/jpeg"}

// uploadFields are the fields of the upload form: the kind, the file and,
// when the application has documents, the one it replaces, if any.
func uploadFields(pg *page, errs formErrors, docs []certibloc.Document) []admField {
	kinds := admField{Name: "kind", ID: "f-kind", Type: "select", Label: pg.T("doc_f_kind"), Required: true,
		Value: certibloc.DocCV}
	for _, k := range certibloc.DocumentKinds {
		kinds.Options = append(kinds.Options, option{k, pg.T("doc_" + k)})
	}
	file := admField{Name: "file", ID: "f-file", Type: "file", Label: pg.T("doc_f_file"), Required: true,
		Hint: pg.Tf("doc_h_file_f", certibloc.MaxDocumentSize>>20), Accept: documentAccept}
	fields := []admField{kinds, file}
	if len(docs) > 0 {
		replaces := admField{Name: "replaces", ID: "f-replaces", Type: "select", Label: pg.T("doc_f_replaces"),
			Options: []option{{"", pg.T("doc_replaces_none")}}}
		for _, d := range docs {
			replaces.Options = append(replaces.Options, option{strconv.FormatInt(d.ID, 10), d.Filename + " (" + pg.T("doc_"+d.Kind) + ")"})
		}
		fields = append(fields, replaces)
	}
	return fields
}

// documentPath is the address of a document to download.
func documentPath(app, doc int64) string {
	return applicationPath(app) + "/documents/" + strconv.FormatInt(doc, 10)
}

// uploadDocument adds a file to the candidate's application. The file
// must be a PDF, PNG or JPEG by its content, whatever its name says, and
// at most certibloc.MaxDocumentSize; anything else comes back in words.
func (s *Site) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	fail := func(field, msg string) error {
		return s.renderApplication(w, r, http.StatusBadRequest, a, false, "", formErrors{field: msg}, nil)
	}
	kind := r.PostFormValue("kind")
	if !contains(certibloc.DocumentKinds, kind) {
		return fail("kind", pg.T("doc_e_kind"))
	}
	file, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return fail("file", pg.T("doc_e_missing"))
	} else if err != nil {
		return fail("file", pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20))
	}
	defer file.Close()
	name := certibloc.CleanFilename(hdr.Filename) // shown in messages: no bidi tricks
	if hdr.Size > certibloc.MaxDocumentSize {
		return fail("file", pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20))
	}
	data, err := io.ReadAll(io.LimitReader(file, certibloc.MaxDocumentSize+1))
	if err != nil {
		return err
	}
	contentType, sniffErr := certibloc.SniffDocument(name, data)
	claimed, known := claimedTypes[strings.ToLower(path.Ext(name))]
	switch {
	case len(data) == 0:
		return fail("file", pg.Tf("doc_e_empty_f", name))
	case len(data) > certibloc.MaxDocumentSize:
		return fail("file", pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20))
	case sniffErr != nil:
		return fail("file", pg.Tf("doc_e_type_f", name))
	case known && claimed != contentType:
		return fail("file", pg.Tf("doc_e_claims_f", name, pg.T("doc_type_"+contentType)))
	}
	var replaces int64
	if v := r.PostFormValue("replaces"); v != "" {
		if replaces, err = strconv.ParseInt(v, 10, 64); err != nil || replaces <= 0 {
			return fail("replaces", pg.T("doc_e_replaces"))
		}
	}
	_, err = s.db.ReplaceDocument(r.Context(), a.ID, replaces, kind, name, data)
	switch certibloc.ErrorCode(err) {
	case "":
		done := "uploaded"
		if replaces != 0 {
			done = "replaced"
		}
		http.Redirect(w, r, applicationPath(a.ID)+"?done="+done, http.StatusSeeOther)
		return nil
	case certibloc.ECONFLICT: // the commission met, or the most documents reached
		if now, err := s.db.Application(r.Context(), a.ID); err == nil {
			if open, err := s.db.DocumentsOpen(r.Context(), now); err == nil && !open {
				return fail("file", pg.Tf("doc_e_closed_f", stateLabel(pg, now.State)))
			}
		}
		return fail("file", errorText(pg, err))
	case certibloc.EINVALID:
		return fail("file", errorText(pg, err))
	}
	return err
}

// downloadDocument sends a document of an application to its candidate
// or to staff of its school, always as an attachment, with the type found
// in its content and a name that ends as that type does
// (certibloc.ServedDocument).
func (s *Site) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	d, data, err := s.db.DocumentData(r.Context(), id)
	if err != nil {
		return err
	}
	if d.ApplicationID != a.ID {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no document %d in this application", id)
	}
	contentType, name := certibloc.ServedDocument(d.Filename, data)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", attachment(name))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(data)
	return err
}

// attachment is the Content-Disposition of a download named name.
func attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}
