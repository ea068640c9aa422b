package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gigakoll/gigakoll/migrations/dbtest"
)

// selfSigned writes a certificate for 127.0.0.1 and localhost and its key
// as PEM files, and returns them with a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gigakoll test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	crt, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(crt)
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile, roots
}

// Served from certificate files: HTTPS with HTTP/2, HSTS on every answer,
// plain HTTP on the same port refused, and a plain HTTP listener that sends
// browsers to HTTPS.
func TestServeTLSFromCertificateFiles(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	cert, key, roots := selfSigned(t)
	base, stop, logs := startServe(t, map[string]string{"DATABASE_URL": dbURL,
		"GIGAKOLL_TLS_CERT": cert, "GIGAKOLL_TLS_KEY": key, "GIGAKOLL_HTTP_REDIRECT_ADDR": "127.0.0.1:0"})
	defer stop()
	secure := "https://" + strings.TrimPrefix(base, "http://")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	for _, path := range []string{"/healthz", "/api/v1/snapshots", "/no-such-page"} {
		resp, err := client.Get(secure + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Errorf("%s over %s, want HTTP/2", path, resp.Proto)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
			t.Errorf("%s: Strict-Transport-Security %q", path, got)
		}
		if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
			t.Errorf("%s: TLS %+v", path, resp.TLS)
		}
	}
	if resp, err := http.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP on the TLS port answered 200")
		}
	}
	// The redirect listener's address is in the log.
	var redirect string
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "redirecting plain HTTP to HTTPS" {
			redirect = line.Addr
		}
	}
	if redirect == "" {
		t.Fatalf("no redirect listener in the log:\n%s", logs.String())
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get("http://" + redirect + "/matning?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://127.0.0.1/matning?x=1" {
		t.Errorf("plain HTTP: %d Location %q, want 301 to https://127.0.0.1/matning?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// With ACME, the TLS configuration offers HTTP/2 and the tls-alpn-01
// challenge, refuses to obtain a certificate for a name nobody configured
// (no request leaves the machine for it), and the settings that do not go
// together are refused.
func TestACMESettings(t *testing.T) {
	t.Parallel()
	cfg, redirect, err := tlsSettings{ACMEDomains: "gigakoll.example, karta.gigakoll.example", ACMECache: t.TempDir()}.build(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"h2", "http/1.1", "acme-tls/1"} {
		if !slices.Contains(cfg.NextProtos, p) {
			t.Errorf("NextProtos %v lacks %s", cfg.NextProtos, p)
		}
	}
	if cfg.MinVersion < tls.VersionTLS12 || redirect == nil {
		t.Errorf("MinVersion %x, redirect handler %v", cfg.MinVersion, redirect)
	}
	if _, err := cfg.GetCertificate(&tls.ClientHelloInfo{ServerName: "evil.example"}); err == nil {
		t.Error("a certificate for a name that is not configured")
	}
	for _, bad := range []tlsSettings{
		{ACMEDomains: "gigakoll.example"},                                              // no cache
		{ACMEDomains: "gigakoll.example", ACMECache: "x", CertFile: "c", KeyFile: "k"}, // both
		{CertFile: "c"}, // no key
		{CertFile: "/no/such/cert.pem", KeyFile: "/no/such/key.pem"}, // unreadable
	} {
		if _, _, err := bad.build(nil); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}
