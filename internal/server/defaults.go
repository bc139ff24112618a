package server

import (
	"context"
	"log/slog"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// LoadDefaults stores the RNCP38478 referential, the DIIAGE programme
// sheet and the school DIIAGE when the database has none, so that a bare machine serves them at
// once; what staff or imports changed later is never overwritten.
// Instances starting at once on a fresh database take turns: the first
// loads, the others then find it loaded.
func LoadDefaults(ctx context.Context, db *sqldb.DB, log *slog.Logger) error {
	release, err := db.Lock(ctx, "load-defaults")
	if err != nil {
		return err
	}
	defer release()
	if err := loadDefaultSchool(ctx, db, log); err != nil {
		return err
	}
	cert, err := seed.Certification()
	if err != nil {
		return err
	}
	if _, err := db.Certification(ctx, cert.Code, 0); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		res, err := db.SaveCertification(ctx, cert)
		if err != nil {
			return err
		}
		log.Info("loaded default referential", "code", res.Code, "version", res.Version)
	} else if err != nil {
		return err
	}
	prog, err := seed.Programme()
	if err != nil {
		return err
	}
	if _, err := db.Programme(ctx, prog.Slug); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		if err := db.SaveProgramme(ctx, prog); err != nil {
			return err
		}
		log.Info("loaded default programme", "slug", prog.Slug)
	} else if err != nil {
		return err
	}
	return nil
}

// defaultSchool is the school of the default programme: its code is the
// one the programme sheet and staff scopes name.
var defaultSchool = certibloc.School{
	Code:      "DIIAGE",
	Name:      "Département d'ingénierie informatique appliquée à la gestion",
	Certifier: "SUP DE VINCI",
}

func loadDefaultSchool(ctx context.Context, db *sqldb.DB, log *slog.Logger) error {
	_, err := db.School(ctx, defaultSchool.Code)
	if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	s := defaultSchool
	if err := db.CreateSchool(ctx, &s); certibloc.ErrorCode(err) == certibloc.ECONFLICT {
		return nil // another instance made it meanwhile: SQLite has no lock to take turns (db.Lock)
	} else if err != nil {
		return err
	}
	log.Info("loaded default school", "code", s.Code)
	return nil
}
