package pdf

import (
	"crypto/md5"
	"crypto/rc4"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfcpu knows no Identity crypt filter: where a V4 or V5 encryption
// dictionary leaves strings (/StrF) or streams (/StmF) unencrypted, by
// /Identity or by leaving the entry out (Identity is the default, ISO
// 32000-1 table 20), pdfcpu "decrypts" them with RC4 all the same, and
// the text read from them is garbage. RC4 is its own inverse: applying it
// again with the same key gives the plain bytes back.

// identityUndo returns a function that restores, in object objNr gen as
// pdfcpu decrypted it, the strings and stream data the file left
// unencrypted; nil when the file has none.
func identityUndo(pc *model.Context) func(objNr, gen int, o types.Object) types.Object {
	if pc.E == nil || pc.EncKey == nil || pc.E.V < 4 || pc.Encrypt == nil {
		return nil
	}
	d, err := pc.DereferenceDict(*pc.Encrypt)
	if err != nil || d == nil {
		return nil
	}
	identity := func(k string) bool {
		n := d.NameEntry(k)
		return n == nil || *n == "Identity"
	}
	strs, stms := identity("StrF"), identity("StmF")
	if !strs && !stms {
		return nil
	}
	return func(objNr, gen int, o types.Object) types.Object {
		// pdfcpu's RC4 key for an object: Algorithm 1 of ISO 32000-1
		// (7.6.2), MD5 of the file key, the object number's low 3 bytes
		// and the generation's low 2; for streams of AES-256 files (R5,
		// R6), the file key itself.
		h := md5.New()
		h.Write(pc.EncKey)
		h.Write([]byte{byte(objNr), byte(objNr >> 8), byte(objNr >> 16), byte(gen), byte(gen >> 8)})
		key := h.Sum(nil)[:min(len(pc.EncKey)+5, 16)]
		sd, ok := o.(types.StreamDict)
		if !ok {
			if strs {
				o = rc4Strings(o, key)
			}
			return o
		}
		if strs {
			rc4Strings(sd.Dict, key)
		}
		if pc.E.R == 5 || pc.E.R == 6 {
			key = pc.EncKey
		}
		// pdfcpu leaves metadata alone when /EncryptMetadata is false.
		if t := sd.Type(); stms && (pc.E.Emd || t == nil || *t != "Metadata") {
			sd.Raw = rc4Apply(key, sd.Raw)
		}
		return sd
	}
}

// rc4Strings applies RC4 with key to every string in o, in place where o
// is a dictionary or an array, and returns o.
func rc4Strings(o types.Object, key []byte) types.Object {
	switch v := o.(type) {
	case types.StringLiteral:
		if b, err := types.Unescape(v.Value()); err == nil {
			return types.NewHexLiteral(rc4Apply(key, b))
		}
	case types.HexLiteral:
		if b, err := v.Bytes(); err == nil {
			return types.NewHexLiteral(rc4Apply(key, b))
		}
	case types.Dict:
		for k, e := range v {
			v[k] = rc4Strings(e, key)
		}
	case types.Array:
		for i, e := range v {
			v[i] = rc4Strings(e, key)
		}
	}
	return o
}

// rc4Apply returns data with the RC4 key stream of key applied.
func rc4Apply(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return data
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}
