package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Declarations of holders to the Caisse des Dépôts (accrochage): the
// check before export, the export itself (the XML flux, or a zip of the
// files when the size limit splits it), where each passage stands, the
// Caisse's processing reports, and reading a flux another tool wrote.

// maxFluxBody bounds an uploaded flux or report.
const maxFluxBody = 64 << 20

// scopeQuery reads ?jury= or ?from=&to=, and ?certification=.
func scopeQuery(r *http.Request) (sqldb.AccrochageScope, error) {
	q := r.URL.Query()
	var s sqldb.AccrochageScope
	if v := q.Get("jury"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return s, certibloc.Errorf(certibloc.EINVALID, "jury=%q must be a jury id", certibloc.Cut(v))
		}
		s.JuryID = id
	}
	for name, d := range map[string]*certibloc.Date{"from": &s.From, "to": &s.To} {
		if v := q.Get(name); v != "" {
			got, err := certibloc.ParseDate(v)
			if err != nil {
				return s, certibloc.Errorf(certibloc.EINVALID, "%s=%q must be a date YYYY-MM-DD", name, certibloc.Cut(v))
			}
			*d = got
		}
	}
	s.Certification = q.Get("certification")
	return s, nil
}

// exportInput is the body of an export: a closed jury or a date range.
type exportInput struct {
	Jury          int64          `json:"jury"`
	From          certibloc.Date `json:"from"`
	To            certibloc.Date `json:"to"`
	Certification string         `json:"certification"`
	SizeLimit     int64          `json:"size_limit"`
}

// checkAccrochage answers what keeps the holders to send from being
// declared, each problem worded in the request's language with its link.
func (a *API) checkAccrochage(w http.ResponseWriter, r *http.Request) error {
	s, err := scopeQuery(r)
	if err != nil {
		return err
	}
	n, ps, err := a.db.AccrochageCheck(r.Context(), s)
	if err != nil {
		return err
	}
	l := answerLang(w, r)
	list := make([]problemAnswer, len(ps))
	for i, p := range ps {
		list[i] = problemAnswer{Problem: p, Message: p.In(l)}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"to_send": n, "ready": n > 0 && len(ps) == 0, "problems": list})
}

// exportAccrochage writes the passages to send to files in a temporary
// directory, records them as sent, then answers the one file, or a zip of
// them all when the size limit split the export.
func (a *API) exportAccrochage(w http.ResponseWriter, r *http.Request) error {
	var in exportInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	scope := sqldb.AccrochageScope{JuryID: in.Jury, From: in.From, To: in.To, Certification: in.Certification}
	return httpx.ExportAccrochage(w, r, a.db, scope, in.SizeLimit)
}

// accrochagePassages lists the holders in scope and where each stands.
func (a *API) accrochagePassages(w http.ResponseWriter, r *http.Request) error {
	s, err := scopeQuery(r)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	switch status {
	case "", certibloc.PassageToSend, certibloc.PassageSent, certibloc.PassageAccepted, certibloc.PassageRejected:
	default:
		return certibloc.Errorf(certibloc.EINVALID, "status=%q must be to_send, sent, accepted or rejected", certibloc.Cut(status))
	}
	list, err := a.db.AccrochagePassages(r.Context(), s, status, 0)
	if err != nil {
		return err
	}
	if list == nil {
		list = []certibloc.PassageState{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"passages": list})
}

// accrochageOverdue lists the holders not declared three months after their jury.
func (a *API) accrochageOverdue(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.AccrochageOverdue(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []certibloc.PassageState{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"passages": list})
}

// accrochageFiles lists the files sent and their reports.
func (a *API) accrochageFiles(w http.ResponseWriter, r *http.Request) error {
	files, err := a.db.CDCFiles(r.Context(), 0)
	if err != nil {
		return err
	}
	if files == nil {
		files = []sqldb.CDCFile{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"files": files})
}

// accrochageArchive lists the past exports, the latest first.
func (a *API) accrochageArchive(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.CDCExports(r.Context(), 0)
	if err != nil {
		return err
	}
	if list == nil {
		list = []sqldb.CDCExport{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"exports": list})
}

