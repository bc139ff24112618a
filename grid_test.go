package certibloc

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseScore(t *testing.T) {
	for in, want := range map[string]Score{"14,5": 1450, "14.5": 1450, "14": 1400, " 7,25 ": 725, "0": 0, "20,00": 2000, "0,5": 50} {
		if got, err := ParseScore(in); err != nil || got != want {
			t.Errorf("ParseScore(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "14,5,0", "1 4", "-3", "+3", "1e3", "14,", ",5", "14,555", "abc", "12345678", "1.000,5", "NaN", "١٤"} {
		if got, err := ParseScore(in); err == nil {
			t.Errorf("ParseScore(%q) = %d, want an error", in, got)
		}
	}
}

func FuzzParseScore(f *testing.F) {
	for _, s := range []string{"14,5", "14.5", "0", "20", "1e3", "-1", "9999999,99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseScore(s)
		if err != nil {
			return
		}
		if v < 0 {
			t.Fatalf("ParseScore(%q) = %d: negative", s, v)
		}
		back, err := ParseScore(v.String())
		if err != nil || back != v {
			t.Fatalf("ParseScore(%q) = %d, written %q, read back %d, %v", s, v, v.String(), back, err)
		}
		if fr, _ := ParseScore(v.In(French)); fr != v {
			t.Fatalf("French %q reads back %d, not %d", v.In(French), fr, v)
		}
	})
}

func TestScoreJSON(t *testing.T) {
	var m Mark
	if err := json.Unmarshal([]byte(`{"criterion":"C1","value":14.5}`), &m); err != nil || m.Value != 1450 {
		t.Fatalf("14.5 → %d, %v", m.Value, err)
	}
	if err := json.Unmarshal([]byte(`{"criterion":"C1","value":"14,5"}`), &m); err != nil || m.Value != 1450 {
		t.Fatalf(`"14,5" → %d, %v`, m.Value, err)
	}
	if err := json.Unmarshal([]byte(`{"criterion":"C1","value":1e400}`), &m); err == nil {
		t.Fatal("1e400 accepted")
	}
	b, _ := json.Marshal(Mark{Criterion: "C1", Value: 1450})
	if string(b) != `{"criterion":"C1","value":14.5}` {
		t.Fatalf("marshal: %s", b)
	}
}

func TestDefaultGridsGrade(t *testing.T) {
	c := testRNCP38478()
	grids := DefaultGrids(c)
	evals := 0
	for _, b := range c.Blocks {
		evals += len(b.Evaluations)
	}
	if len(grids) != evals+len(c.Validation.Complementary) {
		t.Fatalf("%d grids for %d evaluations and %d complementary", len(grids), evals, len(c.Validation.Complementary))
	}
	for i := range grids {
		g := &grids[i]
		if err := g.Validate(); err != nil {
			t.Fatalf("grid %s/%d%s: %v", g.Block, g.Evaluation, g.Complementary, err)
		}
		if err := g.CheckFor(c); err != nil {
			t.Fatalf("grid %s/%d: %v", g.Block, g.Evaluation, err)
		}
	}
	// BC02's first evaluation is a team one: it has an individual criterion.
	var team *Grid
	for i := range grids {
		if grids[i].Block == "RNCP38478BC02" && grids[i].Evaluation == 1 {
			team = &grids[i]
		}
	}
	if team == nil || team.Criterion("IND") == nil || !team.Criterion("IND").Individual {
		t.Fatalf("BC02 evaluation 1 has no individual criterion: %+v", team)
	}
	marks := func(level Score) []Mark {
		var ms []Mark
		for _, c := range team.Criteria {
			ms = append(ms, Mark{Criterion: c.Key, Value: level})
		}
		return ms
	}
	if o, err := team.Grade(marks(300)); err != nil || !o.Passed || o.Total != Score(300*len(team.Criteria)) {
		t.Fatalf("all acquired: %+v, %v", o, err)
	}
	ms := marks(300)
	ms[0].Value = 200
	if o, _ := team.Grade(ms); o.Passed {
		t.Fatal("a mandatory criterion not acquired, yet passed")
	}
	ms[0].Value = 500
	if _, err := team.Grade(ms); err == nil || !strings.Contains(err.Error(), "levels go from 1 to 4") {
		t.Fatalf("level 5 of 4: %v", err)
	}
	if _, err := team.Grade(ms[1:]); err == nil {
		t.Fatal("a criterion missing, yet graded")
	}
	// The complementary evaluations: out of 20, passed from 10.
	oral := &grids[len(grids)-2]
	if o, err := oral.Grade([]Mark{{Criterion: "NOTE", Value: 1000}}); err != nil || !o.Passed {
		t.Fatalf("10/20: %+v %v", o, err)
	}
	if o, _ := oral.Grade([]Mark{{Criterion: "NOTE", Value: 999}}); o.Passed {
		t.Fatal("9.99/20 passed")
	}
}

func TestCombineDoubleMarking(t *testing.T) {
	g := &Grid{Block: "B", Evaluation: 1, Title: "t", Pass: PassRule{Rule: PassTotal, MinTotal: 2000},
		Criteria: []Criterion{{Key: "A", Label: "a", Scale: Scale{Max: 2000, Pass: 1000}}, {Key: "L", Label: "l", Scale: Scale{Levels: defaultLevels}}}}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	marks, out, gap, err := Combine(g, []Mark{{Criterion: "A", Value: 1650}, {Criterion: "L", Value: 400}}, []Mark{{Criterion: "A", Value: 1425}, {Criterion: "L", Value: 300}})
	if err != nil || marks[0].Value != 1537 || marks[1].Value != 300 || out.Total != 1837 || out.Passed || gap != 325 {
		t.Fatalf("combined %+v, %+v, gap %d, %v", marks, out, gap, err)
	}
}

func TestProblemsWordedInBothLanguages(t *testing.T) {
	for _, code := range ProblemCodes() {
		p := Problem{Row: 3, Column: "C2", Code: code, Value: "x", Detail: "y"}
		fr, en := p.In(French), p.In(English)
		if fr == en || strings.Contains(fr+en, "%!") || !strings.HasPrefix(fr, "ligne 3, colonne C2 : ") || !strings.HasPrefix(en, "line 3, column C2: ") {
			t.Errorf("%s: %q / %q", code, fr, en)
		}
	}
	var err error = Problems{{Row: 2, Code: "missing_grade"}}
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "line 2") {
		t.Fatalf("Problems as an error: %s, %s", ErrorCode(err), ErrorMessage(err))
	}
}
