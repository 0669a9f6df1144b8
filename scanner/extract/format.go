package extract

// Format is a file format as sniffed from its bytes.
type Format string

// Formats baomi recognizes. Only some of them are read (see extractors); the
// others get a verdict from unreadable.
const (
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatText Format = "text"

	FormatImage Format = "image" // picture files: read as "review"

	// Known formats that carry document text baomi cannot read yet.
	FormatXLSX            Format = "xlsx"
	FormatPPTX            Format = "pptx"
	FormatOFD             Format = "ofd"
	FormatODF             Format = "odf"
	FormatZIP             Format = "zip"
	FormatOLE             Format = "ole" // .doc/.xls/.ppt/.wps/.et and encrypted OOXML
	FormatRTF             Format = "rtf"
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

// extractors maps each readable format to its extractor.
var extractors = map[Format]extractor{
	FormatPDF:   extractPDF,
	FormatDOCX:  extractDOCX,
	FormatText:  extractText,
	FormatImage: extractImage,
}

// unreadable is the error for a format that has no extractor.
func unreadable(f Format) error {
	switch f {
	case FormatProgram, FormatFont, FormatAudio, FormatVideo:
		return Errorf(KindNoText, "%s file: carries no document text", f)
	case FormatOfficeEncrypted:
		return Errorf(KindEncrypted, "encrypted Office document: cannot be read without its password")
	case FormatOLE:
		return Errorf(KindUnsupported, "legacy Office file (.doc/.xls/.ppt/.wps/.et): baomi cannot read this format yet")
	case FormatUnknown:
		return Errorf(KindUnknown, "unknown format: not a document type baomi can read")
	default:
		return Errorf(KindUnsupported, "%s file: baomi cannot read this format yet", f)
	}
}
