package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
)

// ApplicationFilter says which applications to list or count, and which
// page of them. Zero fields filter nothing.
type ApplicationFilter struct {
	CampaignID int64
	// School narrows to one school. Schools is the scope: nil for every
	// school, otherwise only these (none when empty but not nil).
	School   string
	Schools  []string
	PersonID int64
	// States lists the states wanted, any of them (ApplicationCounts
	// ignores it: it counts every state).
	States []certibloc.State
	Track  certibloc.Track
	Mode   certibloc.Mode
	// CommitteeReview and Eligible filter on the verdict of the entry
	// rules, given when the application was submitted.
	CommitteeReview *bool
	Eligible        *bool
	// Search finds candidates by any of their names, whatever the case and
	// the accents; the words may come in any order.
	Search string
	// Sort is one of ApplicationSorts, "-" in front for the reverse order;
	// "" sorts by name.
	Sort string
	// Limit is the page size: DefaultPageSize when 0, at most MaxPageSize,
	// and every application when -1 (exports). Offset skips as many.
	Limit, Offset int
}

// Scope sets the filter to what a principal may see: every school for the
// admin, their schools for staff who manage admissions, their own
// applications for a candidate, nothing for anyone else.
func (f *ApplicationFilter) Scope(p *certibloc.Principal) {
	f.Schools = []string{}
	switch {
	case p.Role == certibloc.Admin:
		f.Schools = nil
	case p.Can(certibloc.ManageAdmission):
		f.Schools = append(f.Schools, p.Schools...)
	case p.Can(certibloc.Apply) && p.PersonID != 0:
		f.Schools, f.PersonID = nil, p.PersonID // whatever the school
	}
}

// applicationSorts are the orders of lists, by name.
var applicationSorts = map[string]string{
	"name":         "p.search_name",
	"state":        stateOrder(),
	"submitted_at": "(a.submitted_at IS NULL), a.submitted_at", // never submitted: last
	"created_at":   "a.created_at",
	"updated_at":   "a.updated_at",
	"id":           "a.id",
}

// ApplicationSorts are the values of ApplicationFilter.Sort.
var ApplicationSorts = []string{"name", "state", "submitted_at", "created_at", "updated_at", "id"}

// stateOrder sorts by the order of the workflow, not the alphabet.
func stateOrder() string {
	var b strings.Builder
	b.WriteString("CASE a.state")
	for i, s := range certibloc.States {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", s, i)
	}
	b.WriteString(" END")
	return b.String()
}

// where builds the condition of f and its arguments; withStates false
// leaves the states out.
func (f *ApplicationFilter) where(withStates bool) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	in := func(col string, vals []string) string {
		marks := make([]string, len(vals))
		for i, v := range vals {
			marks[i] = arg(v)
		}
		return col + " IN (" + strings.Join(marks, ", ") + ")"
	}
	switch {
	case f.Schools == nil:
	case len(f.Schools) == 0:
		where = append(where, "1 = 0")
	default:
		where = append(where, in("a.school_code", f.Schools))
	}
	if f.CampaignID != 0 {
		where = append(where, "a.campaign_id = "+arg(f.CampaignID))
	}
	if f.School != "" {
		where = append(where, "a.school_code = "+arg(strings.ToUpper(f.School)))
	}
	if f.PersonID != 0 {
		where = append(where, "a.person_id = "+arg(f.PersonID))
	}
	if withStates && len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, s := range f.States {
			states[i] = string(s)
		}
		where = append(where, in("a.state", states))
	}
	if f.Track != "" {
		where = append(where, "a.track = "+arg(string(f.Track)))
	}
	if f.Mode != "" {
		where = append(where, "a.mode = "+arg(string(f.Mode)))
	}
	if f.CommitteeReview != nil {
		where = append(where, "a.committee_review = "+arg(*f.CommitteeReview))
	}
	if f.Eligible != nil {
		where = append(where, "a.eligible = "+arg(*f.Eligible))
	}
	for _, word := range strings.Fields(fold(f.Search)) {
		where = append(where, `p.search_name LIKE `+arg("%"+escapeLike(word)+"%")+` ESCAPE '\'`)
	}
	if len(where) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// orderBy reads f.Sort.
func (f *ApplicationFilter) orderBy() (string, error) {
	key, desc := strings.CutPrefix(f.Sort, "-")
	if key == "" {
		key = "name"
	}
	col, ok := applicationSorts[key]
	if !ok {
		return "", certibloc.Errorf(certibloc.EINVALID, "sort %q is not one of %s (with - in front for the reverse order)",
			f.Sort, strings.Join(ApplicationSorts, ", "))
	}
	dir := ""
	if desc {
		dir = " DESC"
	}
	cols := strings.Split(col, ", ")
	for i := range cols {
		cols[i] += dir
	}
	return " ORDER BY " + strings.Join(cols, ", ") + ", a.id" + dir, nil
}

// Applications lists one page of the applications that match f, with
// their candidates' names, and the number of them all.
func (db *DB) Applications(ctx context.Context, f ApplicationFilter) (list []certibloc.Application, total int, err error) {
	order, err := f.orderBy()
	if err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = DefaultPageSize
	}
	if f.Limit != -1 {
		f.Limit = min(max(f.Limit, 1), MaxPageSize)
	}
	f.Offset = max(f.Offset, 0)
	cond, args := f.where(true)
	page := ""
	if f.Limit != -1 {
		page = fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	// The total comes with the page, counted by the same scan.
	rows, err := db.read.QueryContext(ctx, `SELECT `+applicationColumns+`, count(*) OVER ()`+applicationFrom+cond+order+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list applications: %w", err)
	}
	defer rows.Close()
	list = []certibloc.Application{}
	for rows.Next() {
		a, err := scanApplication(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(list) == 0 && f.Offset > 0 {
		// A page past the end has no row to carry the total.
		err = db.read.QueryRowContext(ctx, `SELECT count(*)`+applicationFrom+cond, args...).Scan(&total)
	}
	return list, total, err
}

// ApplicationCounts counts the applications that match f in each state,
// whatever f.States says: every state of the workflow is in the map, 0
// when none is in it.
func (db *DB) ApplicationCounts(ctx context.Context, f ApplicationFilter) (map[certibloc.State]int, error) {
	counts := make(map[certibloc.State]int, len(certibloc.States))
	for _, s := range certibloc.States {
		counts[s] = 0
	}
	cond, args := f.where(false)
	from := ` FROM applications a`
	if strings.TrimSpace(f.Search) != "" {
		from += ` JOIN people p ON p.id = a.person_id`
	}
	rows, err := db.read.QueryContext(ctx, `SELECT a.state, count(*)`+from+cond+` GROUP BY a.state`, args...)
	if err != nil {
		return nil, fmt.Errorf("count applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s certibloc.State
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		if !slices.Contains(certibloc.States, s) {
			return nil, fmt.Errorf("count applications: unknown state %q", s)
		}
		counts[s] = n
	}
	return counts, rows.Err()
}
