package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The interview agenda of a campaign (issue 11, item 9): staff create
// slots (a day, a time, a length, a place or a video link, several in a
// row), see them day by day, and give each to an admissible candidate,
// who is convened by e-mail with the interview as an .ics file.

func init() {
	registerPage("agenda", "templates/agenda.html", "templates/adm_fields.html")
	registerPage("commissions", "templates/commissions.html")
}

// agendaView is the agenda page: the days with slots, the slots of the
// day shown, and the form that creates slots.
type agendaView struct {
	Notice      string
	Summary     *errorSummary
	Campaign    string
	CampaignURL string
	Days        []agendaDay
	Day         string // the day shown, in words
	Slots       []slotRow
	Create      []admField
	Action      string
	Candidates  []option // who may be given a slot
}

// agendaDay is a day of the agenda, a link to it.
type agendaDay struct {
	Label, Href string
	Slots, Free int
	Current     bool
}

// slotRow is a slot of the day.
type slotRow struct {
	ID                         int64
	Time, Length, Place, Visio string
	Name, Href                 string // the candidate given it
	Assign, Delete             string // where its forms post
	SelectID                   string
}

// agendaSent is the create or assign form sent again, with its errors.
type agendaSent struct {
	values map[string]string
	errs   formErrors
	slot   int64 // the slot an assignment was for
}

// agendaPage shows a campaign's agenda on a day (?day=YYYY-MM-DD; the
// first day with slots from today by default).
func (s *Site) agendaPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "created", "assigned", "deleted":
		notice = "agenda_done_" + done
	}
	return s.renderAgenda(w, r, http.StatusOK, c, notice, nil)
}

// dayOf is the day of t in Paris.
func dayOf(t time.Time) string { return t.In(paris).Format("2006-01-02") }

func (s *Site) renderAgenda(w http.ResponseWriter, r *http.Request, status int, c *certibloc.Campaign, notice string, sent *agendaSent) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("agenda_title_f", c.Title), pg.T("agenda_description")
	v := &agendaView{Campaign: c.Title, CampaignURL: campaignPath(c.ID), Action: campaignPath(c.ID) + "/agenda"}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	all, err := s.db.Slots(ctx, c.ID, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	day := r.URL.Query().Get("day")
	if _, err := time.Parse("2006-01-02", day); err != nil {
		day = ""
		today := dayOf(time.Now())
		for _, sl := range all {
			if d := dayOf(sl.StartsAt); d >= today {
				day = d
				break
			}
		}
		if day == "" {
			day = today
		}
	}
	held := map[int64]bool{}
	counts := map[string]*agendaDay{}
	var order []string
	for _, sl := range all {
		d := dayOf(sl.StartsAt)
		if counts[d] == nil {
			t, _ := time.ParseInLocation("2006-01-02", d, paris)
			counts[d] = &agendaDay{Label: pg.Date(certibloc.DateOf(t.Date())), Href: v.Action + "?day=" + d, Current: d == day}
			order = append(order, d)
		}
		counts[d].Slots++
		if sl.ApplicationID == 0 {
			counts[d].Free++
		} else {
			held[sl.ApplicationID] = true
		}
	}
	for _, d := range order {
		v.Days = append(v.Days, *counts[d])
	}
	shown, _ := time.ParseInLocation("2006-01-02", day, paris)
	v.Day = pg.Date(certibloc.DateOf(shown.Date()))
	waiting, _, err := s.db.Applications(ctx, sqldb.ApplicationFilter{CampaignID: c.ID,
		States: []certibloc.State{certibloc.Admissible, certibloc.InterviewScheduled}, Limit: -1})
	if err != nil {
		return err
	}
	v.Candidates = []option{{"", pg.T("agenda_choose")}}
	for _, a := range waiting {
		if !held[a.ID] {
			v.Candidates = append(v.Candidates, option{strconv.FormatInt(a.ID, 10), a.Name + " – " + stateLabel(pg, a.State)})
		}
	}
	for _, sl := range all {
		if dayOf(sl.StartsAt) != day {
			continue
		}
		base := v.Action + "/" + strconv.FormatInt(sl.ID, 10)
		row := slotRow{ID: sl.ID, Time: sl.StartsAt.In(paris).Format("15:04"), Length: pg.Tf("agenda_minutes_f", sl.Minutes),
			Place: sl.Place, Visio: sl.VisioURL, Name: sl.Name, SelectID: "slot-" + strconv.FormatInt(sl.ID, 10) + "-application"}
		if sl.ApplicationID != 0 {
			row.Href = applicationPath(sl.ApplicationID)
		} else {
			row.Assign, row.Delete = base+"/assign?day="+day, base+"/delete?day="+day
		}
		v.Slots = append(v.Slots, row)
	}
	values := map[string]string{"date": day, "minutes": "30", "count": "1"}
	var errs formErrors
	if sent != nil {
		errs = sent.errs
		if sent.slot == 0 {
			values = sent.values
		}
	}
	v.Create = []admField{
		{Name: "date", Type: "date", Required: true},
		{Name: "time", Type: "time", Required: true},
		{Name: "minutes", Type: "number", Required: true, Min: "5", Max: strconv.Itoa(certibloc.MaxSlotMinutes), Step: "5"},
		{Name: "count", Type: "number", Required: true, Min: "1", Max: strconv.Itoa(sqldb.MaxSlots)},
		{Name: "place", Type: "text", MaxLength: "300"},
		{Name: "visio_url", Type: "url", MaxLength: "300"},
	}
	for i := range v.Create {
		f := &v.Create[i]
		f.ID, f.Label, f.Hint, f.Value = "slot-"+f.Name, pg.T("agenda_f_"+f.Name), pg.msgs["agenda_h_"+f.Name], values[f.Name]
	}
	if sent != nil && sent.slot != 0 {
		anchor := []admField{{Name: "application", ID: "slot-" + strconv.FormatInt(sent.slot, 10) + "-application",
			Label: pg.T("agenda_f_application")}}
		v.Summary = summarize(pg, anchor, errs)
	} else {
		v.Summary = summarize(pg, v.Create, errs)
	}
	return s.renderApp(w, status, "agenda", pg, v)
}

