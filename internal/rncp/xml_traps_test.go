package rncp

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// trapsXML is hand-written so that the traps differ from the fiche's own
// values and come first in the document: a NUMERO_FICHE and a
// BLOC_COMPETENCES inside CORRESPONDANCES, ACTIF inside SI_JURY_*. It also
// uses what the re-serialised fixtures lack: CDATA, every kind of entity,
// comments, processing instructions, a newline inside a list.
const trapsXML = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- export du 2026-08-16 -->
<FICHES>
  <VERSION_FLUX>4.1</VERSION_FLUX>
  <FICHE>
    <ID_FICHE>1</ID_FICHE>
    <CORRESPONDANCES>
      <CORRESPONDANCE>
        <SOURCE><BLOC_COMPETENCES><CODE>RNCP12345BC09</CODE></BLOC_COMPETENCES></SOURCE>
        <DESTINATION>
          <NUMERO_FICHE>RNCP99999</NUMERO_FICHE>
          <BLOC_COMPETENCES><CODE>RNCP99999BC01</CODE></BLOC_COMPETENCES>
        </DESTINATION>
      </CORRESPONDANCE>
    </CORRESPONDANCES>
    <SI_JURY_FI><ACTIF>Oui</ACTIF><COMPOSITION>Deux   professionnels</COMPOSITION></SI_JURY_FI>
    <SI_JURY_VAE><ACTIF>Non</ACTIF></SI_JURY_VAE>
    <NUMERO_FICHE>RNCP12345</NUMERO_FICHE>
    <INTITULE>Titre &amp; &lt;test&gt; &quot;a&quot; &apos;b&apos; &#233;t&#xE9;</INTITULE>
    <PARTENAIRES><PARTENAIRE><NOM_PARTENAIRE>X</NOM_PARTENAIRE><ACTIF>Oui</ACTIF></PARTENAIRE></PARTENAIRES>
    <BLOCS_COMPETENCES>
      <BLOC_COMPETENCES>
        <CODE>RNCP12345BC01</CODE>
        <LIBELLE><![CDATA[Bloc <un> & seul]]></LIBELLE>
        <LISTE_COMPETENCES><![CDATA[C1 : Analyser <le> besoin & le
reformuler
C2 : Concevoir]]></LISTE_COMPETENCES>
        <MODALITES_EVALUATION><?pi ignored?>  Étude   de <!-- note -->cas  </MODALITES_EVALUATION>
      </BLOC_COMPETENCES>
    </BLOCS_COMPETENCES>
    <ACTIF>Non</ACTIF>
  </FICHE>
  <FICHE>
    <NUMERO_FICHE>RS777</NUMERO_FICHE>
    <ACTIF>Oui</ACTIF>
    <INTITULE>Deuxième</INTITULE>
    <SI_JURY_FC><ACTIF>Non</ACTIF></SI_JURY_FC>
    <SI_JURY_VAE><ACTIF>Oui</ACTIF></SI_JURY_VAE>
    <CORRESPONDANCES><CORRESPONDANCE><DESTINATION><NUMERO_FICHE>RS1</NUMERO_FICHE></DESTINATION></CORRESPONDANCE></CORRESPONDANCES>
  </FICHE>
