package read

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"ufa/ingest/model"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Safety limits of the reader. A city's monthly workbook is a few MB at
// most (100,000 organization rows are about 100 MB of sheet XML); the
// limits leave ample room for that while keeping a hostile or broken file
// from exhausting memory, disk or time.
const (
	// rdMaxFileSize is the largest file accepted (submission.md: 100 MiB).
	rdMaxFileSize = 100 << 20
	// rdUnzipSizeLimit bounds the sum of the declared uncompressed sizes of
	// all parts (excelize Options.UnzipSizeLimit). Go's zip reader refuses
	// a part that inflates beyond its declared size, so the declared sizes
	// are binding.
	rdUnzipSizeLimit = 512 << 20
	// rdUnzipXMLSizeLimit: worksheets and the shared-string table larger
	// than this are inflated to temporary files and streamed from there
	// instead of being held in memory (excelize Options.UnzipXMLSizeLimit).
	rdUnzipXMLSizeLimit = 8 << 20
	// rdMaxInMemory bounds the parts excelize keeps in memory as bytes
	// (everything that does not spill to a temporary file: styles, theme,
	// drawings, images, small sheets).
	rdMaxInMemory = 256 << 20
	// rdMaxParsedPart bounds one XML part that is decoded whole into
	// structures (workbook, styles, theme, relationships, calcChain, a
	// shared-string table held in memory): decoding multiplies its size.
	rdMaxParsedPart = 32 << 20
	// rdMaxSharedStrings bounds a spilled shared-string table: excelize
	// keeps an offset pair per string in memory.
	rdMaxSharedStrings = 64 << 20
	// rdMaxEntries bounds the number of parts (a real workbook has tens;
	// one with 1,024 sheets has about 2,100).
	rdMaxEntries = 20000
	// rdMaxSheets bounds the sheets a workbook lists (counted as sheetId
	// attributes of its workbook part): excelize matches sheets against
	// relationships pairwise, so a workbook listing hundreds of thousands
	// would take hours. rdMaxRels bounds a relationships part likewise.
	rdMaxSheets = 4096
	rdMaxRels   = 4 << 20
)

// rdOpenOptions are the excelize options of the reader: raw cell values
// (dates as serial numbers, no number formats applied) and the unzip
// limits above.
func rdOpenOptions() excelize.Options {
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    rdUnzipSizeLimit,
		UnzipXMLSizeLimit: rdUnzipXMLSizeLimit,
	}
}

// Messages of E_FILE: each says what the file is and what to do.
const (
	rdMsgSaveAs      = "请在 Excel 或 WPS 中打开后“另存为” Excel 工作簿（.xlsx）格式，再重新校验。"
	rdMsgEmpty       = "文件为空（0 字节），可能复制或下载未完成：请重新导出或重新下载报送文件后再校验。"
	rdMsgTooLarge    = "文件大于 100 MB，超过允许的上限：请删除工作簿中的图片、多余工作表和大范围格式后重新保存；月度报送数据一般远小于此。"
	rdMsgEncrypted   = "文件设置了打开密码（已加密），无法读取：请在 Excel 或 WPS 中用密码打开，在“文件—信息—保护工作簿—用密码进行加密”（WPS：“文件—文档加密—密码加密”）中清除密码并保存后重新校验。"
	rdMsgOLE         = "这是旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式的文件，只是扩展名为 .xlsx：" + rdMsgSaveAs
	rdMsgXLSB        = "这是 Excel 二进制工作簿（.xlsb）格式，不能读取：" + rdMsgSaveAs
	rdMsgODS         = "这是 OpenDocument 表格（.ods）格式，不能读取：" + rdMsgSaveAs
	rdMsgNumbers     = "这是 Apple Numbers 表格格式，不能读取：请在 Numbers 中“导出为 Excel（.xlsx）”后重新校验。"
	rdMsgXML2003     = "这是 Excel 2003 XML 表格格式，不能读取：" + rdMsgSaveAs
	rdMsgHTML        = "这是网页（HTML）格式的表格（常见于从业务系统导出的“.xls”），不能读取：" + rdMsgSaveAs
	rdMsgOtherOffice = "这是 Word 或 PowerPoint 文档，不是 Excel 工作簿：请提交按模板填写的 .xlsx 工作簿。"
	rdMsgNotXLSX     = "文件不是 Excel 工作簿（.xlsx），无法读取：请提交按模板填写并保存为 .xlsx 格式的工作簿；如为 CSV 或其他格式，" + rdMsgSaveAs
	rdMsgCorrupt     = "文件已损坏或不完整（可能下载或复制中断），无法读取：请重新导出或重新下载；如能在 Excel 中打开，请“另存为”新的 .xlsx 文件后重新校验。"
	rdMsgUnsafe      = "文件包含不允许的 XML 定义（DTD），可能被篡改，出于安全原因不予读取：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件再校验。"
	rdMsgBomb        = "文件解压后超过安全上限（%s），不予读取：请删除工作簿中的图片、多余工作表和大范围格式后重新保存；月度报送数据一般远小于此。"
	rdMsgNoSheets    = "工作簿中没有可读取的工作表（文件可能已损坏）：请使用模板重新填写，或在 Excel 中打开后“另存为”新的 .xlsx 文件再校验。"
	rdMsgBadXML      = "工作表中含有 Excel 不允许的字符或格式错误（常见于其他软件导出的文件），无法可靠读取：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件；如无法打开，请从原系统重新导出，或把数据复制到模板后再校验。"
	rdMsgCrash       = "读取文件时发生内部错误，文件可能已损坏：请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 文件再校验；如仍出现，请将文件交省里技术人员。"
	rdMsgCancelled   = "校验被取消或超时，未读完文件：请重新校验。"
)

