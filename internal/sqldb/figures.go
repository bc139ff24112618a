package sqldb

import (
	"context"
	"encoding/json"
	"math"
	"sort"

	"github.com/certibloc/certibloc"
)

// Figures is a year and route's results, as France Compétences asks for
// them when a registration is renewed.
type Figures struct {
	Year       int             `json:"year"`
	Route      certibloc.Route `json:"route"` // training or vae
	Candidates int             `json:"candidates"`
	Holders    int             `json:"holders"` // awarded the title
	Partial    int             `json:"partial"` // some blocks validated, not the title
	// PassRate is holders over candidates, in percent (one decimal).
	PassRate float64       `json:"pass_rate"`
	Blocks   []BlockFigure `json:"blocks"`
}

// BlockFigure is how many candidates of a year and route validated a block.
type BlockFigure struct {
	Block     string  `json:"block"`
	Validated int     `json:"validated"`
	Rate      float64 `json:"rate"` // validated over the candidates, in percent
}

// CertificationFigures counts, per year of the juries and route, the
// candidates a closed jury decided on (their current decision), the
// holders of the title, the partial successes and the share of candidates
// who validated each block. A candidate's route is VAE when a VAE
// candidacy brought them to the jury or every block they validated was by
// VAE (as their declaration to the Caisse says), training otherwise.
func (db *DB) CertificationFigures(ctx context.Context, code string) ([]Figures, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT j.held_on, d.blocks, d.certified,
			EXISTS (SELECT 1 FROM vae_candidacies v WHERE v.jury_id = j.id AND v.person_id = d.person_id)
		FROM jury_decisions d JOIN juries j ON j.id = d.jury_id
		WHERE j.certification_code = $1 AND j.state = 'closed' AND NOT d.superseded
		ORDER BY j.held_on`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		year  int
		route certibloc.Route
	}
	byKey := map[key]*Figures{}
	blocks := map[key]map[string]int{}
	for rows.Next() {
		var held certibloc.Date
		var raw string
		var certified, vae bool
		if err := rows.Scan(&held, &raw, &certified, &vae); err != nil {
			return nil, err
		}
		var verdicts []certibloc.BlockVerdict
		if err := json.Unmarshal([]byte(raw), &verdicts); err != nil {
			return nil, err
		}
		allVAE, any := true, false
		for _, b := range verdicts {
			if b.Validated {
				any, allVAE = true, allVAE && b.Route == certibloc.VAE
			}
		}
		k := key{held.Year(), certibloc.Training}
		if vae || any && allVAE {
			k.route = certibloc.VAE
		}
		f := byKey[k]
		if f == nil {
			f = &Figures{Year: k.year, Route: k.route}
			byKey[k], blocks[k] = f, map[string]int{}
		}
		f.Candidates++
		validated := 0
		for _, b := range verdicts {
			if b.Validated {
				validated++
				blocks[k][b.Block]++
			}
		}
		switch {
		case certified:
			f.Holders++
		case validated > 0:
			f.Partial++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Figures, 0, len(byKey))
	for k, f := range byKey {
		f.PassRate = percent(f.Holders, f.Candidates)
		for b, n := range blocks[k] {
			f.Blocks = append(f.Blocks, BlockFigure{Block: b, Validated: n, Rate: percent(n, f.Candidates)})
		}
		sort.Slice(f.Blocks, func(i, j int) bool { return f.Blocks[i].Block < f.Blocks[j].Block })
		if f.Blocks == nil {
			f.Blocks = []BlockFigure{}
		}
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Route < out[j].Route
	})
	return out, nil
}

// percent is n over of, in percent with one decimal; 0 when of is 0.
func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)*1000/float64(of)) / 10
}
