package certibloc

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// VAE: validating blocks from experience. A person opens a candidacy for
// blocks of a certification version and describes their experience; the
// certifier decides its feasibility (recevabilité); once admissible the
// candidate writes their validation dossier, one answer per competency of
// each block aimed at, which an accompanist may comment; an oral before a
// jury follows, and the jury decides block by block. The blocks it
// validates go to the ledger with the route VAE.

// VAEState is where a candidacy stands.
type VAEState string

// Candidacy states, in the order a candidacy goes through them.
const (
	VAEDraft            VAEState = "draft"             // the candidate writes; saved as they type
	VAESubmitted        VAEState = "submitted"         // feasibility asked
	VAEIncomplete       VAEState = "incomplete"        // feasibility: something is missing; the candidate completes and resubmits
	VAENotAdmissible    VAEState = "not_admissible"    // feasibility refused, with a reason
	VAEAdmissible       VAEState = "admissible"        // the candidate writes their validation dossier
	VAEDossierSubmitted VAEState = "dossier_submitted" // ready for the oral
	VAEOralScheduled    VAEState = "oral_scheduled"    // convened before a jury
	VAEDecided          VAEState = "decided"           // the jury decided, block by block
	VAEWithdrawn        VAEState = "withdrawn"
)

// vaeMoves are the transitions a candidacy may take.
var vaeMoves = map[VAEState][]VAEState{
	VAEDraft:            {VAESubmitted, VAEWithdrawn},
	VAESubmitted:        {VAEAdmissible, VAEIncomplete, VAENotAdmissible, VAEWithdrawn},
	VAEIncomplete:       {VAESubmitted, VAEWithdrawn},
	VAEAdmissible:       {VAEDossierSubmitted, VAEWithdrawn},
	VAEDossierSubmitted: {VAEAdmissible, VAEOralScheduled, VAEWithdrawn}, // back to the dossier when the accompanist asks for more
	VAEOralScheduled:    {VAEDecided, VAEWithdrawn},
}

// CanMove reports whether a candidacy in state from may go to state to.
func CanMove(from, to VAEState) bool { return slices.Contains(vaeMoves[from], to) }

// Move refuses a transition the candidacy may not take, saying where it
// stands and what it may do.
func (s VAEState) Move(to VAEState) error {
	if CanMove(s, to) {
		return nil
	}
	var next []string
	for _, n := range vaeMoves[s] {
		next = append(next, string(n))
	}
	if len(next) == 0 {
		return Errorf(ECONFLICT, "the candidacy is %s: nothing more can be done with it", s)
	}
	return Errorf(ECONFLICT, "the candidacy is %s and cannot become %s: it may become %s", s, to, strings.Join(next, ", "))
}

// Experience is one period of the candidate's experience.
type Experience struct {
	Job        string `json:"job"`
	Employer   string `json:"employer"`
	From       Date   `json:"from"`
	To         Date   `json:"to"` // zero: to this day
	Activities string `json:"activities"`
}

// DossierAnswer is how the candidate's experience covers one competency of
// a block aimed at; the accompanist may comment on it.
type DossierAnswer struct {
	Block      string `json:"block"`
	Competency int    `json:"competency"` // from 1, in the referential's order
	Text       string `json:"text"`
	Comment    string `json:"comment,omitempty"` // the accompanist's
}

// Feasibility is one decision on the feasibility of a candidacy.
type Feasibility struct {
	Outcome   VAEState  `json:"outcome"` // admissible, incomplete or not_admissible
	Reason    string    `json:"reason,omitempty"`
	Missing   []string  `json:"missing,omitempty"` // for incomplete: what to add
	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at"`
}