// createSlots creates one slot, or several in a row, from the agenda's form.
func (s *Site) createSlots(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	sent := &agendaSent{values: map[string]string{}, errs: formErrors{}}
	for _, name := range []string{"date", "time", "minutes", "count", "place", "visio_url"} {
		sent.values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	start, err := time.ParseInLocation("2006-01-02 15:04", sent.values["date"]+" "+sent.values["time"], paris)
	if _, derr := time.Parse("2006-01-02", sent.values["date"]); derr != nil {
		sent.errs["date"] = pg.T("agenda_e_date")
	} else if err != nil {
		sent.errs["time"] = pg.T("agenda_e_time")
	} else if !start.After(time.Now()) {
		sent.errs["time"] = pg.T("agenda_e_past")
	}
	minutes, err := strconv.Atoi(sent.values["minutes"])
	if err != nil || minutes < 5 || minutes > certibloc.MaxSlotMinutes {
		sent.errs["minutes"] = pg.Tf("agenda_e_minutes_f", certibloc.MaxSlotMinutes)
	}
	count, err := strconv.Atoi(sent.values["count"])
	if err != nil || count < 1 || count > sqldb.MaxSlots {
		sent.errs["count"] = pg.Tf("agenda_e_count_f", sqldb.MaxSlots)
	}
	if sent.values["place"] == "" && sent.values["visio_url"] == "" {
		sent.errs["place"] = pg.T("agenda_e_place")
	}
	if u := sent.values["visio_url"]; u != "" {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host == "" {
			sent.errs["visio_url"] = pg.T("agenda_e_visio")
		}
	}
	if len(sent.errs) == 0 {
		slots := make([]certibloc.InterviewSlot, count)
		for i := range slots {
			slots[i] = certibloc.InterviewSlot{StartsAt: start.Add(time.Duration(i*minutes) * time.Minute), Minutes: minutes,
				Place: sent.values["place"], VisioURL: sent.values["visio_url"]}
		}
		err := s.db.CreateSlots(r.Context(), c.ID, slots)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, campaignPath(c.ID)+"/agenda?done=created&day="+sent.values["date"], http.StatusSeeOther)
			return nil
		case certibloc.EINVALID:
			sent.errs[""] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderAgenda(w, r, http.StatusBadRequest, c, "", sent)
}

// loadSlot reads the slot of the path's {slot}, of the campaign.
func (s *Site) loadSlot(r *http.Request, c *certibloc.Campaign) (*certibloc.InterviewSlot, error) {
	id, err := pathID(r, "slot")
	if err != nil {
		return nil, err
	}
	sl, err := s.db.Slot(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if sl.CampaignID != c.ID {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no slot %d in this campaign", id)
	}
	return sl, nil
}

// assignSlot gives a slot to a candidate, who is convened.
func (s *Site) assignSlot(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	sl, err := s.loadSlot(r, c)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	sent := &agendaSent{errs: formErrors{}, slot: sl.ID}
	id, err := strconv.ParseInt(r.PostFormValue("application"), 10, 64)
	if err != nil || id <= 0 {
		sent.errs["application"] = pg.T("agenda_e_application")
		return s.renderAgenda(w, r, http.StatusBadRequest, c, "", sent)
	}
	_, err = s.db.AssignSlot(r.Context(), sl.ID, id, s.auth.BaseURL)
	switch certibloc.ErrorCode(err) {
	case "":
		http.Redirect(w, r, campaignPath(c.ID)+"/agenda?done=assigned&day="+dayOf(sl.StartsAt), http.StatusSeeOther)
		return nil
	case certibloc.ECONFLICT:
		sent.errs["application"] = pg.T("agenda_e_taken")
	case certibloc.EINVALID:
		sent.errs["application"] = errorText(pg, err)
	default:
		return err
	}
	return s.renderAgenda(w, r, http.StatusConflict, c, "", sent)
}

// deleteSlot removes a free slot.
func (s *Site) deleteSlot(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	sl, err := s.loadSlot(r, c)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	switch err := s.db.DeleteSlot(r.Context(), sl.ID); certibloc.ErrorCode(err) {
	case "":
		http.Redirect(w, r, campaignPath(c.ID)+"/agenda?done=deleted&day="+dayOf(sl.StartsAt), http.StatusSeeOther)
		return nil
	case certibloc.ECONFLICT:
		sent := &agendaSent{errs: formErrors{"application": pg.T("agenda_e_delete_taken")}, slot: sl.ID}
		return s.renderAgenda(w, r, http.StatusConflict, c, "", sent)
	default:
		return err
	}
}