// accrochageArchived answers a past export's files again, as they were
// made: the XML of one, a zip of several.
func (a *API) accrochageArchived(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "export")
	if err != nil {
		return err
	}
	return httpx.ServeAccrochageExport(w, r, a.db, id)
}

// ReadReport reads the Caisse's processing report as the store applies it.
func ReadReport(r io.Reader) (*certibloc.ProcessingReport, error) {
	rep, err := cdc.ParseReport(r)
	if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "%s", err)
	}
	out := &certibloc.ProcessingReport{IDFlux: rep.IDFlux, ProcessingID: rep.IDTraitement, FileName: rep.NomFichier, Accepted: rep.OK}
	for _, k := range rep.KO {
		out.Rejected = append(out.Rejected, certibloc.RejectedPassage{IDTechnique: k.IDTechnique, Message: k.Message})
	}
	return out, nil
}

// applyAccrochageReport applies the Caisse's processing report in the body.
func (a *API) applyAccrochageReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := ReadReport(http.MaxBytesReader(w, r.Body, maxFluxBody))
	if err != nil {
		return err
	}
	applied, err := a.db.ApplyAccrochageReport(r.Context(), rep)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, applied)
}

// accountInput is a certification's account at the Caisse.
type accountInput struct {
	Emitter  string `json:"emitter"`
	Client   string `json:"client"`
	Contract string `json:"contract"`
}

func (a *API) putCDCAccount(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in accountInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	acct := &certibloc.CDCAccount{Certification: code, Emitter: in.Emitter, Client: in.Client, Contract: in.Contract}
	if err := a.db.SetCDCAccount(r.Context(), acct); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, acct)
}

func (a *API) listCDCAccounts(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.CDCAccounts(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []certibloc.CDCAccount{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"accounts": list})
}

// FluxRead is what a flux read from another tool holds.
type FluxRead struct {
	IDFlux         string         `json:"id_flux"`
	Horodatage     string         `json:"horodatage"`
	Emitter        string         `json:"emitter"`
	Client         string         `json:"client"`
	Contract       string         `json:"contract"`
	Certifications []FluxCertRead `json:"certifications"`
	Passages       int            `json:"passages"`
}

// FluxCertRead is one certification of a flux read, with its passages.
type FluxCertRead struct {
	Type     string        `json:"type"`
	Code     string        `json:"code"`
	Passages []PassageRead `json:"passages"`
}

// PassageRead is a passage as a flux read declares it.
type PassageRead struct {
	IDTechnique   string `json:"id_technique"`
	Holder        string `json:"holder"` // the names, or the CPF training file
	BirthYear     int    `json:"birth_year,omitempty"`
	ValidFrom     string `json:"valid_from"`
	ModaliteAcces string `json:"modalite_acces,omitempty"`
}

// ReadFlux reads a flux another tool wrote and sums it up.
func ReadFlux(r io.Reader) (*FluxRead, error) {
	f, err := cdc.Parse(r)
	if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the flux is refused: %s", err)
	}
	out := &FluxRead{IDFlux: f.IDFlux, Horodatage: f.Horodatage.Format(cdc.StampLayout), Emitter: f.Emetteur, Client: f.Certificateur, Contract: f.Contrat}
	for _, c := range f.Certifications {
		cr := FluxCertRead{Type: c.Type, Code: c.Code, Passages: []PassageRead{}}
		for _, p := range c.Passages {
			pr := PassageRead{IDTechnique: p.IDTechnique, ValidFrom: p.DateDebutValidite, ModaliteAcces: p.Inscription.ModaliteAcces}
			if t := p.Titulaire; t != nil {
				pr.Holder, pr.BirthYear = t.Prenom1+" "+t.NomNaissance, t.Annee
			} else {
				pr.Holder = p.Dossier.Prenom + " " + p.Dossier.Nom + " (dossier " + p.Dossier.IDDossier + ")"
			}
			cr.Passages = append(cr.Passages, pr)
		}
		out.Passages += len(cr.Passages)
		out.Certifications = append(out.Certifications, cr)
	}
	return out, nil
}

// importAccrochage reads a flux written by another tool and answers the
// passages it read.
func (a *API) importAccrochage(w http.ResponseWriter, r *http.Request) error {
	read, err := ReadFlux(http.MaxBytesReader(w, r.Body, maxFluxBody))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, read)
}
