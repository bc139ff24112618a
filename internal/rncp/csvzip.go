package rncp

import (
	"archive/zip"
	"io"
	"path"
	"strings"

	"github.com/certibloc/certibloc"
)

// member is one kind of CSV file of the zip export.
type member int

const (
	standard member = iota
	blocs
	certificateurs
	nsf
	rome
	formacode
	voies
	ancienneNouvelle
	nMembers
)

// memberKeys tell the members apart by a piece of their lower-cased name.
// Names carry the export date and UTF-8 without the zip's UTF-8 flag
// ("Blocs_De_Compétences", "VoixdAccès"), so only ASCII pieces are compared.
// Partenaires and CCN are not read: no certification field holds them.
var memberKeys = [nMembers]string{
	standard:         "standard",
	blocs:            "blocs_de_comp",
	certificateurs:   "certificateur",
	nsf:              "nsf",
	rome:             "rome",
	formacode:        "formacode",
	voies:            "voixdacc",
	ancienneNouvelle: "ancienne_nouvelle",
}

// maxMemberBytes caps what is read of one member, against zip bombs; the
// national members weigh tens of MB. A variable for tests.
var maxMemberBytes int64 = 1 << 30

// ReadCSVZip reads the CSV zip export (export-fiches-csv-YYYY-MM-DD.zip),
// joins its members — Standard, Blocs_De_Compétences, Certificateurs, Nsf,
// Rome, Formacode, VoixdAccès, Ancienne_Nouvelle_Certification — on
// Numero_Fiche and calls each once per line of the Standard member, in file
// order, with the same contract as ReadXML. Columns are found by their
// header, so unknown extra columns do no harm; only Standard is required.
//
// The side members are held in memory, keyed by fiche number, while
// Standard streams: they are a fraction of the export's size.
func ReadCSVZip(r io.ReaderAt, size int64, each func(code string, cert *certibloc.Certification, err error) error) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "CSV export: not a zip file: %v", err)
	}
	members, err := findMembers(zr.File)
	if err != nil {
		return err
	}
	if members[standard] == nil {
		return certibloc.Errorf(certibloc.EINVALID,
			"CSV export: no Standard member (export_fiches_CSV_Standard_….csv) in the zip")
	}
	fiches := map[string]*fiche{}
	for m := standard + 1; m < nMembers; m++ {
		if members[m] == nil {
			continue
		}
		if err := readSide(m, members[m], fiches); err != nil {
			return err
		}
	}
	return readStandard(members[standard], fiches, each)
}

// findMembers picks the CSV member of each kind.
func findMembers(files []*zip.File) ([nMembers]*zip.File, error) {
	var found [nMembers]*zip.File
	for _, f := range files {
		name := strings.ToLower(path.Base(f.Name))
		if f.FileInfo().IsDir() || !strings.HasSuffix(name, ".csv") {
			continue
		}
		for m, key := range memberKeys {
			if !strings.Contains(name, key) {
				continue
			}
			if found[m] != nil {
				return found, certibloc.Errorf(certibloc.EINVALID,
					"CSV export: two members look like the same table: %q and %q", found[m].Name, f.Name)
			}
			found[m] = f
			break
		}
	}
	return found, nil
}
