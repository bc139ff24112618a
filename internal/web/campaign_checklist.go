package web

import (
	"net/http"

	"github.com/certibloc/certibloc"
)

// The checklist of a campaign: the documents an application must carry
// to be submitted, chosen when the campaign is made and changed on its
// page.

// requiredDocumentsField is the check boxes of the checklist, those of
// checked ticked.
func requiredDocumentsField(pg *page, checked []string) admField {
	f := admField{Name: "required_documents", ID: "f-required_documents", Type: "checkboxes",
		Label: pg.T("camp_f_required_documents"), Hint: pg.T("camp_h_required_documents"), Values: checked}
	for _, k := range certibloc.DocumentKinds {
		f.Options = append(f.Options, option{k, pg.T("doc_" + k)})
	}
	return f
}

// documentNames names document kinds in the page's words.
func documentNames(pg *page, kinds []string) string {
	names := ""
	for i, k := range kinds {
		if i > 0 {
			names += pg.T("adm_sep")
		}
		names += pg.T("doc_" + k)
	}
	return names
}

// setChecklist saves the checklist of the campaign's page.
func (s *Site) setChecklist(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	// The boxes offer known kinds only: another is a forged form, refused
	// by the store in words on the error page.
	if _, err := s.db.SetRequiredDocuments(r.Context(), c.ID, r.PostForm["required_documents"]); err != nil {
		return err
	}
	http.Redirect(w, r, campaignPath(c.ID)+"?done=checklist", http.StatusSeeOther)
	return nil
}