// Candidacy is a VAE candidacy.
type Candidacy struct {
	ID            int64           `json:"id"`
	PersonID      int64           `json:"person_id"`
	School        string          `json:"school"`
	Certification string          `json:"certification"`
	Version       int             `json:"version"`
	Blocks        []string        `json:"blocks"` // aimed at
	Experience    []Experience    `json:"experience"`
	Dossier       []DossierAnswer `json:"dossier"`
	State         VAEState        `json:"state"`
	History       []Feasibility   `json:"history"`
	Accompanist   int64           `json:"accompanist,omitempty"` // an account
	OralDate      *time.Time      `json:"oral_at,omitempty"`
	OralPlace     string          `json:"oral_place,omitempty"`
	JuryID        int64           `json:"jury_id,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

// Limits of a candidacy's texts.
const (
	MaxExperiences  = 50
	MaxAnswerText   = 20000
	MaxActivityText = 5000
)

// CheckDraft checks what a candidate may save at any time: blocks of the
// certification, not already acquired, each once; experience periods with
// sound dates and texts. Unfinished is fine; wrong is not.
func (cd *Candidacy) CheckDraft(c *Certification, acquired []string) Problems {
	var ps Problems
	for i, b := range cd.Blocks {
		switch {
		case c.Block(b) == nil:
			ps = append(ps, Problem{Row: i + 1, Column: "blocks", Code: "block_unknown", Value: Cut(b)})
		case slices.Contains(acquired, b):
			ps = append(ps, Problem{Row: i + 1, Column: "blocks", Code: "block_acquired", Value: b})
		case slices.Contains(cd.Blocks[:i], b):
			ps = append(ps, Problem{Row: i + 1, Column: "blocks", Code: "block_twice", Value: b})
		}
	}
	if len(cd.Experience) > MaxExperiences {
		ps = append(ps, Problem{Column: "experience", Code: "too_many", Value: fmt.Sprint(len(cd.Experience)), Detail: fmt.Sprint(MaxExperiences)})
	}
	for i, e := range cd.Experience {
		for _, f := range []struct {
			name, text string
			max        int
			multi      bool
		}{{"job", e.Job, 200, false}, {"employer", e.Employer, 200, false}, {"activities", e.Activities, MaxActivityText, true}} {
			if err := CheckText(f.name, f.text, f.max, f.multi); err != nil {
				ps = append(ps, Problem{Row: i + 1, Column: f.name, Code: "bad_text", Detail: ErrorMessage(err)})
			}
		}
		if !e.To.IsZero() && !e.From.IsZero() && e.To.Time.Before(e.From.Time) {
			ps = append(ps, Problem{Row: i + 1, Column: "to", Code: "dates_reversed", Value: e.From.String(), Detail: e.To.String()})
		}
	}
	for i, a := range cd.Dossier {
		b := c.Block(a.Block)
		if b == nil || !slices.Contains(cd.Blocks, a.Block) || a.Competency < 1 || a.Competency > len(b.Competencies) {
			ps = append(ps, Problem{Row: i + 1, Column: "dossier", Code: "no_such_competency", Value: fmt.Sprintf("%s/%d", Cut(a.Block), a.Competency)})
			continue
		}
		if err := CheckText("text", a.Text, MaxAnswerText, true); err != nil {
			ps = append(ps, Problem{Row: i + 1, Column: "dossier", Code: "bad_text", Detail: ErrorMessage(err)})
		}
	}
	return ps
}

// CheckSubmit checks a candidacy asking for feasibility: at least one
// block aimed at and one period of experience, each with a job, an
// employer, a start and its activities.
func (cd *Candidacy) CheckSubmit() Problems {
	var ps Problems
	if len(cd.Blocks) == 0 {
		ps = append(ps, Problem{Column: "blocks", Code: "no_block"})
	}
	if len(cd.Experience) == 0 {
		ps = append(ps, Problem{Column: "experience", Code: "no_experience"})
	}
	for i, e := range cd.Experience {
		if strings.TrimSpace(e.Job) == "" || strings.TrimSpace(e.Employer) == "" || e.From.IsZero() || strings.TrimSpace(e.Activities) == "" {
			ps = append(ps, Problem{Row: i + 1, Column: "experience", Code: "experience_incomplete"})
		}
	}
	return ps
}

// CheckDossier checks a dossier being submitted: one answer, not blank,
// for every competency of every block aimed at.
func (cd *Candidacy) CheckDossier(c *Certification) Problems {
	var ps Problems
	for _, code := range cd.Blocks {
		b := c.Block(code)
		if b == nil {
			continue // CheckDraft names it
		}
		for k := range b.Competencies {
			i := slices.IndexFunc(cd.Dossier, func(a DossierAnswer) bool { return a.Block == code && a.Competency == k+1 })
			if i < 0 || strings.TrimSpace(cd.Dossier[i].Text) == "" {
				ps = append(ps, Problem{Column: "dossier", Code: "competency_blank", Value: fmt.Sprintf("%s/%d", code, k+1), Detail: Cut(b.Competencies[k])})
			}
		}
	}
	return ps
}

// CheckFeasibility checks a feasibility decision: one of its three
// outcomes, a reason for a refusal, what is missing for an incomplete file.
func CheckFeasibility(f *Feasibility) error {
	switch f.Outcome {
	case VAEAdmissible:
	case VAEIncomplete:
		if len(f.Missing) == 0 {
			return Errorf(EINVALID, "an incomplete file needs the list of what is missing")
		}
	case VAENotAdmissible:
		if len(strings.TrimSpace(f.Reason)) < 10 {
			return Errorf(EINVALID, "a file not admissible needs a reason of at least 10 characters")
		}
	default:
		return Errorf(EINVALID, "a feasibility decision is admissible, incomplete or not_admissible, not %q", f.Outcome)
	}
	if err := CheckText("reason", f.Reason, 2000, true); err != nil {
		return err
	}
	for _, m := range f.Missing {
		if err := CheckText("missing", m, 300, false); err != nil || strings.TrimSpace(m) == "" {
			return Errorf(EINVALID, "each missing item is a line of 1 to 300 characters")
		}
	}
	return nil
}

// CheckVAEDecision refuses a jury decision on a VAE candidate that rules
// on a block the candidacy did not aim at, or validates one by another
// route than VAE.
func (cd *Candidacy) CheckVAEDecision(jd *JuryDecision) Problems {
	var ps Problems
	for i, b := range jd.Blocks {
		if b.Proposed {
			continue // acquired earlier: the jury only confirms it
		}
		if !slices.Contains(cd.Blocks, b.Block) {
			ps = append(ps, Problem{Row: i + 1, Code: "block_not_aimed", Value: b.Block})
		} else if b.Validated && b.Route != VAE {
			ps = append(ps, Problem{Row: i + 1, Code: "block_route", Value: b.Block})
		}
	}
	return ps
}

// VAENotice is the e-mail that tells a candidate where their candidacy
// stands: acknowledged, the feasibility decision, the convocation to the
// oral (oralAt: its date and time as the candidate reads them). Written in
// French, the language of the certification.
func (cd *Candidacy) VAENotice(p *Person, title, oralAt string) (Mail, bool) {
	if p.Email == "" || p.ErasedAt != nil {
		return Mail{}, false
	}
	var subject, body string
	hello := "Bonjour " + p.DisplayName() + ",\n\n"
	about := fmt.Sprintf("votre candidature VAE n° %d au titre « %s » (%s)", cd.ID, title, cd.Certification)
	switch cd.State {
	case VAESubmitted:
		subject = "Candidature VAE reçue"
		body = hello + "Nous avons bien reçu " + about + ". Le certificateur étudie sa recevabilité et vous écrira sa décision."
	case VAEAdmissible:
		subject = "Candidature VAE recevable"
		body = hello + strings.ToUpper(about[:1]) + about[1:] + " est recevable. Vous pouvez maintenant rédiger votre dossier de validation, bloc par bloc, compétence par compétence."
	case VAEIncomplete:
		subject = "Candidature VAE incomplète"
		body = hello + strings.ToUpper(about[:1]) + about[1:] + " est incomplète. Il manque :\n"
		for _, m := range cd.lastFeasibility().Missing {
			body += "- " + m + "\n"
		}
		body += "\nComplétez-la depuis votre espace puis soumettez-la de nouveau."
	case VAENotAdmissible:
		subject = "Candidature VAE non recevable"
		body = hello + strings.ToUpper(about[:1]) + about[1:] + " n'est pas recevable. Motif : " + cd.lastFeasibility().Reason
	case VAEOralScheduled:
		subject = "Convocation à l'oral de VAE"
		body = hello + "Vous êtes convoqué(e) à l'oral devant le jury pour " + about + ", le " + oralAt + ", lieu : " + cd.OralPlace + "."
	default:
		return Mail{}, false
	}
	return Mail{To: p.Email, Subject: subject, Body: body + "\n", School: cd.School, PersonID: p.ID}, true
}

func (cd *Candidacy) lastFeasibility() Feasibility {
	if len(cd.History) == 0 {
		return Feasibility{}
	}
	return cd.History[len(cd.History)-1]
}
