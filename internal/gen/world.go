package gen

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"ufa/internal/codes"
	"ufa/internal/spec"
)

// provinceOrgs is the number of social organizations in scope in the
// whole province at scale 1 (about 28,900).
const provinceOrgs = 28900

// newRand makes the random stream for one purpose. Every stream is derived
// from the seed and names (city code, month, purpose), never from the order
// in which work happens, so that cities can be generated in parallel, and a
// run for one city or a shorter range gives the same files as the full run.
func newRand(seed int64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func pickW(r *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := r.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.v
		}
		x -= w.w
	}
	return ws[len(ws)-1].v
}

// between returns a uniform value in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// count rounds an expected number randomly, so that small expectations
// still happen now and then: 0.3 gives 1 in three cases out of ten.
func count(r *rand.Rand, x float64) int {
	if x <= 0 {
		return 0
	}
	return int(math.Floor(x + r.Float64()))
}

// day returns a uniform day in [from, to].
func day(r *rand.Rand, from, to time.Time) time.Time {
	n := int(to.Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, r.IntN(max(n, 1)))
}

func monthEnd(m time.Time) time.Time { return m.AddDate(0, 1, -1) }

// params are the fixed traits of a city that make its figures differ from
// the others' (and so the ranking interesting): how far its coverage is
// and how fast it grows, how active its united-front work is.
type params struct {
	partyBase, partyGrowth     float64 // share of orgs with a Party organization, month 0 and per month
	liaisonBase, liaisonGrowth float64 // share with a liaison
	leaderShare                float64 // orgs with a non-Party person as leader
	repRatio                   float64 // representatives per 10 organizations
	poolBase, poolGrowth       float64 // talent pool (besides key contacts)
	keyShare                   float64 // key contacts among representatives
	trainBase, trainGrowth     float64 // representatives training reaches
	actRate                    float64 // activities per organization per month
	visitFocus                 float64 // share of visit participants who are key contacts
	suggRate, nomRate          float64 // per representative per month
	leaderRate                 float64 // activities a leading Party official attends
	mechMonths                 [6]int  // month index from which each sys_* item is 是
	budgetMonth, fedMonth      int     // likewise for budget_included, federation_established
	budget                     float64 // 万元 a year
	cadres                     int
}

func newParams(r *rand.Rand, size float64) params {
	p := params{
		partyBase:     between(r, 0.30, 0.46),
		partyGrowth:   between(r, 0.004, 0.018),
		liaisonBase:   between(r, 0.15, 0.45),
		liaisonGrowth: between(r, 0.01, 0.04),
		leaderShare:   between(r, 0.18, 0.45),
		repRatio:      between(r, 0.8, 1.25),
		poolBase:      between(r, 0.25, 0.5),
		poolGrowth:    between(r, 0.005, 0.02),
		keyShare:      between(r, 0.15, 0.3),
		trainBase:     between(r, 0.35, 0.7),
		trainGrowth:   between(r, 0.005, 0.025),
		actRate:       between(r, 1.0/45, 1.0/25),
		visitFocus:    between(r, 0.5, 0.95),
		suggRate:      between(r, 0.012, 0.04),
		nomRate:       between(r, 0.002, 0.007),
		leaderRate:    between(r, 0.05, 0.2),
		budgetMonth:   r.IntN(14) - 4,
		fedMonth:      r.IntN(20) - 6,
		budget:        math.Round(between(r, 5, 20)*math.Sqrt(size)*10) / 10,
		cadres:        max(2, int(math.Round(between(r, 2, 5)*math.Sqrt(size)))),
	}
	for i := range p.mechMonths {
		p.mechMonths[i] = r.IntN(18) - 6
	}
	return p
}

// org is one social organization. The u* fields are fixed random draws:
// the organization gets a Party organization once the city's coverage
// passes uParty, so coverage grows month by month without flickering.
type org struct {
	code, name, typ, sector, county, level string
	staff, party, leaders                  int
	founded                                time.Time // zero: not given
	uParty, uLiaison, uForm                float64
	kind                                   *orgKind
}

