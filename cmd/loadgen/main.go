// Command loadgen sends GraphQL requests to an aimsgraph service at a fixed rate per caller, for
// a bounded time, and prints what came back per caller as JSON: the load test of the rate limit
// and a quick way for operators to check their own limits.
//
//	loadgen --url http://127.0.0.1:8080/graphql --caller dash=$TOKEN_A@50 --caller ci=$TOKEN_B@5 --duration 5s
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/kong"
)

type cli struct {
	URL         string        `name:"url" required:"" help:"The service's GraphQL endpoint."`
	Query       string        `name:"query" default:"{ regulations(first: 1) { totalCount } }" help:"The GraphQL query every request sends."`
	Callers     []string      `name:"caller" required:"" help:"NAME=TOKEN@RATE: a caller with its bearer token and requests per second; repeat."`
	Duration    time.Duration `name:"duration" default:"5s" help:"How long to send."`
	MaxInFlight int           `name:"max-in-flight" default:"200" help:"Requests open at once per caller; beyond that a tick is skipped and counted."`
}

// caller is one sender and its tally.
type caller struct {
	Name  string `json:"-"`
	token string
	Rate  float64 `json:"ratePerSecond"`

	mu         sync.Mutex
	Sent       int                `json:"sent"`
	Skipped    int                `json:"skipped"`
	Status     map[string]int     `json:"status"`
	Errors     int                `json:"errors"`
	ErrorTexts []string           `json:"errorTexts,omitempty"`
	RetryAfter []int              `json:"retryAfterSeconds,omitempty"`
	Latency    []float64          `json:"-"`
	LatencyMS  map[string]float64 `json:"latencyMs"`
}

func parseCaller(s string) (*caller, error) {
	name, rest, ok := strings.Cut(s, "=")
	token, rateText, ok2 := strings.Cut(rest, "@")
	if !ok || !ok2 || name == "" || token == "" {
		return nil, fmt.Errorf("--caller %q: want NAME=TOKEN@RATE", name)
	}
	rate, err := strconv.ParseFloat(rateText, 64)
	if err != nil || rate <= 0 || rate > 10000 {
		return nil, fmt.Errorf("--caller %s: rate %q must be a number of requests per second in (0, 10000]", name, rateText)
	}
	return &caller{Name: name, token: token, Rate: rate, Status: map[string]int{}}, nil
}

func main() {
	var c cli
	kong.Parse(&c, kong.Name("loadgen"), kong.Description("Send GraphQL requests at fixed rates per caller and report the answers."))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	report, err := run(ctx, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(report)
}

// Report is what loadgen prints.
type Report struct {
	DurationSeconds float64            `json:"durationSeconds"`
	Callers         map[string]*caller `json:"callers"`
}

func run(ctx context.Context, c cli) (*Report, error) {
	var callers []*caller
	for _, s := range c.Callers {
		cl, err := parseCaller(s)
		if err != nil {
			return nil, err
		}
		callers = append(callers, cl)
	}
	body, _ := json.Marshal(map[string]string{"query": c.Query})
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c.MaxInFlight}}
	ctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	start := time.Now()
	var all sync.WaitGroup
	for _, cl := range callers {
		all.Add(1)
		go func() {
			defer all.Done()
			cl.send(ctx, client, c.URL, body, c.MaxInFlight)
		}()
	}
	all.Wait()
	rep := &Report{DurationSeconds: time.Since(start).Seconds(), Callers: map[string]*caller{}}
	for _, cl := range callers {
		cl.summarise()
		rep.Callers[cl.Name] = cl
	}
	return rep, nil
}

// send fires requests on a fixed schedule (open loop: a slow answer does not slow the sender)
// until ctx ends, then waits for the open ones.
func (cl *caller) send(ctx context.Context, client *http.Client, url string, body []byte, maxInFlight int) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / cl.Rate))
	defer tick.Stop()
	slots := make(chan struct{}, maxInFlight)
	var open sync.WaitGroup
	defer open.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			cl.mu.Lock()
			cl.Skipped++
			cl.mu.Unlock()
			continue
		}
		open.Add(1)
		go func() {
			defer open.Done()
			defer func() { <-slots }()
			cl.one(client, url, body)
		}()
	}
}

func (cl *caller) one(client *http.Client, url string, body []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cl.token)
	start := time.Now()
	resp, err := client.Do(req)
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.Sent++
	if err != nil {
		cl.Errors++
		if len(cl.ErrorTexts) < 5 {
			cl.ErrorTexts = append(cl.ErrorTexts, err.Error())
		}
		return
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cl.Latency = append(cl.Latency, float64(time.Since(start).Microseconds())/1000)
	cl.Status[strconv.Itoa(resp.StatusCode)]++
	if resp.StatusCode == http.StatusTooManyRequests {
		if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			cl.RetryAfter = append(cl.RetryAfter, ra)
		}
	} else if resp.StatusCode == http.StatusOK && bytes.Contains(raw, []byte(`"errors"`)) {
		cl.Errors++ // a GraphQL error under load is an error too
		if len(cl.ErrorTexts) < 5 {
			cl.ErrorTexts = append(cl.ErrorTexts, string(raw))
		}
	}
}

func (cl *caller) summarise() {
	sort.Float64s(cl.Latency)
	q := func(p float64) float64 {
		if len(cl.Latency) == 0 {
			return 0
		}
		return cl.Latency[int(p*float64(len(cl.Latency)-1))]
	}
	cl.LatencyMS = map[string]float64{"p50": q(0.5), "p99": q(0.99), "max": q(1)}
	if len(cl.RetryAfter) > 0 {
		sort.Ints(cl.RetryAfter)
		cl.RetryAfter = []int{cl.RetryAfter[0], cl.RetryAfter[len(cl.RetryAfter)-1]} // min and max
	}
}
