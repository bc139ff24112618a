package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The admin's pages of the web accounts: the list, a new account (whose
// owner is e-mailed a link that sets its password), and one account's
// page, which disables it, enables it again or clears its lost second
// factor. What the command line's account subcommand does, on the web;
// every change is audited by the store. Disabling and clearing the second
// factor sign the person out everywhere: each asks first, on a page of
// its own (no script needed), behind a red button.

func init() {
	registerPage("accounts", "templates/accounts.html", "templates/adm_fields.html")
	registerPage("account_admin", "templates/account_admin.html")
	registerPage("ask", "templates/ask.html")
	menu = append(menu, menuEntry{"/app/accounts", "menu_accounts", certibloc.ManageAccounts})
}

// accountRoutes are the pages of the accounts.
func (s *Site) accountRoutes() []Route {
	return []Route{
		{"GET /app/accounts", certibloc.ManageAccounts, s.accountsPage},
		{"POST /app/accounts", certibloc.ManageAccounts, s.createAccount},
		{"GET /app/accounts/{id}", certibloc.ManageAccounts, s.accountAdminPage},
		{"GET /app/accounts/{id}/disable", certibloc.ManageAccounts, s.confirmAccountAction},
		{"POST /app/accounts/{id}/disable", certibloc.ManageAccounts, s.disableAccount},
		{"POST /app/accounts/{id}/enable", certibloc.ManageAccounts, s.enableAccount},
		{"GET /app/accounts/{id}/reset-totp", certibloc.ManageAccounts, s.confirmAccountAction},
		{"POST /app/accounts/{id}/reset-totp", certibloc.ManageAccounts, s.resetAccountTOTP},
		{"GET /app/tokens/{id}/revoke", certibloc.ManageAccounts, s.confirmRevokeToken},
	}
}

// accountRoles are the roles the page gives: a candidate's account is
// made by the candidate at sign-up, tied to their person.
var accountRoles = []certibloc.Role{certibloc.Staff, certibloc.Evaluator, certibloc.Jury, certibloc.Referent, certibloc.Admin}

// accountsView is the list of accounts and the form of a new one.
type accountsView struct {
	Accounts []accountRow
	Fields   []admField
	Summary  *errorSummary
	Notice   string
	Search   string // part of the address; candidates are listed only when searched
	More     int    // accounts found beyond the list's length
}

// accountsShown is the longest list of accounts a page shows: the rest
// is found by searching.
const accountsShown = 200

// accountRow is an account as the list and its page show it.
type accountRow struct {
	certibloc.Account
	RoleLabel, Schools, Created, Disabled string
}

func accountRowOf(pg *page, a certibloc.Account) accountRow {
	row := accountRow{Account: a, RoleLabel: pg.T("auth_role:" + string(a.Role)), Schools: strings.Join(a.Schools, ", "),
		Created: pg.dateTime(a.CreatedAt)}
	if a.Role == certibloc.Candidate {
		row.Schools = a.PersonSchool
	}
	if a.DisabledAt != nil {
		row.Disabled = pg.dateTime(*a.DisabledAt)
	}
	return row
}

func (s *Site) accountsPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	v := &accountsView{}
	if to := r.URL.Query().Get("created"); to != "" {
		v.Notice = pg.Tf("accounts_created_f", to)
	}
	return s.renderAccounts(w, r, http.StatusOK, v, map[string]string{"role": string(certibloc.Staff)}, nil)
}

// newAccountFields are the fields of the form of a new account.
func (s *Site) newAccountFields(ctx context.Context, pg *page, values map[string]string, schools []string) ([]admField, error) {
	list, err := s.db.Schools(ctx)
	if err != nil {
		return nil, err
	}
	roles := admField{Name: "role", ID: "acc-role", Type: "select", Label: pg.T("accounts_f_role"), Required: true,
		Value: values["role"], Hint: pg.T("accounts_h_role")}
	for _, role := range accountRoles {
		roles.Options = append(roles.Options, option{string(role), pg.T("auth_role:" + string(role))})
	}
	sc := admField{Name: "school", ID: "acc-school", Type: "checkboxes", Label: pg.T("accounts_f_schools"),
		Values: schools, Hint: pg.T("accounts_h_schools")}
	for _, school := range list {
		sc.Options = append(sc.Options, option{school.Code, school.Code + " – " + school.Name})
	}
	return []admField{
		{Name: "email", ID: "acc-email", Type: "email", Label: pg.T("accounts_f_email"), Required: true, Value: values["email"],
			Autocomplete: "off", MaxLength: "254"},
		roles, sc,
	}, nil
}