// rep is one non-Party representative.
type rep struct {
	id, name, status, edu, org, position string
	male, leader, newMedia               bool
	uPool, uKey, uPaired, uTrain         float64
	npc, cppcc                           string
	listed                               time.Time
}

// city is the state of one city at the end of a month.
type city struct {
	spec   spec.City
	idx    int
	facts  cityFacts
	p      params
	seed   int64
	epoch  time.Time // the month the state starts at
	orgs   []*org
	reps   []*rep
	byCode map[string]*org
	names  map[string]bool
	ids    map[string]bool
	serial int // organizations ever created, for credit codes
	clerk  string
	phone  string
	kindW  float64
}

// shares fills in the share of the twelve cities other than 沈阳 and 大连
// (together 60% of the province) by population.
func shares() map[string]float64 {
	rest, pop := 1.0, 0
	for _, f := range facts {
		rest -= f.share
		pop += f.pop
	}
	out := map[string]float64{}
	for code, f := range facts {
		out[code] = f.share + rest*float64(f.pop)/float64(pop)
	}
	return out
}

// newCity makes the state of a city with n organizations at the epoch.
func newCity(seed int64, c spec.City, idx, n int, epoch time.Time) *city {
	r := newRand(seed, "city", c.Code)
	cs := &city{
		spec: c, idx: idx, facts: facts[c.Code], seed: seed, epoch: epoch,
		p:      newParams(r, float64(n)/1000),
		byCode: map[string]*org{}, names: map[string]bool{}, ids: map[string]bool{},
	}
	for _, k := range orgKinds {
		cs.kindW += k.weight
	}
	male := r.IntN(2) == 0
	cs.clerk = personName(r, male)
	cs.phone = fmt.Sprintf("%s-%d", cs.facts.area, 22000000+r.IntN(7000000))
	for range n {
		cs.addOrg(r, epoch, true)
	}
	target := max(3, int(math.Round(float64(n)/10*cs.p.repRatio)))
	for range target {
		cs.addRep(r, epoch, true)
	}
	return cs
}

// monthIndex is the number of months from the epoch to m.
func (c *city) monthIndex(m time.Time) int {
	return (m.Year()-c.epoch.Year())*12 + int(m.Month()) - int(c.epoch.Month())
}

func (c *city) partyCov(t int) float64 {
	return min(0.72, c.p.partyBase+c.p.partyGrowth*float64(t))
}

func (c *city) liaisonCov(t int) float64 {
	return min(0.95, c.p.liaisonBase+c.p.liaisonGrowth*float64(t))
}

func (c *city) poolCov(t int) float64 { return min(0.9, c.p.poolBase+c.p.poolGrowth*float64(t)) }

func (o *org) hasParty(c *city, t int) bool   { return o.uParty < c.partyCov(t) }
func (o *org) hasLiaison(c *city, t int) bool { return o.uLiaison < c.liaisonCov(t) }

func (o *org) partyForm() string {
	switch {
	case o.party >= 3 && o.uForm < 0.85:
		return "单独组建"
	case o.party < 3 && o.uForm < 0.7:
		return "联合组建"
	}
	return "功能型党组织"
}

func (p *rep) key(c *city) bool         { return p.uKey < c.p.keyShare }
func (p *rep) pool(c *city, t int) bool { return p.key(c) || p.uPool < c.poolCov(t) }
func (p *rep) paired(c *city) bool      { return p.key(c) && p.uPaired < 0.15 }

// trainable tells whether training reaches the representative in month t:
// not everyone on the list comes to the city's courses.
func (p *rep) trainable(c *city, t int) bool {
	return p.uTrain < min(0.95, c.p.trainBase+c.p.trainGrowth*float64(t))
}

// county picks a county of the city, the urban districts (listed first)
// more often.
func (c *city) county(r *rand.Rand) spec.County {
	n := len(c.spec.Counties)
	i := min(r.IntN(n), r.IntN(n))
	return c.spec.Counties[i]
}

