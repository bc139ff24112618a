package certibloc

import (
	"strings"
	"testing"
)

// TestEnglishTranslationValidated: an English translation names the
// certification's blocks, once each, with as many competencies as the
// French, and a title.
func TestEnglishTranslationValidated(t *testing.T) {
	base := func() *Certification {
		return &Certification{Code: "RNCP38478", Title: "Titre", Level: 6, Blocks: []Block{
			{Code: "RNCP38478BC01", Title: "Bloc un", Kind: Common, Competencies: []string{"Analyser", "Planifier"}},
			{Code: "RNCP38478BC02", Title: "Bloc deux", Kind: Common, Competencies: []string{"Coordonner"}},
		}}
	}
	good := base()
	good.English = &Translation{Title: "Title", Blocks: []BlockTranslation{
		{Code: "RNCP38478BC01", Title: "Block one", Competencies: []string{"Analyse", "Plan"}},
	}}
	if err := good.Validate(); err != nil {
		t.Fatalf("a translation of one block: %v", err)
	}
	if en, ok := good.EnglishBlock("RNCP38478BC01"); !ok || en.Title != "Block one" {
		t.Errorf("EnglishBlock: %+v %v", en, ok)
	}
	if _, ok := good.EnglishBlock("RNCP38478BC02"); ok {
		t.Error("a block without a translation has one")
	}
	for _, c := range []struct {
		en   Translation
		want string
	}{
		{Translation{Title: " "}, "no title"},
		{Translation{Title: "T", Blocks: []BlockTranslation{{Code: "RNCP38478BC09", Title: "B", Competencies: []string{}}}}, "RNCP38478BC09"},
		{Translation{Title: "T", Blocks: []BlockTranslation{{Code: "RNCP38478BC02", Title: "B", Competencies: []string{"a"}},
			{Code: "RNCP38478BC02", Title: "B", Competencies: []string{"a"}}}}, "comes twice"},
		{Translation{Title: "T", Blocks: []BlockTranslation{{Code: "RNCP38478BC01", Title: "", Competencies: []string{"a", "b"}}}}, "no title"},
		{Translation{Title: "T", Blocks: []BlockTranslation{{Code: "RNCP38478BC01", Title: "B", Competencies: []string{"a"}}}}, "1 competencies, the French 2"},
	} {
		c2 := base()
		c2.English = &c.en
		err := c2.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error saying %q", c.en, err, c.want)
		}
	}
}
