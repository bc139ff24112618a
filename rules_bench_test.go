package certibloc

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used so far (user and system).
// The benchmarks report it per operation beside the wall time, which on a
// loaded machine also counts the time other processes held the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchEvals is the number of evaluations of each RNCP38478 block.
var benchEvals = map[string]int{bc01: 1, bc02: 2, bc03: 1, bc04: 2, bc05: 2, bc06: 2}

// benchRecords builds n varied, realistic RNCP38478 records, as a school
// group sees them over five years: learners in cohorts of about 25, on the
// one-year and three-year tracks, at every stage of their year, who pass
// their evaluations at the cohort's session or at the retake session
// (sometimes failing twice, sometimes not retaken yet); three-year cohorts
// that scheduled an option before BC03; VAE candidates before juries that
// sit twice a month, some refused; mixed paths; and learners back with
// blocks capitalised in an earlier session. The seed is fixed so runs
// compare.
func benchRecords(n int) []Record {
	return benchGenerate(n, false)
}

// benchScattered builds the same mix of records with every date drawn
// independently over the five years: no two learners share a session. It
// is the worst case for the memoised sentences.
func benchScattered(n int) []Record {
	return benchGenerate(n, true)
}

func benchGenerate(n int, scattered bool) []Record {
	rng := rand.New(rand.NewPCG(38478, 2026))
	start := DateOf(2022, time.September, 1)
	on := func(days int) Date { return Date{start.AddDate(0, 0, days)} }
	common := []string{bc01, bc02, bc03}
	optional := []string{bc04, bc05, bc06}

	// A cohort's sessions: its intake day, then a session per block.
	type cohort struct {
		track   Track
		intake  int
		session map[string]int
	}
	newCohort := func(c int) cohort {
		co := cohort{track: OneYear, intake: 365*(c%5) + 14*(c/5%6), session: map[string]int{}}
		if c%4 == 0 {
			co.track = ThreeYear
		}
		for k, b := range common {
			co.session[b] = co.intake + 70*(k+1)
		}
		for k, b := range optional {
			co.session[b] = co.intake + 250 + 14*k
			// A third of the three-year cohorts take their option before
			// BC03: those options do not count.
			if co.track == ThreeYear && c%3 == 0 {
				co.session[b] = co.intake + 150 + 14*k
			}
		}
		return co
	}
	jury := func() int { return 15 * rng.IntN(120) } // juries sit twice a month
	date := func(session int) int {
		if scattered {
			return rng.IntN(5 * 365)
		}
		return session
	}

	// train adds a block's results: passed at the session (most), failed
	// then passed at the retake 45 days later, failed twice, or failed and
	// not retaken yet.
	train := func(rec *Record, block string, session int) {
		for k := 1; k <= benchEvals[block]; k++ {
			fail := EvaluationResult{Block: block, Number: k, Date: on(date(session))}
			pass := EvaluationResult{Block: block, Number: k, Passed: true, Date: on(date(session))}
			switch x := rng.IntN(40); {
			case x < 2: // failed, not retaken yet
				rec.Evaluations = append(rec.Evaluations, fail)
			case x < 7: // retake
				pass.Date = on(date(session + 45))
				rec.Evaluations = append(rec.Evaluations, fail, pass)
			case x < 8: // two failures
				pass.Date = on(date(session + 90))
				second := fail
				second.Date = on(date(session + 45))
				rec.Evaluations = append(rec.Evaluations, fail, second, pass)
			default:
				rec.Evaluations = append(rec.Evaluations, pass)
			}
		}
	}
	complementary := func(rec *Record) {
		rec.Complementary = map[string]bool{"oral_defence": rng.IntN(12) > 0, "technical_thesis": rng.IntN(10) > 0}
	}

	recs := make([]Record, n)
	for i := range recs {
		rec := &recs[i]
		co := newCohort(i / 25)
		rec.Track = co.track
		switch p := rng.IntN(100); {
		case p < 50: // a learner by training, anywhere in the year
			upTo := 3 + rng.IntN(4)
			for _, b := range common[:min(upTo, 3)] {
				train(rec, b, co.session[b])
			}
			for k := 3; k < upTo; k++ {
				b := optional[(i+k)%3]
				train(rec, b, co.session[b])
			}
			if upTo >= 4 {
				complementary(rec)
			}
		case p < 62: // every block by VAE, sometimes one refused
			for _, b := range append(common[:3:3], optional[rng.IntN(3)]) {
				rec.VAEBlocks = append(rec.VAEBlocks, BlockDecision{Block: b, Validated: rng.IntN(12) > 0, Date: on(date(jury()))})
			}
		case p < 85: // mixed: some common blocks by VAE, the rest in a cohort
			for _, b := range common {
				if rng.IntN(2) == 0 {
					rec.VAEBlocks = append(rec.VAEBlocks, BlockDecision{Block: b, Validated: true, Date: on(date(jury()))})
				} else {
					train(rec, b, co.session[b])
				}
			}
			b := optional[rng.IntN(3)]
			train(rec, b, co.session[b])
			complementary(rec)
		default: // back after an earlier session, with capitalised blocks
			for _, b := range common[:1+rng.IntN(3)] {
				route := Training
				if rng.IntN(3) == 0 {
					route = VAE
				}
				rec.Acquired = append(rec.Acquired, AcquiredBlock{Block: b, Route: route, Date: on(date(co.session[b] - 365))})
			}
			for _, b := range common {
				train(rec, b, co.session[b])
			}
			b := optional[rng.IntN(3)]
			train(rec, b, co.session[b])
			complementary(rec)
		}
	}
	return recs
}