</FICHES>
`

func TestReadXMLTraps(t *testing.T) {
	got, err := readXMLString(t, trapsXML)
	if err != nil {
		t.Fatal(err)
	}
	m := certs(t, got)
	if len(got) != 2 || m["RNCP12345"] == nil || m["RS777"] == nil {
		t.Fatalf("got %+v, want RNCP12345 and RS777: NUMERO_FICHE taken from CORRESPONDANCES?", got)
	}
	first, second := m["RNCP12345"], m["RS777"]

	// ACTIF: the fiche's own, not its routes'.
	checkEq(t, "RNCP12345 active (SI_JURY_FI/ACTIF is Oui)", first.Active, false)
	checkEq(t, "RS777 active (SI_JURY_FC/ACTIF is Non)", second.Active, true)
	checkSlice(t, "RNCP12345 juries", first.JuryRoutes, []certibloc.JuryRoute{
		{Route: "FI", Open: true, Composition: "Deux professionnels"}, {Route: "VAE", Open: false}})
	checkSlice(t, "RNCP12345 access routes", first.AccessRoutes, []string{"training"})
	checkSlice(t, "RS777 access routes", second.AccessRoutes, []string{"vae"})

	// Blocks: the fiche's own only, with CDATA and entities decoded.
	if len(first.Blocks) != 1 {
		t.Fatalf("RNCP12345 blocks %+v, want only RNCP12345BC01", first.Blocks)
	}
	b := first.Blocks[0]
	checkEq(t, "block code", b.Code, "RNCP12345BC01")
	checkEq(t, "block title", b.Title, "Bloc <un> & seul")
	checkSlice(t, "competencies", b.Competencies, []string{"C1 : Analyser <le> besoin & le reformuler", "C2 : Concevoir"})
	checkEq(t, "evaluation text", b.EvaluationText, "Étude de cas")
	checkEq(t, "title", first.Title, `Titre & <test> "a" 'b' été`)
	checkEq(t, "URL", second.URL, "https://www.francecompetences.fr/recherche/rs/777/")
}

// TestReadXMLFicheErrors checks that a fiche that cannot be a certification
// comes as an error naming it and what is wrong, and that the fiches after
// it still come.
func TestReadXMLFicheErrors(t *testing.T) {
	fiche := func(body string) string { return "<FICHE>" + body + "</FICHE>\n" }
	doc := "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>\n" +
		fiche("<INTITULE>Sans numéro</INTITULE>") +
		fiche("<NUMERO_FICHE>RNCP2</NUMERO_FICHE>") +
		fiche("<NUMERO_FICHE>RNCP3</NUMERO_FICHE><INTITULE>T</INTITULE><DATE_DECISION>31/02/2024</DATE_DECISION>") +
		fiche("<NUMERO_FICHE>RNCP4</NUMERO_FICHE><INTITULE>T</INTITULE><NOMENCLATURE_EUROPE><NIVEAU>NIV9</NIVEAU></NOMENCLATURE_EUROPE>") +
		fiche("<NUMERO_FICHE>RNCP5</NUMERO_FICHE><INTITULE>T</INTITULE><ACTIF>Peut-être</ACTIF>") +
		fiche("<NUMERO_FICHE>RNCP6</NUMERO_FICHE><NUMERO_FICHE>RNCP7</NUMERO_FICHE><INTITULE>T</INTITULE>") +
		fiche("<NUMERO_FICHE>RNCP8</NUMERO_FICHE><INTITULE>T</INTITULE><BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>BC1</CODE></BLOC_COMPETENCES></BLOCS_COMPETENCES>") +
		fiche("<NUMERO_FICHE>12345</NUMERO_FICHE><INTITULE>T</INTITULE>") +
		fiche("<NUMERO_FICHE>RNCP9</NUMERO_FICHE><INTITULE>T</INTITULE><SI_JURY_FI><ACTIF>Oui ?</ACTIF></SI_JURY_FI>") +
		fiche("<NUMERO_FICHE>RNCP10</NUMERO_FICHE><INTITULE>Valide</INTITULE>") +
		"</FICHES>"
	want := []struct{ code, msg string }{
		{"", "fiche (line 2): has no NUMERO_FICHE"},
		{"RNCP2", "fiche RNCP2 (line 3): has no INTITULE"},
		{"RNCP3", `fiche RNCP3 (line 4): DATE_DECISION "31/02/2024" is not a date JJ/MM/AAAA`},
		{"RNCP4", `fiche RNCP4 (line 5): level "NIV9" is not NIV1 to NIV8`},
		{"RNCP5", `fiche RNCP5 (line 6): ACTIF: "Peut-être" is neither Oui/ACTIVE nor Non/INACTIVE`},
		{"RNCP7", "has two numbers, NUMERO_FICHE RNCP6 and RNCP7"},
		{"RNCP8", `block code "BC1" is not of the form RNCP8BCnn`},
		{"12345", `certification code "12345" is not of the form RNCPnnnnn or RSnnnn`},
		{"RNCP9", `SI_JURY_FI/ACTIF: "Oui ?" is neither`},
		{"RNCP10", ""},
	}
	got, err := readXMLString(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d fiches, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.code != w.code {
			t.Errorf("fiche %d: code %q, want %q", i, r.code, w.code)
		}
		switch {
		case w.msg == "" && r.err != nil:
			t.Errorf("fiche %s: %v, want it valid", w.code, r.err)
		case w.msg != "" && (r.err == nil || !strings.Contains(r.err.Error(), w.msg)):
			t.Errorf("fiche %s: error %v, want one saying %q", w.code, r.err, w.msg)
		}
	}
}
