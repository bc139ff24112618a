package certibloc

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Insertion surveys: France Compétences asks a certifier what became of
// its holders six months and two years after the jury. Each holder gets,
// at each wave, an e-mail with a link to a short questionnaire that needs
// no account (an unguessable token in the link); the answer can be
// corrected until the survey closes. The response and insertion rates of
// the figures and the programme's public sheet count them.

// The waves of the survey, in months after the jury.
const (
	SurveySixMonths = 6
	SurveyTwoYears  = 24
)

// SurveyWaves are the waves, in order.
var SurveyWaves = []int{SurveySixMonths, SurveyTwoYears}

// SurveyWindow is how long after a wave is due its survey is still sent
// (a holder awarded long before surveys existed is not asked years late),
// and SurveyOpen how long a survey takes answers and corrections once sent.
const (
	SurveyWindow = 6 // months
	SurveyOpen   = 3 // months
)

// Situation is a holder's situation at a wave.
type Situation string

// The situations a holder may answer.
const (
	EmployedInField Situation = "employed_field" // employed in the title's field
	EmployedOther   Situation = "employed_other" // employed in another field
	Studying        Situation = "studying"
	Seeking         Situation = "seeking" // seeking a job
	OtherSituation  Situation = "other"
)

// Situations are the situations in the order the questionnaire lists them.
var Situations = []Situation{EmployedInField, EmployedOther, Studying, Seeking, OtherSituation}

// Employed reports whether the situation counts as inserted.
func (s Situation) Employed() bool { return s == EmployedInField || s == EmployedOther }

// Contract is an employed holder's kind of contract.
type Contract string

// The contracts a holder may answer.
const (
	Permanent              Contract = "permanent"  // CDI
	FixedTerm              Contract = "fixed_term" // CDD, temporary work
	ApprenticeshipContract Contract = "apprenticeship"
	SelfEmployed           Contract = "self_employed"
	OtherContract          Contract = "other"
)

// Contracts are the contracts in the order the questionnaire lists them.
var Contracts = []Contract{Permanent, FixedTerm, ApprenticeshipContract, SelfEmployed, OtherContract}

// SurveyAnswer is what a holder answers.
type SurveyAnswer struct {
	Situation Situation `json:"situation"`
	JobTitle  string    `json:"job_title,omitempty"`
	Contract  Contract  `json:"contract,omitempty"`
}

// Validate checks an answer: a situation of the list; when employed, a
// contract of the list and a job title; otherwise neither, which are
// dropped.
func (a *SurveyAnswer) Validate() error {
	a.JobTitle = strings.TrimSpace(a.JobTitle)
	if !slices.Contains(Situations, a.Situation) {
		return Errorf(EINVALID, "situation %q must be one of employed_field, employed_other, studying, seeking, other", Cut(string(a.Situation)))
	}
	if !a.Situation.Employed() {
		a.JobTitle, a.Contract = "", ""
		return nil
	}
	if !slices.Contains(Contracts, a.Contract) {
		return Errorf(EINVALID, "contract %q must be one of permanent, fixed_term, apprenticeship, self_employed, other when employed", Cut(string(a.Contract)))
	}
	if a.JobTitle == "" {
		return Errorf(EINVALID, "job_title is required when employed")
	}
	return CheckText("job_title", a.JobTitle, MaxName, false)
}

// Survey is one holder's questionnaire at one wave.
type Survey struct {
	ID                 int64      `json:"id"`
	PersonID           int64      `json:"person_id"`
	FirstNames         string     `json:"-"`
	Certification      string     `json:"certification"`
	CertificationTitle string     `json:"certification_title"`
	AwardedOn          Date       `json:"awarded_on"`
	Route              Route      `json:"route"`
	Wave               int        `json:"wave"` // months after the jury
	SentAt             time.Time  `json:"sent_at"`
	ClosesOn           Date       `json:"closes_on"`
	AnsweredAt         *time.Time `json:"answered_at,omitempty"`
	Answer             SurveyAnswer
	// Open says the survey takes an answer or a correction today.
	Open bool `json:"open"`
}

// OpenOn reports whether the survey still takes an answer or a correction
// on day d.
func (s *Survey) OpenOn(d Date) bool { return !s.ClosesOn.Before(d) }

// NewSurveyToken makes the unguessable token of a survey's link (32
// random bytes) and the hash the store keeps of it.
func NewSurveyToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, SurveyTokenHash(token)
}

// SurveyTokenHash is what the store keeps of a token: only someone with
// the link can answer, even with the database in hand.
func SurveyTokenHash(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// SurveyMail is the e-mail that asks a holder to answer, in their language.
func SurveyMail(l Lang, to, firstNames, title string, wave int, link string, closes Date) Mail {
	period := map[int][2]string{SurveySixMonths: {"six mois", "six months"}, SurveyTwoYears: {"deux ans", "two years"}}[wave]
	if l == English {
		return Mail{To: to, Subject: "What has become of you since your title? (2 minutes)",
			Body: fmt.Sprintf("Hello %s,\n\nYou were awarded the title « %s » %s ago. To follow what becomes of its holders, as France Compétences asks, "+
				"please answer three questions (your situation, job title and contract) at this personal link, which needs no account:\n\n%s\n\n"+
				"You can correct your answer until %s. Your answer is only counted in the programme's figures, never shown with your name.\n",
				firstNames, title, period[1], link, l.Date(closes))}
	}
	return Mail{To: to, Subject: "Que devenez-vous depuis votre titre ? (2 minutes)",
		Body: fmt.Sprintf("Bonjour %s,\n\nVous avez obtenu le titre « %s » il y a %s. Pour suivre le devenir de ses titulaires, comme le demande France Compétences, "+
			"merci de répondre à trois questions (votre situation, votre poste et votre contrat) à ce lien personnel, sans compte à créer :\n\n%s\n\n"+
			"Vous pouvez corriger votre réponse jusqu'au %s. Votre réponse ne compte que dans les chiffres de la formation, jamais avec votre nom.\n",
			firstNames, title, period[0], link, l.Date(closes))}
}

// LangTag is the language of a tag a person chose (fr, en), French when
// none or another.
func LangTag(tag string) Lang {
	l, _ := langOf(tag)
	return l
}
