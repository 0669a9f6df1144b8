package extract

// Format is a file format as sniffed from its bytes.
type Format string

// Formats baomi recognizes. Only some of them are read (see Register); the
// others get a verdict from unreadable.
const (
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatXLSX Format = "xlsx"
	FormatPPTX Format = "pptx"
	FormatOFD  Format = "ofd"
	FormatZIP  Format = "zip"
	FormatText Format = "text"

	FormatImage Format = "image" // picture files: read as "review"
	FormatHTML  Format = "html"  // web pages, read by extract/html
	FormatEML   Format = "eml"   // MIME messages (.eml, Word's .mht), read by extract/eml
	FormatMSG   Format = "msg"   // Outlook messages (.msg), read by extract/msg
	FormatTNEF  Format = "tnef"  // Outlook's rich format in mail (winmail.dat, application/ms-tnef), read by extract/msg

	// Read by packages of their own (extract/rtf, extract/odf).
	FormatRTF Format = "rtf"
	FormatODT Format = "odt" // OpenDocument text, flat (.fodt) too
	FormatODS Format = "ods" // OpenDocument spreadsheet, flat (.fods) too
	FormatODP Format = "odp" // OpenDocument presentation, flat (.fodp) too
	FormatODF Format = "odf" // other OpenDocument files: drawings, charts, formulas, a lone content.xml

	// Known formats that carry document text baomi cannot read yet.
	FormatOLE             Format = "ole" // OLE compound files other than those below
	FormatDOC             Format = "doc" // Word 97-2003 and WPS Writer (.wps)
	FormatXLS             Format = "xls" // Excel 97-2003 and WPS Spreadsheets (.et)
	FormatPPT             Format = "ppt" // PowerPoint 97-2003 and WPS Presentation (.dps)
	FormatRAR             Format = "rar"
	Format7Z              Format = "7z"
	FormatGzip            Format = "gzip"
	FormatOfficeEncrypted Format = "office-encrypted"

	// Formats that carry no document text: skipped.
	FormatProgram Format = "program"
	FormatFont    Format = "font"
	FormatAudio   Format = "audio"
	FormatVideo   Format = "video"

	FormatUnknown Format = "unknown"
)

// mustRead are the formats baomi reads: each has its extractor registered,
// by this package or by one that package formats imports.
var mustRead = []Format{FormatPDF, FormatDOCX, FormatXLSX, FormatPPTX, FormatOFD, FormatZIP, FormatText, FormatImage, FormatOLE, FormatXLS, FormatPPT, FormatDOC,
	FormatHTML,
	FormatEML,
	FormatMSG,
	FormatTNEF,
}

// Read by extract/rtf and extract/odf.
func init() { mustRead = append(mustRead, FormatRTF, FormatODT, FormatODS, FormatODP, FormatODF) }

// Missing returns the formats baomi reads whose extractor is not
// registered: empty once package formats is imported.
func Missing() []Format {
	var out []Format
	for _, f := range mustRead {
		if _, ok := extractors[f]; !ok {
			out = append(out, f)
		}
	}
	return out
}

// unreadableNames are the names users know the unreadable formats by.
var unreadableNames = map[Format]string{
	FormatRAR:  "RAR archive (.rar)",
	Format7Z:   "7-Zip archive (.7z)",
	FormatGzip: "gzip archive (.gz/.tar.gz)",
}

// unreadable is the error for a format that has no extractor.
func unreadable(f Format) error {
	switch f {
	case FormatProgram, FormatFont, FormatAudio, FormatVideo:
		return Errorf(KindNoText, "%s file: carries no document text", f)
	case FormatOfficeEncrypted:
		return Errorf(KindEncrypted, "encrypted Office document: cannot be read without its password")
	case FormatUnknown:
		return Errorf(KindUnknown, "unknown format: not a document type baomi can read")
	}
	if name, ok := unreadableNames[f]; ok {
		return Errorf(KindUnsupported, "%s: baomi cannot read this format yet", name)
	}
	return Errorf(KindUnsupported, "%s file: baomi cannot read this format yet", f)
}
