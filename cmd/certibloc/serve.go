package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/certibloc/certibloc/internal/server"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("serve", "serve [--addr HOST:PORT] [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	addr := fs.String("addr", or(getenv("CERTIBLOC_ADDR"), "localhost:8080"), "address to listen on (env CERTIBLOC_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logger(stderr)
	db, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := server.LoadDefaults(ctx, db, log); err != nil {
		return fmt.Errorf("load default data: %w", err)
	}
	handler, err := server.New(db, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Info("listening", "url", "http://"+ln.Addr().String(), "engine", db.Engine(), "data", cfg.data)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Let requests in flight finish, but not forever.
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
