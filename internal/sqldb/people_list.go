package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/certibloc/certibloc"
)

// PeopleFilter says which people to list, and which page of them.
type PeopleFilter struct {
	// Schools and Self are the scope: the codes of the schools whose people
	// may be listed, nil for every school (the admin), and the id of a
	// person who may be listed whatever their school (one's own record),
	// 0 for none. An empty, non-nil Schools and no Self list nobody.
	Schools []string
	Self    int64
	// School narrows the list to one school, within the scope.
	School string
	// Search finds people by any of their names, whatever the case and the
	// accents; the words may come in any order.
	Search string
	// IncludeErased lists erased people too.
	IncludeErased bool
	// Limit is the page size (DefaultPageSize when 0, at most MaxPageSize);
	// Offset the number of people skipped.
	Limit, Offset int
}

// Page sizes of lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Scope sets the filter to what a principal may see: every school for the
// admin, their own schools for the roles that read people, and their own
// record, if they have one, for everyone signed in.
func (f *PeopleFilter) Scope(p *certibloc.Principal) {
	f.Schools, f.Self = []string{}, 0
	switch {
	case p.Anonymous():
		return
	case p.Role == certibloc.Admin:
		f.Schools = nil
	case p.Can(certibloc.ReadPeople):
		f.Schools = append(f.Schools, p.Schools...)
	}
	f.Self = p.PersonID
}

// PeoplePage is one page of a list of people and the size of the whole list.
type PeoplePage struct {
	People []certibloc.Person `json:"people"`
	Total  int                `json:"total"`
	Limit  int                `json:"limit"`
	Offset int                `json:"offset"`
}

// People lists the people that match f, by name.
func (db *DB) People(ctx context.Context, f PeopleFilter) (*PeoplePage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	f.Offset = max(f.Offset, 0)
	page := &PeoplePage{People: []certibloc.Person{}, Limit: f.Limit, Offset: f.Offset}
	if f.Schools != nil && len(f.Schools) == 0 && f.Self == 0 {
		return page, nil
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Schools != nil {
		var scope []string
		if len(f.Schools) > 0 {
			var in []string
			for _, s := range f.Schools {
				in = append(in, arg(s))
			}
			scope = append(scope, "school_code IN ("+strings.Join(in, ", ")+")")
		}
		if f.Self != 0 {
			scope = append(scope, "id = "+arg(f.Self))
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.School != "" {
		where = append(where, "school_code = "+arg(strings.ToUpper(f.School)))
	}
	for _, word := range strings.Fields(fold(f.Search)) {
		where = append(where, `search_name LIKE `+arg("%"+escapeLike(word)+"%")+` ESCAPE '\'`)
	}
	if !f.IncludeErased {
		where = append(where, "erased_at IS NULL")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM people`+cond, args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("count people: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+personColumns+` FROM people`+cond+
		` ORDER BY search_name, id LIMIT `+arg(f.Limit)+` OFFSET `+arg(f.Offset), args...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		page.People = append(page.People, *p)
	}
	return page, rows.Err()
}

// escapeLike protects the wildcards of LIKE in s, with \ as the escape.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
