package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// MaxBulkEnrol bounds the candidates enrolled at once: a large cohort.
const MaxBulkEnrol = 500

// EnrolAdmitted enrols in cohortID, in one transaction, the admitted
// candidates of applications ids, in initial training with an internship
// of internshipMonths. Those who cannot be enrolled so are left out and
// reported with the reason (certibloc.EnrolRefusal): not admitted (any
// more), of another campaign than the cohort's, admitted on another track,
// apprentices (whose employer, contract and tutor are asked one by one),
// or learners of the cohort already. The others are enrolled as Enrol
// does, each with its decision and notice. An error that is not a reason
// to leave one out rolls the whole back. Only staff who manage admissions
// in the cohort's school enrol.
func (db *DB) EnrolAdmitted(ctx context.Context, cohortID int64, ids []int64, internshipMonths int) (*certibloc.EnrolReport, error) {
	switch {
	case len(ids) == 0:
		return nil, certibloc.Errorf(certibloc.EINVALID, "no candidate to enrol")
	case len(ids) > MaxBulkEnrol:
		return nil, certibloc.Errorf(certibloc.EINVALID, "%d candidates: at most %d are enrolled at once", len(ids), MaxBulkEnrol)
	case internshipMonths <= 0 || internshipMonths > 36:
		return nil, certibloc.Errorf(certibloc.EINVALID, "internship_months must be between 1 and 36 (6 for RNCP38478)")
	}
	p := certibloc.PrincipalFrom(ctx)
	now := db.now().UTC().Truncate(time.Microsecond)
	var report *certibloc.EnrolReport
	err := db.tx(ctx, func(tx *sql.Tx) error {
		report = &certibloc.EnrolReport{}
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		cohort, err := findCohort(ctx, tx, cohortID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageAdmission, cohort.School); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			a, err := findApplication(ctx, tx, id)
			if err != nil {
				return err
			}
			if !p.InSchool(a.School) {
				return certibloc.Errorf(certibloc.EFORBIDDEN, "application %d belongs to another school", a.ID)
			}
			refuse := func(code, format string, args ...any) {
				report.Refused = append(report.Refused, certibloc.EnrolRefusal{ApplicationID: a.ID, Name: a.Name, Code: code,
					Err: certibloc.Errorf(certibloc.ECONFLICT, format, args...)})
			}
			switch {
			case a.State != certibloc.Admitted:
				refuse("not_admitted", "application %d is %s, not admitted", a.ID, a.State)
				continue
			case cohort.CampaignID != 0 && a.CampaignID != cohort.CampaignID:
				refuse("other_campaign", "application %d is not of the campaign of cohort %d", a.ID, cohort.ID)
				continue
			case a.Track != cohort.Track:
				refuse("other_track", "application %d was admitted on track %s, cohort %d follows %s", a.ID, a.Track, cohort.ID, cohort.Track)
				continue
			case a.Mode == certibloc.Apprenticeship:
				refuse("apprenticeship", "application %d is an apprenticeship: enrol it alone, with the employer, contract and tutor", a.ID)
				continue
			}
			e := &certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: a.ID, InternshipMonths: internshipMonths}
			checked, co, to, err := checkEnrolment(ctx, tx, e, now)
			if certibloc.ErrorCode(err) == certibloc.ECONFLICT {
				refuse("enrolled", "%s", certibloc.ErrorMessage(err))
				continue
			} else if err != nil {
				return err
			}
			if err := db.writeEnrolment(ctx, tx, e, checked, co, to, now); err != nil {
				return err
			}
			report.Enrolled = append(report.Enrolled, *e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("enrol admitted candidates: %w", err)
	}
	return report, nil
}
