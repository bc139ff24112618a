package httpx

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Grade sheets, which the JSON API and the pages both serve: the
// session's template to download, and a filled sheet imported whole or
// not at all.

// GradeStore is what grade sheets ask of the store (sqldb.DB is one).
type GradeStore interface {
	EvalSession(ctx context.Context, p *certibloc.Principal, id int64) (*certibloc.EvalSession, error)
	Grid(ctx context.Context, id int64) (*certibloc.Grid, error)
	Results(ctx context.Context, p *certibloc.Principal, sessionID int64) ([]certibloc.Result, error)
	RecordResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []sqldb.ResultInput) ([]certibloc.Result, error)
}

var _ GradeStore = (*sqldb.DB)(nil)

// MaxSheetBody bounds an uploaded grade sheet: a session of 100,000
// learners makes a CSV of about 5 MB.
const MaxSheetBody = 32 << 20

// GradeTemplate makes the grade sheet of session id for principal p, in
// format csv or xlsx, for marking round 1 or 2: the file's bytes, media
// type and name.
func GradeTemplate(ctx context.Context, db GradeStore, p *certibloc.Principal, id int64, format string, round int, l certibloc.Lang) (body []byte, ctype, name string, err error) {
	s, err := db.EvalSession(ctx, p, id)
	if err != nil {
		return nil, "", "", err
	}
	if round == 2 && !s.DoubleMarking {
		return nil, "", "", certibloc.Problems{{Code: "bad_round", Value: "2"}}
	}
	g, err := db.Grid(ctx, s.GridID)
	if err != nil {
		return nil, "", "", err
	}
	existing, err := db.Results(ctx, p, id)
	if err != nil {
		return nil, "", "", err
	}
	return gradesheet.Write(gradesheet.Template(s, g, round, l, existing), format, id, l)
}

// ImportedGrades is what an import recorded.
type ImportedGrades struct {
	SessionID int64 `json:"session_id"`
	Recorded  int   `json:"recorded"`  // results written, drafts and submitted
	Submitted int   `json:"submitted"` // of which submitted (locked)
}

// ImportGrades reads a filled grade sheet of session id and records it
// with one RecordResults, in one transaction. The problems of a refusal,
// the sheet's or the store's, name the sheet's lines.
func ImportGrades(ctx context.Context, db GradeStore, p *certibloc.Principal, id int64, data []byte, l certibloc.Lang) (ImportedGrades, error) {
	out := ImportedGrades{SessionID: id}
	s, err := db.EvalSession(ctx, p, id)
	if err != nil {
		return out, err
	}
	g, err := db.Grid(ctx, s.GridID)
	if err != nil {
		return out, err
	}
	sh, err := gradesheet.Read(data, s, g, l)
	if err != nil {
		return out, err
	}
	in := make([]sqldb.ResultInput, len(sh.Entries))
	for i, e := range sh.Entries {
		in[i] = sqldb.ResultInput{PersonID: e.PersonID, Round: sh.Round, Marks: e.Marks, Submit: e.Submit}
	}
	saved, err := db.RecordResults(ctx, p, id, in)
	if err != nil {
		return out, sh.Relines(err)
	}
	out.Recorded = len(saved)
	for _, r := range saved {
		if r.State == certibloc.ResultSubmitted {
			out.Submitted++
		}
	}
	return out, nil
}

// SheetUpload reads an uploaded sheet: the named file field of a
// multipart form, or else the whole body; at most MaxSheetBody bytes.
func SheetUpload(w http.ResponseWriter, r *http.Request, field string) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, MaxSheetBody+1<<20) // the form's own bytes besides
	r.Body = body
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var in io.Reader = body
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, certibloc.Errorf(certibloc.EINVALID, "the multipart form cannot be read: %v", err)
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, certibloc.Errorf(certibloc.EINVALID, "the form has no file field %q: send the sheet in it", field)
			}
			if err != nil {
				return nil, uploadFailure(err)
			}
			if part.FormName() == field {
				in = part
				break
			}
		}
	}
	data, err := io.ReadAll(io.LimitReader(in, MaxSheetBody+1))
	if err != nil {
		return nil, uploadFailure(err)
	}
	if len(data) > MaxSheetBody {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the sheet is larger than %d MB: split the session's grades into several sheets", MaxSheetBody>>20)
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil, certibloc.Problems{{Code: "empty_sheet"}}
	}
	return data, nil
}

// uploadFailure is why an upload could not be read: too large, or cut off.
func uploadFailure(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return certibloc.Errorf(certibloc.EINVALID, "the upload could not be read: %v", err)
}
