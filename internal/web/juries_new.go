package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// juryMemberRows is how many member lines the form of a new jury offers.
const juryMemberRows = 6

// newJuryView is the form of a new jury: the session, its members line by
// line, and its candidates picked by cohort or by number.
type newJuryView struct {
	Session    []admField
	Members    []memberFields
	Cohorts    []admField // one group of boxes per cohort
	Others     admField
	Summary    *errorSummary
	NoCohort   bool
	RuleIntro  string
	MemberHint string
}

// memberFields is one line of members.
type memberFields struct {
	Legend string
	Fields []admField
}

// newJuryForm shows the empty form.
func (s *Site) newJuryForm(w http.ResponseWriter, r *http.Request) error {
	values := map[string]string{}
	for i := 1; i <= juryMemberRows; i++ {
		values[fmt.Sprintf("m%d_present", i)] = "yes"
	}
	return s.renderNewJury(w, r, http.StatusOK, values, nil, formErrors{})
}

// createJury convenes the jury of the form and goes to its page.
func (s *Site) createJury(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	ctx := r.Context()
	values := map[string]string{}
	for _, name := range []string{"certification", "date", "place", "others"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	for i := 1; i <= juryMemberRows; i++ {
		for _, f := range []string{"name", "role", "account", "present"} {
			name := fmt.Sprintf("m%d_%s", i, f)
			values[name] = strings.TrimSpace(r.PostFormValue(name))
		}
	}
	picked := r.PostForm["candidates"]
	errs := formErrors{}
	j := &certibloc.JurySession{Place: values["place"]}

	code, version, _ := strings.Cut(values["certification"], "@")
	j.Certification = code
	j.Version, _ = strconv.Atoi(version)
	if _, err := s.db.Certification(ctx, j.Certification, j.Version); code == "" || j.Version <= 0 || err != nil {
		if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			return err
		}
		errs["certification"] = pg.T("jury_e_certification")
	}
	dateField(pg, errs, "date", values["date"], &j.Date, true)
	if j.Place == "" {
		errs["place"] = pg.T("adm_err_required")
	} else if certibloc.CheckText("place", j.Place, 200, false) != nil {
		errs["place"] = pg.T("jury_e_place")
	}

	accounts, err := s.juryAccounts(r)
	if err != nil {
		return err
	}
	for i := 1; i <= juryMemberRows; i++ {
		key := func(f string) string { return fmt.Sprintf("m%d_%s", i, f) }
		if values[key("name")] == "" && values[key("role")] == "" && values[key("account")] == "" {
			continue
		}
		m := certibloc.JuryMember{Name: values[key("name")], Role: values[key("role")], Present: values[key("present")] == "yes"}
		if m.Name == "" {
			errs[key("name")] = pg.T("adm_err_required")
		} else if certibloc.CheckText("name", m.Name, 200, false) != nil {
			errs[key("name")] = pg.T("jury_e_name")
		}
		if !slices.Contains(certibloc.JuryRoles, m.Role) {
			errs[key("role")] = pg.T("jury_e_role")
		}
		if a := values[key("account")]; a != "" {
			id, _ := strconv.ParseInt(a, 10, 64)
			if !slices.ContainsFunc(accounts, func(o option) bool { return o.Value == a }) {
				errs[key("account")] = pg.T("jury_e_account")
			}
			m.AccountID = id
		}
		j.Members = append(j.Members, m)
	}
	if len(j.Members) == 0 {
		errs["m1_name"] = pg.T("jury_e_members")
	}

	for _, raw := range append(picked, strings.FieldsFunc(values["others"], func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})...) {
		id, err := strconv.ParseInt(strings.TrimPrefix(raw, "#"), 10, 64)
		if err != nil || id <= 0 {
			errs["others"] = pg.Tf("jury_e_person_f", raw)
			continue
		}
		p, err := s.db.Person(ctx, id)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND || err == nil && p.ErasedAt != nil {
			errs["others"] = pg.Tf("jury_e_person_f", raw)
			continue
		} else if err != nil {
			return err
		}
		if !slices.Contains(j.Candidates, id) {
			j.Candidates = append(j.Candidates, id)
		}
	}
	if len(j.Candidates) == 0 && errs["others"] == "" {
		errs["others"] = pg.T("jury_e_candidates")
	}

	if len(errs) == 0 {
		err := s.db.CreateJury(ctx, j)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, juryPath(j.ID)+"?done=created", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID:
			errs[""] = pg.T("jury_e_create")
		default:
			return err
		}
	}
	return s.renderNewJury(w, r, http.StatusBadRequest, values, picked, errs)
}

