package certibloc

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// InterviewSlot is a time of a campaign's interview agenda: when it
// starts, how long it lasts, where (a room, or a video link, or both),
// and the application given it, if any.
type InterviewSlot struct {
	ID            int64     `json:"id"`
	CampaignID    int64     `json:"campaign_id"`
	School        string    `json:"school"`
	StartsAt      time.Time `json:"starts_at"`
	Minutes       int       `json:"minutes"`
	Place         string    `json:"place,omitempty"`
	VisioURL      string    `json:"visio_url,omitempty"`
	ApplicationID int64     `json:"application_id,omitempty"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	Name          string    `json:"name,omitempty"` // the candidate's, for the agenda
}

// MaxSlotMinutes bounds the length of an interview slot: a day.
const MaxSlotMinutes = 8 * 60

// EndsAt is when the slot ends.
func (s *InterviewSlot) EndsAt() time.Time {
	return s.StartsAt.Add(time.Duration(s.Minutes) * time.Minute)
}

// Where is the slot's place and video link, as a convocation gives them.
func (s *InterviewSlot) Where() string {
	return strings.TrimSpace(strings.Join(nonEmpty(s.Place, s.VisioURL), " – "))
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Check validates a slot before it is created: a start in the future
// (now), a length between 5 minutes and MaxSlotMinutes, a place or a video
// link, and a video link that is an https address.
func (s *InterviewSlot) Check(now time.Time) error {
	s.Place, s.VisioURL = strings.TrimSpace(s.Place), strings.TrimSpace(s.VisioURL)
	if err := (Texts{{"place", s.Place, MaxLine, false}, {"visio_url", s.VisioURL, MaxLine, false}}).Check(); err != nil {
		return err
	}
	switch {
	case s.StartsAt.IsZero():
		return Errorf(EINVALID, "starts_at is required")
	case !s.StartsAt.After(now):
		return Errorf(EINVALID, "an interview slot cannot start in the past (%s)", s.StartsAt.UTC().Format(time.RFC3339))
	case s.Minutes < 5 || s.Minutes > MaxSlotMinutes:
		return Errorf(EINVALID, "minutes must be between 5 and %d, not %d", MaxSlotMinutes, s.Minutes)
	case s.Place == "" && s.VisioURL == "":
		return Errorf(EINVALID, "a slot needs a place or a video link")
	}
	if s.VisioURL != "" {
		u, err := url.Parse(s.VisioURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return Errorf(EINVALID, "visio_url %q is not an https:// address", s.VisioURL)
		}
	}
	return nil
}

// ConvocationMail is the e-mail that convenes the candidate to slot s for
// their application to campaign, with the interview as an iCalendar
// attachment (entretien.ics) that calendars add; in lang ("fr" or "en"),
// or French then English when the candidate chose no language. uidHost
// makes the event's UID unique to this site; now is its DTSTAMP. false
// when the candidate has no address to write to.
func (s *InterviewSlot) ConvocationMail(applicationID int64, campaign, uidHost string, candidate *Person, lang string, now time.Time) (Mail, bool) {
	if candidate.Email == "" || candidate.ErasedAt != nil {
		return Mail{}, false
	}
	paris := parisZone
	at := s.StartsAt.In(paris)
	name := candidate.DisplayName()
	fr := fmt.Sprintf("Bonjour %s,\n\nVous êtes convoqué(e) à un entretien individuel et à des tests techniques.\nDate : le %s à %s (heure de Paris), durée %d min\nLieu : %s\n\nLe fichier joint entretien.ics ajoute ce rendez-vous à votre agenda.\n\nCandidature : %s\nLe secrétariat des admissions\n",
		name, at.Format("02/01/2006"), at.Format("15h04"), s.Minutes, s.Where(), campaign)
	en := fmt.Sprintf("Dear %s,\n\nYou are invited to an individual interview and technical tests.\nDate: %s at %s (Paris time), %d min\nPlace: %s\n\nThe attached file entretien.ics adds this appointment to your calendar.\n\nApplication: %s\nThe admissions office\n",
		name, at.Format("2 January 2006"), at.Format("15:04"), s.Minutes, s.Where(), campaign)
	subjectFR, subjectEN := "Convocation à l'entretien et aux tests techniques", "Notice to attend the interview and technical tests"
	summary := "Entretien d'admission – " + campaign
	m := Mail{To: candidate.Email, School: s.School, PersonID: candidate.ID}
	switch lang {
	case "fr":
		m.Subject, m.Body = subjectFR, fr
	case "en":
		m.Subject, m.Body, summary = subjectEN, en, "Admission interview – "+campaign
	default:
		m.Subject, m.Body = subjectFR+" / "+subjectEN, fr+"\n— English —\n\n"+en
	}
	event := CalendarEvent{
		UID:      fmt.Sprintf("interview-%d-%d@%s", s.ID, applicationID, uidHost),
		Stamp:    now,
		Start:    s.StartsAt,
		End:      s.EndsAt(),
		Summary:  summary,
		Location: s.Where(),
		URL:      s.VisioURL,
	}
	m.Attachments = []Attachment{{Filename: "entretien.ics", ContentType: CalendarContentType, Data: event.ICS()}}
	return m, true
}
