package gen

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	calmonth "ufa/internal/month"
	"ufa/internal/spec"
)

// Options say what to generate.
type Options struct {
	Out      string   // the folder to write into (created if absent)
	From, To string   // YYYY-MM; both empty: the 12 months of DefaultYear
	Seed     int64    // the same seed gives byte-identical files
	Scale    float64  // multiplies organization counts; 0 means 1
	Faults   bool     // also faults/<CODE>.xlsx and a realistic submission history
	Cities   []string // city codes or names; empty: all 14
	// Workers is the number of cities generated at once; 0 means GOMAXPROCS.
	Workers int
}

// DefaultYear is the year generated when no range is given.
const DefaultYear = 2026

// MaxMonths bounds the range (ten years) and MaxScale the scale (about
// 100,000 organizations in 沈阳市 need 17.3; 60 leaves room and stops a
// typo from filling the disk).
const (
	MaxMonths = 120
	MaxScale  = 60
)

// Kind is the part a file plays in the submission history.
type Kind string

const (
	KindRegular    Kind = "regular"    // the month's submission, filed by the 5th of the next month
	KindLate       Kind = "late"       // the month's submission, filed after the 5th
	KindRejected   Kind = "rejected"   // a first attempt with errors (<城市名>_YYYY-MM_初报.xlsx), filed before the regular one
	KindCorrection Kind = "correction" // a valid resubmission (<城市名>_YYYY-MM_更正.xlsx) that supersedes the regular one
	KindFault      Kind = "fault"      // faults/<CODE>.xlsx: exactly one finding of Code
)

// File is one written workbook.
type File struct {
	Path    string         `json:"path"` // relative to Options.Out, with forward slashes
	Kind    Kind           `json:"kind"`
	City    string         `json:"city"`     // canonical name
	Month   string         `json:"month"`    // YYYY-MM
	FiledOn string         `json:"filed_on"` // the cover's 填报日期, YYYY-MM-DD
	Code    string         `json:"code,omitempty"`
	Rows    map[string]int `json:"rows,omitempty"` // data rows per sheet key (item sheets: items)
	Bytes   int            `json:"bytes"`
}

