package server

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gigakoll/gigakoll/auth"
)

// The audit log's details are written in English by the code that records
// an action (the CLI's `gigakoll audit` prints them as they are). The
// administration page shows them in Swedish: each detail the app writes is
// matched here by its action and form, and said again in Swedish. A detail
// of a form not known here is shown as it is, marked as English (lang="en").
// TestTheAuditLogSpeaksSwedish records every action through the code that
// writes it, so a new or changed form is caught.

// auditDetail is a form of detail and its Swedish.
type auditDetail struct {
	re *regexp.Regexp
	sv func(m []string) string
}

const quoted = `"((?:[^"\\]|\\.)*)"` // a %q string

// auditDetailsSV are the forms of each action's details, most specific first.
var auditDetailsSV = map[string][]auditDetail{
	auth.ActionImport: {
		{regexp.MustCompile(`^mobile coverage (.+): (\d+) squares of (\d+) m, (\d+) operators, (\d+) warnings, sha256 ([0-9a-f]{64})( \(replaced the mobile snapshot of that date\))?$`),
			func(m []string) string {
				return "Mobiltäckning " + m[1] + ": " + count(m[2], "ruta", "rutor") + " om " + m[3] + " m, " +
					count(m[4], "operatör", "operatörer") + ", " + count(m[5], "varning", "varningar") + ", sha256 " + m[6][:12] + "…" +
					ifSet(m[7], " (ersatte mobilläget från samma datum)")
			}},
		{regexp.MustCompile(`^project register version (\d+) from (.+): (\d+) projects, (\d+) warnings$`),
			func(m []string) string {
				return "Projektregistret version " + m[1] + " från " + m[2] + ": " + count(m[3], "projekt", "projekt") + ", " +
					count(m[4], "varning", "varningar")
			}},
		{regexp.MustCompile(`^(.+): (\d+) address points, (\d+) warnings, sha256 ([0-9a-f]{64})( \(replaced the snapshot of that date\))?$`),
			func(m []string) string {
				return m[1] + ": " + count(m[2], "adresspunkt", "adresspunkter") + ", " + count(m[3], "varning", "varningar") +
					", sha256 " + m[4][:12] + "…" + ifSet(m[5], " (ersatte läget från samma datum)")
			}},
	},
	auth.ActionImportRefused: {
		{regexp.MustCompile(`^mobile coverage (.+): (\d+) errors$`),
			func(m []string) string {
				return "Mobiltäckning " + m[1] + ": " + count(m[2], "fel", "fel") + ", inget importerades"
			}},
		{regexp.MustCompile(`^project register (.+): (\d+) errors$`),
			func(m []string) string {
				return "Projektregistret " + m[1] + ": " + count(m[2], "fel", "fel") + ", inget importerades"
			}},
		{regexp.MustCompile(`^mobile coverage (.+?): (.+)$`),
			func(m []string) string { return "Mobiltäckning " + m[1] + ": " + unreadSV(m[2]) }},
		{regexp.MustCompile(`^project register (.+?): (.+)$`),
			func(m []string) string { return "Projektregistret " + m[1] + ": " + unreadSV(m[2]) }},
		{regexp.MustCompile(`^(.+): (\d+) errors$`),
			func(m []string) string { return m[1] + ": " + count(m[2], "fel", "fel") + ", inget importerades" }},
		{regexp.MustCompile(`^(.+?): (.+)$`),
			func(m []string) string { return m[1] + ": " + unreadSV(m[2]) }},
	},
	auth.ActionDeleteData: {
		{regexp.MustCompile(`^coverage snapshot from (.+): (\d+) address points$`),
			func(m []string) string {
				return "Täckningsläge från " + m[1] + ": " + count(m[2], "adresspunkt", "adresspunkter")
			}},
		{regexp.MustCompile(`^mobile snapshot from (.+): (\d+) squares$`),
			func(m []string) string { return "Mobilläge från " + m[1] + ": " + count(m[2], "ruta", "rutor") }},
	},
	auth.ActionGaps: {
		{regexp.MustCompile(`^ogc (\S+)(?: (.+))?$`), ogcSV},
		{regexp.MustCompile(`^(.+?)( \(incomplete: the download broke off\))?$`),
			func(m []string) string {
				return "Filen " + m[1] + ifSet(m[2], " (ofullständig: nedladdningen bröts)")
			}},
	},
	auth.ActionAddresses: {
		{regexp.MustCompile(`^tile (\d+/\d+/\d+)$`), func(m []string) string { return "Kartruta " + m[1] }},
		{regexp.MustCompile(`^ogc (\S+)(?: (.+))?$`), ogcSV},
	},
	auth.ActionCostModel: {
		{regexp.MustCompile(`^cost model (\S+): (\S+) → (\S+) (\S+)$`),
			func(m []string) string {
				name, ok := costKeysSV[m[1]]
				if !ok {
					name = m[1]
				}
				unit := unitsSV[m[4]]
				if unit == "" {
					unit = m[4]
				}
				return "Kostnadsmodellen, " + name + ": " + decimalSV(m[2]) + " → " + decimalSV(m[3]) + " " + unit
			}},
	},
	auth.ActionTokenCreate: {
		{regexp.MustCompile(`^token (\d+) ` + quoted + `, (coordinator|municipality) ?(.*)$`),
			func(m []string) string {
				who := "samordnare"
				if m[3] == string(auth.Municipality) {
					who = "kommun " + strings.ReplaceAll(m[4], ",", ", ")
				}
				return "Token " + m[1] + " ”" + unquote(m[2]) + "”, " + who
			}},
	},
	auth.ActionTokenRevoke: {
		{regexp.MustCompile(`^token (\d+) ` + quoted + `$`),
			func(m []string) string { return "Token " + m[1] + " ”" + unquote(m[2]) + "”" }},
	},
}

