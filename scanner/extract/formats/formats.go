// Package formats registers the extractor of every format baomi reads
// that lives in a package of its own (as image/png registers with the
// image package). Whoever calls extract.File or extract.Reader imports it,
// for its side effect: the engine (scanner) does, and so does every test
// binary that reads files. Reading a format that must have a reader and
// has none panics (see extract's mustRead), so a forgotten import fails
// the first test that reads such a file.
package formats

import (
	// Zip archives.
	_ "github.com/baomi/baomi/scanner/extract/archive"
	// PDF, OFD and Office Open XML (DOCX, XLSX, PPTX).
	_ "github.com/baomi/baomi/scanner/extract/ofd"
	_ "github.com/baomi/baomi/scanner/extract/ooxml"
	_ "github.com/baomi/baomi/scanner/extract/pdf"
	// Picture files.
	_ "github.com/baomi/baomi/scanner/extract/image"
	// Web pages and mail (extract/eml imports extract/html).
	_ "github.com/baomi/baomi/scanner/extract/eml"
	_ "github.com/baomi/baomi/scanner/extract/html"
	// Outlook messages (extract/msg imports extract/html and extract/rtf).
	_ "github.com/baomi/baomi/scanner/extract/msg"
	// OpenDocument.
	_ "github.com/baomi/baomi/scanner/extract/odf"
	// Rich Text Format.
	_ "github.com/baomi/baomi/scanner/extract/rtf"
	// Excel 97-2003 and WPS Spreadsheets workbooks.
	_ "github.com/baomi/baomi/scanner/extract/msxls"
	// PowerPoint 97-2003 and WPS Presentation files.
	_ "github.com/baomi/baomi/scanner/extract/msppt"
	// Word 97-2003 and WPS Writer documents.
	_ "github.com/baomi/baomi/scanner/extract/msdoc"
)
