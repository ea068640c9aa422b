// Package tabular holds the reading conventions every tabular import of
// gigakoll shares (coverage today, mobile coverage next): a CSV file, plain
// or gzip, UTF-8 with or without a BOM (or a named single-byte encoding),
// "," or ";" sniffed from the header, a decimal comma with ";", records
// with their physical line numbers, and problems reported as
// FILE:LINE: column NAME: value "…": message.
//
// A damaged file (a gzip stream cut short or corrupt, a last line cut off,
// a quote never closed, a wrong encoding) ends the read: nothing after it is
// trusted, the damage is recorded as an error, and Err returns an
// *ImportError, so that an import refuses the file as a whole. Each domain
// adds its columns and the rules of its values on top of Reader.
package tabular