// ogcSV: a read of an OGC API collection, of one feature or a selection.
func ogcSV(m []string) string {
	s := "OGC API, samlingen " + m[1]
	switch rest := m[2]; {
	case strings.HasPrefix(rest, "feature "):
		s += ", objektet " + strings.TrimPrefix(rest, "feature ")
	case rest != "":
		s += ", urval " + rest
	}
	return s
}

var costKeysSV = map[string]string{
	"connection_sek.urban":   "anslutning i tätort",
	"connection_sek.rural":   "anslutning på landsbygden",
	"trench_sek_per_m.urban": "grävning per meter i tätort",
	"trench_sek_per_m.rural": "grävning per meter på landsbygden",
	"max_trench_m":           "längsta grävsträcka",
}

var unitsSV = map[string]string{"SEK": "kr", "SEK/m": "kr/m", "m": "m"}

// unreadSV says why a file that never got as far as its rows was refused:
// the reason itself is in the CLI's log, in English.
func unreadSV(reason string) string {
	if strings.Contains(reason, "context canceled") {
		return "uppladdningen avbröts, inget importerades"
	}
	return "filen kunde inte läsas, inget importerades"
}

// count is n with the Swedish word for one or for more.
func count(n, one, more string) string {
	if n == "1" {
		return n + " " + one
	}
	return n + " " + more
}

func ifSet(s, then string) string {
	if s == "" {
		return ""
	}
	return then
}

func unquote(s string) string {
	if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
		return u
	}
	return s
}

func decimalSV(s string) string { return strings.Replace(s, ".", ",", 1) }

// auditDetailSV is an entry's detail in Swedish, and false when its form is
// not known (it is then shown as it is).
func auditDetailSV(action, detail string) (string, bool) {
	if detail == "" {
		return "", true
	}
	for _, d := range auditDetailsSV[action] {
		if m := d.re.FindStringSubmatch(detail); m != nil {
			return d.sv(m), true
		}
	}
	return detail, false
}
