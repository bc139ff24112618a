package certibloc

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSummarizeType7Quartiles(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want FiveNumbers
	}{
		{"empty", nil, FiveNumbers{}},
		{"one value", []float64{7}, FiveNumbers{N: 1, Min: 7, Q1: 7, Median: 7, Q3: 7, Max: 7}},
		{"five values fall on ranks", []float64{5, 1, 4, 2, 3}, FiveNumbers{N: 5, Min: 1, Q1: 2, Median: 3, Q3: 4, Max: 5}},
		// h = 3·0.25 = 0.75 → 1 + 0.75·(2−1); h = 1.5 → 2.5; h = 2.25 → 3.25
		{"four values interpolate", []float64{4, 3, 2, 1}, FiveNumbers{N: 4, Min: 1, Q1: 1.75, Median: 2.5, Q3: 3.25, Max: 4}},
		// sorted 10 20 40 80 90 100: h = 1.25 → 25; h = 2.5 → 60; h = 3.75 → 87.5
		{"six values", []float64{100, 10, 80, 20, 90, 40}, FiveNumbers{N: 6, Min: 10, Q1: 25, Median: 60, Q3: 87.5, Max: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			if got := Summarize(tt.in); got != tt.want {
				t.Errorf("Summarize(%v) = %+v, want %+v", in, got, tt.want)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("Summarize sorted its argument: %v", tt.in)
			}
		})
	}
}

func TestPercentOfTheGridMaximum(t *testing.T) {
	if got := Percent(1450, 2000); got != 72.5 {
		t.Errorf("Percent(14,5 / 20) = %v, want 72.5", got)
	}
	if got := Percent(300, 0); got != 0 {
		t.Errorf("Percent with no maximum = %v, want 0", got)
	}
}

// grades gives evaluator id (named name) the percentages ps.
func grades(id int64, name string, ps ...float64) []Grade {
	var out []Grade
	for _, p := range ps {
		out = append(out, Grade{Evaluator: id, Name: name, Percent: p})
	}
	return out
}

func spreadOf(t *testing.T, f Fairness, id int64) EvaluatorSpread {
	t.Helper()
	for _, e := range f.Evaluators {
		if e.Evaluator == id {
			return e
		}
	}
	t.Fatalf("evaluator %d missing from %+v", id, f)
	return EvaluatorSpread{}
}

func TestAssessFairnessFlagsTheEvaluatorFarFromTheOthers(t *testing.T) {
	in := slices.Concat(
		grades(1, "Alice", 50, 55, 60, 65, 70),
		grades(2, "Bruno", 52, 57, 62, 67, 72),
		grades(3, "Chloé", 80, 85, 90, 95, 100),
	)
	f := AssessFairness(in)
	if got := []string{f.Evaluators[0].Name, f.Evaluators[1].Name, f.Evaluators[2].Name}; !slices.Equal(got, []string{"Alice", "Bruno", "Chloé"}) {
		t.Errorf("order = %v, want by name", got)
	}
	// Chloé against Alice+Bruno pooled: 50 52 55 57 60 62 65 67 70 72, median 61,
	// Q1 55.5, Q3 66.5, IQR 11 → threshold max(16.5, 10) = 16.5; gap 90 − 61 = 29.
	c := spreadOf(t, f, 3)
	want := EvaluatorSpread{Evaluator: 3, Name: "Chloé",
		Grades: FiveNumbers{N: 5, Min: 80, Q1: 85, Median: 90, Q3: 95, Max: 100},
		Others: FiveNumbers{N: 10, Min: 50, Q1: 55.5, Median: 61, Q3: 66.5, Max: 72},
		Judged: true, Gap: 29, Threshold: 16.5, Flagged: true}
	if c != want {
		t.Errorf("Chloé = %+v\nwant    %+v", c, want)
	}
	// Alice against Bruno+Chloé: median 76, Q1 63.25, Q3 88.75 → threshold 38.25; gap −16.
	a := spreadOf(t, f, 1)
	if a.Flagged || a.Gap != -16 || a.Threshold != 38.25 || !a.Judged {
		t.Errorf("Alice = %+v, want judged, gap −16, threshold 38.25, not flagged", a)
	}
	// Bruno against Alice+Chloé: median 75, Q1 61.25, Q3 88.75 → threshold 41.25; gap −13.
	b := spreadOf(t, f, 2)
	if b.Flagged || b.Gap != -13 || b.Threshold != 41.25 {
		t.Errorf("Bruno = %+v, want gap −13, threshold 41.25, not flagged", b)
	}
	if f.Flagged() != 1 || f.All.N != 15 || f.All.Min != 50 || f.All.Max != 100 {
		t.Errorf("Flagged() = %d, All = %+v", f.Flagged(), f.All)
	}
}

