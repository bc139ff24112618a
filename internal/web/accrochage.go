package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The certifier's declarations to the Caisse des Dépôts, on one staff
// page: the holders overdue, the check of a closed jury or of a period
// (each holder missing data named, with a link to their record), where
// each passage stands, the export, the Caisse's processing reports, the
// files sent and the certifications' accounts.

func init() {
	registerPage("accrochage", "templates/accrochage.html")
}

const accrochagePath = "/app/reports/accrochage"

func (s *Site) accrochageRoutes() []Route {
	return []Route{
		{"GET " + accrochagePath, certibloc.DeclareHolders, s.accrochagePage},
		{"POST " + accrochagePath + "/export", certibloc.DeclareHolders, s.accrochageExport},
		{"POST " + accrochagePath + "/report", certibloc.DeclareHolders, s.accrochageReport},
		{"POST " + accrochagePath + "/account", certibloc.DeclareHolders, s.accrochageAccount},
		{"GET " + accrochagePath + "/exports/{id}", certibloc.DeclareHolders, s.accrochageDownload},
	}
}

// accrochageView is the page.
type accrochageView struct {
	Notice   string
	Problems []problemLink // what keeps the export or a form from going through
	Overdue  []passageRow
	Scope    scopeForm
	Checked  bool // a scope was given and checked
	ToSend   int
	Ready    bool
	Passages []passageRow
	Files    []fileRow
	Exports  []exportRow
	Accounts []certibloc.CDCAccount
	Account  accountForm
}

// problemLink is a problem in words, with the page that corrects it.
type problemLink struct {
	Text, Link string
}

type scopeForm struct {
	Jury, From, To string
}

// Query is the scope as a query string, for the export form's fields.
func (f scopeForm) Query() string {
	return fmt.Sprintf("jury=%s&from=%s&to=%s", f.Jury, f.From, f.To)
}

type accountForm struct {
	Certification, Client, Contract, Emitter string
}

// passageRow is a holder's line.
type passageRow struct {
	Name, Link, Certification, Awarded, Due, Status, Message string
	Overdue                                                  bool
}

type fileRow struct {
	IDFlux, Created, Report string
	Passages                int
}

func (s *Site) accrochagePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderAccrochage(w, r, http.StatusOK, scopeForm{Jury: q.Get("jury"), From: q.Get("from"), To: q.Get("to")}, q.Get("done"), nil)
}

// scopeOf reads a scope form; nothing given is the zero scope, checked
// by nobody.
func scopeOf(pg *page, f scopeForm) (sqldb.AccrochageScope, bool, error) {
	var sc sqldb.AccrochageScope
	if f.Jury == "" && f.From == "" && f.To == "" {
		return sc, false, nil
	}
	if f.Jury != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(f.Jury), 10, 64)
		if err != nil || id <= 0 {
			return sc, true, certibloc.Errorf(certibloc.EINVALID, "%s", pg.T("cdc_e_jury"))
		}
		sc.JuryID = id
	}
	for _, d := range []struct {
		in  string
		out *certibloc.Date
	}{{f.From, &sc.From}, {f.To, &sc.To}} {
		if d.in == "" {
			continue
		}
		v, err := certibloc.ParseDate(strings.TrimSpace(d.in))
		if err != nil {
			return sc, true, certibloc.Errorf(certibloc.EINVALID, "%s", pg.T("cdc_e_date"))
		}
		*d.out = v
	}
	return sc, true, nil
}

func (s *Site) renderAccrochage(w http.ResponseWriter, r *http.Request, status int, f scopeForm, done string, problems []problemLink) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("cdc_title"), pg.T("cdc_description")
	l := pageLang(pg)
	v := &accrochageView{Scope: f, Problems: problems, Account: accountForm{Certification: "RNCP38478"}}
	switch done {
	case "report":
		accepted, errA := strconv.Atoi(r.URL.Query().Get("accepted"))
		rejected, errR := strconv.Atoi(r.URL.Query().Get("rejected"))
		if errA == nil && errR == nil {
			v.Notice = pg.Tf("cdc_done_report_f", pg.Nf("cdc_passages_ok", accepted), pg.Nf("cdc_rejected", rejected))
		}
	case "account":
		v.Notice = pg.T("cdc_done_account")
	}
	row := func(st *certibloc.PassageState) passageRow {
		msg := st.Message
		status := pg.T("cdc_status_" + st.Status)
		if st.Changed {
			status = pg.T("cdc_status_changed")
		}
		return passageRow{Name: st.Holder.Name(), Link: fmt.Sprintf("/app/people/%d", st.PersonID), Certification: st.Certification,
			Awarded: st.AwardedOn.String(), Due: st.Due.String(), Status: status, Message: msg, Overdue: st.Overdue}
	}
	late, err := s.db.AccrochageOverdue(ctx)
	if err != nil {
		return err
	}
	for i := range late {
		v.Overdue = append(v.Overdue, row(&late[i]))
	}
	sc, given, err := scopeOf(pg, f)
	if given && err == nil {
		var ps certibloc.Problems
		v.ToSend, ps, err = s.db.AccrochageCheck(ctx, sc)
		for _, p := range ps {
			v.Problems = append(v.Problems, problemLink{Text: p.In(l), Link: p.Link})
		}
		if err == nil {
			v.Checked, v.Ready = true, v.ToSend > 0 && len(ps) == 0
			list, lerr := s.db.AccrochagePassages(ctx, sc, "", 0)
			if lerr != nil {
				return lerr
			}
			for i := range list {
				v.Passages = append(v.Passages, row(&list[i]))
			}
		}
	}
	if err != nil {
		if certibloc.ErrorCode(err) == certibloc.EINTERNAL {
			return err
		}
		v.Problems = append(v.Problems, problemLink{Text: pg.T(refusalKey(err, "cdc_e_scope"))})
		status = http.StatusBadRequest
	}
	files, err := s.db.CDCFiles(ctx, 20)
	if err != nil {
		return err
	}
	for _, f := range files {
		fr := fileRow{IDFlux: f.IDFlux, Created: f.CreatedAt.In(paris).Format("2006-01-02 15:04"), Passages: f.Passages, Report: pg.T("cdc_no_report")}
		if f.ReportedAt != nil {
			fr.Report = pg.Tf("cdc_report_f", pg.Nf("cdc_accepted", f.Accepted), pg.Nf("cdc_rejected", f.Rejected))
		}
		v.Files = append(v.Files, fr)
	}
	if v.Exports, err = s.exportRows(ctx, pg); err != nil {
		return err
	}
	if v.Accounts, err = s.db.CDCAccounts(ctx); err != nil {
		return err
	}
	return s.renderApp(w, status, "accrochage", pg, v)
}

