package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// The insertion survey, public: a holder follows the link of their e-mail
// (an unguessable token in the path, no account), answers three questions
// and may correct the answer until the survey closes. The page is neither
// cached nor indexed, and sends no Referer that would carry the token.

func init() {
	registerPage("survey", "templates/survey.html")
}

// surveyView is what survey.html shows.
type surveyView struct {
	S        *certibloc.Survey
	Open     bool
	Saved    bool
	Error    string // in the page's language
	Field    string // the field the error is about: situation, job_title, contract
	Answer   certibloc.SurveyAnswer
	Options  []choice
	Contract []choice
	Token    string
	Wave     string
}

// choice is a choice of the form, checked or selected.
type choice struct {
	Value, Label string
	On           bool
}

func (s *Site) survey(w http.ResponseWriter, r *http.Request) error {
	return s.surveyPage(w, r, false)
}

func (s *Site) surveyAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.surveyPage(w, r, true)
}

func (s *Site) surveyPage(w http.ResponseWriter, r *http.Request, post bool) error {
	pg := s.page(r, "")
	token := r.PathValue("token")
	sv, err := s.db.SurveyByToken(r.Context(), token)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return s.renderSurvey(w, r, pg, http.StatusNotFound, &surveyView{Error: pg.T("survey_e_link")})
	}
	if err != nil {
		return err
	}
	v := &surveyView{S: sv, Token: token, Answer: sv.Answer, Wave: pg.T(map[int]string{6: "survey_wave_6", 24: "survey_wave_24"}[sv.Wave])}
	status := http.StatusOK
	if post {
		a := certibloc.SurveyAnswer{Situation: certibloc.Situation(r.PostFormValue("situation")), JobTitle: r.PostFormValue("job_title"),
			Contract: certibloc.Contract(r.PostFormValue("contract"))}
		v.Answer = a
		saved, err := s.db.AnswerSurvey(r.Context(), token, a)
		switch certibloc.ErrorCode(err) {
		case "":
			v.S, v.Answer, v.Saved = saved, saved.Answer, true
		case certibloc.EINVALID:
			v.Field = surveyField(err)
			v.Error = pg.T("survey_e_" + v.Field)
			status = http.StatusBadRequest
		case certibloc.ECONFLICT:
			v.Error = pg.Tf("survey_e_closed_f", pg.Date(sv.ClosesOn))
			v.Answer = sv.Answer
			status = http.StatusConflict
		default:
			return err
		}
	}
	v.Open = v.S.Open
	for _, o := range certibloc.Situations {
		v.Options = append(v.Options, choice{Value: string(o), Label: pg.T("survey_situation_" + string(o)), On: v.Answer.Situation == o})
	}
	for _, c := range certibloc.Contracts {
		v.Contract = append(v.Contract, choice{Value: string(c), Label: pg.T("survey_contract_" + string(c)), On: v.Answer.Contract == c})
	}
	return s.renderSurvey(w, r, pg, status, v)
}

// surveyField names the field an invalid answer is about.
func surveyField(err error) string {
	msg := err.Error()
	for _, f := range []string{"situation", "contract", "job_title"} {
		if strings.HasPrefix(msg, f) || strings.Contains(msg, " "+f+" ") {
			return f
		}
	}
	return "situation"
}

func (s *Site) renderSurvey(w http.ResponseWriter, r *http.Request, pg *page, status int, v *surveyView) error {
	pg.CSRF = s.anonToken(w, r)
	pg.Title, pg.Description = pg.T("survey_title"), pg.T("survey_description")
	if len(pg.Menu) == 0 {
		pg.NavLabel = pg.T("site")
		pg.Nav = []navItem{{Href: "/", Label: pg.T("auth_nav_home")}}
	}
	pg.Body = v
	var buf bytes.Buffer
	if err := s.pages.render(&buf, "survey", pg); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
