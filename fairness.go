package certibloc

import (
	"cmp"
	"math"
	"slices"
)

// Evaluator fairness: for a session or a cohort, how each evaluator's
// grades are spread, and whether one evaluator's grades sit far from the
// others'. Grades are compared as a percentage of the grid's maximum, so
// that results graded on different grids (a cohort's sessions) share one
// scale from 0 to 100.
//
// The rule, in FairnessRule's words: an evaluator is judged when they gave
// at least FairnessMinGrades grades and the other evaluators together gave
// at least as many; a judged evaluator is flagged when the median of their
// grades differs from the median of the other evaluators' grades, pooled,
// by more than the larger of FairnessIQRFactor × the interquartile range of
// those pooled grades and FairnessMinGap percentage points. Comparing with
// the others (never with a pool that holds the evaluator's own grades)
// keeps a lenient or severe evaluator from widening the yardstick they are
// measured by. With two evaluators the comparison is symmetric: both are
// flagged, since the figures say they differ, not which one is right.

// Thresholds of the fairness rule.
const (
	FairnessMinGrades = 5    // grades an evaluator needs, and the others need, to be judged
	FairnessIQRFactor = 1.5  // times the others' interquartile range…
	FairnessMinGap    = 10.0 // …or this many percentage points, whichever is larger
)

// Grade is one result as fairness reads it: who graded it and the grade as
// a percentage of the grid's maximum.
type Grade struct {
	Evaluator int64   // the marker's account
	Name      string  // the marker's name, as pages show it
	Percent   float64 // from 0 to 100
}

// Percent is total as a percentage of max (0 when max is not positive).
func Percent(total, max Score) float64 {
	if max <= 0 {
		return 0
	}
	return float64(total) * 100 / float64(max)
}

// FiveNumbers summarises a sample: its size, extremes, quartiles and
// median. The quartiles are Hyndman and Fan's type 7, the default of R and
// of spreadsheets' QUARTILE.INC: with the n values sorted x[0] ≤ … ≤ x[n-1],
// the p-quantile is x[h] interpolated linearly at h = (n-1)·p.
type FiveNumbers struct {
	N      int     `json:"n"`
	Min    float64 `json:"min"`
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
	Max    float64 `json:"max"`
}

// IQR is the interquartile range, Q3 − Q1.
func (f FiveNumbers) IQR() float64 { return f.Q3 - f.Q1 }

// Summarize returns the five-number summary of xs (all zero when xs is
// empty). xs is not modified.
func Summarize(xs []float64) FiveNumbers {
	if len(xs) == 0 {
		return FiveNumbers{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return summarizeSorted(s)
}

// summarizeSorted is Summarize of values sorted already.
func summarizeSorted(s []float64) FiveNumbers {
	if len(s) == 0 {
		return FiveNumbers{}
	}
	return FiveNumbers{N: len(s), Min: s[0], Q1: quantile(s, 0.25), Median: quantile(s, 0.5), Q3: quantile(s, 0.75), Max: s[len(s)-1]}
}

// quantile is the type 7 p-quantile of sorted, which is not empty.
func quantile(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// EvaluatorSpread is one evaluator's grades and how they compare with the
// other evaluators'.
type EvaluatorSpread struct {
	Evaluator int64       `json:"evaluator"`
	Name      string      `json:"name"`
	Grades    FiveNumbers `json:"grades"`
	Others    FiveNumbers `json:"others"`    // the other evaluators' grades, pooled
	Judged    bool        `json:"judged"`    // enough grades on both sides to compare
	Gap       float64     `json:"gap"`       // own median − others' median: above 0, more generous
	Threshold float64     `json:"threshold"` // the gap beyond which the evaluator is flagged
	Flagged   bool        `json:"flagged"`
}

// Fairness is the spread of every evaluator's grades, in order of name.
type Fairness struct {
	Evaluators []EvaluatorSpread `json:"evaluators"`
	All        FiveNumbers       `json:"all"` // every grade, every evaluator
}

// Flagged counts the evaluators flagged.
func (f *Fairness) Flagged() int {
	n := 0
	for _, e := range f.Evaluators {
		if e.Flagged {
			n++
		}
	}
	return n
}

// AssessFairness groups grades by evaluator and applies the rule above.
// Every grade is sorted once; each evaluator's others are the whole less
// their own, taken out of the sorted list in one pass.
func AssessFairness(grades []Grade) Fairness {
	byEval := map[int64][]float64{}
	names := map[int64]string{}
	all := make([]float64, 0, len(grades))
	for _, g := range grades {
		byEval[g.Evaluator] = append(byEval[g.Evaluator], g.Percent)
		if _, ok := names[g.Evaluator]; !ok {
			names[g.Evaluator] = g.Name
		}
		all = append(all, g.Percent)
	}
	slices.Sort(all)
	out := Fairness{All: summarizeSorted(all)}
	others := make([]float64, 0, len(all))
	for id, own := range byEval {
		slices.Sort(own)
		others = without(others[:0], all, own)
		e := EvaluatorSpread{Evaluator: id, Name: names[id], Grades: summarizeSorted(own), Others: summarizeSorted(others)}
		e.Judged = e.Grades.N >= FairnessMinGrades && e.Others.N >= FairnessMinGrades
		if e.Judged {
			e.Gap = e.Grades.Median - e.Others.Median
			e.Threshold = max(FairnessIQRFactor*e.Others.IQR(), FairnessMinGap)
			e.Flagged = math.Abs(e.Gap) > e.Threshold
		}
		out.Evaluators = append(out.Evaluators, e)
	}
	slices.SortFunc(out.Evaluators, func(a, b EvaluatorSpread) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Evaluator, b.Evaluator))
	})
	return out
}

// without appends to dst the values of sorted all less those of sorted
// sub, a part of it (each value of sub taken out once).
func without(dst, all, sub []float64) []float64 {
	j := 0
	for _, v := range all {
		if j < len(sub) && sub[j] == v {
			j++
			continue
		}
		dst = append(dst, v)
	}
	return dst
}
