/*
 * qr.c: QR codes (libqrencode) as inline SVG: one path of unit squares,
 * a four-module quiet zone, black on white, scalable.
 */

#include <string.h>

#include <qrencode.h>

#include "capacita.h"

int
qr_svg(struct buf *out, const char *text, const char *label)
{
	QRcode	*q;
	int	 x, y, w;

	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return (-1);
	w = q->width;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" class=\"qr\" role=\"img\" "
	    "aria-label=\"", w + 8, w + 8);
	html_puts(out, label);
	buf_puts(out, "\" shape-rendering=\"crispEdges\">");
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", w + 8, w + 8);
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x++) {
			if (q->data[y * w + x] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", x + 4, y + 4);
		}
	}
	buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	return (0);
}
