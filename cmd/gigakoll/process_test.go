package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// serveProcess is gigakoll serve running as a process of its own (the test
// binary standing in for gigakoll: TestMain), so that it can be stopped with
// SIGTERM or killed with SIGKILL as an operator or a crash would.
type serveProcess struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	logs *syncBuffer
	done chan error // Wait's result
}

// startProcess starts gigakoll serve on a free port of 127.0.0.1 against
// dbURL with extra arguments, and waits until it serves.
func startProcess(t *testing.T, dbURL string, args ...string) *serveProcess {
	t.Helper()
	cmd := gigakoll(context.Background(), dbURL, append([]string{"serve", "--addr", "127.0.0.1:0", "--measure-rate", "off"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, logs: &syncBuffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(io.TeeReader(stderr, p.logs))
		sent := false
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if !sent && json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				addr <- line.Addr
				sent = true
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case a := <-addr:
		p.base = "http://" + a
		return p
	case err := <-p.done:
		t.Fatalf("serve exited before serving: %v\n%s", err, p.logs.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not start:\n%s", p.logs.String())
	}
	return nil
}

// stop sends SIGTERM and returns how long the process took to exit and its
// error; a process that outlives limit fails the test and is killed (stop
// may be called from any goroutine).
func (p *serveProcess) stop(t *testing.T, limit time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		return time.Since(start), err
	case <-time.After(limit):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("serve was still up %v after SIGTERM (killed now); its log:\n%s", limit, p.logs.String())
		return limit, nil
	}
}

// kill ends the process with SIGKILL: a crash, no deferred function runs.
func (p *serveProcess) kill(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Kill()
	<-p.done
}