// benchDecide decides every record once per operation, without wording
// the explanations.
func benchDecide(b *testing.B, recs []Record) {
	rules := NewRules(testRNCP38478())
	certified := 0
	for _, rec := range recs {
		d, err := rules.Decide(rec)
		if err != nil {
			b.Fatalf("record %+v: %v", rec, err)
		}
		if d.Certified {
			certified++
		}
	}
	b.Logf("%d records, %d certified", len(recs), certified)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for _, rec := range recs {
			if _, err := rules.Decide(rec); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)), "ns/record")
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkDecide100k decides 100,000 realistic records per operation: the
// target is under 50 ms an operation.
func BenchmarkDecide100k(b *testing.B) {
	benchDecide(b, benchRecords(100_000))
}

// BenchmarkDecide100kScattered decides 100,000 records whose dates share no
// session.
func BenchmarkDecide100kScattered(b *testing.B) {
	benchDecide(b, benchScattered(100_000))
}

// BenchmarkExplain words one decision (every line, every missing reason and
// block reason), cycling over 1,000 varied decisions: the target is under
// 20 µs.
func BenchmarkExplain(b *testing.B) {
	rules := NewRules(testRNCP38478())
	var decisions []Decision
	for _, rec := range append(benchRecords(500), benchScattered(500)...) {
		d, err := rules.Decide(rec)
		if err != nil {
			b.Fatal(err)
		}
		decisions = append(decisions, d)
	}
	for _, l := range []Lang{French, English} {
		b.Run(l.String(), func(b *testing.B) {
			b.ReportAllocs()
			i, cpu := 0, cpuTime()
			for b.Loop() {
				decisions[i%len(decisions)].Explain(l)
				i++
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkNewRules compiles RNCP38478: what RulesCache saves per request.
func BenchmarkNewRules(b *testing.B) {
	c := testRNCP38478()
	b.ReportAllocs()
	for b.Loop() {
		NewRules(c)
	}
}

// BenchmarkEligibility measures one eligibility check, for scale.
func BenchmarkEligibility(b *testing.B) {
	rules := NewRules(testRNCP38478())
	a := Applicant{Track: OneYear, Level: 4, ExperienceMonths: 14, ECTS: 60}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Eligibility(a); err != nil {
			b.Fatal(err)
		}
	}
}
