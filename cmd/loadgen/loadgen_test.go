package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aimsgraph/aimsgraph/auth"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestRateLimitUnderLoad is the load test of the rate limit: aimsgraph serves as one process
// (10 requests per second per caller, burst 10), loadgen sends from another for 4 seconds: the
// "flood" caller at 50 per second gets 429s with Retry-After for what exceeds its limit, while the
// "steady" caller at 5 per second is served every time, and nothing else goes wrong.
func TestRateLimitUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries and runs for seconds")
	}
	graphtest.Store(t) // the service needs the test Neo4j (skipped or failed like every integration test)
	dir := t.TempDir()
	root := filepath.Join("..", "..")
	for _, b := range []struct{ out, pkg string }{{"aimsgraph", "./cmd/aimsgraph"}, {"loadgen", "./cmd/loadgen"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", b.pkg, err, out)
		}
	}
	flood, floodHash, _ := auth.NewToken()
	steady, steadyHash, _ := auth.NewToken()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var serveLog bytes.Buffer
	serve := exec.Command(filepath.Join(dir, "aimsgraph"), "serve", "--addr="+addr, "--content=none", "--rate-limit=10", "--rate-burst=10")
	o := graphtest.Options()
	serve.Env = append(os.Environ(), "NEO4J_URI="+o.URI, "NEO4J_USERNAME="+o.Username, "NEO4J_PASSWORD="+o.Password,
		"AIMSGRAPH_AUTH=token", "AIMSGRAPH_TOKENS=flood:viewer:"+floodHash+",steady:viewer:"+steadyHash, "AIMSGRAPH_LOG_LEVEL=warn")
	serve.Stdout, serve.Stderr = &serveLog, &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("aimsgraph not ready within a minute:\n%s", serveLog.String())
		}
		time.Sleep(200 * time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const seconds = 4
	gen := exec.CommandContext(ctx, filepath.Join(dir, "loadgen"), "--url=http://"+addr+"/graphql",
		"--caller=flood="+flood+"@50", "--caller=steady="+steady+"@5", "--duration="+strconv.Itoa(seconds)+"s")
	var stderr bytes.Buffer
	gen.Stderr = &stderr
	out, err := gen.Output()
	if err != nil {
		t.Fatalf("loadgen: %v\n%s", err, stderr.String())
	}
	var rep struct {
		DurationSeconds float64
		Callers         map[string]struct {
			Sent, Skipped, Errors int
			Status                map[string]int
			RetryAfter            []int `json:"retryAfterSeconds"`
			LatencyMS             map[string]float64
		}
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("loadgen output: %v\n%s", err, out)
	}
	t.Logf("loadgen report:\n%s", out)
	f, s := rep.Callers["flood"], rep.Callers["steady"]
	if f.Errors != 0 || s.Errors != 0 || f.Skipped != 0 || s.Skipped != 0 {
		t.Errorf("errors or skipped requests: flood %+v, steady %+v", f, s)
	}
	// flood: the burst plus 10 per second are served, the rest refused.
	maxServed := 10 + int(10*rep.DurationSeconds) + 2
	if f.Status["429"] == 0 || f.Status["200"] < 10 || f.Status["200"] > maxServed || f.Status["200"]+f.Status["429"] != f.Sent {
		t.Errorf("flood: %+v; want 10 to %d served, the rest 429 and nothing else", f, maxServed)
	}
	if len(f.RetryAfter) == 0 || f.RetryAfter[0] < 1 {
		t.Errorf("flood's 429s carry Retry-After %v; want at least 1 s", f.RetryAfter)
	}
	// steady: under its limit, always served.
	if s.Sent < 5*seconds-2 || s.Status["200"] != s.Sent {
		t.Errorf("steady: %+v; want every request served", s)
	}
}