// place is how a name starts for a registration level and county:
// 辽宁省, 沈阳市, 沈阳市和平区, or 新民市 for a county-level city.
func (c *city) place(level string, co spec.County) string {
	switch level {
	case "省级":
		return "辽宁省"
	case "市级":
		return c.spec.Name
	}
	if strings.HasSuffix(co.Name, "区") {
		return c.spec.Name + co.Name
	}
	return co.Name
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode makes the city's next unified social credit code: the
// prefix of the kind, the registering authority's division, and an
// organization code that is a bijection of (city, serial), so codes never
// repeat within or across cities.
func (c *city) creditCode(prefix, division string) string {
	c.serial++
	const mod = 31 * 31 * 31 * 31 * 31 * 31 * 31 // 31^7
	v := (int64(c.idx)*1_000_000_000 + int64(c.serial)) % mod
	// 536,870,909 is coprime to 31, so this is a bijection that scatters
	// neighbours; v < 1.4e10 keeps the product below 2^63.
	v = v * 536_870_909 % mod
	var b [7]byte
	for i := 6; i >= 0; i-- {
		b[i] = creditAlphabet[v%31]
		v /= 31
	}
	marker := "MJ"
	switch prefix {
	case "91":
		marker = "MA"
	case "31":
		marker = "E0"
	}
	body := prefix + division + marker + string(b[:])
	return body + string(codes.CreditCheckChar(body))
}

func (c *city) pickKind(r *rand.Rand) *orgKind {
	x := r.Float64() * c.kindW
	for i := range orgKinds {
		if x < orgKinds[i].weight {
			return &orgKinds[i]
		}
		x -= orgKinds[i].weight
	}
	return &orgKinds[len(orgKinds)-1]
}

// addOrg creates an organization: at the epoch (initial) one founded in
// the past, later one registered during month m.
func (c *city) addOrg(r *rand.Rand, m time.Time, initial bool) *org {
	k := c.pickKind(r)
	o := &org{typ: k.typ, sector: k.sector, kind: k, uParty: r.Float64(), uLiaison: r.Float64(), uForm: r.Float64()}
	co := c.county(r)
	o.county = co.Name
	switch x := r.Float64(); {
	case k.typ == "市场中介机构":
		o.level = "县级"
		if x < 0.4 {
			o.level = "市级"
		}
	case x < 0.05:
		o.level = "省级"
	case x < 0.4:
		o.level = "市级"
	default:
		o.level = "县级"
	}
	division := map[string]string{"省级": spec.ProvinceCode, "市级": c.spec.Code, "县级": co.Code}[o.level]
	o.code = c.creditCode(k.prefix, division)
	o.name = c.orgName(r, k, o.level, co)
	// Staff: a rough log-normal, larger for schools, hospitals and firms.
	median := map[string]float64{"社会团体": 5, "民办非企业单位": 14, "基金会": 4, "市场中介机构": 12}[k.typ]
	o.staff = max(1, min(3000, int(math.Round(median*math.Exp(r.NormFloat64()*0.8)))))
	partyShare := between(r, 0, 0.35)
	o.party = min(o.staff, int(math.Round(float64(o.staff)*partyShare)))
	nonParty := o.staff - o.party
	if r.Float64() < c.p.leaderShare && nonParty > 0 {
		o.leaders = min(nonParty, 1+r.IntN(3))
	}
	if initial {
		if r.Float64() < 0.9 {
			// Skewed to recent years: most organizations are young.
			years := math.Min(35, -math.Log(1-r.Float64())*8)
			o.founded = m.AddDate(0, 0, -1-int(years*365))
		}
	} else {
		o.founded = day(r, m, monthEnd(m))
	}
	c.orgs = append(c.orgs, o)
	c.byCode[o.code] = o
	return o
}

// orgName combines place, brand, field and kind; a taken name is tried
// again with another brand (names need not be unique, but look better so).
func (c *city) orgName(r *rand.Rand, k *orgKind, level string, co spec.County) string {
	var name string
	for try := 0; try < 8; try++ {
		var b strings.Builder
		switch {
		case k.short && level == "市级" && r.IntN(3) == 0:
			b.WriteString("辽宁")
		case k.short:
			b.WriteString(c.spec.Short())
		default:
			b.WriteString(c.place(level, co))
		}
		if r.Float64() < k.brand+float64(try)*0.2 {
			b.WriteString(pick(r, brands))
			if try >= 5 {
				b.WriteString(pick(r, brands))
			}
		}
		b.WriteString(pick(r, k.fields))
		b.WriteString(pick(r, k.suffixes))
		name = b.String()
		if !c.names[name] {
			break
		}
	}
	c.names[name] = true
	return name
}

func personName(r *rand.Rand, male bool) string {
	if male {
		return pick(r, surnames) + pick(r, givenMale)
	}
	return pick(r, surnames) + pick(r, givenFemale)
}

// addRep lists a new representative in month m, in an organization that
// larger ones are likelier to be.
func (c *city) addRep(r *rand.Rand, m time.Time, initial bool) *rep {
	if len(c.orgs) == 0 {
		return nil
	}
	o := c.orgs[r.IntN(len(c.orgs))]
	if o2 := c.orgs[r.IntN(len(c.orgs))]; o2.staff > o.staff {
		o = o2
	}
	p := &rep{male: r.Float64() < 0.64, org: o.code, uPool: r.Float64(), uKey: r.Float64(), uPaired: r.Float64(), uTrain: r.Float64()}
	ageLo, ageHi := 28, 66
	if initial {
		ageLo, ageHi = 26, 74
	}
	for {
		birth := monthEnd(m).AddDate(-(ageLo + r.IntN(ageHi-ageLo)), 0, -r.IntN(365))
		seq := r.IntN(500) * 2
		if p.male {
			seq++
		}
		body := pick(r, c.spec.Counties).Code + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
		id := body + string(codes.IDCheckChar(body))
		if !c.ids[id] {
			p.id = id
			c.ids[id] = true
			break
		}
	}
	p.name = personName(r, p.male)
	p.status = pickW(r, politicalStatuses)
	p.edu = pickW(r, educations)
	pos := positionsByType[o.typ]
	switch x := r.Float64(); {
	case x < 0.45 && o.staff-o.party > 0:
		p.position, p.leader = pick(r, pos.leaders), true
		if o.leaders == 0 {
			// A representative who leads the organization is a non-Party
			// leader of it.
			o.leaders = 1
		}
	case x < 0.9:
		p.position = pick(r, pos.others)
	}
	p.newMedia = o.sector == "新媒体" || r.Float64() < 0.03
	p.npc = pickW(r, officeLevels)
	p.cppcc = pickW(r, officeLevels)
	if p.cppcc == "" && r.Float64() < 0.05 {
		p.cppcc = "县"
	}
	if initial {
		p.listed = day(r, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), m.AddDate(0, 0, -1))
	} else {
		p.listed = day(r, m, monthEnd(m))
	}
	c.reps = append(c.reps, p)
	return p
}

