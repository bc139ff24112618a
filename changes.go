package certibloc

import (
	"fmt"
	"reflect"
	"slices"
)

// Save statuses: what storing a certification did.
const (
	Created   = "created"   // a new certification, version 1
	Updated   = "updated"   // a new version of a known certification
	Unchanged = "unchanged" // the same referential as the current version
)

// SaveResult tells what storing a certification did, and what changed.
type SaveResult struct {
	Code    string   `json:"code"`
	Version int      `json:"version"`
	Status  string   `json:"status"`
	Changes []string `json:"changes,omitempty"`
}

// Changes lists, in words, what differs between two versions of a
// certification: the fields whose value changed, the blocks added or
// removed, and per block what changed in it. It is empty when the two are
// the same referential (Version and Source are not compared).
func Changes(old, new *Certification) []string {
	var out []string
	field := func(name string, a, b any) {
		if !same(a, b) {
			out = append(out, name+" changed")
		}
	}
	field("title", old.Title, new.Title)
	field("level", old.Level, new.Level)
	field("active", old.Active, new.Active)
	field("state", old.State, new.State)
	field("nsf_codes", old.NSFCodes, new.NSFCodes)
	field("rome_codes", old.ROMECodes, new.ROMECodes)
	field("formacodes", old.Formacodes, new.Formacodes)
	field("certifiers", old.Certifiers, new.Certifiers)
	field("registration_type", old.RegistrationType, new.RegistrationType)
	field("decision_date", old.DecisionDate, new.DecisionDate)
	field("end_date", old.EndDate, new.EndDate)
	field("objectives", old.Objectives, new.Objectives)
	field("activities", old.Activities, new.Activities)
	field("capacities", old.Capacities, new.Capacities)
	field("jobs", old.Jobs, new.Jobs)
	field("sectors", old.Sectors, new.Sectors)
	field("legal_references", old.LegalReferences, new.LegalReferences)
	field("prerequisites_text", old.Prerequisites, new.Prerequisites)
	field("access_routes", old.AccessRoutes, new.AccessRoutes)
	field("jury_routes", old.JuryRoutes, new.JuryRoutes)
	field("previous_codes", old.Previous, new.Previous)
	field("next_codes", old.Next, new.Next)
	field("url", old.URL, new.URL)
	field("entry_rules", old.EntryRules, new.EntryRules)
	field("block_prerequisites", old.BlockRules, new.BlockRules)
	field("validation_rule", old.Validation, new.Validation)

	for _, b := range old.Blocks {
		if new.Block(b.Code) == nil {
			out = append(out, fmt.Sprintf("block %s removed", b.Code))
		}
	}
	for _, nb := range new.Blocks {
		ob := old.Block(nb.Code)
		if ob == nil {
			out = append(out, fmt.Sprintf("block %s added", nb.Code))
			continue
		}
		out = append(out, blockChanges(ob, &nb)...)
	}
	oldOrder := blockCodes(old)
	newOrder := blockCodes(new)
	slices.Sort(oldOrder)
	slices.Sort(newOrder)
	if slices.Equal(oldOrder, newOrder) && !slices.Equal(blockCodes(old), blockCodes(new)) {
		out = append(out, "order of blocks changed")
	}
	return out
}

func blockChanges(a, b *Block) []string {
	var out []string
	field := func(name string, x, y any) {
		if !same(x, y) {
			out = append(out, fmt.Sprintf("block %s: %s changed", a.Code, name))
		}
	}
	field("title", a.Title, b.Title)
	field("kind", a.Kind, b.Kind)
	if !same(a.Competencies, b.Competencies) {
		out = append(out, fmt.Sprintf("block %s: competencies changed (%d → %d)", a.Code, len(a.Competencies), len(b.Competencies)))
	}
	if !same(a.Evaluations, b.Evaluations) {
		out = append(out, fmt.Sprintf("block %s: evaluations changed (%d → %d)", a.Code, len(a.Evaluations), len(b.Evaluations)))
	}
	field("evaluation_text", a.EvaluationText, b.EvaluationText)
	field("jobs", a.Jobs, b.Jobs)
	return out
}

func blockCodes(c *Certification) []string {
	codes := make([]string, len(c.Blocks))
	for i, b := range c.Blocks {
		codes[i] = b.Code
	}
	return codes
}

// same is reflect.DeepEqual, except that a nil and an empty list are the
// same list (a referential read back from the store has no nil lists).
func same(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() == reflect.Slice && vb.Kind() == reflect.Slice && va.Len() == 0 && vb.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
