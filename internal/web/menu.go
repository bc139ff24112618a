package web

import "github.com/certibloc/certibloc"

// menuEntry is a link of the signed-in menu, shown to the roles that hold
// its permission.
type menuEntry struct {
	Href string
	Key  string // interface string
	Perm certibloc.Permission
}

// menu is the signed-in menu, in its order.
var menu = []menuEntry{
	{"/app", "menu_home", certibloc.SignedIn},
	{"/app/account", "menu_account", certibloc.SignedIn},
	{"/app/outbox", "menu_outbox", certibloc.ReadOutbox},
	{"/app/applications", "menu_applications", certibloc.Apply},
	{"/app/campaigns", "menu_campaigns", certibloc.ManageAdmission},
	{"/app/cohorts", "menu_cohorts", certibloc.ManageAdmission},
	{"/app/evaluations", "menu_evaluations", certibloc.GradeEvaluations},
	{"/app/me/evaluations", "menu_my_evaluations", certibloc.Apply},
	{"/app/reports/accrochage", "menu_accrochage", certibloc.DeclareHolders},
	{"/app/reports/figures", "menu_figures", certibloc.DeclareHolders},
	{"/app/accommodation-requests", "menu_accommodation_requests", certibloc.ReadDisability},
}

// menuFor returns the menu entries the principal may follow.
func menuFor(pg *page, p *certibloc.Principal) []navItem {
	if p.Anonymous() {
		return nil
	}
	var items []navItem
	for _, e := range menu {
		if p.Can(e.Perm) {
			items = append(items, navItem{Href: e.Href, Label: pg.T(e.Key)})
		}
	}
	return items
}
