package web

import (
	"bytes"
	"net/http"

	"github.com/certibloc/certibloc"
)

// The public verification of the documents the certifier issued: anyone
// holding a certificate, an attestation or a transcript types its number
// (or follows its QR code) and reads whether it is genuine and valid,
// with the minimum about it (certibloc.Verification). A malformed number
// is refused in the page's language before anything is looked up;
// lookups are throttled per client address, with the API's (sqldb.VerifyDocument).

func init() {
	registerPage("verify", "templates/verify.html")
}

// verifyView is what verify.html shows: the number typed, and either the
// document found or why there is none.
type verifyView struct {
	Number string // as typed, for the form
	Error  string // malformed, unknown, throttled: in the page's language
	V      *certibloc.Verification
	Kind   string // the kind of document, in words
}

// verifyForm is /verify: the form, and the answer for ?number= when the
// form was sent.
func (s *Site) verifyForm(w http.ResponseWriter, r *http.Request) error {
	if n := r.URL.Query().Get("number"); n != "" {
		return s.verifyNumber(w, r, n)
	}
	pg := s.page(r, "")
	return s.renderVerify(w, pg, http.StatusOK, &verifyView{})
}

// verify is /verify/{number}, where a document's QR code leads.
func (s *Site) verify(w http.ResponseWriter, r *http.Request) error {
	return s.verifyNumber(w, r, r.PathValue("number"))
}

func (s *Site) verifyNumber(w http.ResponseWriter, r *http.Request, typed string) error {
	pg := s.page(r, "")
	l := certibloc.French
	if pg.Lang == "en" {
		l = certibloc.English
	}
	v := &verifyView{Number: typed}
	number, err := certibloc.ParseDocumentNumberIn(typed, l)
	if err != nil {
		v.Error = errorText(pg, err)
		return s.renderVerify(w, pg, http.StatusBadRequest, v)
	}
	d, err := s.db.VerifyDocument(r.Context(), s.clientIP(r), number)
	switch certibloc.ErrorCode(err) {
	case "":
	case certibloc.ENOTFOUND:
		v.Error = certibloc.VerifyRefusal(err, l)
		return s.renderVerify(w, pg, http.StatusNotFound, v)
	case certibloc.ETOOMANY:
		v.Error = certibloc.VerifyRefusal(err, l)
		w.Header().Set("Retry-After", "60")
		return s.renderVerify(w, pg, http.StatusTooManyRequests, v)
	default:
		return err
	}
	ver := d.Verify()
	v.Number, v.V, v.Kind = number, &ver, d.Kind.In(l)
	return s.renderVerify(w, pg, http.StatusOK, v)
}

// renderVerify writes the page with its status. Nothing of it is cached,
// so that a revocation shows at once, nor indexed: the holder's name is
// for the reader holding the document, not for search engines.
func (s *Site) renderVerify(w http.ResponseWriter, pg *page, status int, v *verifyView) error {
	pg.Title = pg.T("verify_title")
	if v.V != nil {
		pg.Title = pg.T("verify_title_valid")
		if v.V.Status == certibloc.DocumentRevoked {
			pg.Title = pg.T("verify_title_revoked")
		}
	} else if v.Error != "" {
		pg.Title = pg.T("verify_title_error")
	}
	pg.Description = pg.T("verify_description")
	if len(pg.Menu) == 0 {
		pg.NavLabel = pg.T("site")
		pg.Nav = []navItem{{Href: "/", Label: pg.T("auth_nav_home")}, {Href: "/verify?lang=" + pg.Lang, Label: pg.T("verify_title")}}
	}
	pg.Body = v
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Type", "text/html; charset=utf-8")
	var buf bytes.Buffer
	if err := s.pages.render(&buf, "verify", pg); err != nil {
		return err
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
