package seeds

import "fmt"

// Names that make the demo read like Kalmar län: street names, village
// names, postcodes and network owners. Invented where no real list is at
// hand, but in the shape of the real thing.

// municipalityNames holds what differs per municipality: its postcode series
// (Postnord's 3-digit areas; the main town gets the first) and its own
// network owner (the municipal stadsnät or energy company).
var municipalityNames = map[string]struct {
	postcodes []string // first three digits
	cityNet   string
}{
	"0821": {[]string{"579"}, "Högsby Stadsnät"},
	"0834": {[]string{"385"}, "Torsås Fiber"},
	"0840": {[]string{"386"}, "Mörbylånga Bredband"},
	"0860": {[]string{"577"}, "Hultsfreds Stadsnät"},
	"0861": {[]string{"383"}, "Mönsterås Bredband"},
	"0862": {[]string{"361"}, "Emmaboda Energi"},
	"0880": {[]string{"392", "393", "394", "395"}, "Kalmar Energi Stadsnät"},
	"0881": {[]string{"382"}, "Nybro Energi"},
	"0882": {[]string{"572"}, "Oskarshamn Energi"},
	"0883": {[]string{"593"}, "Västervik Miljö & Energi"},
	"0884": {[]string{"598"}, "Vimmerby Energi & Miljö"},
	"0885": {[]string{"387"}, "Borgholm Energi"},
}

// Postcodes: the main town one per square (from the first half of the
// municipality's series), every other locality one of its own (from the
// second half), rural addresses their postal town's.
func urbanPostcode(m *muniLayout, l *locality, square int) string {
	p := m.postcodes
	town, other := p[:max(1, len(p)/2)], p[len(p)/2:]
	if l == m.localities[0] {
		return fmt.Sprintf("%s%02d", town[square%len(town)], 10+(square*7)%80)
	}
	return fmt.Sprintf("%s%02d", other[l.index%len(other)], 40+(l.index*3)%50)
}

func ruralPostcode(m *muniLayout, anchor *locality) string {
	if postTown(m, anchor) == anchor.name && anchor != m.localities[0] {
		return urbanPostcode(m, anchor, 0)
	}
	p := m.postcodes
	return fmt.Sprintf("%s%02d", p[0], 90+anchor.index%10)
}

// Town-centre streets (gator) and the residential roads around them (vägar).
var (
	centreStreets = []string{
		"Storgatan", "Kungsgatan", "Drottninggatan", "Södra Långgatan", "Norra Långgatan",
		"Kyrkogatan", "Skolgatan", "Nygatan", "Järnvägsgatan", "Stationsgatan", "Hamngatan",
		"Strandgatan", "Västra Sjögatan", "Östra Sjögatan", "Torggatan", "Malmgatan",
		"Trädgårdsgatan", "Fabriksgatan", "Bergsgatan", "Kvarngatan", "Smålandsgatan",
		"Ölandsgatan", "Esplanaden", "Tullgatan", "Lasarettsgatan", "Postgatan",
		"Rådhusgatan", "Slottsgatan", "Norra vägen", "Södra vägen", "Västra vägen",
		"Östra vägen", "Verkstadsgatan", "Brogatan", "Prästgatan", "Badhusgatan",
	}
	suburbStreets = []string{
		"Björkvägen", "Ekvägen", "Lindvägen", "Tallvägen", "Granvägen", "Lönnvägen",
		"Almvägen", "Aspvägen", "Rönnvägen", "Hasselvägen", "Syrenvägen", "Blåbärsvägen",
		"Lingonvägen", "Smultronvägen", "Klövervägen", "Prästgårdsvägen", "Skogsvägen",
		"Ängsvägen", "Solvägen", "Parkvägen", "Idrottsvägen", "Industrivägen", "Kvarnvägen",
		"Bäckvägen", "Sjövägen", "Backvägen", "Hagvägen", "Gärdesvägen", "Ljungvägen",
		"Vallmovägen", "Liljevägen", "Rosenvägen", "Tulpanvägen", "Nejlikevägen",
		"Violvägen", "Blåklintsvägen", "Prästkragevägen", "Kastanjevägen", "Pilvägen",
		"Enevägen", "Vidbäcksvägen", "Kyrkvägen", "Skolvägen", "Åkervägen", "Mossvägen",
		"Stensövägen", "Dragonvägen", "Skeppsvägen", "Fyrvägen", "Lotsvägen", "Sjömansvägen",
		"Tornvägen", "Vårdvägen", "Stenhuggarvägen", "Glasbruksvägen", "Smedjevägen",
		"Mjölnarvägen", "Gjutarvägen", "Torpvägen", "Hantverkarvägen", "Snickarvägen",
		"Murarvägen", "Ringvägen", "Tvärvägen", "Krokvägen", "Gläntan", "Solbacken",
		"Ekbacken", "Björkbacken", "Tallbacken", "Ängsbacken", "Vitsippsvägen",
		"Gullvivevägen", "Kattfotsvägen", "Ljungbyvägen", "Lärkvägen", "Svalvägen",
		"Trastvägen", "Finkvägen", "Måsvägen", "Tärnvägen", "Ejdervägen", "Dalvägen",
	}
)

