package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const exportUsage = `export accrochage (--jury ID | --from YYYY-MM-DD --to YYYY-MM-DD) [--certification CODE] [--out DIR] [--size-limit BYTES] [--check] [--lang fr|en]
       certibloc export accrochage --overdue
       certibloc export accrochage --account CODE --client NUMBER --contract NUMBER [--emitter NUMBER]`

// exportCmd declares holders to the Caisse des Dépôts: the check first
// (holders missing data are listed with the page that corrects each, and
// nothing is written), then the files in --out, one per certifier account,
// split at the size limit, with a progress bar on stderr.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("export", exportUsage, stderr)
	cfg := commonFlags(fs, getenv)
	jury := fs.Int64("jury", 0, "a closed jury: declare its holders")
	from := fs.String("from", "", "or the first day of a range of juries (YYYY-MM-DD)")
	to := fs.String("to", "", "the last day of the range (YYYY-MM-DD)")
	cert := fs.String("certification", "", "only this certification")
	out := fs.String("out", ".", "the directory the files are written to")
	limit := fs.Int64("size-limit", cdc.DefaultLimit, "the bytes a file may hold before the export is split")
	check := fs.Bool("check", false, "only check the holders to send, write nothing")
	overdue := fs.Bool("overdue", false, "list the holders not declared three months after their jury")
	lang := fs.String("lang", "fr", "the language of the problems: fr or en")
	account := fs.String("account", "", "set the account at the Caisse of this certification (with --client and --contract)")
	client := fs.String("client", "", "the certifier's client number at the Caisse (8 characters)")
	contract := fs.String("contract", "", "the certifier's contract number")
	emitter := fs.String("emitter", "", "the emitter's client number, when a third party sends (default: --client)")
	if len(args) == 0 || args[0] != "accrochage" {
		fs.Usage()
		return errors.New("export: say what to export (only accrochage)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	l := certibloc.French
	if *lang == "en" {
		l = certibloc.English
	}
	log := logger(stderr)
	db, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = certibloc.WithPrincipal(ctx, cliPrincipal)

	switch {
	case *account != "":
		a := &certibloc.CDCAccount{Certification: strings.ToUpper(*account), Emitter: *emitter, Client: *client, Contract: *contract}
		if err := db.SetCDCAccount(ctx, a); err != nil {
			return fmt.Errorf("export accrochage: %s", errorText(err))
		}
		fmt.Fprintf(stdout, "%s: emitter %s, client %s, contract %s\n", a.Certification, a.Emitter, a.Client, a.Contract)
		return nil
	case *overdue:
		late, err := db.AccrochageOverdue(ctx)
		if err != nil {
			return err
		}
		for _, s := range late {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", s.Due, s.IDTechnique, s.Holder.Name(), s.Status)
		}
		fmt.Fprintf(stdout, "%d holder(s) not declared in time\n", len(late))
		return nil
	}

	scope := sqldb.AccrochageScope{JuryID: *jury, Certification: strings.ToUpper(*cert)}
	for _, d := range []struct {
		flag string
		in   string
		out  *certibloc.Date
	}{{"--from", *from, &scope.From}, {"--to", *to, &scope.To}} {
		if d.in == "" {
			continue
		}
		if *d.out, err = certibloc.ParseDate(d.in); err != nil {
			return fmt.Errorf("export accrochage: %s %q is not a date YYYY-MM-DD", d.flag, d.in)
		}
	}
	n, ps, err := db.AccrochageCheck(ctx, scope)
	if err != nil {
		return fmt.Errorf("export accrochage: %s", errorText(err))
	}
	if len(ps) > 0 {
		printProblems(stdout, ps, l)
		return fmt.Errorf("export accrochage: %d problem(s) to correct first; nothing was written", len(ps))
	}
	if *check {
		fmt.Fprintf(stdout, "%d passage(s) to send, ready\n", n)
		return nil
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var written []string
	exp := &cdc.Export{Now: time.Now(), Limit: *limit, Open: func(id string) (io.WriteCloser, error) {
		p := filepath.Join(*out, id+".xml")
		written = append(written, p)
		return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}}
	bar := &progress{w: stderr, total: n, label: "accrochage"}
	files, err := db.ExportAccrochage(ctx, scope, &counted{AccrochageWriter: exp, bar: bar, dir: *out})
	bar.done()
	if err != nil {
		for _, p := range written {
			os.Remove(p) // nothing was recorded: no file is left to be sent by mistake
		}
		var perr certibloc.Problems
		if errors.As(err, &perr) {
			printProblems(stdout, perr, l)
		}
		return fmt.Errorf("export accrochage: %s", errorText(err))
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%s\t%d passage(s)\t%d bytes\tclient %s\n", filepath.Join(*out, f.IDFlux+".xml"), f.Passages, f.Bytes, f.Client)
	}
	return nil
}

func printProblems(w io.Writer, ps certibloc.Problems, l certibloc.Lang) {
	for _, p := range ps {
		fmt.Fprintf(w, "%s\t%s\n", p.In(l), p.Link)
	}
}

// counted counts the passages an export writes for the progress bar, and
// reads the files back from dir for the database to keep them.
type counted struct {
	sqldb.AccrochageWriter
	bar *progress
	dir string
}

func (c *counted) Content(idFlux string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(c.dir, idFlux+".xml"))
}

func (c *counted) Write(h *certibloc.Holder) (string, error) {
	id, err := c.AccrochageWriter.Write(h)
	if err == nil {
		c.bar.add(1)
	}
	return id, err
}

// progress draws a bar on a terminal line: redrawn at each percent.
type progress struct {
	w       io.Writer
	label   string
	total   int
	n, last int
	drawn   bool
}

const barWidth = 30

func (p *progress) add(k int) {
	p.n += k
	if p.total <= 0 {
		return
	}
	if pct := p.n * 100 / p.total; pct != p.last || !p.drawn {
		p.last, p.drawn = pct, true
		full := min(barWidth, p.n*barWidth/p.total)
		fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %3d%%", p.label, strings.Repeat("=", full), strings.Repeat(" ", barWidth-full), p.n, p.total, pct)
	}
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