// juryAccounts are the accounts that may sit on a jury: jury members and
// administrators, not disabled.
func (s *Site) juryAccounts(r *http.Request) ([]option, error) {
	list, err := s.db.Accounts(r.Context())
	if err != nil {
		return nil, err
	}
	var out []option
	for _, a := range list {
		if a.DisabledAt == nil && (a.Role == certibloc.Jury || a.Role == certibloc.Admin) {
			out = append(out, option{strconv.FormatInt(a.ID, 10), a.Email})
		}
	}
	return out, nil
}

func (s *Site) renderNewJury(w http.ResponseWriter, r *http.Request, status int, values map[string]string, picked []string, errs formErrors) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("jury_new_title"), pg.T("jury_list_description")
	v := &newJuryView{MemberHint: pg.T("jury_h_members")}

	cert := admField{Name: "certification", Type: "select", Required: true}
	certs, err := s.db.Certifications(ctx)
	if err != nil {
		return err
	}
	for _, c := range certs {
		versions, err := s.db.CertificationVersions(ctx, c.Code)
		if err != nil {
			return err
		}
		for _, cv := range slices.Backward(versions) {
			label := pg.Tf("coh_version_f", c.Code, cv.Version)
			if cv.Current {
				label += pg.T("jury_current")
			}
			cert.Options = append(cert.Options, option{fmt.Sprintf("%s@%d", c.Code, cv.Version), label})
		}
	}
	if values["certification"] == "" && len(cert.Options) > 0 {
		values["certification"] = cert.Options[0].Value
	}
	v.Session = []admField{cert,
		{Name: "date", Type: "date", Required: true},
		{Name: "place", Type: "text", Required: true, MaxLength: "200"}}
	for i := range v.Session {
		f := &v.Session[i]
		f.ID, f.Label, f.Hint, f.Value = "f-"+f.Name, pg.T("jury_f_"+f.Name), pg.msgs["jury_h_"+f.Name], values[f.Name]
	}

	accounts, err := s.juryAccounts(r)
	if err != nil {
		return err
	}
	roles := []option{{"", pg.T("jury_choose")}}
	for _, role := range certibloc.JuryRoles {
		roles = append(roles, option{role, pg.T("jury_role_" + role)})
	}
	var all []admField
	all = append(all, v.Session...)
	for i := 1; i <= juryMemberRows; i++ {
		n := func(f string) string { return fmt.Sprintf("m%d_%s", i, f) }
		row := memberFields{Legend: pg.Tf("jury_member_f", i), Fields: []admField{
			{Name: n("name"), Type: "text", MaxLength: "200", Label: pg.T("jury_f_member_name")},
			{Name: n("role"), Type: "select", Options: roles, Label: pg.T("jury_f_member_role")},
			{Name: n("account"), Type: "select", Options: append([]option{{"", pg.T("jury_no_account")}}, accounts...),
				Label: pg.T("jury_f_member_account"), Hint: pg.T("jury_h_member_account")},
			{Name: n("present"), Type: "select", Options: []option{{"yes", pg.T("jury_present")}, {"no", pg.T("jury_absent")}},
				Label: pg.T("jury_f_member_present")},
		}}
		for k := range row.Fields {
			f := &row.Fields[k]
			f.ID, f.Value = "f-"+f.Name, values[f.Name]
		}
		v.Members = append(v.Members, row)
		for _, f := range row.Fields {
			f.Label = row.Legend + " – " + f.Label // for the summary of errors
			all = append(all, f)
		}
	}

	cohorts, err := s.db.Cohorts(ctx, "")
	if err != nil {
		return err
	}
	for _, co := range cohorts {
		enrolments, err := s.db.Enrolments(ctx, co.ID)
		if err != nil {
			return err
		}
		if len(enrolments) == 0 {
			continue
		}
		f := admField{Name: "candidates", ID: fmt.Sprintf("f-cohort-%d", co.ID), Type: "checkboxes", Values: picked,
			Label: pg.Tf("jury_cohort_f", co.Name, co.School)}
		for _, e := range enrolments {
			f.Options = append(f.Options, option{strconv.FormatInt(e.PersonID, 10), e.Name})
		}
		v.Cohorts = append(v.Cohorts, f)
	}
	v.NoCohort = len(v.Cohorts) == 0
	v.Others = admField{Name: "others", ID: "f-others", Type: "text", MaxLength: "2000", Label: pg.T("jury_f_others"),
		Hint: pg.T("jury_h_others"), Value: values["others"]}
	all = append(all, v.Others)
	v.Summary = summarize(pg, all, errs)
	// summarize filled the errors of its copies: give them to the fields shown.
	byName := map[string]string{}
	for _, f := range all {
		byName[f.Name] = f.Error
	}
	for i := range v.Session {
		v.Session[i].Error = byName[v.Session[i].Name]
	}
	for i := range v.Members {
		for k := range v.Members[i].Fields {
			v.Members[i].Fields[k].Error = byName[v.Members[i].Fields[k].Name]
		}
	}
	v.Others.Error = byName["others"]
	return s.renderApp(w, status, "juries_new", pg, v)
}
