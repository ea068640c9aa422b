package coverage

// Technology is how an address point is reached (spec/coverage-format.md).
type Technology string

// The technologies of the import format.
const (
	Fiber         Technology = "fiber"
	Cable         Technology = "cable"
	DSL           Technology = "dsl"
	FixedWireless Technology = "fixed_wireless"
	Mobile        Technology = "mobile"
	Satellite     Technology = "satellite"
	Other         Technology = "other"
	NoBroadband   Technology = "none" // the point has no fixed broadband at all
)

var technologies = map[Technology]bool{
	Fiber: true, Cable: true, DSL: true, FixedWireless: true,
	Mobile: true, Satellite: true, Other: true, NoBroadband: true,
}

// Fixed reports whether the technology counts toward the fixed-broadband
// targets: mobile and satellite do not, like the regulator's figures.
func (t Technology) Fixed() bool {
	return t != Mobile && t != Satellite && t != NoBroadband
}

// Status is how far an offer is from the address point.
type Status string

// The statuses of the import format.
const (
	Connected Status = "connected" // ansluten: the building is connected
	Passed    Status = "passed"    // i absolut närhet: can connect at a standard fee
	Planned   Status = "planned"   // built within the plan year; never counted as access
)

var statuses = map[Status]bool{Connected: true, Passed: true, Planned: true}

// GivesAccess reports whether the status counts as access (connected or passed).
func (s Status) GivesAccess() bool { return s == Connected || s == Passed }

// Row is one line of a coverage file: one address point and one technology.
// Position is always SWEREF 99 TM; a lon/lat file is transformed on reading.
type Row struct {
	Line             int    // line number in the file, 1 is the header
	AddressID        string // stable id of the address point
	MunicipalityCode string // kommunkod, "0880"
	E, N             float64
	Households       int32
	Workplaces       int32
	HolidayHomes     *int32 // nil when the file has no value
	Technology       Technology
	Status           Status // "" only for Technology none
	DownMbps         Speed
	UpMbps           Speed // Valid false when not given
	Street           string
	Number           string
	Postcode         string // five digits, space removed
	Locality         string
	Operator         string
	PlannedYear      *int16
}
