package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// tlsSettings say how gigakoll serve speaks TLS: from certificate files, or
// with certificates it obtains and renews itself from an ACME authority
// (Let's Encrypt), or not at all (behind a proxy that does).
type tlsSettings struct {
	CertFile, KeyFile string // PEM files; the certificate file holds the chain
	ACMEDomains       string // comma-separated host names to obtain certificates for
	ACMECache         string // directory keeping the ACME account and certificates
	ACMEEmail         string // the ACME account's contact, for expiry notices
	ACMEDirectory     string // the ACME directory URL; "": Let's Encrypt
	RedirectAddr      string // a plain HTTP listener redirecting to HTTPS (and answering ACME's http-01); "": none
}

func (t tlsSettings) enabled() bool {
	return t.CertFile != "" || t.KeyFile != "" || t.ACMEDomains != ""
}

// build returns the TLS configuration (HTTP/2 and HTTP/1.1 offered; TLS 1.2
// at least) and the handler of the redirect listener.
func (t tlsSettings) build(log *slog.Logger) (*tls.Config, http.Handler, error) {
	redirect := http.HandlerFunc(redirectToHTTPS)
	switch {
	case (t.CertFile != "" || t.KeyFile != "") && t.ACMEDomains != "":
		return nil, nil, errors.New("--tls-cert and --acme-domains: give certificate files or ACME, not both")
	case t.CertFile != "" || t.KeyFile != "":
		if t.CertFile == "" || t.KeyFile == "" {
			return nil, nil, errors.New("--tls-cert and --tls-key go together")
		}
		c := &certFiles{cert: t.CertFile, key: t.KeyFile, log: log}
		if _, err := c.load(); err != nil {
			return nil, nil, err
		}
		return &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"},
			GetCertificate: c.get}, redirect, nil
	}
	if t.ACMECache == "" {
		return nil, nil, errors.New("--acme-domains needs --acme-cache: a directory to keep the account and certificates in")
	}
	var hosts []string
	for _, h := range strings.Split(t.ACMEDomains, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(t.ACMECache),
		HostPolicy: autocert.HostWhitelist(hosts...), // no certificate for a name nobody configured
		Email:      t.ACMEEmail,
	}
	if t.ACMEDirectory != "" {
		m.Client = &acme.Client{DirectoryURL: t.ACMEDirectory}
	}
	cfg := m.TLSConfig() // h2, http/1.1 and acme-tls/1 (the tls-alpn-01 challenge on this listener)
	cfg.MinVersion = tls.VersionTLS12
	return cfg, m.HTTPHandler(redirect), nil
}

// redirectToHTTPS sends a plain HTTP request to the same URL over HTTPS.
func redirectToHTTPS(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusMovedPermanently)
}

// certFiles serves a certificate from its files and reads them again when
// they change (a renewal by certbot or the like), checking at most once a
// minute: no restart is needed.
type certFiles struct {
	cert, key string
	log       *slog.Logger

	mu      sync.Mutex
	current *tls.Certificate
	mtime   time.Time
	checked time.Time
}

func (c *certFiles) load() (*tls.Certificate, error) {
	crt, err := tls.LoadX509KeyPair(c.cert, c.key)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s, key %s: %w", c.cert, c.key, err)
	}
	c.current, c.mtime, c.checked = &crt, c.modified(), time.Now()
	return c.current, nil
}

func (c *certFiles) modified() time.Time {
	var latest time.Time
	for _, f := range []string{c.cert, c.key} {
		if fi, err := os.Stat(f); err == nil && fi.ModTime().After(latest) {
			latest = fi.ModTime()
		}
	}
	return latest
}

func (c *certFiles) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < time.Minute {
		return c.current, nil
	}
	c.checked = time.Now()
	if m := c.modified(); m.After(c.mtime) {
		old := c.current
		if _, err := c.load(); err != nil {
			c.log.Error("TLS certificate not reloaded; serving the one loaded before", "err", err)
			c.current = old
		} else {
			c.log.Info("TLS certificate reloaded", "file", c.cert)
		}
	}
	return c.current, nil
}

// parseTrustedProxies reads a comma-separated list of CIDRs or addresses.
func parseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q: want a CIDR such as 10.0.0.0/8 or an address", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
