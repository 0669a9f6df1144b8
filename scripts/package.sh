#!/usr/bin/env bash
# Builds the release packages into dist/:
#   baomi_VERSION_ARCH.deb and baomi-VERSION.ARCH.rpm for each of ARCHES:
#     /usr/bin/baomi, man pages (English and zh_CN) made from the commands'
#     help, bash/zsh/fish completions, baomi-watch.service, /etc/baomi/
#     config.yaml (kept on upgrade), example configs and the Chinese guide;
#   baomi_VERSION_windows_amd64.zip: baomi.exe, 使用说明.txt, the example
#     config and the PowerShell completion.
# nfpm makes the .deb and .rpm; it runs with `go run` at the pinned version
# below, so nothing needs installing but Go.
#
#   scripts/package.sh                   # VERSION from git, ARCHES="amd64 arm64 loong64"
#   VERSION=1.2.0 ARCHES=amd64 scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null | sed 's/^v//' || true)}
VERSION=${VERSION:-0.0.0}
ARCHES=${ARCHES:-amd64 arm64 loong64}
DIST=dist
export CGO_ENABLED=0 # one static binary, no libc needed on the target

rm -rf "$DIST"
mkdir -p "$DIST"
build() { # GOOS GOARCH OUT
  GOOS=$1 GOARCH=$2 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$3" ./cmd/baomi
}

# Man pages and completions come from the commands themselves: written by
# a binary for this machine, the same for every target.
host="$DIST/host"
build "$(go env GOOS)" "$(go env GOARCH)" "$host/baomi"
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)} "$host/baomi" __docs "$host/docs"
gzip -9n "$host"/docs/man/man1/*.1 "$host"/docs/man/zh_CN/man1/*.1

for arch in $ARCHES; do
  b="$DIST/stage" # packaging/nfpm.yaml takes the files from here
  rm -rf "$b"
  mkdir -p "$b"
  build linux "$arch" "$b/baomi"
  cp -r "$host/docs" "$b/docs"
  # The unit as packaged: the binary is in /usr/bin.
  sed 's|/usr/local/bin/baomi|/usr/bin/baomi|g' deploy/baomi-watch.service >"$b/baomi-watch.service"
  for packager in deb rpm; do
    VERSION=$VERSION ARCH=$arch go run "$NFPM" package --config packaging/nfpm.yaml --packager "$packager" --target "$DIST/"
  done
done
rm -rf "$DIST/stage"

w="$DIST/build/windows_amd64/baomi_${VERSION}_windows_amd64"
mkdir -p "$w"
build windows amd64 "$w/baomi.exe"
cp packaging/windows/使用说明.txt "$w/"
cp packaging/config.example.yaml "$w/config.example.yaml"
cp "$host/docs/completions/baomi.ps1" "$w/"
(cd "$(dirname "$w")" && zip -qr9X "$OLDPWD/$DIST/baomi_${VERSION}_windows_amd64.zip" "$(basename "$w")")

rm -rf "$host" "$DIST/build"
ls -l "$DIST"
