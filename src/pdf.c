/*
 * pdf.c: the PDF certificate (libharu): A4, Bootstrap Italia's Titillium
 * Web (the TTF files the bootstrap-italia package ships, embedded), the
 * QR code to the public verification page, and the signed credential
 * itself as an embedded file, so that the PDF alone can be verified
 * (bin/capacita verify reads it back with pdfattach.c). A revoked
 * badge's certificate says REVOCATO (REVOKED) across the page, with the
 * date and the reason.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_namedict.h>
#include <qrencode.h>

#include "capacita.h"

#define FONT_DIR	"node_modules/bootstrap-italia/dist/fonts/Titillium_Web"
#define FONT_FILE(w)	FONT_DIR "/titillium-web-v10-latin-ext_latin-" w ".ttf"

struct pdf_ctx {
	jmp_buf		 jb;
	HPDF_STATUS	 code;
};

static void	pdf_error(HPDF_STATUS, HPDF_STATUS, void *);
static HPDF_Font pdf_font(HPDF_Doc, const char *, const char *);
static void	pdf_center(HPDF_Page, HPDF_Font, float, float, float, float,
		    const char *);
static void	pdf_qr(HPDF_Page, const char *, float, float, float);
static void	pdf_revoked(HPDF_Page, HPDF_Font, HPDF_Font,
		    const struct pdf_cert *);
static int	pdf_attach(HPDF_Doc, const struct pdf_cert *, char *, size_t);

static void
pdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct pdf_ctx	*c = arg;

	(void)detail;
	c->code = code;
	longjmp(c->jb, 1);
}

static HPDF_Font
pdf_font(HPDF_Doc pdf, const char *root, const char *file)
{
	char		 path[1024];
	const char	*name;

	(void)snprintf(path, sizeof(path), "%s/%s", root, file);
	name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
	return (HPDF_GetFont(pdf, name, "UTF-8"));
}

/* Text centred in the box (x, top, width, height), wrapped. */
static void
pdf_center(HPDF_Page page, HPDF_Font font, float size, float top, float h,
    float margin, const char *text)
{
	float	w;

	w = HPDF_Page_GetWidth(page);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, font, size);
	HPDF_Page_SetTextLeading(page, size * 1.25f);
	(void)HPDF_Page_TextRect(page, margin, top, w - margin, top - h,
	    text, HPDF_TALIGN_CENTER, NULL);
	HPDF_Page_EndText(page);
}

/* The QR code of text, size points wide, bottom left at (x, y). */
static void
pdf_qr(HPDF_Page page, const char *text, float x, float y, float size)
{
	QRcode	*q;
	float	 m;
	int	 i, j, w;

	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return;
	w = q->width;
	m = size / (float)(w + 8);
	HPDF_Page_SetRGBFill(page, 1, 1, 1);
	HPDF_Page_Rectangle(page, x, y, size, size);
	HPDF_Page_Fill(page);
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
	for (j = 0; j < w; j++) {
		for (i = 0; i < w; i++) {
			if (q->data[j * w + i] & 1)
				HPDF_Page_Rectangle(page, x + (i + 4) * m,
				    y + size - (j + 5) * m, m, m);
		}
	}
	HPDF_Page_Fill(page);
	QRcode_free(q);
}

/* REVOCATO (REVOKED) across the page, the date and the reason. */
static void
pdf_revoked(HPDF_Page page, HPDF_Font bold, HPDF_Font regular,
    const struct pdf_cert *c)
{
	struct buf	b;
	float		w, h;

	w = HPDF_Page_GetWidth(page);
	h = HPDF_Page_GetHeight(page);
	HPDF_Page_GSave(page);
	HPDF_Page_SetRGBFill(page, 0.80f, 0.05f, 0.10f);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, bold, 58);
	/* 45 degrees, through the middle of the page. */
	HPDF_Page_SetTextMatrix(page, 0.7071f, 0.7071f, -0.7071f, 0.7071f,
	    w / 2 - 200, h / 2 - 230);
	HPDF_Page_ShowText(page, "REVOCATO (REVOKED)");
	HPDF_Page_EndText(page);
	HPDF_Page_GRestore(page);

	buf_init(&b, 256);
	buf_printf(&b, "REVOCATO il %s (revoked on %s). Motivo (reason): %s",
	    c->revoked_date, c->revoked_date, c->revoked_reason);
	HPDF_Page_SetRGBFill(page, 0.80f, 0.05f, 0.10f);
	HPDF_Page_SetRGBStroke(page, 0.80f, 0.05f, 0.10f);
	HPDF_Page_SetLineWidth(page, 2);
	HPDF_Page_Rectangle(page, 40, h - 120, w - 80, 60);
	HPDF_Page_Stroke(page);
	pdf_center(page, regular, 12, h - 66, 50, 50, b.data);
	HPDF_Page_SetRGBFill(page, 0, 0, 0);
	buf_free(&b);
}

/*
 * Embed the credential: libharu reads it from a file, so it goes to a
 * private temporary directory first; the names the PDF shows are then
 * set to "badge-<id>.json" (not the temporary path).
 */
