#!/usr/bin/env bash
# Regenerates every sample document in samples/docs/ from its source in samples/src/.
#
# The generated files are committed, so tests never need LibreOffice; run this
# only after changing a source. It needs LibreOffice Writer, Calc and Impress, the Noto CJK fonts,
# DejaVu fonts, ImageMagick, img2pdf, iconv and poppler-utils (Debian:
#   apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui \
#                      libreoffice-impress-nogui fonts-noto-cjk fonts-dejavu-core \
#                      imagemagick img2pdf poppler-utils
# ). Running it twice gives the same documents; only the timestamps that
# LibreOffice writes into DOCX, XLSX, PPTX, XLS and PDF files change, and the
# id LibreOffice gives a tracked change in ODT.
set -euo pipefail

cd "$(dirname "$0")"
mkdir -p docs
cd docs

die() {
	echo "make.sh: $*" >&2
	exit 1
}

need() { # command, Debian package
	command -v "$1" >/dev/null 2>&1 || die "$1 not found; install it: apt-get install -y $2"
}

need soffice libreoffice-writer-nogui
need pdftotext poppler-utils
need img2pdf img2pdf
need iconv libc-bin
need fc-list fontconfig
need python3 python3
# Some machines put a stand-in called convert first on PATH: ask for the real one.
convert -version 2>/dev/null | grep ImageMagick >/dev/null ||
	die "ImageMagick's convert not found; install it: apt-get install -y imagemagick"
fc-list | grep 'Noto Serif CJK SC'>/dev/null || die "Noto CJK fonts missing; install them: apt-get install -y fonts-noto-cjk"
fc-list | grep 'DejaVu Sans'>/dev/null || die "DejaVu fonts missing; install them: apt-get install -y fonts-dejavu-core"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A private LibreOffice profile: no first-start dialogs, no clash with a
# LibreOffice the user has open, nothing written to $HOME. It turns off the
# thumbnail LibreOffice stores in each document (half the size of a small ODF
# file).
mkdir -p "$work/profile/user"
cat >"$work/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
XCU
lo() {
	soffice -env:UserInstallation="file://$work/profile" --headless "$@" >"$work/soffice.log" 2>&1 ||
		die "soffice failed: $(cat "$work/soffice.log")"
}

# 1-6: office documents from Flat ODT sources.
docx=(关于举办春季运动会的通知 机密通知 绝密启用前 保密宣传 格式规避)
pdf=(关于举办春季运动会的通知 秘密文件)
src() { # names...: their source paths
	local name
	for name in "$@"; do printf '../src/%s.fodt\n' "$name"; done
}
mapfile -t sources < <(src "${docx[@]}")
lo --convert-to 'docx:MS Word 2007 XML' --outdir "$work/out" "${sources[@]}"
mapfile -t sources < <(src "${pdf[@]}")
lo --convert-to 'pdf:writer_pdf_Export' --outdir "$work/out" "${sources[@]}"
for name in "${docx[@]}"; do
	[ -s "$work/out/$name.docx" ] || die "LibreOffice wrote no $name.docx"
	cp "$work/out/$name.docx" .
done
for name in "${pdf[@]}"; do
	[ -s "$work/out/$name.pdf" ] || die "LibreOffice wrote no $name.pdf"
	cp "$work/out/$name.pdf" .
done

# 10-11: a workbook and a presentation from Flat ODS/ODP sources (Calc and
# Impress: without them LibreOffice opens the source in Writer and fails).
lo --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$work/out" ../src/经费预算.fods
lo --convert-to 'pptx:Impress MS PowerPoint 2007 XML' --outdir "$work/out" ../src/工作汇报.fodp
for name in 经费预算.xlsx 工作汇报.pptx; do
	[ -s "$work/out/$name" ] ||
		die "LibreOffice wrote no $name; install libreoffice-calc-nogui and libreoffice-impress-nogui"
	cp "$work/out/$name" .
done

# 13: the 97-2003 binary formats (Word, Excel, PowerPoint), RTF and
# OpenDocument, from the sources above: 档案移交.fodt carries a marking in each
# part of a Writer document; the workbook and the presentation reuse the
# sources of 经费预算.xlsx and 工作汇报.pptx.
lo --convert-to 'doc:MS Word 97' --outdir "$work/out" ../src/档案移交.fodt
lo --convert-to 'rtf:Rich Text Format' --outdir "$work/out" ../src/档案移交.fodt
lo --convert-to 'odt:writer8' --outdir "$work/out" ../src/档案移交.fodt
lo --convert-to 'xls:MS Excel 97' --outdir "$work/out" ../src/经费预算.fods
lo --convert-to 'ods:calc8' --outdir "$work/out" ../src/经费预算.fods
lo --convert-to 'ppt:MS PowerPoint 97' --outdir "$work/out" ../src/工作汇报.fodp
lo --convert-to 'odp:impress8' --outdir "$work/out" ../src/工作汇报.fodp
for name in 档案移交.doc 档案移交.rtf 档案移交.odt 经费预算.xls 经费预算.ods 工作汇报.ppt 工作汇报.odp; do
	[ -s "$work/out/$name" ] || die "LibreOffice wrote no $name"
	cp "$work/out/$name" .
