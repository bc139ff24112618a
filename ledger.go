package certibloc

import "time"

// The ledger of acquired blocks: every block a jury validated, written once
// with its date, the jury and the route, and never changed. A later jury
// reads it to complete a title from blocks acquired earlier, also on an
// older version of the referential where the certification's
// correspondence table carries the block over.

// LedgerEntry is one acquired block.
type LedgerEntry struct {
	ID            int64     `json:"id"`
	PersonID      int64     `json:"person_id"`
	Certification string    `json:"certification"`
	Version       int       `json:"version"` // the referential version the block was validated on
	Block         string    `json:"block"`
	Route         Route     `json:"route"` // training, vae or mixed
	Date          Date      `json:"date"`  // the date of the validation
	JuryID        int64     `json:"jury_id"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// Correspondence says that a block of an older version counts as a block
// of this one (a correspondence table, as France Compétences publishes
// between versions). Blocks of an older version with the same code and no
// entry here do not carry over: the referential decides, not the code.
type Correspondence struct {
	FromVersion int    `json:"from_version"`
	From        string `json:"from"`
	To          string `json:"to"`
}

// Carried is how the ledger reads on version c: the blocks acquired on c
// itself or carried over from an older version through its correspondence
// table, as a record's acquired blocks (earliest date first wins in
// Decide), and the entries that carry over to nothing, so that a page can
// say why they do not count.
func (c *Certification) Carried(entries []LedgerEntry) (acquired []AcquiredBlock, left []LedgerEntry) {
	for _, e := range entries {
		to := ""
		switch {
		case e.Certification != c.Code:
		case e.Version == c.Version:
			to = e.Block
		default:
			for _, k := range c.Correspondences {
				if k.FromVersion == e.Version && k.From == e.Block {
					to = k.To
				}
			}
		}
		if to == "" || c.Block(to) == nil {
			left = append(left, e)
			continue
		}
		route := e.Route
		if route == Mixed {
			route = Training // a block validated partly by each route counts as training for the complementary evaluations
		}
		acquired = append(acquired, AcquiredBlock{Block: to, Route: route, Date: e.Date})
	}
	return acquired, left
}
