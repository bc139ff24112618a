package rncp

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/certibloc/certibloc"
)

// An export comes from anyone who holds an admin token, and a zip of a few
// hundred KB can inflate to gigabytes. These limits keep an import under
// 300 MB of memory whatever its input, each far above what the national
// exports need (their figures beside each). They are variables for tests.
var (
	// maxFicheBytes caps the bytes of one XML fiche (or of anything
	// between two fiches), hence of any one token: the scanner holds a
	// whole token, and the parser a whole fiche. The largest real fiches,
	// with hundreds of partners, weigh about 1 MB.
	maxFicheBytes int64 = 16 << 20
	// maxSlowTokenBytes caps a token the scanner leaves to encoding/xml
	// (comments, tags with attributes…), which takes some 100 bytes of
	// memory per attribute. The export's are the XML declaration.
	maxSlowTokenBytes = 1 << 20
	// maxDepth caps the nesting of XML elements; the export nests six deep.
	maxDepth = 64
	// maxRecordBytes caps one CSV record: a line, or the lines of a quoted
	// field. encoding/csv holds a whole record, with 40 bytes of
	// bookkeeping per field. Real records are tens of KB.
	maxRecordBytes int64 = 1 << 20
	// maxMemberBytes caps one member of the CSV zip, uncompressed; the
	// national members weigh tens of MB.
	maxMemberBytes int64 = 1 << 30
	// maxZipBytes caps the members read, uncompressed, in all.
	maxZipBytes int64 = 2 << 30
	// maxZipDirBytes caps what the zip reader reads to list the members:
	// the end record, found in the last 64 KB, and the directory, which
	// would otherwise take 200 bytes of memory per 46-byte entry. The
	// export's directory lists about ten members in 1 KB.
	maxZipDirBytes int64 = 1 << 20
	// maxSideBytes caps what the side members of the CSV zip (blocks,
	// certifiers, NSF…) leave in memory until Standard is read: the text
	// kept and an estimate of the structures around it.
	maxSideBytes int64 = 160 << 20
)

// importing lets one import run at a time in the process: each takes up
// to the limits above, and two imports of the same fiches would race to
// make their versions. Across the instances of one database, the callers
// also hold the database's lock ImportLock (sqldb.DB.TryLock).
var importing sync.Mutex

// ImportLock names the database lock an import holds across instances.
const ImportLock = "rncp-import"

// ErrBusy is the answer to an import while another runs, in this process
// or, for the callers that hold ImportLock, on another instance.
var ErrBusy = certibloc.Errorf(certibloc.ECONFLICT,
	"another RNCP import is running; try again when it has finished")

// ctxReader fails its reads once the context is done: a client that
// leaves, or a stopped command, stops the import at its next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// zipInput is the zip as archive/zip reads it: reads fail once the
// context is done, and, while the directory is listed (dirLeft >= 0),
// past maxZipDirBytes.
type zipInput struct {
	ctx     context.Context
	r       io.ReaderAt
	dirLeft int64 // bytes the listing may still read; -1 once it is done
}

var errZipDirTooLarge = errors.New("zip directory too large")

func (z *zipInput) ReadAt(b []byte, off int64) (int, error) {
	if err := z.ctx.Err(); err != nil {
		return 0, err
	}
	if z.dirLeft >= 0 {
		if int64(len(b)) > z.dirLeft {
			return 0, errZipDirTooLarge
		}
		z.dirLeft -= int64(len(b))
	}
	return z.r.ReadAt(b, off)
}

// capped fails reads past a number of bytes with its error.
type capped struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capped) Read(b []byte) (int, error) {
	if c.left <= 0 {
		return 0, c.err
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}

// mb writes a limit in MB for messages.
func mb(n int64) int64 { return n >> 20 }
