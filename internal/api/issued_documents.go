package api

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/session"
)

// The documents the certifier issued: their public verification by
// number, for anyone, and their PDF for the holder and the staff of the
// holder's school.

// verifyDocument answers whether a number is that of a genuine document,
// valid or revoked, with the minimum about it (certibloc.Verification).
// A malformed number is refused before anything is counted or looked up;
// lookups are throttled per client address. The messages are in the
// language asked for (?lang=, Accept-Language).
func (a *API) verifyDocument(w http.ResponseWriter, r *http.Request) error {
	l := answerLang(w, r)
	w.Header().Set("Cache-Control", "no-store") // a revocation shows at once
	number, err := certibloc.ParseDocumentNumberIn(r.PathValue("number"), l)
	if err != nil {
		return err
	}
	d, err := a.db.VerifyDocument(r.Context(), a.clientIP(r), number)
	if err != nil {
		if c := certibloc.ErrorCode(err); c == certibloc.ENOTFOUND || c == certibloc.ETOOMANY {
			return certibloc.Errorf(c, "%s", certibloc.VerifyRefusal(err, l))
		}
		return err
	}
	return writeJSON(w, http.StatusOK, d.Verify())
}

// documentPDF sends the PDF of a document as it was issued.
func (a *API) documentPDF(w http.ResponseWriter, r *http.Request) error {
	number, err := certibloc.ParseDocumentNumber(r.PathValue("number"))
	if err != nil {
		return err
	}
	d, err := a.db.DocumentByNumber(r.Context(), number)
	if err != nil {
		return err
	}
	if err := d.AuthorizeDownload(certibloc.PrincipalFrom(r.Context())); err != nil {
		return err
	}
	pdf, err := a.db.DocumentPDF(r.Context(), number)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+string(d.Kind)+"-"+d.Number+`.pdf"`)
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(pdf)
	return err
}

// clientIP is the address of the client, behind a trusted proxy too.
func (a *API) clientIP(r *http.Request) string {
	m := a.sessions
	if m == nil {
		m = session.New(a.db, session.Config{})
	}
	return m.ClientIP(r)
}
