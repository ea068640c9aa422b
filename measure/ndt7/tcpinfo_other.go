//go:build !linux

package ndt7

import (
	"net"
	"time"
)

// readTCPInfo: only Linux gives TCP_INFO here; measurements carry no
// TCPInfo elsewhere.
func readTCPInfo(net.Conn, time.Duration) *TCPInfo { return nil }
