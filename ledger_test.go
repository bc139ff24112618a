package certibloc

import (
	"slices"
	"testing"
)

// TestLedgerCarriesOver: blocks acquired on the version itself count;
// blocks of an older version count only through the correspondence table;
// the rest is listed apart. A later jury then completes the title.
func TestLedgerCarriesOver(t *testing.T) {
	c := testRNCP38478()
	c.Version = 2
	c.Correspondences = []Correspondence{{FromVersion: 1, From: "RNCP38478BC01", To: "RNCP38478BC01"}, {FromVersion: 1, From: "RNCP38478BC07", To: "RNCP38478BC04"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	d := func(day int) Date { return DateOf(2025, 1, day) }
	entries := []LedgerEntry{
		{Certification: "RNCP38478", Version: 1, Block: "RNCP38478BC01", Route: Training, Date: d(1)},
		{Certification: "RNCP38478", Version: 1, Block: "RNCP38478BC07", Route: VAE, Date: d(2)},
		{Certification: "RNCP38478", Version: 1, Block: "RNCP38478BC02", Route: Training, Date: d(3)}, // no correspondence
		{Certification: "RNCP38478", Version: 2, Block: "RNCP38478BC02", Route: Training, Date: d(4)},
		{Certification: "RNCP38478", Version: 2, Block: "RNCP38478BC03", Route: Mixed, Date: d(5)},
		{Certification: "RNCP99999", Version: 2, Block: "RNCP99999BC01", Route: Training, Date: d(6)},
	}
	acq, left := c.Carried(entries)
	var got []string
	for _, a := range acq {
		got = append(got, a.Block+":"+string(a.Route))
	}
	if want := []string{"RNCP38478BC01:training", "RNCP38478BC04:vae", "RNCP38478BC02:training", "RNCP38478BC03:training"}; !slices.Equal(got, want) {
		t.Fatalf("carried %v, want %v", got, want)
	}
	if len(left) != 2 || left[0].Block != "RNCP38478BC02" || left[1].Certification != "RNCP99999" {
		t.Fatalf("left %+v", left)
	}
	dec, err := NewRules(c).Decide(Record{Track: OneYear, Acquired: acq, Complementary: map[string]bool{"oral_defence": true, "technical_thesis": true}})
	if err != nil || !dec.Certified {
		t.Fatalf("a later jury with every block acquired: certified %v, %v, missing %+v", dec.Certified, err, dec.Missing)
	}
	c.Correspondences = append(c.Correspondences, Correspondence{FromVersion: 2, From: "RNCP38478BC01", To: "RNCP38478BC01"})
	if err := c.Validate(); err == nil {
		t.Fatal("a correspondence from the version itself accepted")
	}
}