func (s *Site) renderAccounts(w http.ResponseWriter, r *http.Request, status int, v *accountsView,
	values map[string]string, errs formErrors) error {
	pg := s.page(r, "")
	list, err := s.db.Accounts(r.Context())
	if err != nil {
		return err
	}
	v.Search = strings.TrimSpace(r.URL.Query().Get("q"))
	for _, a := range list {
		// Candidates make and keep their own accounts, by the thousand:
		// they are listed when searched for.
		if v.Search == "" && a.Role == certibloc.Candidate ||
			v.Search != "" && !strings.Contains(a.Email, strings.ToLower(v.Search)) {
			continue
		}
		if len(v.Accounts) == accountsShown {
			v.More++
			continue
		}
		v.Accounts = append(v.Accounts, accountRowOf(pg, a))
	}
	if v.Fields, err = s.newAccountFields(r.Context(), pg, values, r.PostForm["school"]); err != nil {
		return err
	}
	v.Summary = summarize(pg, v.Fields, errs)
	pg.Title, pg.Description = pg.T("accounts_title"), pg.T("accounts_description")
	return s.renderAuth(w, status, "accounts", pg, v)
}

// createAccount makes a staff account from the form and e-mails its owner
// the link that sets its password; every mistake of the form is named at
// once.
func (s *Site) createAccount(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	values := map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")), "role": r.PostFormValue("role")}
	schools := r.PostForm["school"]
	role := certibloc.Role(values["role"])
	errs := formErrors{}
	if values["email"] == "" {
		errs["email"] = pg.T("accounts_e_email_missing")
	} else if at := strings.Index(values["email"], "@"); at < 1 || !strings.Contains(values["email"][at:], ".") ||
		strings.ContainsAny(values["email"], " \t,;<>") {
		errs["email"] = pg.Tf("accounts_e_email_f", values["email"])
	}
	switch {
	case !slices.Contains(accountRoles, role):
		errs["role"] = pg.T("accounts_e_role")
	case role == certibloc.Admin && len(schools) > 0:
		errs["school"] = pg.T("accounts_e_admin_schools")
	case role != certibloc.Admin && len(schools) == 0:
		errs["school"] = pg.T("accounts_e_schools")
	}
	if len(errs) > 0 {
		return s.renderAccounts(w, r, http.StatusBadRequest, &accountsView{}, values, errs)
	}
	a, err := s.db.CreateAccount(r.Context(), certibloc.Account{Email: values["email"], Role: role, Schools: schools})
	if err != nil {
		msg := certibloc.ErrorMessage(err)
		switch {
		case certibloc.ErrorCode(err) == certibloc.ECONFLICT:
			errs["email"] = pg.Tf("accounts_e_exists_f", sqldb.NormalizeEmail(values["email"]))
		case strings.HasPrefix(msg, "email "):
			errs["email"] = pg.Tf("accounts_e_email_f", values["email"])
		case strings.HasPrefix(msg, "no school"):
			errs["school"] = pg.T("accounts_e_school_unknown")
		case certibloc.ErrorCode(err) == certibloc.EINVALID:
			errs[""] = errorText(pg, err)
		default:
			return err
		}
		return s.renderAccounts(w, r, http.StatusBadRequest, &accountsView{}, values, errs)
	}
	if err := s.sendSetupLink(r.Context(), a); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/accounts?created="+url.QueryEscape(a.Email), http.StatusSeeOther)
	return nil
}

// sendSetupLink e-mails a new account the link that sets its first
// password, in French then English: who will read it is not known yet.
func (s *Site) sendSetupLink(ctx context.Context, a certibloc.Account) error {
	token, err := s.db.CreatePasswordReset(ctx, a.ID, sqldb.SetupTTL)
	if err != nil {
		return err
	}
	link := s.baseURL() + "/password/reset?token=" + url.QueryEscape(token)
	hours := int(sqldb.SetupTTL / time.Hour)
	fr, en := newPage("fr"), newPage("en")
	body := fr.Nf("accounts_mail_body", hours, a.Email, link) + mailEnglish + "\n" + en.Nf("accounts_mail_body", hours, a.Email, link+"&lang=en")
	_, err = s.mailer().Send(ctx, certibloc.Mail{To: a.Email, School: a.School(),
		Subject: fr.T("accounts_mail_subject") + " / " + en.T("accounts_mail_subject"), Body: body})
	return err
}

// accountAdminView is one account's page: what it is, and what may be
// done to it.
type accountAdminView struct {
	accountRow
	Self   bool   // the admin's own account: not disabled from here
	Notice string // what was just done
}

// adminAccount is the account of the path.
func (s *Site) adminAccount(r *http.Request) (certibloc.Account, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return certibloc.Account{}, err
	}
	return s.db.Account(r.Context(), id)
}

