package web

import (
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// Where a submitted application stands, as its candidate follows it
// (submitted → admissibility → interview → decision → enrolment), and the
// documents staff ask for after submission.

// progressRow is a stage of the tracker: its name, status in words and
// as a class, its date, and what came of it.
type progressRow struct {
	Step, Status, Class, When, Outcome, Interview string
	Current                                       bool
}

// progressRows words the tracker in the page's language.
func progressRows(pg *page, steps []certibloc.ProgressStep) []progressRow {
	rows := make([]progressRow, len(steps))
	for i, st := range steps {
		row := progressRow{Step: pg.T("step_" + string(st.Step)), Status: pg.T("step_status_" + string(st.Status)),
			Class: string(st.Status), When: moment(pg, st.At), Current: st.Status == certibloc.StepCurrent}
		if st.Outcome != "" {
			row.Outcome = kindLabel(pg, st.Outcome)
		}
		if d := st.Interview; d != nil && d.InterviewAt != nil {
			row.Interview = pg.Tf("step_convocation_f", moment(pg, d.InterviewAt), d.Place)
		}
		rows[i] = row
	}
	return rows
}

// requestRow is a document staff asked for.
type requestRow struct {
	Kind, Message, When, Fulfilled string
}

func requestRows(pg *page, list []certibloc.DocumentRequest) []requestRow {
	var rows []requestRow
	for _, r := range list {
		row := requestRow{Kind: pg.T("doc_" + r.Kind), Message: r.Message, When: moment(pg, &r.RequestedAt)}
		if r.FulfilledAt != nil {
			row.Fulfilled = pg.Tf("req_fulfilled_f", moment(pg, r.FulfilledAt))
		} else {
			row.Fulfilled = pg.T("req_waiting")
		}
		rows = append(rows, row)
	}
	return rows
}

// askDocumentFields are the fields of the staff's request for a document:
// its kind and a message to the candidate.
func askDocumentFields(pg *page, sent sentForm) []admField {
	values := map[string]string{}
	if sent.form == "ask" {
		values = sent.values
	}
	kinds := admField{Name: "kind", ID: "f-ask-kind", Type: "select", Label: pg.T("doc_f_kind"), Required: true,
		Value: values["kind"]}
	for _, k := range certibloc.DocumentKinds {
		kinds.Options = append(kinds.Options, option{k, pg.T("doc_" + k)})
	}
	return []admField{kinds, {Name: "message", ID: "f-ask-message", Type: "textarea", Label: pg.T("req_f_message"),
		Hint: pg.T("req_h_message"), Value: values["message"], MaxLength: "2000"}}
}

// askDocument records a staff member's request for a document, which
// reopens the candidate's documents and e-mails them.
func (s *Site) askDocument(w http.ResponseWriter, r *http.Request) error {
	a, own, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if own {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "staff ask for documents")
	}
	pg := s.page(r, "")
	sent := sentForm{form: "ask", errs: formErrors{}, values: map[string]string{
		"kind": r.PostFormValue("kind"), "message": strings.TrimSpace(r.PostFormValue("message"))}}
	if !contains(certibloc.DocumentKinds, sent.values["kind"]) {
		sent.errs["kind"] = pg.T("doc_e_kind")
	}
	if len([]rune(sent.values["message"])) > 2000 {
		sent.errs["message"] = pg.T("req_e_message_long")
	}
	if a.State == certibloc.Draft || !certibloc.DocumentsOpen(a.State, true) {
		sent.errs[""] = pg.Tf("req_e_state_f", stateLabel(pg, a.State))
	}
	if len(sent.errs) == 0 {
		req := &certibloc.DocumentRequest{ApplicationID: a.ID, Kind: sent.values["kind"], Message: sent.values["message"]}
		err = s.db.RequestDocument(r.Context(), req, s.baseURL())
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=requested", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			sent.errs[""] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderApplicationForm(w, r, http.StatusBadRequest, a, true, "", sent, nil)
}
