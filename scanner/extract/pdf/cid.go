package pdf

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"io"
	"sync"
)

// cidTables holds, for the Adobe character collections, the Unicode of each
// CID. It is generated (see TestGenerateCIDTables) from Adobe's
// Adobe-*-UCS2 CMaps, which carry this notice:
//
//	Copyright 1990-2020 Adobe. All rights reserved.
//
//	Redistribution and use in source and binary forms, with or without
//	modification, are permitted provided that the following conditions
//	are met: Redistributions of source code must retain the above
//	copyright notice, this list of conditions and the following
//	disclaimer. Redistributions in binary form must reproduce the above
//	copyright notice, this list of conditions and the following
//	disclaimer in the documentation and/or other materials provided with
//	the distribution. Neither the name of Adobe nor the names of its
//	contributors may be used to endorse or promote products derived from
//	this software without specific prior written permission.
//
//	THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
//	"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
//	LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
//	A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
//	HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
//	SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
//	LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
//	DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
//	THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
//	(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
//	OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
//
//go:embed cid.bin
var cidTables []byte

// cidOrderings are the collections in cid.bin, in order.
var cidOrderings = []string{"GB1", "CNS1", "Japan1", "Korea1"}

var (
	cidOnce sync.Once
	cidMaps map[string][]rune // by ordering: Unicode by CID, 0 for none
)

// cidToUnicode returns the Unicode of cid in the Adobe collection ordering
// (GB1, CNS1, Japan1, Korea1), 0 when there is none.
func cidToUnicode(ordering string, cid uint32) rune {
	cidOnce.Do(func() { cidMaps = decodeCIDTables(cidTables) })
	m := cidMaps[ordering]
	if int64(cid) >= int64(len(m)) {
		return 0
	}
	return m[cid]
}

// decodeCIDTables reads the gzip-compressed tables: per collection, a
// count of runs, then for each run the gap in CIDs since the last run, its
// length and its first code point (consecutive CIDs, consecutive code
// points), all as unsigned varints.
func decodeCIDTables(data []byte) map[string][]rune {
	out := map[string][]rune{}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return out
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return out
	}
	br := bytes.NewReader(raw)
	for _, ord := range cidOrderings {
		runs, err := binary.ReadUvarint(br)
		if err != nil {
			return out
		}
		var m []rune
		cid := uint64(0)
		for range runs {
			gap, err1 := binary.ReadUvarint(br)
			n, err2 := binary.ReadUvarint(br)
			r, err3 := binary.ReadUvarint(br)
			if err1 != nil || err2 != nil || err3 != nil || cid+gap+n > 1<<17 {
				return out
			}
			cid += gap
			for uint64(len(m)) < cid {
				m = append(m, 0)
			}
			for k := range n {
				m = append(m, rune(r+k))
			}
			cid += n
		}
		out[ord] = m
	}
	return out
}
