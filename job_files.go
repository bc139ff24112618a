package certibloc

import (
	"fmt"
	"time"
)

// Exports and imports as durable jobs. A large export (a campaign's
// applications) or import (a session's grade sheet) runs as a job rather
// than within a request: the upload an import reads is kept with the job
// (its input file), and what the job makes, the export or the import's
// report, is kept with it for download (its output file). The job runs
// with the rights of who asked for it, as its payload records them.

// Kinds of the export and import jobs.
const (
	ExportApplicationsJob = "export.applications"
	ImportResultsJob      = "import.results"
	ImportRNCPJob         = "import.rncp"
)

// Roles of a job's files.
const (
	JobInput  = "input"  // what the job reads: an upload
	JobOutput = "output" // what it made: an export, an import's report
)

// JobFile is a file a job reads or makes.
type JobFile struct {
	Role        string    `json:"role"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Content     []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// ExportSyncLimit is the largest export answered within its request: a
// campaign with more applications is exported by a job (ExportApplications).
const ExportSyncLimit = 2000

// ExportApplications is the payload of an ExportApplicationsJob: the
// applications of a campaign, filtered as the pipeline's address says
// (Query), as csv or xlsx, in Lang, for By.
type ExportApplications struct {
	Campaign int64     `json:"campaign"`
	School   string    `json:"school"`
	Format   string    `json:"format"`
	Query    string    `json:"query,omitempty"`
	Lang     string    `json:"lang"`
	By       Principal `json:"by"`
}

// ExportJobKey is the key of an export of campaign: one at a time per
// campaign, format, filter and language, so that a second click follows
// the first.
func ExportJobKey(campaign int64, format, query, lang string) string {
	return fmt.Sprintf("campaign:%d:%s:%s:%s", campaign, format, lang, query)
}

// ImportResults is the payload of an ImportResultsJob: the grade sheet
// kept as the job's input, recorded into Session, all or nothing, for By;
// its report in Lang.
type ImportResults struct {
	Session int64     `json:"session"`
	Lang    string    `json:"lang"`
	By      Principal `json:"by"`
}

// SessionJobKey is the key of a session's imports: one at a time.
func SessionJobKey(session int64) string { return fmt.Sprintf("session:%d", session) }

// ImportRNCP is the payload of an ImportRNCPJob: a France Compétences
// export, kept with the job in chunks, imported fiche by fiche for By.
type ImportRNCP struct {
	Size int64     `json:"size"` // bytes uploaded
	By   Principal `json:"by"`
}

// RNCPJobKey is the key of the RNCP imports: one at a time.
const RNCPJobKey = "rncp"
