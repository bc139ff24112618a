package server

import (
	"net/http"
	"time"
)

// Timeouts bound how long a client may hold a connection at each step,
// so that slow or idle clients (slowloris) cannot use up the server.
type Timeouts struct {
	ReadHeader time.Duration // to send the request line and headers
	Read       time.Duration // to send the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the answer
	Idle       time.Duration // between two requests on a kept-alive connection
}

// DefaultTimeouts are those of certibloc serve. The headers must come
// at once; read and write leave room for the largest requests, the upload
// and import of a national RNCP export (up to 2 GB, POST
// /api/v1/imports/rncp), whose whole handling the write timeout bounds.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       5 * time.Minute,
	Write:      10 * time.Minute,
	Idle:       2 * time.Minute,
}

// MaxHeaderBytes bounds the request line and headers: cookies and a
// bearer token take a few hundred bytes.
const MaxHeaderBytes = 64 << 10

// HTTPServer returns the http.Server of handler with the timeouts t.
func HTTPServer(handler http.Handler, t Timeouts) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
