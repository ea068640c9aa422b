package coverage

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// copyFreeze copies rows into table like pgx's CopyFrom, binary and
// streaming, but with COPY's FREEZE option, which pgx does not offer: the
// rows of a table created in this transaction are written frozen, so the
// scans that follow (aggregates, indexes) do not write every page again to
// set hint bits. The values are encoded by the connection's type map, as
// CopyFrom does.
func copyFreeze(ctx context.Context, tx pgx.Tx, table string, columns []string, src pgx.CopyFromSource) (int64, error) {
	return copyBinary(ctx, tx, table, columns, src, "FORMAT binary, FREEZE")
}

// copyBinary is copyFreeze with COPY's options given: FREEZE is allowed only
// into a table created in the same subtransaction.
func copyBinary(ctx context.Context, tx pgx.Tx, table string, columns []string, src pgx.CopyFromSource, options string) (int64, error) {
	conn := tx.Conn()
	// The columns' types, in order, as COPY will expect them.
	sd, err := conn.Prepare(ctx, "", fmt.Sprintf("SELECT %s FROM %s", strings.Join(columns, ", "), table))
	if err != nil {
		return 0, err
	}
	oids := make([]uint32, len(sd.Fields))
	for i, f := range sd.Fields {
		oids[i] = f.DataTypeOID
	}
	m := conn.TypeMap()

	pr, pw := io.Pipe()
	rows := int64(0)
	encErr := make(chan error, 1)
	go func() {
		err := encodeCopy(pw, m, oids, src, &rows)
		pw.CloseWithError(err)
		encErr <- err
	}()
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN (%s)", table, strings.Join(columns, ", "), options)
	_, copyErr := conn.PgConn().CopyFrom(ctx, pr, sql)
	pr.CloseWithError(io.ErrClosedPipe) // stops the encoder if COPY failed first
	if err := <-encErr; err != nil && err != io.ErrClosedPipe {
		return rows, err
	}
	if copyErr != nil {
		return rows, copyErr
	}
	return rows, nil
}

// binaryCopyHeader starts PostgreSQL's binary COPY format: signature, flags,
// header extension length.
var binaryCopyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

func encodeCopy(w io.Writer, m *pgtype.Map, oids []uint32, src pgx.CopyFromSource, rows *int64) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := bw.Write(binaryCopyHeader); err != nil {
		return err
	}
	var buf []byte
	for src.Next() {
		vals, err := src.Values()
		if err != nil {
			return err
		}
		if len(vals) != len(oids) {
			return fmt.Errorf("copy: %d values for %d columns", len(vals), len(oids))
		}
		buf = binary.BigEndian.AppendUint16(buf[:0], uint16(len(vals)))
		for i, v := range vals {
			at := len(buf)
			buf = append(buf, 0, 0, 0, 0) // length, filled in below
			out, err := m.Encode(oids[i], pgtype.BinaryFormatCode, v, buf)
			if err != nil {
				return fmt.Errorf("copy: encode column %d: %w", i+1, err)
			}
			if out == nil { // NULL
				buf = binary.BigEndian.AppendUint32(buf[:at], 0xFFFFFFFF)
				continue
			}
			binary.BigEndian.PutUint32(out[at:], uint32(len(out)-at-4))
			buf = out
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		*rows++
	}
	if err := src.Err(); err != nil {
		return err
	}
	if _, err := bw.Write([]byte{0xFF, 0xFF}); err != nil { // trailer
		return err
	}
	return bw.Flush()
}
