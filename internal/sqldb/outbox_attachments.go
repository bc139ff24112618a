package sqldb

import (
	"context"
	"database/sql"

	"github.com/certibloc/certibloc"
)

// Attachments of the outbox's messages (an interview's .ics) are stored
// beside them, written in the transaction of their message and deleted
// with it (ON DELETE CASCADE: retention and erasure delete messages).

// writeAttachments stores the attachments of message m, which has its id.
func writeAttachments(ctx context.Context, tx *sql.Tx, m *certibloc.Mail) error {
	for _, a := range m.Attachments {
		if a.Filename == "" || a.ContentType == "" || len(a.Data) == 0 || len(a.Data) > certibloc.MaxDocumentSize {
			return certibloc.Errorf(certibloc.EINVALID, "an attachment needs a name, a type and up to %d MiB of content", certibloc.MaxDocumentSize>>20)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_attachments (outbox_id, filename, content_type, data)
			VALUES ($1, $2, $3, $4)`, m.ID, a.Filename, a.ContentType, a.Data); err != nil {
			return err
		}
	}
	return nil
}

// readAttachments fills the attachments of messages list.
func readAttachments(ctx context.Context, q querier, list []certibloc.Mail) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := make(map[int64]int, len(list))
	for i, m := range list {
		ids[i], at[m.ID] = m.ID, i
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks, args := idMarks(chunk, 0)
		rows, err := q.QueryContext(ctx, `SELECT outbox_id, filename, content_type, data FROM outbox_attachments
			WHERE outbox_id IN (`+marks+`) ORDER BY id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var a certibloc.Attachment
			if err := rows.Scan(&id, &a.Filename, &a.ContentType, &a.Data); err != nil {
				rows.Close()
				return err
			}
			list[at[id]].Attachments = append(list[at[id]].Attachments, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