// Village and hamlet names are made of a first part and a suffix typical of
// the area: -by and -sta on Öland, -måla, -hult, -ryd, -boda on the mainland.
var (
	namePrefixes = []string{
		"Kvarn", "Ek", "Björk", "Sand", "Sten", "Lind", "Berg", "Mos", "Ås", "Gran", "Al",
		"Bäck", "Sjö", "Norr", "Sör", "Väster", "Öster", "Lill", "Stor", "Hag", "Kyrk",
		"Tors", "Brom", "Gärd", "Lång", "Hög", "Lön", "Hassel", "Rön", "Ljung", "Klint",
		"Hall", "Holm", "Sol", "Ulv", "Vik", "Ox", "Rams", "Gull", "Häst", "Kall", "Mjöl",
		"Tall", "Fur", "Flis", "Mad", "Mörk", "Bred", "Rud", "Käll", "Skog", "Ängs",
	}
	mainlandSuffixes = []string{
		"måla", "hult", "ryd", "boda", "torp", "berga", "näs", "sjö", "fors", "mo",
		"erum", "arp", "eda", "hem", "bo", "vik", "stad", "lycke", "kulla", "ström",
	}
	olandSuffixes = []string{
		"by", "by", "by", "sta", "köping", "torp", "hamn", "sten", "vik", "lösa", "ås", "backa",
	}
)

// olandMunicipality tells the municipalities on Öland.
func olandMunicipality(code string) bool { return code == "0840" || code == "0885" }

// placeName makes a village or hamlet name from a hash.
func placeName(muni string, h uint64) string {
	suffixes := mainlandSuffixes
	if olandMunicipality(muni) {
		suffixes = olandSuffixes
	}
	p := namePrefixes[h%uint64(len(namePrefixes))]
	s := suffixes[(h>>20)%uint64(len(suffixes))]
	if p[len(p)-1] == s[0] { // "Sjö" + "sjö" reads badly; "Ekby" is fine
		s = suffixes[(h>>40)%uint64(len(suffixes))]
	}
	return p + s
}

// Network owners besides the municipal ones.
const (
	opTelia        = "Telia"            // copper (Skanova) and Telia Öppen Fiber
	opIPOnly       = "IP-Only"          // rural fibre
	opComHem       = "Com Hem"          // cable until the merger into Tele2 (2018)
	opTele2        = "Tele2"            // cable from 2019, and mobile
	opTelenor      = "Telenor"          // mobile
	opTre          = "Tre"              // mobile
	opNet1         = "Net1"             // fixed wireless
	opEutelsat     = "Eutelsat Konnect" // satellite before low-orbit service
	opStarlink     = "Starlink"         // satellite from 2021
	opBuildingLAN  = "Fastighetsnätet"  // a landlord's own building network ("other")
	villageNetName = " Fiberförening"   // after a village's name: the village network
	byanatOland    = " Byanät ek. för." // the Öland villages' own cooperative networks
)

var mobileOperators = []string{opTelia, opTele2, opTelenor, opTre}