done

# 14: a web page and a mail, written by hand.
cp ../src/会议通知.html ../src/会议纪要.eml .

# 7: plain text in three encodings, with Windows line ends where Windows tools
# would write them.
sed 's/$/\r/' ../src/notice-gbk.txt | iconv -f UTF-8 -t GB18030 >notice-gbk.txt
{
	printf '\xff\xfe'
	sed 's/$/\r/' ../src/notice-utf16.txt | iconv -f UTF-8 -t UTF-16LE
} >notice-utf16.txt
cp ../src/clean-utf8.md clean-utf8.md

# 8: wrong extensions.
cp 机密通知.docx 伪装.pdf
cp ../src/text-named.txt text-named.pdf

# 9: a picture of text, and a PDF whose only page is a picture.
font=$(fc-match -f '%{file}' 'Noto Sans CJK SC')
convert -size 640x170 xc:white -font "$font" -pointsize 28 -fill black \
	-annotate +24+48 "$(cat ../src/picture.txt)" -colors 16 -depth 8 -strip picture.png
convert -size 827x1169 xc:white -font "$font" -pointsize 24 -fill black \
	-annotate +100+140 "$(cat ../src/scanned.txt)" -monochrome -strip "$work/scanned.png"
img2pdf --nodate --pagesize A4 -o scanned.pdf "$work/scanned.png"

# Pin what changes from run to run, so that regenerating an unchanged sample
# leaves git with nothing to commit: zip entry dates in Office files; creation
# dates, /ID and LibreOffice's /DocChecksum in PDF files (replaced by values of
# the same length, so that the cross-reference offsets stay right).
pin() { # files...
	python3 - "$@" <<'PY'
import hashlib, re, sys, zipfile

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(path) as z:
            entries = [(i, z.read(i)) for i in z.infolist()]
        with zipfile.ZipFile(path, "w") as z:
            for info, body in entries:
                pinned = zipfile.ZipInfo(info.filename, (2024, 3, 1, 9, 0, 0))
                pinned.compress_type = info.compress_type
                pinned.external_attr = 0o644 << 16
                z.writestr(pinned, body)
        continue
    data = re.sub(rb"(/(?:Creation|Mod)Date\s*\(D:)\d{14}", rb"\g<1>20240301090000", data)
    ids = rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)"
    sums = rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)"
    blank = re.sub(sums, lambda m: m[1] + b"0" * len(m[2]),
                   re.sub(ids, lambda m: m[1] + b"0" * len(m[2]) + m[3] + b"0" * len(m[4]) + m[5], data))
    digest = hashlib.md5(blank).hexdigest().upper().encode()
    data = re.sub(ids, lambda m: m[1] + digest[:len(m[2])] + m[3] + digest[:len(m[4])] + m[5], data)
    data = re.sub(sums, lambda m: m[1] + digest[:len(m[2])], data)
    with open(path, "wb") as f:
        f.write(data)
PY
}
pin ./*.docx ./*.xlsx ./*.pptx ./*.odt ./*.ods ./*.odp ./*.pdf

# 12: a zip archive holding a marked document in a folder, and a clean text
# (made after pinning, so that the document inside is the pinned one).
python3 - <<'PY'
import zipfile

with zipfile.ZipFile("附件包.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name, src in (("附件/机密通知.docx", "机密通知.docx"), ("说明.txt", "../src/clean-utf8.md")):
        info = zipfile.ZipInfo(name, (2024, 3, 1, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(src, "rb") as f:
            z.writestr(info, f.read())
PY

# Check that each PDF carries the text it should (and the scan none at all).
pdftext() { # file [first-page last-page]: the text with all white space removed
	pdftotext ${2:+-f "$2" -l "$3"} "$1" - | tr -d ' \t\r\n\f'
}
expect() { # file text [first-page last-page]
	pdftext "$1" "${3:-}" "${4:-}" | grep -q "$2" || die "$1: pdftotext does not find $2"
}
expect 关于举办春季运动会的通知.pdf 有机密封材料
expect 关于举办春季运动会的通知.pdf 保守国家秘密是每个公民的义务
expect 秘密文件.pdf '秘密★1年' 1 1
expect 秘密文件.pdf 不得外传 1 1
expect 秘密文件.pdf 内部文件 2 2
[ "$(pdfinfo 秘密文件.pdf | awk '/^Pages:/ {print $2}')" = 2 ] || die "秘密文件.pdf should have 2 pages"
[ -z "$(pdftext scanned.pdf)" ] || die "scanned.pdf should have no text layer"

echo "make.sh: samples regenerated"
