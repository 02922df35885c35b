// Command benchtool helps bench/load.sh:
//
//	benchtool bodies DIR               write valid-100.json, valid-1.json and invalid-100.json
//	benchtool port                     print a free TCP port on 127.0.0.1
//	benchtool wait URL                 wait (up to 10s) until URL answers 200
//	benchtool post URL                 POST an empty body to URL, fail unless 200
//	benchtool answer URL BODY OUT      POST the JSON file BODY to URL twice; write the second
//	                                   answer's body to OUT and print its status
//	benchtool startup URL CMD [ARG...] run CMD, print the milliseconds until URL answers 200, stop it
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ncpmock/ncpmock/internal/benchdata"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "bodies":
		return bodies(args[1])
	case len(args) == 1 && args[0] == "port":
		return port()
	case len(args) == 2 && args[0] == "wait":
		_, err := waitOK(args[1], time.Now())
		return err
	case len(args) == 2 && args[0] == "post":
		return post(args[1])
	case len(args) == 4 && args[0] == "answer":
		return answer(args[1], args[2], args[3], 2)
	case len(args) == 5 && args[0] == "answer" && args[4] == "--first":
		return answer(args[1], args[2], args[3], 1)
	case len(args) >= 3 && args[0] == "startup":
		ms, err := startup(args[1], args[2], args[3:]...)
		if err != nil {
			return err
		}
		fmt.Printf("%.1f\n", ms)
		return nil
	}
	return errors.New("usage: benchtool bodies DIR | port | wait URL | post URL | answer URL BODY OUT [--first] | startup URL CMD [ARG...]")
}

func port() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}

func post(url string) error {
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	return nil
}

// answer records the answer a server gives the posts-th post of a body: with
// 2, a body it has seen before (for ncpmock, the per-user "Duplicate login
// ID." results that a load run's requests get after the first); with 1, the
// first (for ncpmock after a reset, the users created, with IDs and NRNs).
func answer(url, bodyFile, out string, posts int) error {
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	var status int
	var got []byte
	for range posts {
		resp, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		got, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		status = resp.StatusCode
	}
	if err := os.WriteFile(out, got, 0o644); err != nil {
		return err
	}
	fmt.Println(status)
	return nil
}

func bodies(dir string) error {
	for name, body := range map[string][]byte{
		"valid-100.json":   benchdata.Valid(benchdata.Seed, 100, ""),
		"valid-1.json":     benchdata.Valid(benchdata.Seed, 1, ""),
		"invalid-100.json": benchdata.Invalid(benchdata.Seed),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// startup measures from starting the process to the first 200 from url,
// polling every 200µs, then stops the process.
func startup(url, name string, args ...string) (float64, error) {
	cmd := exec.Command(name, args...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	return waitOK(url, start)
}

// waitOK polls url every 200µs until it answers 200 and returns the
// milliseconds since start.
func waitOK(url string, start time.Time) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for ctx.Err() == nil {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return float64(time.Since(start).Microseconds()) / 1000, nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	return 0, fmt.Errorf("%s did not answer 200 within 10s", url)
}
