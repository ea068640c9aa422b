//go:build linux

package ndt7

import (
	"net"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// readTCPInfo asks the kernel for the connection's TCP_INFO; nil when the
// connection is not a TCP socket (a test's pipe) or the call fails.
func readTCPInfo(c net.Conn, elapsed time.Duration) *TCPInfo {
	for {
		u, ok := c.(interface{ NetConn() net.Conn }) // *tls.Conn
		if !ok {
			break
		}
		c = u.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	var ti *unix.TCPInfo
	var serr error
	if err := raw.Control(func(fd uintptr) {
		ti, serr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil || serr != nil {
		return nil
	}
	return &TCPInfo{
		BusyTime:      int64(ti.Busy_time),
		BytesAcked:    int64(ti.Bytes_acked),
		BytesReceived: int64(ti.Bytes_received),
		BytesSent:     int64(ti.Bytes_sent),
		BytesRetrans:  int64(ti.Bytes_retrans),
		MinRTT:        int64(ti.Min_rtt),
		RTT:           int64(ti.Rtt),
		RTTVar:        int64(ti.Rttvar),
		SndCwnd:       int64(ti.Snd_cwnd),
		ElapsedTime:   elapsed.Microseconds(),
	}
}
