package tabular

// Codes lists the kinds of problem this package reports (Problem.Code), for
// a page that renders them in its own language: each needs a text there
// (server/upload.go's table holds the Swedish ones). Their params:
//
//	binary-format        format: zip, xls, pdf, png, jpeg, bzip2, xz, zstd, 7z, sqlite
//	tab-separated, bar-separated   count: the tabs or bars in the header
//	cut-off              line, fields, header: the fields found and wanted
//	field-count          fields, header
//	unclosed-quote       line: where the quote opens
//	bare-quote, stray-quote, malformed   character: where on the line
//	gzip-truncated, gzip-checksum, gzip-header, gzip-corrupt   bytes; any damage may add after_line
//	too-long             max (set by the caller that knows it)
var Codes = []string{
	"utf32", "utf16", "binary-format", "binary-data", "bom-not-encoding", "utf8-not-encoding",
	"no-header", "tab-separated", "bar-separated", "no-delimiter", "not-utf8", "nul-byte",
	"cut-off", "field-count", "unclosed-quote", "bare-quote", "stray-quote", "malformed",
	"header-too-long", "record-too-long", "gzip-truncated", "gzip-checksum", "gzip-header", "gzip-corrupt", "gzip-damaged",
	"not-count", "negative", "not-number", "too-precise", "count-too-large", "required",
	"control-character", "value-not-utf8", "too-long",
}