// rdFileFinding makes the single finding of a file that cannot be read.
func rdFileFinding(msg string) []model.Finding {
	return []model.Finding{{Severity: model.Error, Code: "E_FILE", Message: msg}}
}

// Crashed is the one E_FILE of a file whose reading or checking failed
// unexpectedly: the file is refused whole and a batch goes on.
func Crashed() []model.Finding { return rdFileFinding(rdMsgCrash) }

var (
	rdMagicZip      = []byte("PK\x03\x04")
	rdMagicZipEmpty = []byte("PK\x05\x06")
	rdMagicOLE      = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// The stream names of an encrypted OOXML package in its OLE2
	// container, as stored in the directory (UTF-16LE).
	rdEncryptedPackage = rdUTF16LE("EncryptedPackage")
	rdEncryptionInfo   = rdUTF16LE("EncryptionInfo")
)

func rdUTF16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// rdCheckFile decides, before a reader touches the file, whether it is
// an xlsx package that can be read safely. It returns the E_FILE message,
// or "" when the file may be opened. whole: every part is inflated and
// checked whole (for excelize); otherwise the worksheets and the
// shared-string table, which the fast path checks as it reads them, only
// have their start checked (see rdVerifyPart).
func rdCheckFile(ctx context.Context, path string, whole bool) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	switch {
	case st.IsDir():
		return rdMsgNotXLSX, nil
	case st.Size() == 0:
		return rdMsgEmpty, nil
	case st.Size() > rdMaxFileSize:
		return rdMsgTooLarge, nil
	}
	head := make([]byte, 1024)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, rdMagicOLE):
		return rdCheckOLE(fh, st.Size())
	case bytes.HasPrefix(head, rdMagicZip), bytes.HasPrefix(head, rdMagicZipEmpty):
		return rdCheckZip(ctx, fh, st.Size(), whole)
	}
	// Not a container: say what it looks like.
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")),
		bytes.Contains(lower, []byte("<?mso-application")):
		return rdMsgXML2003, nil
	case bytes.Contains(lower, []byte("<html")), bytes.Contains(lower, []byte("<table")),
		bytes.Contains(lower, []byte("<!doctype html")):
		return rdMsgHTML, nil
	}
	return rdMsgNotXLSX, nil
}

// rdCheckOLE tells an encrypted xlsx (an OLE2 container holding an
// EncryptedPackage stream) from an old binary .xls/.et. The directory is
// not parsed: the stream names are searched as bytes, which cannot hang or
// fail on a damaged container; a stray match in cell text only changes
// which of two E_FILE messages is shown.
func rdCheckOLE(r io.ReaderAt, size int64) (string, error) {
	const chunk = 1 << 20
	overlap := int64(len(rdEncryptedPackage))
	buf := make([]byte, chunk+overlap)
	for off := int64(0); off < size; off += chunk {
		n, err := r.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read OLE2 container: %w", err)
		}
		b := buf[:n]
		if bytes.Contains(b, rdEncryptedPackage) || bytes.Contains(b, rdEncryptionInfo) {
			return rdMsgEncrypted, nil
		}
	}
	return rdMsgOLE, nil
}