static int
pdf_attach(HPDF_Doc pdf, const struct pdf_cert *c, char *dir, size_t dlen)
{
	HPDF_EmbeddedFile	 ef;
	HPDF_NameTree		 tree;
	HPDF_Array		 names;
	HPDF_String		 s;
	char			 path[1100], name[64];
	int			 fd;
	size_t			 len;

	(void)snprintf(dir, dlen, "%s/pdf.XXXXXX", c->tmp_dir);
	if (mkdir(c->tmp_dir, 0700) == -1 && errno != EEXIST)
		return (-1);
	if (mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return (-1);
	}
	(void)snprintf(name, sizeof(name), "badge-%s.json", c->id);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return (-1);
	len = strlen(c->credential);
	if (write(fd, c->credential, len) != (ssize_t)len) {
		close(fd);
		return (-1);
	}
	close(fd);
	if ((ef = HPDF_AttachFile(pdf, path)) == NULL)
		return (-1);
	(void)HPDF_Dict_AddName(ef, "Type", "Filespec");
	(void)HPDF_Dict_Add(ef, "F", HPDF_String_New(pdf->mmgr, name, NULL));
	(void)HPDF_Dict_Add(ef, "UF", HPDF_String_New(pdf->mmgr, name, NULL));
	(void)HPDF_Dict_Add(ef, "Desc", HPDF_String_New(pdf->mmgr,
	    "Open Badges 3.0 credential (eddsa-jcs-2022)", NULL));
	tree = HPDF_NameDict_GetNameTree(HPDF_Catalog_GetNames(pdf->catalog),
	    HPDF_NAME_EMBEDDED_FILES);
	names = tree != NULL ? HPDF_Dict_GetItem(tree, "Names",
	    HPDF_OCLASS_ARRAY) : NULL;
	s = names != NULL ? HPDF_Array_GetItem(names, 0, HPDF_OCLASS_STRING) :
	    NULL;
	if (s != NULL)
		(void)HPDF_String_SetValue(s, name);
	return (0);
}

/* The certificate of c as a PDF in out. */
int
pdf_certificate(const struct pdf_cert *c, struct buf *out, struct buf *err)
{
	struct pdf_ctx	 ctx;
	HPDF_Doc	 pdf;
	HPDF_Page	 page;
	HPDF_Font	 regular, semi, bold;
	struct buf	 line;
	char		 dir[1024], path[1100];
	HPDF_UINT32	 size;
	HPDF_BYTE	 chunk[8192];
	float		 w, h;
	volatile int	 rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(dir, 0, sizeof(dir));
	if ((pdf = HPDF_New(pdf_error, &ctx)) == NULL) {
		buf_puts(err, "libharu: out of memory");
		return (-1);
	}
	buf_init(&line, 256);
	rc = -1;
	if (setjmp(ctx.jb) != 0) {
		buf_printf(err, "libharu error 0x%04x", (unsigned)ctx.code);
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, c->title);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, c->issuer);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Capacita");
	regular = pdf_font(pdf, c->root, FONT_FILE("regular"));
	semi = pdf_font(pdf, c->root, FONT_FILE("600"));
	bold = pdf_font(pdf, c->root, FONT_FILE("700"));

	page = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	w = HPDF_Page_GetWidth(page);
	h = HPDF_Page_GetHeight(page);

	/* A frame in Bootstrap Italia's primary blue (#0066cc). */
	HPDF_Page_SetRGBStroke(page, 0, 0.4f, 0.8f);
	HPDF_Page_SetLineWidth(page, 3);
	HPDF_Page_Rectangle(page, 24, 24, w - 48, h - 48);
	HPDF_Page_Stroke(page);

	HPDF_Page_SetRGBFill(page, 0, 0.4f, 0.8f);
	pdf_center(page, semi, 14, h - 140, 40, 60, c->issuer);
	HPDF_Page_SetRGBFill(page, 0.1f, 0.1f, 0.1f);
	pdf_center(page, bold, 34, h - 190, 50, 60, "Attestato");
	pdf_center(page, regular, 12, h - 232, 20, 60, "Certificate");
	pdf_center(page, regular, 14, h - 280, 24, 60,
	    "Si attesta che (This certifies that)");
	pdf_center(page, bold, 26, h - 310, 70, 60, c->learner);
	pdf_center(page, regular, 14, h - 385, 24, 60,
	    "ha conseguito (has earned)");
	pdf_center(page, semi, 20, h - 415, 60, 60, c->title);
	buf_printf(&line, "%s: %s", "Corso (course)", c->course);
	pdf_center(page, regular, 13, h - 480, 40, 60, line.data);
	buf_reset(&line);
	buf_printf(&line, "Ore (hours): %s    Data (date): %s", c->hours,
	    c->date);
	pdf_center(page, regular, 13, h - 525, 24, 60, line.data);

	pdf_qr(page, c->url, w / 2 - 70, 150, 140);
	pdf_center(page, regular, 10, 140, 30, 60,
	    "Verifica (verify): ");
	pdf_center(page, regular, 10, 125, 30, 60, c->url);
	buf_reset(&line);
	buf_printf(&line, "Il file dell'attestato firmato è allegato a "
	    "questo PDF (the signed credential is attached): badge-%s.json",
	    c->id);
	pdf_center(page, regular, 8, 90, 40, 60, line.data);

	if (c->revoked_date != NULL)
		pdf_revoked(page, bold, regular, c);

	if (pdf_attach(pdf, c, dir, sizeof(dir)) == -1) {
		buf_printf(err, "cannot attach the credential: %s",
		    strerror(errno));
		goto out;
	}
	if (HPDF_SaveToStream(pdf) != HPDF_OK)
		goto out;
	size = HPDF_GetStreamSize(pdf);
	(void)HPDF_ResetStream(pdf);
	while (size > 0) {
		HPDF_UINT32	n = sizeof(chunk);

		if (HPDF_ReadFromStream(pdf, chunk, &n) != HPDF_OK &&
		    n == 0)
			break;
		buf_append(out, chunk, n);
		size -= n < size ? n : size;
	}
	rc = 0;
out:
	if (dir[0] != '\0') {
		(void)snprintf(path, sizeof(path), "%s/badge-%s.json", dir,
		    c->id);
		(void)unlink(path);
		(void)rmdir(dir);
	}
	HPDF_Free(pdf);
	buf_free(&line);
	return (rc);
}
