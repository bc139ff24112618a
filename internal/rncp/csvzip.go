package rncp

import (
	"archive/zip"
	"context"
	"errors"
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

// ReadCSVZip reads the CSV zip export (export-fiches-csv-YYYY-MM-DD.zip),
// joins its members — Standard, Blocs_De_Compétences, Certificateurs, Nsf,
// Rome, Formacode, VoixdAccès, Ancienne_Nouvelle_Certification — on
// Numero_Fiche and calls each once per line of the Standard member, in file
// order, with the same contract as ReadXML. Columns are found by their
// header, so unknown extra columns do no harm; only Standard is required.
//
// The side members are held in memory, keyed by fiche number, while
// Standard streams: they are a fraction of the export's size. The limits
// of limits.go bound the directory, the members and what is held.
func ReadCSVZip(r io.ReaderAt, size int64, each func(code string, cert *certibloc.Certification, err error) error) error {
	return readCSVZip(context.Background(), r, size, each)
}

// readCSVZip is ReadCSVZip stopping once ctx is done, with ctx's error.
func readCSVZip(ctx context.Context, r io.ReaderAt, size int64, each Callback) error {
	in := &zipInput{ctx: ctx, r: r, dirLeft: maxZipDirBytes}
	zr, err := zip.NewReader(in, size)
	in.dirLeft = -1
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, errZipDirTooLarge):
		return certibloc.Errorf(certibloc.EINVALID,
			"CSV export: the zip's directory is larger than %d MB, the most it may be (the export lists about ten members)", mb(maxZipDirBytes))
	case err != nil:
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
	if err := checkSizes(members); err != nil {
		return err
	}
	fiches := map[string]*fiche{}
	var used int64
	for m := standard + 1; m < nMembers; m++ {
		if members[m] == nil {
			continue
		}
		if err := readSide(ctx, m, members[m], fiches, &used); err != nil {
			return err
		}
	}
	return readStandard(ctx, members[standard], fiches, each)
}

// checkSizes refuses members larger, uncompressed, than maxMemberBytes each
// or maxZipBytes in all, as the zip's directory declares them: archive/zip
// fails a member that inflates past its declared size.
func checkSizes(members [nMembers]*zip.File) error {
	var total uint64
	for _, f := range members {
		if f == nil {
			continue
		}
		if f.UncompressedSize64 > uint64(maxMemberBytes) {
			return certibloc.Errorf(certibloc.EINVALID,
				"CSV export, member %s: %d MB uncompressed, more than the %d MB a member may be",
				f.Name, f.UncompressedSize64>>20, mb(maxMemberBytes))
		}
		total += f.UncompressedSize64
	}
	if total > uint64(maxZipBytes) {
		return certibloc.Errorf(certibloc.EINVALID,
			"CSV export: the members read are %d MB uncompressed in all, more than the %d MB an export may be",
			total>>20, mb(maxZipBytes))
	}
	return nil
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
