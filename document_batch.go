package certibloc

import (
	"cmp"
	"fmt"
	"slices"
)

// A closed jury's documents are issued in one batch, as a durable job: a
// certificate to each candidate awarded the title, a transcript to each
// candidate with a block validated, and an attestation of each block that
// this jury validated for the first time (a block acquired at an earlier
// jury had its attestation then). A jury issues each document once: a
// batch resumed after a crash issues only what is missing.

// GenerateDocumentsJob is the kind of the job that issues a jury's documents.
const GenerateDocumentsJob = "documents.generate"

// GenerateDocuments is the payload of a GenerateDocumentsJob.
type GenerateDocuments struct {
	Jury int64 `json:"jury"`
}

// JuryJobKey is the key of a jury's jobs: one batch at a time per jury.
func JuryJobKey(jury int64) string { return fmt.Sprintf("jury:%d", jury) }

// CheckDocuments refuses documents for a jury whose minutes are not
// closed: no certificate may exist before them. The message is in
// language l.
func (j *JurySession) CheckDocuments(l Lang) error {
	if j.State == JuryClosed {
		return nil
	}
	return Errorf(ECONFLICT, "%s", pick(l == French,
		fmt.Sprintf("Les documents du jury %d ne peuvent pas être délivrés : son procès-verbal n'est pas encore clos. Le président doit d'abord clore la session.", j.ID),
		fmt.Sprintf("The documents of jury %d cannot be issued: its minutes are not closed yet. The chair must close the session first.", j.ID)))
}

// PlannedDocument is a document a jury's batch issues.
type PlannedDocument struct {
	Kind     DocumentKind
	PersonID int64
	Block    string // the attestation's block
}

// Key identifies the document among a jury's: what the database holds
// once per jury.
func (p PlannedDocument) Key() string { return fmt.Sprintf("%d/%s/%s", p.PersonID, p.Kind, p.Block) }

// PlanDocuments lists the documents a jury issues from its decisions, in
// the order of the candidates (by person id): for each, the certificate,
// then the transcript, then the attestations in the order of the
// decision's blocks. firstHere holds, per person, the blocks this jury
// wrote to the ledger (validated there for the first time).
func PlanDocuments(decisions []JuryDecision, firstHere map[int64][]string) []PlannedDocument {
	ds := slices.Clone(decisions)
	slices.SortFunc(ds, func(a, b JuryDecision) int { return cmp.Compare(a.PersonID, b.PersonID) })
	var plan []PlannedDocument
	for _, d := range ds {
		validated := 0
		for _, b := range d.Blocks {
			if b.Validated {
				validated++
			}
		}
		if d.Certified {
			plan = append(plan, PlannedDocument{Kind: Certificate, PersonID: d.PersonID})
		}
		if validated > 0 {
			plan = append(plan, PlannedDocument{Kind: Transcript, PersonID: d.PersonID})
		}
		for _, b := range d.Blocks {
			if b.Validated && slices.Contains(firstHere[d.PersonID], b.Block) {
				plan = append(plan, PlannedDocument{Kind: Attestation, PersonID: d.PersonID, Block: b.Block})
			}
		}
	}
	return plan
}