// accrochageExport writes the files of the scope in the form and answers
// the one file, or a zip of them; holders missing data show on the page.
func (s *Site) accrochageExport(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	f := scopeForm{Jury: r.PostFormValue("jury"), From: r.PostFormValue("from"), To: r.PostFormValue("to")}
	sc, _, err := scopeOf(pg, f)
	if err != nil {
		return s.renderAccrochage(w, r, http.StatusBadRequest, f, "", nil)
	}
	if err := httpx.ExportAccrochage(w, r, s.db, sc, 0); err != nil {
		if certibloc.ErrorCode(err) == certibloc.EINTERNAL {
			return err
		}
		// The page checks again and names what is wrong.
		return s.renderAccrochage(w, r, http.StatusBadRequest, f, "", []problemLink{{Text: pg.T(refusalKey(err, "cdc_e_export"))}})
	}
	return nil
}

// maxReportUpload bounds a processing report sent through the page.
const maxReportUpload = 64 << 20

// accrochageReport applies the Caisse's processing report uploaded.
func (s *Site) accrochageReport(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	refuse := func(msg string) error {
		return s.renderAccrochage(w, r, http.StatusBadRequest, scopeForm{}, "", []problemLink{{Text: msg}})
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return refuse(pg.T("cdc_e_no_file"))
	}
	defer file.Close()
	rep, err := cdc.ParseReport(io.LimitReader(file, maxReportUpload))
	if err != nil {
		return refuse(pg.T("cdc_e_report"))
	}
	pr := &certibloc.ProcessingReport{IDFlux: rep.IDFlux, ProcessingID: rep.IDTraitement, FileName: rep.NomFichier, Accepted: rep.OK}
	for _, k := range rep.KO {
		pr.Rejected = append(pr.Rejected, certibloc.RejectedPassage{IDTechnique: k.IDTechnique, Message: k.Message})
	}
	applied, err := s.db.ApplyAccrochageReport(r.Context(), pr)
	if err != nil {
		if certibloc.ErrorCode(err) == certibloc.EINTERNAL {
			return err
		}
		return refuse(pg.T(refusalKey(err, "cdc_e_report_foreign")))
	}
	http.Redirect(w, r, fmt.Sprintf("%s?done=report&accepted=%d&rejected=%d", accrochagePath, applied.Accepted, applied.Rejected), http.StatusSeeOther)
	return nil
}

// accrochageAccount sets a certification's account at the Caisse.
func (s *Site) accrochageAccount(w http.ResponseWriter, r *http.Request) error {
	a := &certibloc.CDCAccount{Certification: strings.ToUpper(strings.TrimSpace(r.PostFormValue("certification"))),
		Client: r.PostFormValue("client"), Contract: r.PostFormValue("contract"), Emitter: r.PostFormValue("emitter")}
	if err := s.db.SetCDCAccount(r.Context(), a); err != nil {
		if certibloc.ErrorCode(err) == certibloc.EINTERNAL {
			return err
		}
		pg := s.page(r, "")
		return s.renderAccrochage(w, r, http.StatusBadRequest, scopeForm{}, "", []problemLink{{Text: pg.T("cdc_e_account")}})
	}
	http.Redirect(w, r, accrochagePath+"?done=account", http.StatusSeeOther)
	return nil
}

// refusalKey is the interface string of a refusal by the store, whose own
// message is in English: not found (no such jury, no holder), conflict
// (an open jury, nothing changed, a report already applied), or what an
// invalid request means on this form.
func refusalKey(err error, invalid string) string {
	switch certibloc.ErrorCode(err) {
	case certibloc.ENOTFOUND:
		return "cdc_e_not_found"
	case certibloc.ECONFLICT:
		return "cdc_e_conflict"
	}
	return invalid
}