// rdCheckZip looks at the zip package: its kind (xlsx, xlsb, ods,
// Numbers), its declared sizes against the limits, duplicate parts, and
// every part's CRC (excelize ignores read errors of parts it loads into
// memory, so a damaged sheet would otherwise lose rows silently). XML
// parts must start like XML and must not carry a DTD: OOXML never uses
// one, and a DTD is how entity-expansion attacks arrive. Unless whole,
// the worksheets and shared strings are left to the fast path after
// their start (rdVerifyPart).
func rdCheckZip(ctx context.Context, r io.ReaderAt, size int64, whole bool) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return rdMsgCorrupt, nil
	}
	if len(zr.File) > rdMaxEntries {
		return fmt.Sprintf(rdMsgBomb, fmt.Sprintf("部件超过 %d 个", rdMaxEntries)), nil
	}
	names := make(map[string]bool, len(zr.File))
	var (
		total, inMemory                 uint64
		contentTypes, mimetype, numbers bool
		ooxml                           bool // parts of an OOXML package
	)
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if names[name] {
			return rdMsgCorrupt, nil
		}
		names[name] = true
		switch {
		case name == "[content_types].xml":
			contentTypes = true
		case name == "xl/workbook.bin":
			return rdMsgXLSB, nil
		case name == "mimetype":
			mimetype = true
		case strings.HasPrefix(name, "index/") && strings.HasSuffix(name, ".iwa"):
			numbers = true
		case strings.HasPrefix(name, "word/") || strings.HasPrefix(name, "ppt/"):
			return rdMsgOtherOffice, nil
		}
		if strings.HasPrefix(name, "xl/") || strings.HasPrefix(name, "_rels/") {
			ooxml = true
		}
		sz := f.UncompressedSize64
		total += sz
		if total > rdUnzipSizeLimit {
			return fmt.Sprintf(rdMsgBomb, "解压后总大小超过 512 MB"), nil
		}
		spills := (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml") &&
			sz > rdUnzipXMLSizeLimit
		switch {
		case spills && name == "xl/sharedstrings.xml" && sz > rdMaxSharedStrings:
			return fmt.Sprintf(rdMsgBomb, "共享字符串表超过 64 MB"), nil
		case spills:
		case strings.HasSuffix(name, ".rels") && sz > rdMaxRels:
			return fmt.Sprintf(rdMsgBomb, "关系部件 "+f.Name+" 超过 4 MB"), nil
		case rdParsedWhole(name) && sz > rdMaxParsedPart:
			return fmt.Sprintf(rdMsgBomb, "部件 "+f.Name+" 超过 32 MB"), nil
		default:
			inMemory += sz
			if inMemory > rdMaxInMemory {
				return fmt.Sprintf(rdMsgBomb, "需载入内存的部件超过 256 MB"), nil
			}
		}
	}
	switch {
	case contentTypes:
	case mimetype:
		return rdMsgODS, nil
	case numbers:
		return rdMsgNumbers, nil
	case len(zr.File) == 0 || ooxml:
		return rdMsgCorrupt, nil
	default:
		return rdMsgNotXLSX, nil
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		msg, err := rdVerifyPart(f, whole)
		if err != nil || msg != "" {
			return msg, err
		}
	}
	return "", nil
}

// rdParsedWhole tells the XML parts that are decoded whole into memory
// rather than streamed: everything XML but the worksheets.
func rdParsedWhole(name string) bool {
	if strings.Contains(name, "worksheets/") {
		return false
	}
	return strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml")
}

// rdVerifyPart inflates one part to nowhere, checking its CRC and (for
// XML) its prolog. Unless whole, a worksheet or the shared-string table
// is only inflated as far as its prolog: the fast path reads them to
// their end, where the zip reader checks the CRC, and refuses what is not
// well-formed XML, so inflating them here too would double the cost of a
// read (about 0.2 s for 100,000 rows). A worksheet the fast path does
// not read is not checked further: its damage cannot change what is
// read; when the fast path falls back to excelize, every part is checked
// whole first.
func rdVerifyPart(f *zip.File, whole bool) (string, error) {
	if f.FileInfo().IsDir() {
		return "", nil
	}
	rc, err := f.Open()
	if err != nil {
		return rdMsgCorrupt, nil
	}
	defer rc.Close()
	name := strings.ToLower(f.Name)
	var r io.Reader = rc
	if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
		head := make([]byte, 4096)
		n, err := io.ReadFull(rc, head)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return rdMsgCorrupt, nil
		}
		if msg := rdCheckProlog(head[:n]); msg != "" {
			return msg, nil
		}
		if !whole && rdScannedPart(name) {
			return "", nil
		}
		r = io.MultiReader(bytes.NewReader(head[:n]), rc)
	}
	var w io.Writer = io.Discard
	sheets := &rdCounter{pattern: []byte("sheetId=")}
	chars := &rdXMLChars{}
	switch {
	case strings.HasSuffix(name, "workbook.xml"):
		w = sheets
	case rdScannedPart(name):
		w = chars
	}
	if _, err := io.Copy(w, r); err != nil {
		return rdMsgCorrupt, nil
	}
	if sheets.n > rdMaxSheets {
		return fmt.Sprintf(rdMsgBomb, fmt.Sprintf("工作表超过 %d 个", rdMaxSheets)), nil
	}
	if chars.finish() {
		return rdMsgBadXML, nil
	}
	return "", nil
}