func (s *Site) accountAdminPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccount(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := &accountAdminView{accountRow: accountRowOf(pg, a), Self: a.ID == pg.User.AccountID}
	switch done := r.URL.Query().Get("done"); done {
	case "disable", "enable", "reset-totp":
		v.Notice = pg.T("accounts_done_" + strings.ReplaceAll(done, "-", "_"))
	}
	pg.Title, pg.Description = pg.Tf("accounts_page_f", a.Email), pg.T("accounts_one_description")
	return s.renderAuth(w, http.StatusOK, "account_admin", pg, v)
}

// askView is a page that asks before something that cannot be taken
// back, or signs someone out: what will happen, a red button that does it
// (a form posted to Action) and a way back. No script needed.
type askView struct {
	Action      string // where the red button posts
	Button      string
	Effects     []string
	Cancel      string // where the way back leads
	CancelLabel string
}

// confirmAccountAction is the page that asks before a change that signs
// the person out everywhere; the red button on it does the change.
func (s *Site) confirmAccountAction(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccount(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	path := "/app/accounts/" + strconv.FormatInt(a.ID, 10)
	v := &askView{Action: r.URL.Path, Cancel: path, CancelLabel: pg.T("accounts_cancel")}
	if strings.HasSuffix(r.URL.Path, "/disable") {
		if err := s.checkNotSelf(pg, a); err != nil {
			return err
		}
		if a.DisabledAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("accounts_e_disabled_already"))
		}
		pg.Title, v.Button = pg.Tf("accounts_confirm_disable_f", a.Email), pg.T("accounts_disable_yes")
		v.Effects = []string{pg.T("accounts_effect_signout"), pg.T("accounts_effect_disable"), pg.T("accounts_effect_enable")}
	} else {
		pg.Title, v.Button = pg.Tf("accounts_confirm_totp_f", a.Email), pg.T("accounts_totp_yes")
		v.Effects = []string{pg.T("accounts_effect_signout"), pg.T("accounts_effect_totp")}
	}
	pg.Description = pg.Title
	return s.renderAuth(w, http.StatusOK, "ask", pg, v)
}

// checkNotSelf refuses to disable the admin's own account: the last admin
// would lock everyone out.
func (s *Site) checkNotSelf(pg *page, a certibloc.Account) error {
	if a.ID == pg.User.AccountID {
		return certibloc.Errorf(certibloc.EINVALID, "%s", pg.T("accounts_e_self"))
	}
	return nil
}

func (s *Site) disableAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccount(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if err := s.checkNotSelf(pg, a); err != nil {
		return err
	}
	if err := s.db.DisableAccount(r.Context(), a.ID); certibloc.ErrorCode(err) == certibloc.ECONFLICT {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("accounts_e_disabled_already"))
	} else if err != nil {
		return err
	}
	return accountDone(w, r, a.ID, "disable")
}

func (s *Site) enableAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccount(r)
	if err != nil {
		return err
	}
	if err := s.db.EnableAccount(r.Context(), a.ID); certibloc.ErrorCode(err) == certibloc.ECONFLICT {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", s.page(r, "").T("accounts_e_enabled_already"))
	} else if err != nil {
		return err
	}
	return accountDone(w, r, a.ID, "enable")
}

func (s *Site) resetAccountTOTP(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccount(r)
	if err != nil {
		return err
	}
	if err := s.db.ResetTOTP(r.Context(), a.ID); err != nil {
		return err
	}
	if a.ID == certibloc.PrincipalFrom(r.Context()).AccountID {
		// Their own: every session ended, this one too.
		http.Redirect(w, r, "/signin?done=everywhere", http.StatusSeeOther)
		return nil
	}
	return accountDone(w, r, a.ID, "reset-totp")
}

// accountDone goes back to the account's page, which says what was done.
func accountDone(w http.ResponseWriter, r *http.Request, id int64, done string) error {
	http.Redirect(w, r, "/app/accounts/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

// confirmRevokeToken asks before an API token is revoked: whatever uses it
// stops working at once, for good.
func (s *Site) confirmRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	tok, err := s.db.Token(r.Context(), id)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if tok.RevokedAt != nil {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.Tf("tokens_revoked_f", tok.ID, tok.Name))
	}
	v := &askView{Action: r.URL.Path, Button: pg.T("tokens_revoke_yes"), Cancel: "/app/tokens",
		CancelLabel: pg.T("tokens_revoke_cancel"), Effects: []string{pg.T("tokens_revoke_effect"), pg.T("tokens_revoke_final")}}
	pg.Title = pg.Tf("tokens_revoke_confirm_f", tok.ID, tok.Name)
	pg.Description = pg.Title
	return s.renderAuth(w, http.StatusOK, "ask", pg, v)
}
