#include "gpt/pictures/svg.h"

#include <math.h>

// Fonts most machines have; DejaVu Sans also draws the ␣ and → symbols the labels use.
static const char FONT_FAMILY[] = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
static const char MONOSPACE_FAMILY[] = "DejaVu Sans Mono, Menlo, Consolas, monospace";
static const char TEXT_COLOUR[] = "#222222";

void svg_begin(Svg *svg, FILE *file, double width, double height, const char *title) {
    *svg = (Svg){.file = file, .width = width, .height = height};
    fprintf(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(file, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"%s\">\n", width, height, width, height, FONT_FAMILY);
    fprintf(file, "<title>");
    svg_escape(file, title);
    fprintf(file, "</title>\n");
    svg_rect(svg, 0, 0, width, height, "#ffffff", "background");
}

bool svg_end(Svg *svg) {
    fprintf(svg->file, "</svg>\n");
    return fflush(svg->file) == 0 && !ferror(svg->file);
}

static void class_attribute(FILE *file, const char *class_name) {
    if (class_name != NULL) fprintf(file, " class=\"%s\"", class_name);
}

void svg_rect(Svg *svg, double x, double y, double w, double h, const char *fill, const char *class_name) {
    fprintf(svg->file, "<rect");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n", x, y, w, h, fill);
}

void svg_cell(Svg *svg, double x, double y, double w, double h, const char *fill, const char *class_name,
              const char *tooltip) {
    fprintf(svg->file, "<rect");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>", x, y, w, h, fill);
    svg_escape(svg->file, tooltip);
    fprintf(svg->file, "</title></rect>\n");
}

void svg_box(Svg *svg, double x, double y, double w, double h, const char *stroke, const char *class_name) {
    fprintf(svg->file, "<rect");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"6\" fill=\"#ffffff\" "
            "fill-opacity=\"0.92\" stroke=\"%s\"/>\n", x, y, w, h, stroke);
}

void svg_frame(Svg *svg, double x, double y, double w, double h, double corner, const char *fill, const char *stroke,
               const char *class_name) {
    fprintf(svg->file, "<rect");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>\n",
            x, y, w, h, corner, fill, stroke);
}

void svg_line(Svg *svg, double x1, double y1, double x2, double y2, const char *stroke, double stroke_width) {
    fprintf(svg->file, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.2f\"/>\n",
            x1, y1, x2, y2, stroke, stroke_width);
}

void svg_circle(Svg *svg, double cx, double cy, double r, const char *fill, const char *class_name) {
    fprintf(svg->file, "<circle");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"/>\n", cx, cy, r, fill);
}

void svg_polyline(Svg *svg, const double *x, const double *y, int n, const char *stroke, double stroke_width,
                  const char *class_name) {
    fprintf(svg->file, "<polyline");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\" stroke-linejoin=\"round\" "
            "stroke-linecap=\"round\" points=\"", stroke, stroke_width);
    for (int i = 0; i < n; i++) fprintf(svg->file, "%s%.2f,%.2f", i > 0 ? " " : "", x[i], y[i]);
    fprintf(svg->file, "\"/>\n");
}

void svg_path(Svg *svg, const char *d, const char *stroke, double stroke_width, const char *marker,
              const char *class_name) {
    fprintf(svg->file, "<path");
    class_attribute(svg->file, class_name);
    fprintf(svg->file, " d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\"", d, stroke, stroke_width);
    if (marker != NULL) fprintf(svg->file, " marker-end=\"url(#%s)\"", marker);
    fprintf(svg->file, "/>\n");
}

void svg_arrow_marker(Svg *svg, const char *id, const char *fill) {
    fprintf(svg->file, "<defs><marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
            "markerHeight=\"7\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"%s\"/></marker></defs>\n",
            id, fill);
}

void svg_text(Svg *svg, double x, double y, const SvgTextStyle *style, const char *text) {
    static const char *const ANCHORS[] = {"start", "middle", "end"};
    fprintf(svg->file, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\"", x, y,
            style->size, ANCHORS[style->anchor], style->fill ? style->fill : TEXT_COLOUR);
    if (style->bold) fprintf(svg->file, " font-weight=\"bold\"");
    if (style->monospace) fprintf(svg->file, " font-family=\"%s\" xml:space=\"preserve\"", MONOSPACE_FAMILY);
    if (style->rotate != 0.0) fprintf(svg->file, " transform=\"rotate(%.1f %.2f %.2f)\"", style->rotate, x, y);
    fprintf(svg->file, ">");
    svg_escape(svg->file, text);
    fprintf(svg->file, "</text>\n");
}

void svg_hatch_pattern(Svg *svg, const char *id, const char *background, const char *stripe) {
    fprintf(svg->file, "<defs><pattern id=\"%s\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"%s\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"%s\" stroke-width=\"3\"/></pattern></defs>\n",
            id, background, stripe);
}

// The length of the valid UTF-8 sequence at s that XML 1.0 accepts as a character
// (no overlong forms, surrogates, U+FFFE or U+FFFF, nothing above U+10FFFF), or 0.
static int utf8_character_length(const unsigned char *s) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;  // also stops at the terminating NUL
    if (n >= 3) {
        unsigned char second = s[1];
        if (c == 0xE0 && second < 0xA0) return 0;           // overlong
        if (c == 0xED && second >= 0xA0) return 0;          // UTF-16 surrogates
        if (c == 0xEF && second == 0xBF && s[2] >= 0xBE) return 0;  // U+FFFE, U+FFFF
        if (c == 0xF0 && second < 0x90) return 0;           // overlong
        if (c == 0xF4 && second >= 0x90) return 0;          // above U+10FFFF
    }
    return n;
}

void svg_escape(FILE *file, const char *text) {
    const unsigned char *s = (const unsigned char *)text;
    while (*s != '\0') {
        int n = utf8_character_length(s);
        if (n == 0 || *s < 0x20 || *s == 0x7F) {
            fprintf(file, "\\x%02x", *s);  // a control byte or a broken sequence: show the byte
            s++;
            continue;
        }
        switch (*s) {
        case '&': fputs("&amp;", file); break;
        case '<': fputs("&lt;", file); break;
        case '>': fputs("&gt;", file); break;
        case '"': fputs("&quot;", file); break;
        case '\'': fputs("&apos;", file); break;
        default: fwrite(s, 1, (size_t)n, file);
        }
        s += n;
    }
}

static int component(double v) {
    if (!(v > 0.0)) return 0;  // also NaN
    return v >= 1.0 ? 255 : (int)lround(v * 255.0);
}

const char *svg_rgb(char buf[8], double r, double g, double b) {
    snprintf(buf, 8, "#%02x%02x%02x", component(r), component(g), component(b));
    return buf;
}

int svg_text_length(const char *text) {
    int n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) n += (*s & 0xC0) != 0x80;  // not a continuation byte
    return n;
}