func TestAssessFairnessMinimumGapOfTenPoints(t *testing.T) {
	tests := []struct {
		name    string
		other   float64
		flagged bool
	}{
		{"exactly ten points apart is not flagged", 60, false},
		{"eleven points apart is flagged", 61, true},
		{"nine points below is not flagged", 41, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// the others all gave 50: their IQR is 0, so the 10-point floor decides
			f := AssessFairness(slices.Concat(grades(1, "A", 50, 50, 50, 50, 50), grades(2, "B", tt.other, tt.other, tt.other, tt.other, tt.other)))
			for _, e := range f.Evaluators {
				if e.Threshold != 10 || e.Flagged != tt.flagged {
					t.Errorf("%s: threshold %v flagged %v, want 10 and %v (two evaluators are compared both ways)", e.Name, e.Threshold, e.Flagged, tt.flagged)
				}
			}
		})
	}
}

func TestAssessFairnessNeedsFiveGradesOnEachSide(t *testing.T) {
	f := AssessFairness(slices.Concat(
		grades(1, "Few", 100, 100, 100, 100),
		grades(2, "Alone", 10, 10, 10, 10, 10),
	))
	for _, e := range f.Evaluators {
		if e.Judged || e.Flagged {
			t.Errorf("%s = %+v: four grades on one side must not be judged", e.Name, e)
		}
	}
	f = AssessFairness(slices.Concat(
		grades(1, "Few", 100, 100, 100, 100),
		grades(2, "Alone", 10, 10, 10, 10, 10),
		grades(3, "Third", 12),
	))
	if e := spreadOf(t, f, 2); !e.Judged || e.Others.N != 5 || !e.Flagged {
		t.Errorf("Alone = %+v: the others' five grades pooled are enough to judge, and 10 against 100 is far", e)
	}
	if e := spreadOf(t, f, 1); e.Judged || e.Flagged {
		t.Errorf("Few = %+v: four grades are not enough", e)
	}
}

// Property: shifting one evaluator's grades far enough always flags them.
// "Far enough" is bounded without quantiles: the others' IQR is at most
// their range, and the medians lie within the ranges, so a shift that puts
// the lowest shifted grade 1.5 × the others' range + 10 points above their
// highest grade (or as far below their lowest) exceeds any threshold.
func TestPropertyAShiftedEvaluatorIsFlagged(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for i := range 2000 {
		var in []Grade
		k := 2 + r.IntN(4)
		for id := range int64(k) {
			for range FairnessMinGrades + r.IntN(15) {
				in = append(in, Grade{Evaluator: id, Percent: float64(r.IntN(10001)) / 100})
			}
		}
		target := int64(r.IntN(k))
		lo, hi := 1e9, -1e9   // the others' range
		tlo, thi := 1e9, -1e9 // the target's range
		for _, g := range in {
			if g.Evaluator == target {
				tlo, thi = min(tlo, g.Percent), max(thi, g.Percent)
			} else {
				lo, hi = min(lo, g.Percent), max(hi, g.Percent)
			}
		}
		margin := FairnessIQRFactor*(hi-lo) + FairnessMinGap + 0.01
		shift := hi + margin - tlo
		if r.IntN(2) == 0 {
			shift = lo - margin - thi
		}
		for j := range in {
			if in[j].Evaluator == target {
				in[j].Percent += shift
			}
		}
		if e := spreadOf(t, AssessFairness(in), target); !e.Flagged {
			t.Fatalf("case %d: evaluator %d shifted by %.2f is not flagged: %+v", i, target, shift, e)
		}
	}
}

// Property: evaluators whose grades have the same distribution (the same
// values in any order) are never flagged.
func TestPropertyIdenticalDistributionsAreNeverFlagged(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for i := range 2000 {
		n := 1 + r.IntN(25)
		base := make([]float64, n)
		for j := range base {
			base[j] = float64(r.IntN(10001)) / 100
		}
		var in []Grade
		for id := range int64(2 + r.IntN(5)) {
			for _, p := range r.Perm(n) {
				in = append(in, Grade{Evaluator: id, Percent: base[p]})
			}
		}
		f := AssessFairness(in)
		for _, e := range f.Evaluators {
			if e.Flagged || e.Judged != (n >= FairnessMinGrades) {
				t.Fatalf("case %d: %d grades %v: evaluator %+v", i, n, base, e)
			}
		}
	}
}

// BenchmarkAssessFairness: a large cohort's year, 20 evaluators who gave
// 100,000 grades between them.
func BenchmarkAssessFairness(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	gs := make([]Grade, 100_000)
	for i := range gs {
		gs[i] = Grade{Evaluator: int64(i % 20), Percent: float64(r.IntN(10001)) / 100}
	}
	for b.Loop() {
		AssessFairness(gs)
	}
}