// evolve moves the city from the end of the previous month to the end of
// month m: about 1% of organizations are deregistered and a little more
// registered, representatives follow their organizations and the list is
// renewed by 1–2%, staff numbers drift.
func (c *city) evolve(m time.Time) {
	r := newRand(c.seed, "evolve", c.spec.Code, m.Format("2006-01"))
	pLeave := between(r, 0.006, 0.012)
	pEnter := between(r, 0.009, 0.016)
	gone := map[string]bool{}
	c.orgs = slices.DeleteFunc(c.orgs, func(o *org) bool {
		if r.Float64() < pLeave {
			gone[o.code] = true
			delete(c.byCode, o.code)
			return true
		}
		return false
	})
	for range count(r, float64(len(c.orgs))*pEnter) {
		c.addOrg(r, m, false)
	}
	for _, o := range c.orgs {
		if r.Float64() < 0.03 {
			o.staff = max(1, o.staff+r.IntN(7)-3)
			o.party = min(o.party, o.staff)
			o.leaders = min(o.leaders, o.staff-o.party)
		}
	}
	c.reps = slices.DeleteFunc(c.reps, func(p *rep) bool {
		return gone[p.org] || r.Float64() < 0.01
	})
	target := float64(len(c.orgs)) / 10 * c.p.repRatio
	n := count(r, max(0, target-float64(len(c.reps)))+float64(len(c.reps))*0.008)
	for range n {
		c.addRep(r, m, false)
	}
}
