package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// HealthcheckCmd asks a running service whether it is ready; it is the container health check,
// since the service image has no shell or curl.
type HealthcheckCmd struct {
	Addr string `name:"addr" env:"AIMSGRAPH_ADDR" default:"127.0.0.1:8080" help:"Address the service listens on."`
}

// Run exits non-zero unless /readyz answers 200.
func (c *HealthcheckCmd) Run(ctx context.Context) error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("healthcheck: address %q: %w", c.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/readyz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	return nil
}