// Summary is what Generate wrote.
type Summary struct {
	Out     string   `json:"out"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Files   []File   `json:"files"`
	Skipped []string `json:"skipped,omitempty"` // "<城市名> YYYY-MM": city-months deliberately not submitted
}

// Count returns the number of files of a kind.
func (s *Summary) Count(k Kind) int {
	n := 0
	for _, f := range s.Files {
		if f.Kind == k {
			n++
		}
	}
	return n
}

// Rows returns the total of data rows of a sheet over the month files
// (regular, late, correction and rejected).
func (s *Summary) Rows(sheetKey string) int {
	n := 0
	for _, f := range s.Files {
		if f.Kind != KindFault {
			n += f.Rows[sheetKey]
		}
	}
	return n
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (time.Time, error) {
	m, err := calmonth.Parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("月份 %q 格式不对，应为 YYYY-MM（如 2026-10）", s)
	}
	return m.Start(), nil
}

// Range resolves From/To: both empty is the year DefaultYear; only From
// runs to the December of its year; only To starts at the January of its
// year.
func (o Options) Range() (from, to time.Time, err error) {
	switch {
	case o.From == "" && o.To == "":
		return time.Date(DefaultYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(DefaultYear, 12, 1, 0, 0, 0, 0, time.UTC), nil
	case o.From == "":
		if to, err = ParseMonth(o.To); err != nil {
			return
		}
		return time.Date(to.Year(), 1, 1, 0, 0, 0, 0, time.UTC), to, nil
	case o.To == "":
		if from, err = ParseMonth(o.From); err != nil {
			return
		}
		return from, time.Date(from.Year(), 12, 1, 0, 0, 0, 0, time.UTC), nil
	}
	if from, err = ParseMonth(o.From); err != nil {
		return
	}
	if to, err = ParseMonth(o.To); err != nil {
		return
	}
	if to.Before(from) {
		return from, to, fmt.Errorf("结束月份 %s 早于开始月份 %s", o.To, o.From)
	}
	if months(from, to) > MaxMonths {
		return from, to, fmt.Errorf("月份范围 %s 至 %s 超过 %d 个月", o.From, o.To, MaxMonths)
	}
	return from, to, nil
}

func months(from, to time.Time) int {
	return (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month()) + 1
}

// ErrOptions marks an error in the options (exit 2 with the message).
var ErrOptions = errors.New("gen: bad options")

// FileName is the regular file name of a city's month: 沈阳市_2026-10.xlsx.
func FileName(city, month string) string { return city + "_" + month + ".xlsx" }

// Generate writes the workbooks of opt into opt.Out. The state of every
// city starts in the January of the first month's year (so a run of
// 2026-06..2026-08 writes the same files as the same months of a full
// year) and evolves month by month from streams derived from the seed.
func Generate(ctx context.Context, book *spec.Book, opt Options, log *slog.Logger) (*Summary, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	from, to, err := opt.Range()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOptions, err)
	}
	if opt.Scale == 0 {
		opt.Scale = 1
	}
	if opt.Scale < 0 || opt.Scale > MaxScale {
		return nil, fmt.Errorf("%w: 比例 %g 超出范围，应在 0 与 %d 之间", ErrOptions, opt.Scale, MaxScale)
	}
	if opt.Out == "" {
		return nil, fmt.Errorf("%w: 未给出输出目录", ErrOptions)
	}
	cities, err := selectCities(book, opt.Cities)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, fmt.Errorf("gen: output folder: %w", err)
	}
	var ms []time.Time
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		ms = append(ms, m)
	}
	pl := newPlan(book, opt.Seed, cities, ms, opt.Faults)
	sum := &Summary{Out: opt.Out, From: from.Format("2006-01"), To: to.Format("2006-01")}
	sum.Skipped = pl.skippedKeys(book, cities, ms)
	shares := shares()
	g := &generator{book: book, opt: opt, log: log, plan: pl}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, workers)
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	add := func(fs ...File) {
		mu.Lock()
		sum.Files = append(sum.Files, fs...)
		mu.Unlock()
	}
	epoch := time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	for _, ci := range cities {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			c := newCity(opt.Seed, book.Cities[ci], ci, cityOrgs(shares[book.Cities[ci].Code], opt.Scale), epoch)
			for m := epoch; !m.After(to); m = m.AddDate(0, 1, 0) {
				if ctx.Err() != nil {
					return
				}
				if m.After(epoch) {
					c.evolve(m)
				}
				if m.Before(from) {
					continue
				}
				fs, err := g.month(c, m)
				if err != nil {
					fail(err)
					return
				}
				add(fs...)
			}
		})
	}
	if opt.Faults {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			fs, err := g.faults(ctx, book.Cities[cities[0]], cities[0], from)
			if err != nil {
				fail(err)
				return
			}
			add(fs...)
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	order := map[Kind]int{KindRejected: 0, KindRegular: 1, KindLate: 1, KindCorrection: 2, KindFault: 3}
	cityOrder := map[string]int{}
	for i, c := range book.Cities {
		cityOrder[c.Name] = i
	}
	slices.SortFunc(sum.Files, func(a, b File) int {
		return cmp.Or(
			cmp.Compare(order[a.Kind]/3, order[b.Kind]/3), // faults last
			cmp.Compare(a.Month, b.Month),
			cmp.Compare(cityOrder[a.City], cityOrder[b.City]),
			cmp.Compare(order[a.Kind], order[b.Kind]),
			cmp.Compare(a.Path, b.Path),
		)
	})
	log.Info("generated", "files", len(sum.Files), "out", opt.Out)
	return sum, nil
}

// cityOrgs is a city's number of organizations at the start.
func cityOrgs(share, scale float64) int {
	return max(5, int(share*scale*provinceOrgs+0.5))
}

// selectCities resolves names or codes to indexes into book.Cities, in
// the book's order.
func selectCities(book *spec.Book, names []string) ([]int, error) {
	if len(names) == 0 {
		out := make([]int, len(book.Cities))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	pick := map[int]bool{}
	for _, n := range names {
		c, ok := book.City(n)
		if !ok {
			return nil, fmt.Errorf("%w: 未知的城市 %q，应为辽宁省14个市之一（名称或6位代码，如 沈阳市、210100）", ErrOptions, n)
		}
		pick[slices.IndexFunc(book.Cities, func(x spec.City) bool { return x.Code == c.Code })] = true
	}
	var out []int
	for i := range book.Cities {
		if pick[i] {
			out = append(out, i)
		}
	}
	return out, nil
}

type generator struct {
	book *spec.Book
	opt  Options
	log  *slog.Logger
	plan *plan
}

// month writes a city's files for month m.
func (g *generator) month(c *city, m time.Time) ([]File, error) {
	ym := m.Format("2006-01")
	k := key{c.spec.Code, ym}
	if g.plan.skip[k] {
		g.log.Debug("skipped", "city", c.spec.Name, "month", ym)
		return nil, nil
	}
	r := newRand(c.seed, "filed", c.spec.Code, ym)
	next := m.AddDate(0, 1, 0)
	filed := next.AddDate(0, 0, r.IntN(5)) // the 1st to the 5th
	mo := c.events(m)
	var out []File
	dir := filepath.Join(g.opt.Out, ym)
	write := func(name string, kind Kind, wb *workbook) error {
		data, err := wb.bytes()
		if err != nil {
			return fmt.Errorf("gen: %s %s: %w", c.spec.Name, ym, err)
		}
		if err := writeFile(filepath.Join(dir, name), data); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		out = append(out, File{
			Path: ym + "/" + name, Kind: kind, City: c.spec.Name, Month: ym,
			FiledOn: wb.created.Format("2006-01-02"), Rows: wb.rowCounts(), Bytes: len(data),
		})
		g.log.Debug("wrote", "file", name, "kind", kind, "bytes", len(data))
		return nil
	}
	kind := KindRegular
	switch {
	case g.plan.late[k]:
		kind = KindLate
		filed = next.AddDate(0, 0, 5+r.IntN(15)) // the 6th to the 20th
	case g.plan.rejected[k]:
		first := next.AddDate(0, 0, r.IntN(3)) // the 1st to the 3rd
		filed = first.AddDate(0, 0, 1+r.IntN(2))
		wb := c.build(g.book, mo, first)
		wb.style = styleOf(c.idx)
		bad := breakWorkbook(newRand(c.seed, "rejected", c.spec.Code, ym), wb, c)
		if err := write(c.spec.Name+"_"+ym+"_初报.xlsx", KindRejected, bad); err != nil {
			return nil, err
		}
	}
	wb := c.build(g.book, mo, filed)
	wb.style = styleOf(c.idx)
	if err := write(FileName(c.spec.Name, ym), kind, wb); err != nil {
		return nil, err
	}
	if g.plan.corrected[k] {
		c.correct(newRand(c.seed, "correct", c.spec.Code, ym), m)
		wb := c.build(g.book, mo, next.AddDate(0, 0, 7+r.IntN(18))) // the 8th to the 25th
		wb.style = styleOf(c.idx)
		if err := write(c.spec.Name+"_"+ym+"_更正.xlsx", KindCorrection, wb); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (wb *workbook) rowCounts() map[string]int {
	out := map[string]int{}
	for _, s := range wb.sheets {
		if s.key != "" {
			out[s.key] = len(s.rows)
		}
	}
	return out
}

// key is a city-month.
type key struct{ city, month string }

// plan is the submission history: which city-months have a rejected first
// attempt, a correction, a late or no submission. It is drawn from the
// seed over the whole range before any file is written.
type plan struct {
	skip, late, rejected, corrected map[key]bool
}

func newPlan(book *spec.Book, seed int64, cities []int, ms []time.Time, faults bool) *plan {
	p := &plan{skip: map[key]bool{}, late: map[key]bool{}, rejected: map[key]bool{}, corrected: map[key]bool{}}
	if !faults {
		return p
	}
	type cm struct {
		key
		mi int
	}
	var all []cm
	for _, ci := range cities {
		for mi, m := range ms {
			all = append(all, cm{key{book.Cities[ci].Code, m.Format("2006-01")}, mi})
		}
	}
	r := newRand(seed, "plan")
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	used := map[key]bool{}
	take := func(ok func(cm) bool) (key, bool) {
		for _, x := range all {
			if !used[x.key] && ok(x) {
				used[x.key] = true
				return x.key, true
			}
		}
		return key{}, false
	}
	anyKey := func(cm) bool { return true }
	if len(ms) >= 2 {
		// Not the first month: the month after it then has no previous list
		// to compare with, and the city still has other months.
		if k, ok := take(func(x cm) bool { return x.mi > 0 }); ok {
			p.skip[k] = true
		}
	}
	if k, ok := take(anyKey); ok {
		p.late[k] = true
	}
	n := max(2, len(all)/28)
	for range n {
		if k, ok := take(anyKey); ok {
			p.rejected[k] = true
		}
	}
	for range n {
		if k, ok := take(anyKey); ok {
			p.corrected[k] = true
		}
	}
	return p
}

func (p *plan) skippedKeys(book *spec.Book, cities []int, ms []time.Time) []string {
	var out []string
	for _, m := range ms {
		for _, ci := range cities {
			c := book.Cities[ci]
			if p.skip[key{c.Code, m.Format("2006-01")}] {
				out = append(out, c.Name+" "+m.Format("2006-01"))
			}
		}
	}
	return out
}

// correct changes a few facts of the city's state, as a clerk's
// resubmission does: staff numbers of some organizations, a liaison
// appointed, a representative's education filled in. The corrected state
// is the truth the following months evolve from.
func (c *city) correct(r *rand.Rand, m time.Time) {
	for range 2 + r.IntN(3) {
		o := pick(r, c.orgs)
		o.staff += 1 + r.IntN(10)
		if r.IntN(2) == 0 {
			o.party++
		}
	}
	for range 1 + r.IntN(2) {
		pick(r, c.orgs).uLiaison = 0
	}
	if len(c.reps) > 0 {
		p := pick(r, c.reps)
		p.edu = pick(r, []string{"研究生", "大学本科"})
		if p.position == "" {
			p.position = positionsByType[c.byCode[p.org].typ].others[0]
		}
	}
}
