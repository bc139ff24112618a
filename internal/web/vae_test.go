package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// upload posts a file through a page's upload form, with its token.
func (b *browser) upload(page, action string, fields url.Values, filename string, data []byte) (int, string, string) {
	b.t.Helper()
	code, _, body := b.get(page)
	m := csrfRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		b.t.Fatalf("GET %s: %d\n%.500s", page, code, body)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", m[1])
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	part, _ := w.CreateFormFile("file", filename)
	part.Write(data)
	w.Close()
	req := httptest.NewRequestWithContext(context.Background(), "POST", "http://certibloc.test"+action, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.RemoteAddr = b.ip + ":40000"
	for _, c := range b.jar.Cookies(siteURL) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Location"), rec.Body.String()
}

// experienceForm is the candidacy's form: the blocks and the periods of
// experience, each job, employer, from, to, activities.
func experienceForm(blocks []string, rows ...[5]string) url.Values {
	f := url.Values{"blocks": blocks}
	for i, r := range rows {
		for k, name := range []string{"job", "employer", "from", "to", "activities"} {
			f.Set(fmt.Sprintf("x%d_%s", i, name), r[k])
		}
	}
	return f
}

// vaeWant fails when a page does not say each text, or is not French.
func vaeWant(t *testing.T, what string, code, wantCode int, body string, texts ...string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("%s: %d, want %d\n%.1500s", what, code, wantCode, text(body))
	}
	for _, s := range texts {
		if !strings.Contains(text(body), s) {
			t.Errorf("%s does not say %q:\n%.3000s", what, s, text(body))
		}
	}
	if wantCode == http.StatusOK || wantCode == http.StatusBadRequest {
		checkFrench(t, what, body)
	}
}

// vaeJury convenes an open jury of RNCP38478 on a date, whose members
// have no account (nobody declares), with candidates.
func vaeJury(t *testing.T, db *sqldb.DB, date certibloc.Date, candidates ...int64) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: date, Place: "Dijon", Candidates: candidates,
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Professionnel", Role: certibloc.JuryProfessional, Present: true},
			{Name: "Professionnelle", Role: certibloc.JuryProfessional, Present: true}}}
	if err := db.CreateJury(ctx, j); err != nil {
		t.Fatal(err)
	}
	return j.ID
}

func dayFrom(d certibloc.Date, n int) certibloc.Date { return certibloc.Date{Time: d.AddDate(0, 0, n)} }

