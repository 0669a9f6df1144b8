// Package raster holds the operations on grey pictures that OCR needs
// before recognition: conversion to grey, turning, scaling and finding
// where the ink is. Each allocates only its result.
package raster

import (
	"image"
	"image/color"
	"slices"
)

// Gray returns img as grey levels with its origin at (0, 0), transparent
// parts laid on white (a PNG of black text on a transparent background is
// black on white, not black on black).
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := range b.Dy() {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			copy(out.Pix[y*out.Stride:], src.Pix[i:i+b.Dx()])
		}
		return out
	case *image.YCbCr:
		// A JPEG: its Y plane is the grey picture.
		for y := range b.Dy() {
			i := src.YOffset(b.Min.X, b.Min.Y+y)
			copy(out.Pix[y*out.Stride:], src.Y[i:i+b.Dx()])
		}
		return out
	}
	// RGBA64At, which the standard types have, spares At's allocation of
	// a color per pixel.
	at := func(x, y int) color.RGBA64 { return color.RGBA64Model.Convert(img.At(x, y)).(color.RGBA64) }
	if src, ok := img.(image.RGBA64Image); ok {
		at = src.RGBA64At
	}
	for y := range b.Dy() {
		row := out.Pix[y*out.Stride:]
		for x := range b.Dx() {
			row[x] = onWhite(at(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// onWhite is the grey level of c laid on white.
func onWhite(c color.RGBA64) uint8 {
	// Premultiplied: add the white that shows through.
	r, g, b, a := uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
	r, g, b = r+0xffff-a, g+0xffff-a, b+0xffff-a
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 24)
}

// Turn returns g turned deg degrees clockwise (0, 90, 180 or 270), with
// its origin at (0, 0).
func Turn(g *image.Gray, deg int) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if deg%180 != 0 {
		out = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		row := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):]
		for x, v := range row[:w] {
			switch deg {
			case 90:
				out.Pix[out.PixOffset(h-1-y, x)] = v
			case 180:
				out.Pix[out.PixOffset(w-1-x, h-1-y)] = v
			case 270:
				out.Pix[out.PixOffset(y, w-1-x)] = v
			default:
				out.Pix[out.PixOffset(x, y)] = v
			}
		}
	}
	return out
}

// Resize returns g scaled to w×h pixels: by the mean of the pixels each
// covers when it shrinks (no aliasing of thin strokes), bilinearly when it
// grows.
func Resize(g *image.Gray, w, h int) *image.Gray {
	b := g.Bounds()
	sw, sh := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if sw == 0 || sh == 0 || w == 0 || h == 0 {
		return out
	}
	at := func(x, y int) int { return int(g.Pix[g.PixOffset(b.Min.X+x, b.Min.Y+y)]) }
	if w <= sw && h <= sh {
		for y := range h {
			y0, y1 := y*sh/h, max((y+1)*sh/h, y*sh/h+1)
			for x := range w {
				x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
				sum := 0
				for sy := y0; sy < y1; sy++ {
					for sx := x0; sx < x1; sx++ {
						sum += at(sx, sy)
					}
				}
				out.Pix[y*out.Stride+x] = uint8(sum / ((y1 - y0) * (x1 - x0)))
			}
		}
		return out
	}
	// Bilinear, in 1/256 of a pixel, sampling at pixel centres.
	coord := func(i, n, sn int) (lo, hi, f int) {
		p := max(((2*i+1)*sn*256/n-256)/2, 0)
		lo, f = p>>8, p&255
		if lo >= sn-1 {
			return sn - 1, sn - 1, 0
		}
		return lo, lo + 1, f
	}
	for y := range h {
		y0, y1, fy := coord(y, h, sh)
		for x := range w {
			x0, x1, fx := coord(x, w, sw)
			top := at(x0, y0)*(256-fx) + at(x1, y0)*fx
			bot := at(x0, y1)*(256-fx) + at(x1, y1)*fx
			out.Pix[y*out.Stride+x] = uint8((top*(256-fy) + bot*fy + 1<<15) >> 16)
		}
	}
	return out
}

// Threshold is the grey level that best splits g's histogram in two
// (Otsu's method): below it is ink, from it paper.
func Threshold(g *image.Gray) uint8 {
	var hist [256]int
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, v := range g.Pix[g.PixOffset(b.Min.X, y):][:b.Dx()] {
			hist[v]++
		}
	}
	total, sum := 0, 0
	for v, n := range hist {
		total += n
		sum += v * n
	}
	best, t := -1.0, 128
	nb, sb := 0, 0
	for v := range 255 {
		nb += hist[v]
		sb += v * hist[v]
		nf := total - nb
		if nb == 0 || nf == 0 {
			continue
		}
		mb, mf := float64(sb)/float64(nb), float64(sum-sb)/float64(nf)
		if between := float64(nb) * float64(nf) * (mb - mf) * (mb - mf); between > best {
			best, t = between, v+1
		}
	}
	return uint8(t)
}

// Ink returns the smallest rectangle holding every pixel of g darker than
// t (empty when there is none) and how many such pixels there are.
func Ink(g *image.Gray, t uint8) (image.Rectangle, int) {
	var r image.Rectangle
	n := 0
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		first, last := -1, -1
		for x, v := range g.Pix[g.PixOffset(b.Min.X, y):][:b.Dx()] {
			if v < t {
				if first < 0 {
					first = x
				}
				last = x
				n++
			}
		}
		if first >= 0 {
			r = r.Union(image.Rect(b.Min.X+first, y, b.Min.X+last+1, y+1))
		}
	}
	return r, n
}

// strip is the width of the columns TextHeight looks at: narrow enough
// that a line skewed by 2 degrees stays apart from the next.
const strip = 128

// TextHeight estimates the height in pixels of g's characters: the median
// height of the runs of rows holding ink (darker than t), counted in
// columns strip pixels wide. It returns 0 when it finds fewer than 3 runs
// (a blank picture, a photo, a single word).
func TextHeight(g *image.Gray, t uint8) int {
	b := g.Bounds()
	var runs []int
	for x0 := b.Min.X; x0 < b.Max.X; x0 += strip {
		x1 := min(x0+strip, b.Max.X)
		run := 0
		for y := b.Min.Y; y <= b.Max.Y; y++ {
			inked := false
			if y < b.Max.Y {
				for _, v := range g.Pix[g.PixOffset(x0, y):][:x1-x0] {
					if v < t {
						inked = true
						break
					}
				}
			}
			switch {
			case inked:
				run++
			case run >= minRun:
				runs = append(runs, run)
				fallthrough
			default:
				run = 0
			}
		}
	}
	if len(runs) < 3 {
		return 0
	}
	slices.Sort(runs)
	return runs[len(runs)/2]
}

// minRun is the shortest run of inked rows TextHeight counts: shorter ones
// are specks of noise.
const minRun = 3
