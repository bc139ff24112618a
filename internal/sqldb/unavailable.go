package sqldb

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err says the database cannot be reached
// now — the server down, restarting, out of connections, or the
// connection cut — rather than that the request or the code is wrong:
// the request may succeed if tried again in a moment.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// 08: connection exception; 57P: the server shutting down or
		// starting; 53300: too many connections.
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P") || pg.Code == "53300"
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	var coded interface{ Code() int }
	switch {
	case errors.As(err, &connect):
		return true
	case errors.As(err, &netErr):
		// The handlers' only network peer besides the client is the
		// database: the client's own failures (a body cut or too slow)
		// are answered as such before they get here.
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &coded):
		// SQLite: SQLITE_BUSY (5) after the busy timeout, SQLITE_CANTOPEN (14).
		c := coded.Code() & 0xff
		return c == 5 || c == 14
	}
	// A query pgx knows it never sent on a dead connection.
	return pgconn.SafeToRetry(err)
}

// Refused reports whether the database refused a value of the request —
// a character or a number it cannot store, a text too long to index —
// which the checks of the request should have caught: it is the client's
// error, not a fault of the system.
func Refused(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// 22: data exception (22021 a NUL byte, 22003 a number out of
		// range…); 54000: an index row too large.
		return strings.HasPrefix(pg.Code, "22") || pg.Code == "54000"
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 18 // SQLITE_TOOBIG
}