// TestVAEMixedRouteEndToEnd takes a candidate through the VAE pages on
// SQLite and PostgreSQL, bad input at each step refused in French with
// what they wrote kept: the candidacy opened on three blocks, the
// experience saved as typed and by the button, a proof that is not what
// its name says then a real one; the feasibility declared incomplete, the
// candidacy completed and declared admissible, each after the check step;
// the accompanist named, who comments the dossier; the dossier refused
// while a competency is blank, then handed in; the oral scheduled; the
// jury validates two blocks of three by VAE (a partial VAE). Staff then
// enrol the person in a cohort for the rest; they pass the evaluations of
// the two blocks left, and a second jury finds the title missing the
// complementary evaluations, which a block acquired by training requires;
// once passed, it awards the title from both routes.
func TestVAEMixedRouteEndToEnd(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newJurySite(t, db)
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		ada, admin, staff := s.as(t, s.cand), s.as(t, s.admin), s.as(t, s.staff)
		accompanist, err := db.CreateAccount(ctx, certibloc.Account{Email: "accompagnatrice@example.org", Role: certibloc.Staff,
			Schools: []string{"DIIAGE"}})
		if err != nil {
			t.Fatal(err)
		}
		acc := s.as(t, accompanist)
		person, err := db.Person(ctx, s.ada)
		if err != nil {
			t.Fatal(err)
		}
		person.Email = "ada@example.org"
		if err := db.UpdatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		const bc01, bc02, bc03, bc04, bc05 = "RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04", "RNCP38478BC05"
		aimed := []string{bc01, bc02, bc04}

		// Opening: a block that does not exist, then three that do.
		code, _, body := ada.submit("/app/vae/new", "/app/vae", url.Values{"certification": {"RNCP38478"}, "blocks": {"RNCP38478BC09"}})
		vaeWant(t, "a block that does not exist", code, 400, body, "n'existe pas")
		code, loc, body := ada.submit("/app/vae/new", "/app/vae", url.Values{"certification": {"RNCP38478"}, "blocks": aimed})
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=created") {
			t.Fatalf("opening: %d %s\n%s", code, loc, text(body))
		}
		page := strings.TrimSuffix(loc, "?done=created")
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/app/vae/"), 10, 64)
		code, _, body = ada.get(page)
		vaeWant(t, "the new candidacy", code, 200, body, "Brouillon", "Rédaction de la candidature (étape en cours)")

		// The experience: reversed dates are refused and what was typed
		// stays; the script's save and the button's.
		job := [5]string{"Cheffe de projet informatique", "Analytical Engines", "2020-01-01", "2019-01-01", "Pilotage de projets d'infrastructure."}
		code, _, body = ada.submit(page, page, experienceForm(aimed, job))
		vaeWant(t, "reversed dates", code, 400, body, "expérience 1, Fin : la fin (01/01/2019) précède le début (01/01/2020)",
			"Pilotage de projets d'infrastructure.")
		if !strings.Contains(body, `value="Cheffe de projet informatique"`) || !strings.Contains(body, `value="2019-01-01"`) {
			t.Errorf("the job and dates typed are not shown again")
		}
		job[2], job[3] = "2016-09-01", ""
		ada.header.Set("X-Autosave", "1")
		code, _, body = ada.submit(page, page, experienceForm(aimed, job))
		if code != http.StatusOK || !strings.HasPrefix(body, "Brouillon enregistré à ") {
			t.Fatalf("saving as one types: %d %q", code, body)
		}
		bad := job
		bad[2] = "31/02/2016"
		if code, _, body = ada.submit(page, page, experienceForm(aimed, bad)); code != http.StatusBadRequest || !strings.HasPrefix(body, "Brouillon non enregistré") {
			t.Fatalf("saving a date that is not one as one types: %d %q", code, body)
		}
		ada.header.Del("X-Autosave")
		if cd, err := db.Candidacy(ctx, id); err != nil || len(cd.Experience) != 1 || cd.Experience[0].From != certibloc.DateOf(2016, 9, 1) {
			t.Fatalf("what the script saved: %+v, %v", cd, err)
		}

		// Proofs: a PNG named .pdf, then a PDF.
		pdf, err := os.ReadFile("../../testdata/documents/cv.pdf")
		if err != nil {
			t.Fatal(err)
		}
		code, _, body = ada.upload(page, page+"/proofs", nil, "attestation.pdf", []byte("\x89PNG\r\n\x1a\n0000000000000000"))
		vaeWant(t, "a PNG named .pdf", code, 400, body, "attestation.pdf")
		if code, loc, _ = ada.upload(page, page+"/proofs", nil, "attestation.pdf", pdf); code != http.StatusSeeOther {
			t.Fatalf("a proof: %d %s", code, loc)
		}

		// Feasibility: incomplete (what is missing is required), completed,
		// admissible; nothing recorded before the check step is confirmed.
		code, _, body = ada.submit(page, page+"/submit", experienceForm(aimed, job))
		if code != http.StatusSeeOther {
			t.Fatalf("submitting: %d\n%s", code, text(body))
		}
		feas := page + "/feasibility"
		code, _, body = admin.get(feas)
		vaeWant(t, "the feasibility form", code, 200, body, "Cheffe de projet informatique chez Analytical Engines", "attestation.pdf", "Vérifier la décision")
		code, _, body = staff.get("/app/vae?state=submitted&school=DIIAGE")
		vaeWant(t, "staff's list", code, 200, body, "Ada LOVELACE", "Recevabilité demandée")
		code, _, body = staff.get("/app/vae?state=decided")
		vaeWant(t, "staff's list filtered", code, 200, body, "Aucune candidature pour l'instant.")
		code, _, body = admin.submit(feas, feas, url.Values{"outcome": {"incomplete"}})
		vaeWant(t, "incomplete without what is missing", code, 400, body, "dites ce qui manque")
		code, _, body = admin.submit(feas, feas, url.Values{"outcome": {"incomplete"}, "missing": {"Attestations d'employeur\nBulletins de salaire"}})
		vaeWant(t, "the check step", code, 200, body, "La candidature sera déclarée : Incomplète.", "Il manque : Bulletins de salaire", "définitive")
		if cd, _ := db.Candidacy(ctx, id); cd.State != certibloc.VAESubmitted {
			t.Fatalf("the check step recorded the decision: %s", cd.State)
		}
		code, _, body = admin.submit(feas, feas, url.Values{"outcome": {"incomplete"}, "missing": {"Attestations d'employeur\nBulletins de salaire"},
			"edit": {"yes"}})
		vaeWant(t, "back to the form from the check step", code, 200, body, "Vérifier la décision")
		if !strings.Contains(body, "Bulletins de salaire</textarea>") || !strings.Contains(body, `value="incomplete" type="radio" checked`) {
			t.Errorf("back from the check step, the decision is not filled in:\n%s", body)
		}
		code, _, body = admin.submit(feas, feas, url.Values{"outcome": {"incomplete"}, "missing": {"Attestations d'employeur\nBulletins de salaire"},
			"checked": {"yes"}})
		vaeWant(t, "the check step without its box", code, 400, body, "cochez la case")
		if code, _, _ = admin.submit(feas, feas, url.Values{"outcome": {"incomplete"}, "missing": {"Attestations d'employeur\nBulletins de salaire"},
			"confirm": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("recording incomplete: %d", code)
		}
		code, _, body = ada.get(page)
		vaeWant(t, "the incomplete candidacy", code, 200, body, "Incomplète", "Bulletins de salaire")
		second := [5]string{"Consultante", "Babbage & Co", "2012-01-01", "2016-08-31", "Conseil en systèmes d'information."}
		if code, _, body = ada.submit(page, page+"/submit", experienceForm(aimed, job, second)); code != http.StatusSeeOther {
			t.Fatalf("resubmitting: %d\n%s", code, text(body))
		}
		if code, _, _ = admin.submit(feas, feas, url.Values{"outcome": {"admissible"}, "confirm": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("recording admissible: %d", code)
		}

		// The accompanist, named by staff.
		if code, _, body = staff.submit(page, page+"/accompanist", url.Values{"account": {fmt.Sprint(accompanist.ID)}}); code != http.StatusSeeOther {
			t.Fatalf("naming the accompanist: %d\n%s", code, text(body))
		}

		// The dossier: a blank competency is named, the rest is kept; the
		// accompanist comments; then it is handed in.
		cert, err := seed.Certification()
		if err != nil {
			t.Fatal(err)
		}
		answers := url.Values{}
		for _, code := range aimed {
			for k := range cert.Block(code).Competencies {
				answers.Set(fmt.Sprintf("a_%s_%d", code, k+1), fmt.Sprintf("Sur %s, compétence %d : trois ans de pratique.", code, k+1))
			}
		}
		partial := url.Values{}
		for k, v := range answers {
			partial[k] = v
		}
		partial.Set("a_RNCP38478BC01_1", "  ")
		dossier := page + "/dossier"
		code, _, body = ada.submit(dossier, dossier+"/submit", partial)
		vaeWant(t, "a blank competency", code, 400, body, "la compétence RNCP38478BC01/1 n'a pas de réponse", "Sur RNCP38478BC02, compétence 1 : trois ans de pratique.")
		if cd, _ := db.Candidacy(ctx, id); cd.State != certibloc.VAEAdmissible || len(cd.Dossier) != len(answers)-1 {
			t.Fatalf("after the refusal: %s, %d answers kept", cd.State, len(cd.Dossier))
		}
		code, _, body = acc.submit(dossier, page+"/comments", url.Values{"block": {bc02}, "competency": {"1"}, "comment": {"Donnez un exemple chiffré."}})
		if code != http.StatusSeeOther {
			t.Fatalf("the accompanist's comment: %d\n%s", code, text(body))
		}
		if code, _, _ = staff.submit(dossier, page+"/comments", url.Values{"block": {bc02}, "competency": {"1"}, "comment": {"Non."}}); code != http.StatusForbidden {
			t.Errorf("a comment by staff who do not accompany: %d", code)
		}
		code, _, body = acc.get(dossier)
		vaeWant(t, "the accompanist's dossier", code, 200, body, "Enregistrer le commentaire")
		code, _, body = ada.get(dossier)
		vaeWant(t, "the dossier with a comment", code, 200, body, "Commentaire de l'accompagnateur : Donnez un exemple chiffré.")
		if code, _, body = ada.submit(dossier, dossier+"/submit", answers); code != http.StatusSeeOther {
			t.Fatalf("handing the dossier in: %d\n%s", code, text(body))
		}

		// The oral, before an open jury; the convocation is e-mailed.
		today := db.Today()
		jury1 := vaeJury(t, db, dayFrom(today, 5))
		code, _, body = admin.get(page)
		vaeWant(t, "the oral's form", code, 200, body, "Programmer l'oral", "Dossier déposé")
		code, _, body = admin.submit(page, page+"/oral", url.Values{"oral_at": {"2027-07-01T09:30"}, "place": {"Dijon, salle 3"}})
		vaeWant(t, "an oral without a jury", code, 400, body, "choisissez un jury ouvert")
		if code, _, body = admin.submit(page, page+"/oral", url.Values{"oral_at": {"2027-07-01T09:30"}, "place": {"Dijon, salle 3"},
			"jury": {fmt.Sprint(jury1)}}); code != http.StatusSeeOther {
			t.Fatalf("scheduling the oral: %d\n%s", code, text(body))
		}
		code, _, body = ada.get(page)
		vaeWant(t, "the convocation", code, 200, body, "Oral devant le jury le 01/07/2027 09:30, lieu : Dijon, salle 3.")
		mails, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(mails, func(m certibloc.Mail) bool { return m.Subject == "Convocation à l'oral de VAE" }) {
			t.Errorf("no convocation in the outbox")
		}

		code, _, body = admin.get(fmt.Sprintf("/app/juries/%d/candidates/%d", jury1, s.ada))
		vaeWant(t, "the jury's page of the candidate", code, 200, body, "Lire le dossier de validation du candidat à la VAE")
		if !strings.Contains(body, `href="`+dossier+`"`) {
			t.Errorf("the jury's page of the candidate does not lead to the dossier")
		}

		// A partial VAE: BC02 and BC04 validated, BC01 not.
		vae := func(b string, ok bool) certibloc.BlockVerdict {
			return certibloc.BlockVerdict{Block: b, Validated: ok, Route: certibloc.VAE, Reason: "Dossier de validation et oral examinés."}
		}
		if err := db.DecideCandidate(ctx, jury1, &certibloc.JuryDecision{PersonID: s.ada,
			Blocks: []certibloc.BlockVerdict{vae(bc01, false), vae(bc02, true), vae(bc04, true)}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseJury(ctx, jury1, testMinutes); err != nil {
			t.Fatal(err)
		}
		code, _, body = ada.get(page)
		vaeWant(t, "the decision", code, 200, body, "Décidée par le jury", bc02+" – ", "validé par la VAE", bc01+" – ", "non validé",
			"Le titre n'est pas encore atteint.")

		code, _, body = staff.get(page)
		vaeWant(t, "staff's view of the decision", code, 200, body, "Poursuivre en formation", "Bloc requis RNCP38478BC03")

		// Staff enrol the person in a cohort for the rest.
		c := &certibloc.Campaign{School: "DIIAGE", Programme: mustProgramme(t).Slug, Year: today.Year(), Title: "Campagne mixte",
			OpensOn: dayFrom(today, -30), ClosesOn: dayFrom(today, 60), Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 10}}}
		staffP := &certibloc.Principal{AccountID: s.staff.ID, Role: certibloc.Staff, Schools: []string{"DIIAGE"}, Label: "test"}
		if err := db.CreateCampaign(certibloc.WithPrincipal(t.Context(), staffP), c); err != nil {
			t.Fatal(err)
		}
		co := &certibloc.Cohort{School: "DIIAGE", CampaignID: c.ID, Name: "Promotion mixte", Track: certibloc.OneYear,
			StartsOn: dayFrom(today, -20), EndsOn: dayFrom(today, 340), PlannedHours: 600, WeeklyHours: 35}
		if err := db.CreateCohort(certibloc.WithPrincipal(t.Context(), staffP), co); err != nil {
			t.Fatal(err)
		}
		code, _, body = staff.submit(page, page+"/enrolment", url.Values{"cohort": {fmt.Sprint(co.ID)}, "mode": {"initial"}, "internship_months": {"0"}})
		vaeWant(t, "an internship of 0 months", code, 400, body, "le stage dure de 1 à 36 mois")
		if code, _, body = staff.submit(page, page+"/enrolment", url.Values{"cohort": {fmt.Sprint(co.ID)}, "mode": {"initial"},
			"internship_months": {"6"}}); code != http.StatusSeeOther {
			t.Fatalf("enrolling: %d\n%s", code, text(body))
		}

		// The evaluations of the blocks left, passed.
		evaluator, err := db.CreateAccount(ctx, certibloc.Account{Email: "evaluatrice@example.org", Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}})
		if err != nil {
			t.Fatal(err)
		}
		evalP := &certibloc.Principal{AccountID: evaluator.ID, Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}, Label: "test"}
		day := 10
		sit := func(block string, complementary string) {
			t.Helper()
			es := &certibloc.EvalSession{School: "DIIAGE", Certification: "RNCP38478", Block: block, Complementary: complementary,
				Title: "Session " + block + complementary, Date: dayFrom(today, day), Place: "Dijon", Evaluators: []int64{evaluator.ID},
				Learners: []certibloc.Learner{{PersonID: s.ada}}}
			if block != "" {
				es.Evaluation = 1
			}
			day += 7
			if err := db.CreateEvalSession(t.Context(), staffP, es); err != nil {
				t.Fatalf("session %s%s: %v", block, complementary, err)
			}
			g, err := db.Grid(t.Context(), es.GridID)
			if err != nil {
				t.Fatal(err)
			}
			var marks []certibloc.Mark
			for _, c := range g.Criteria {
				v := certibloc.Score(300)
				if len(c.Scale.Levels) == 0 {
					v = c.Scale.Max
				}
				marks = append(marks, certibloc.Mark{Criterion: c.Key, Value: v})
			}
			if _, err := db.RecordResults(t.Context(), evalP, es.ID, []sqldb.ResultInput{{PersonID: s.ada, Marks: marks, Submit: true}}); err != nil {
				t.Fatalf("results of %s%s: %v", block, complementary, err)
			}
		}
		sit(bc01, "")
		sit(bc03, "")

		// The second jury: two blocks by VAE, two by training; a block
		// acquired by training asks for the complementary evaluations.
		jury2 := vaeJury(t, db, dayFrom(today, 90), s.ada)
		proposal := func() sqldb.Proposal {
			t.Helper()
			props, err := db.JuryProposals(ctx, jury2)
			if err != nil || len(props) != 1 {
				t.Fatalf("proposals: %+v, %v", props, err)
			}
			return props[0]
		}
		if p := proposal(); p.Engine.Certified || p.Engine.Path == certibloc.CompVAE || p.Engine.Path == certibloc.CompNone {
			t.Fatalf("without the complementary evaluations: certified %v, path %v", p.Engine.Certified, p.Engine.Path)
		}
		sit("", "oral_defence")
		sit("", "technical_thesis")
		p := proposal()
		if !p.Engine.Certified {
			t.Fatalf("after the complementary evaluations: %+v", p.Engine.Explain(certibloc.French))
		}
		if err := db.DecideCandidate(ctx, jury2, &p.Decision); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseJury(ctx, jury2, testMinutes); err != nil {
			t.Fatal(err)
		}
		ledger, err := db.Ledger(ctx, s.ada)
		if err != nil {
			t.Fatal(err)
		}
		routes := map[string]certibloc.Route{}
		for _, e := range ledger {
			routes[e.Block] = e.Route
		}
		if routes[bc01] != certibloc.Training || routes[bc03] != certibloc.Training || routes[bc02] != certibloc.VAE || routes[bc04] != certibloc.VAE {
			t.Errorf("the ledger's routes: %v", routes)
		}
		titles, err := db.TitlesAwarded(ctx, s.ada)
		if err != nil || len(titles) != 1 {
			t.Fatalf("titles: %+v, %v", titles, err)
		}
		code, _, body = ada.get(fmt.Sprintf("/app/people/%d/path", s.ada))
		vaeWant(t, "the path", code, 200, body, "Les blocs acquis suffisent au titre.")

		// A block acquired cannot be aimed at again.
		code, _, body = ada.submit("/app/vae/new", "/app/vae", url.Values{"certification": {"RNCP38478"}, "blocks": {bc02}})
		vaeWant(t, "an acquired block", code, 400, body, "le bloc RNCP38478BC02 est déjà acquis")
		code, _, body = ada.get("/app/vae/new")
		if code != http.StatusOK || !strings.Contains(body, `value="`+bc05+`"`) || strings.Contains(body, `value="`+bc02+`"`) {
			t.Errorf("the form offers acquired blocks, or not the others")
		}

		// A refusal: a reason is required; the candidacy ends, with it.
		code, loc, _ = ada.submit("/app/vae/new", "/app/vae", url.Values{"certification": {"RNCP38478"}, "blocks": {"RNCP38478BC05"}})
		if code != http.StatusSeeOther {
			t.Fatalf("a second candidacy: %d", code)
		}
		other := strings.TrimSuffix(loc, "?done=created")
		if code, _, body = ada.submit(other, other+"/submit", experienceForm([]string{"RNCP38478BC05"}, job)); code != http.StatusSeeOther {
			t.Fatalf("submitting the second: %d\n%s", code, text(body))
		}
		code, _, body = admin.submit(other+"/feasibility", other+"/feasibility", url.Values{"outcome": {"not_admissible"}, "reason": {"Hors"}})
		vaeWant(t, "a refusal without a reason", code, 400, body, "écrivez le motif du refus")
		if code, _, _ = admin.submit(other+"/feasibility", other+"/feasibility", url.Values{"outcome": {"not_admissible"},
			"reason": {"Expérience sans rapport avec le bloc visé."}, "confirm": {"yes"}}); code != http.StatusSeeOther {
			t.Fatalf("refusing: %d", code)
		}
		code, _, body = ada.get(other)
		vaeWant(t, "the refused candidacy", code, 200, body, "Non recevable", "Motif : Expérience sans rapport avec le bloc visé.", "s'arrête ici")
		if strings.Contains(body, "data-autosave") {
			t.Errorf("a refused candidacy still offers its form")
		}
		code, _, body = ada.get("/app/vae")
		vaeWant(t, "the candidate's list", code, 200, body, "Décidée par le jury", "Non recevable")

		code, _, body = ada.get(page + "?lang=en")
		if code != http.StatusOK || strings.Contains(body, "[[") || !strings.Contains(text(body), "Decided by the jury") {
			t.Errorf("the candidacy in English: %d\n%.2000s", code, text(body))
		}
	})
}

func mustProgramme(t *testing.T) *certibloc.Programme {
	t.Helper()
	p, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
