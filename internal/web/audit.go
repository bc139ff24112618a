package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris wherever the server runs

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("audit", "templates/audit.html")
}

// paris is the time zone the history is written in: the certifier's.
var paris, _ = time.LoadLocation("Europe/Paris")

// AuditURL is the address of the history page of a record, such as
// /app/audit/person/12: record pages link to it (see page.AuditLink).
func AuditURL(entity string, id any) string {
	return "/app/audit/" + url.PathEscape(entity) + "/" + url.PathEscape(fmt.Sprint(id))
}

// AuditLink is the link from a record's page to its history, for the
// templates of record pages: {{$.AuditLink "person" .ID}}. It is empty for
// whoever may not read the audit trail.
func (p *page) AuditLink(entity string, id any) template.HTML {
	if !p.User.Can(certibloc.ReadAudit) {
		return ""
	}
	return template.HTML(`<a href="` + template.HTMLEscapeString(AuditURL(entity, id)) + `">` +
		template.HTMLEscapeString(p.T("audit_link")) + `</a>`)
}

// auditView is the history of a record as the page shows it.
type auditView struct {
	Record  string // "personne 12"
	Entries []auditRow
}

// auditRow is one line of the history: who, when, what, which fields.
type auditRow struct {
	ID      int64
	At      time.Time
	When    string
	Actor   string
	Action  string
	Fields  []string
	Details []string // "version: 2", "changes: title changed"
}

// audit renders the history of one record.
func (s *Site) audit(w http.ResponseWriter, r *http.Request) error {
	entity, id := r.PathValue("entity"), r.PathValue("id")
	t, err := s.db.RecordTrail(r.Context(), entity, id)
	if err != nil {
		return err
	}
	if err := certibloc.PrincipalFrom(r.Context()).AuthorizeTrail(t.Entity, t.School); err != nil {
		return err
	}
	pg := s.page(r, "")
	v := newAuditView(pg, t)
	pg.Title = pg.Tf("audit_title_f", v.Record)
	pg.Description = pg.Title
	pg.Body = v
	var buf bytes.Buffer
	if err := s.pages.render(&buf, "audit", pg); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func newAuditView(pg *page, t *sqldb.Trail) *auditView {
	name := t.Entity
	if label, ok := pg.msgs["audit_entity:"+t.Entity]; ok {
		name = label
	}
	v := &auditView{Record: name + " " + t.ID}
	// Newest first: the latest change is what a reader looks for.
	for _, e := range slices.Backward(t.Entries) {
		row := auditRow{ID: e.ID, At: e.At, When: pg.dateTime(e.At), Actor: auditActor(pg, e.Actor), Action: e.Action}
		if label, ok := pg.msgs["audit_action:"+e.Action]; ok {
			row.Action = label
		}
		row.Fields, row.Details = auditData(pg, e.Data)
		v.Entries = append(v.Entries, row)
	}
	return v
}

// auditData splits an entry's data into the fields it names as changed
// ("fields") and the rest, each written "key: value", in the page's
// words where it has them (audit_labels.go).
func auditData(pg *page, raw json.RawMessage) (fields, details []string) {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		if s := strings.TrimSpace(string(raw)); s != "" && s != "null" {
			details = append(details, s)
		}
		return nil, details
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k == "fields" {
			for _, f := range strings.Split(flat(m[k]), ", ") {
				fields = append(fields, pg.labelOf("audit_field:", f))
			}
			continue
		}
		if s := flat(m[k]); s != "" {
			details = append(details, pg.labelOf("audit_key:", k)+pg.T("colon")+" "+auditValue(pg, k, s))
		}
	}
	return fields, details
}

// flat writes a JSON value on one line: lists joined by commas.
func flat(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			parts = append(parts, flat(x))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}

// dateTime writes an instant in Paris time: 10/03/2026 09:30 in French,
// 10 March 2026 09:30 in English.
func (p *page) dateTime(t time.Time) string {
	t = t.In(paris)
	if p.Lang == "en" {
		return t.Format("2 January 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// labelOf is the interface string of prefix+code, or the code itself when
// the interface has none.
func (p *page) labelOf(prefix, code string) string {
	if s, ok := p.msgs[prefix+code]; ok {
		return s
	}
	return code
}

// auditValue is a detail's value in the page's words when it is a code the
// interface names (a role, a track, a decision), else as recorded.
func auditValue(pg *page, key, value string) string {
	switch {
	case key == "role":
		return pg.labelOf("auth_role:", value)
	case key == "via":
		return pg.labelOf("audit_actor:", value)
	case value == "true":
		return pg.T("exp_yes")
	case value == "false":
		return pg.T("exp_no")
	}
	return pg.Label(value)
}

// auditActor writes who acted ("account 12", "token 3", "cli" in the
// trail) in the page's words.
func auditActor(pg *page, actor string) string {
	kind, n, ok := strings.Cut(actor, " ")
	if label, known := pg.msgs["audit_actor:"+kind]; known {
		if ok {
			return label + " " + n
		}
		return label
	}
	return actor
}
