package api

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/prepared"
)

func (a *API) listCertifications(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.Certifications(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"certifications": list})
}

// getCertification answers the current version, or ?version=N, prepared
// once per version.
func (a *API) getCertification(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	version, err := intParam(r, "version")
	if err != nil {
		return err
	}
	cacheControl := prepared.Immutable
	if version == 0 {
		if version, err = a.db.CurrentVersion(r.Context(), code); err != nil {
			return err
		}
		cacheControl = prepared.Revalidate
	}
	b, err := a.bodies.Get("certification "+code+" v"+strconv.Itoa(version), func() (*prepared.Body, error) {
		c, err := a.db.Certification(r.Context(), code, version)
		if err != nil {
			return nil, err
		}
		return prepared.JSON(c)
	})
	if err != nil {
		return err
	}
	return prepared.Serve(w, r, b, cacheControl)
}

func (a *API) listVersions(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	list, err := a.db.CertificationVersions(r.Context(), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"code": code, "versions": list})
}

// certification loads the certification of the path, at ?version=N if given.
func (a *API) certification(r *http.Request) (*certibloc.Certification, error) {
	code, err := pathCode(r)
	if err != nil {
		return nil, err
	}
	version, err := intParam(r, "version")
	if err != nil {
		return nil, err
	}
	return a.db.Certification(r.Context(), code, version)
}

// simulate says what a jury would decide on a record, with its reasons in
// the request's language.
func (a *API) simulate(w http.ResponseWriter, r *http.Request) error {
	c, err := a.certification(r)
	if err != nil {
		return err
	}
	var rec certibloc.Record
	if err := readJSON(w, r, &rec); err != nil {
		return err
	}
	d, err := a.db.CompiledRules(c).Decide(rec)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d.Explain(answerLang(w, r)))
}

// eligibility says whether an applicant may enter a track, with its
// reasons in the request's language.
func (a *API) eligibility(w http.ResponseWriter, r *http.Request) error {
	c, err := a.certification(r)
	if err != nil {
		return err
	}
	var ap certibloc.Applicant
	if err := readJSON(w, r, &ap); err != nil {
		return err
	}
	e, err := a.db.CompiledRules(c).EligibilityIn(ap, answerLang(w, r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

// answerLang is the language of the answer's words: ?lang= first, then
// Accept-Language, French by default. The answer says which, and that it
// depends on the header.
func answerLang(w http.ResponseWriter, r *http.Request) certibloc.Lang {
	l := certibloc.NegotiateLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	w.Header().Set("Content-Language", l.String())
	w.Header().Add("Vary", "Accept-Language")
	return l
}
