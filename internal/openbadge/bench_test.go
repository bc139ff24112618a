package openbadge

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
)

// benchInput is a block's credential as certibloc issues them: six
// competencies, three alignments.
func benchInput(i int) Input {
	in := testInput(i)
	in.Achievement.Competencies = []string{
		"Analyser le besoin du client et le traduire en spécifications fonctionnelles et techniques",
		"Planifier le projet, ses ressources et ses jalons",
		"Conduire les réunions de pilotage et rendre compte de l'avancement",
		"Identifier, évaluer et traiter les risques du projet",
		"Suivre le budget et les indicateurs de performance",
		"Organiser la recette et la mise en production",
	}
	return in
}

// BenchmarkIssue builds and signs credentials (eddsa-rdfc-2022), on every
// core: ns/op is the time per credential of the whole machine.
func BenchmarkIssue(b *testing.B) {
	iss := testIssuer(b)
	at := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			doc, err := Issue(iss, benchInput(i), at)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := json.Marshal(doc); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkVerify verifies a credential with every check, status included.
func BenchmarkVerify(b *testing.B) {
	iss := testIssuer(b)
	v := ownVerifier(iss, map[int]bool{})
	doc, err := Issue(iss, benchInput(3), time.Now())
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	if r := v.Verify(context.Background(), raw, certibloc.French); !r.Valid {
		b.Fatalf("%+v", r.Checks)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r := v.Verify(context.Background(), raw, certibloc.French); !r.Valid {
				b.Fatal("not valid")
			}
		}
	})
}