// rdScannedPart tells the parts the fast path reads, and checks, itself:
// worksheets and the shared-string table (lower-case names).
func rdScannedPart(name string) bool {
	return strings.HasSuffix(name, ".xml") &&
		(strings.Contains(name, "worksheets/") || strings.HasSuffix(name, "sharedstrings.xml"))
}

// rdXMLChars checks, as a sheet or the shared-string table streams by,
// the faults at which Go's XML decoder stops: a character XML 1.0 forbids
// (control characters, raw or as &#...;), invalid UTF-8, and an & that
// starts no entity reference (CDATA sections and comments may hold a bare
// &). excelize's row iterator ends silently at such an error, so the rows
// after it would be lost without a word; the file is refused instead.
// These are typical of workbooks exported by other software.
type rdXMLChars struct {
	buf  []byte
	mode int // 0 markup and text, 1 in CDATA, 2 in a comment
	bad  bool
}

// rdLook is the lookahead every check needs: the longest entity
// reference, <![CDATA[ and a UTF-8 sequence all fit.
const rdLook = 16

func (c *rdXMLChars) Write(p []byte) (int, error) {
	if c.bad {
		return len(p), nil
	}
	c.buf = append(c.buf, p...)
	if len(c.buf) > rdLook {
		n := c.scan(c.buf, len(c.buf)-rdLook, false)
		c.buf = append(c.buf[:0], c.buf[n:]...)
	}
	return len(p), nil
}

// finish checks what is left and tells whether the part is bad.
func (c *rdXMLChars) finish() bool {
	if !c.bad {
		c.scan(c.buf, len(c.buf), true)
	}
	return c.bad
}

// scan checks b from the start up to limit (tokens starting before limit
// are checked whole, which the lookahead allows unless final) and returns
// where it stopped.
func (c *rdXMLChars) scan(b []byte, limit int, final bool) int {
	i := 0
	for i < limit {
		ch := b[i]
		if ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' {
			c.bad = true
			return i
		}
		switch {
		case c.mode == 1 && ch == ']' && bytes.HasPrefix(b[i:], []byte("]]>")),
			c.mode == 2 && ch == '-' && bytes.HasPrefix(b[i:], []byte("-->")):
			c.mode = 0
			i += 3
			continue
		case c.mode == 0 && ch == '<' && bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
			c.mode = 1
			i += 9
			continue
		case c.mode == 0 && ch == '<' && bytes.HasPrefix(b[i:], []byte("<!--")):
			c.mode = 2
			i += 4
			continue
		case c.mode == 0 && ch == '&':
			end := bytes.IndexByte(b[i+1:min(len(b), i+rdLook)], ';')
			if end < 0 || !rdEntity(b[i+1:i+1+end]) {
				c.bad = true
				return i
			}
			i += end + 2
			continue
		}
		if ch < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 || !rdXMLChar(r) {
			if !final && !utf8.FullRune(b[i:]) {
				return i // cannot happen before limit; kept for safety
			}
			c.bad = true
			return i
		}
		i += size
	}
	return i
}

// rdEntity tells a valid entity reference name (between & and ;).
func rdEntity(name []byte) bool {
	switch string(name) {
	case "amp", "lt", "gt", "quot", "apos":
		return true
	}
	if len(name) < 2 || name[0] != '#' {
		return false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return false
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	return err == nil && rdXMLChar(rune(v))
}

// rdXMLChar tells a character XML 1.0 allows.
func rdXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// rdCounter counts the occurrences of a pattern in what is written to it,
// also across writes.
type rdCounter struct {
	pattern, tail []byte
	n             int
}

func (c *rdCounter) Write(p []byte) (int, error) {
	buf := append(c.tail, p...)
	c.n += bytes.Count(buf, c.pattern)
	keep := min(len(c.pattern)-1, len(buf))
	c.tail = append(c.tail[:0:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

// rdCheckProlog checks the start of an XML part: optional BOM, XML
// declaration, comments and processing instructions, then the root
// element. A DTD is refused; text before the root element (which Excel
// reports as damaged content) is corruption. UTF-16 parts are not
// inspected.
func rdCheckProlog(head []byte) string {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return ""
	}
	b := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case len(b) == 0:
			return "" // an empty part, or a prolog longer than we look at
		case bytes.HasPrefix(b, []byte("<?")):
			end := bytes.Index(b, []byte("?>"))
			if end < 0 {
				return ""
			}
			b = b[end+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			end := bytes.Index(b, []byte("-->"))
			if end < 0 {
				return ""
			}
			b = b[end+3:]
		case len(b) >= 9 && bytes.EqualFold(b[:9], []byte("<!DOCTYPE")):
			return rdMsgUnsafe
		case b[0] == '<':
			return ""
		default:
			return rdMsgCorrupt
		}
	}
}
