#include "textflag.h"

// func prefetchMarks(filter *uint64, mask uint64, ms []Mark)
//
// For each mark, a PREFETCHT0 of filter[ms[i].Hash & mask]. A Mark is 32
// bytes, its Hash first (see prefetch.go).
TEXT ·prefetchMarks(SB), NOSPLIT, $0-40
	MOVQ filter+0(FP), AX
	MOVQ mask+8(FP), BX
	MOVQ ms_base+16(FP), SI
	MOVQ ms_len+24(FP), CX
	TESTQ CX, CX
	JEQ done
loop:
	MOVQ (SI), DX
	ANDQ BX, DX
	PREFETCHT0 (AX)(DX*8)
	ADDQ $32, SI
	DECQ CX
	JNE loop
done:
	RET
