package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
)

// Past accrochage exports, on the declarations page: each with its date,
// scope, passages and size, and its files to download again as they were
// handed to the Caisse.

// exportRow is a past export's line.
type exportRow struct {
	Date, Scope, Size, Link, LinkLabel string
	Passages, Files                    int
}

func (s *Site) exportRows(ctx context.Context, pg *page) ([]exportRow, error) {
	list, err := s.db.CDCExports(ctx, 20)
	if err != nil {
		return nil, err
	}
	l := pageLang(pg)
	rows := make([]exportRow, 0, len(list))
	for _, e := range list {
		scope := ""
		switch {
		case e.JuryID != 0:
			scope = pg.Tf("cdc_scope_jury_f", e.JuryID)
		default:
			scope = pg.Tf("cdc_scope_range_f", l.Date(e.From), l.Date(e.To))
		}
		if e.Certification != "" {
			scope += " · " + e.Certification
		}
		row := exportRow{Date: e.CreatedAt.In(paris).Format("2006-01-02 15:04"), Scope: scope, Passages: e.Passages, Files: e.Files,
			Size: pg.Tf("cdc_size_kb_f", kilobytes(e.Bytes, l))}
		if e.Stored {
			row.Link, row.LinkLabel = fmt.Sprintf("%s/exports/%d", accrochagePath, e.ID), pg.Tf("cdc_download_f", e.ID)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// kilobytes writes a size in kB with one decimal, a decimal comma in French.
func kilobytes(n int64, l certibloc.Lang) string {
	s := strconv.FormatFloat(float64(n)/1000, 'f', 1, 64)
	if l == certibloc.French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// accrochageDownload answers a past export's files again.
func (s *Site) accrochageDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no such export")
	}
	return httpx.ServeAccrochageExport(w, r, s.db, id)
}
