package graph_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// tlsFront terminates TLS with a self-signed certificate for 127.0.0.1 and forwards to the test
// Neo4j, standing in for a Neo4j (or a load balancer) that serves bolt+s.
func tlsFront(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "neo4j.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	target, err := url.Parse(graphtest.Options().URI)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target.Host)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String()
}

// TestBoltOverTLS: bolt+ssc reaches Neo4j through TLS; bolt+s refuses the untrusted certificate,
// and neither the error nor anything else repeats the password.
func TestBoltOverTLS(t *testing.T) {
	graphtest.Store(t) // skips or fails like every integration test when Neo4j is not there
	addr := tlsFront(t)
	const password = "pw-that-must-not-leak"
	open := func(scheme string) *graph.Store {
		o := graphtest.Options()
		o.URI = scheme + "://" + addr
		if o.Username == "" {
			o.Username, o.Password = "neo4j", password // a server without authentication ignores them
		}
		s, err := graph.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close(context.Background()) })
		return s
	}
	rows, err := open("bolt+ssc").Query(context.Background(), cypher.Statement{Name: "test_tls", Text: "RETURN 1 AS one"}, nil)
	if err != nil || len(rows) != 1 || rows[0]["one"] != int64(1) {
		t.Fatalf("bolt+ssc: %v %v", rows, err)
	}
	err = open("bolt+s").Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("bolt+s with an untrusted certificate: %v; want a certificate error", err)
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("the error repeats the password: %v", err)
	}
}
