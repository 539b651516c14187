// A tiny SVG writer: just the elements the pictures of gpt1.c need (rectangles,
// lines, polylines, circles, text), with coordinates in pixels from the top-left
// corner. Everything is written straight to a FILE; nothing is kept in memory.
//
// Text is escaped for XML: & < > " ' become entities, and bytes that are not valid
// UTF-8 or are control characters become visible escapes like \x07, so that any
// token label (a bytes tokenizer can produce anything) gives a well-formed file.
#ifndef GPT1_SVG_H
#define GPT1_SVG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct Svg {
    FILE *file;
    double width, height;
} Svg;

typedef enum { SVG_ANCHOR_START, SVG_ANCHOR_MIDDLE, SVG_ANCHOR_END } SvgAnchor;

typedef struct SvgTextStyle {
    double size;          // font size in pixels
    SvgAnchor anchor;     // which end of the text sits at x
    double rotate;        // degrees, clockwise, around (x, y); -90 reads bottom to top
    const char *fill;     // NULL: the default text colour
    bool bold;
    bool monospace;       // a fixed-width font, and spaces kept as they are (columns of numbers)
} SvgTextStyle;

// The <svg> element, a <title> (shown by browsers as the tab name) and a white background.
void svg_begin(Svg *svg, FILE *file, double width, double height, const char *title);
// Closes the <svg> element; false when the file could not be written.
bool svg_end(Svg *svg);

// class_name may be NULL; it lets tests and stylesheets find the elements.
void svg_rect(Svg *svg, double x, double y, double w, double h, const char *fill, const char *class_name);
// A rectangle with a tooltip (an SVG <title> child): browsers show it on hover.
void svg_cell(Svg *svg, double x, double y, double w, double h, const char *fill, const char *class_name,
              const char *tooltip);
// A white, rounded, outlined box (behind a legend).
void svg_box(Svg *svg, double x, double y, double w, double h, const char *stroke, const char *class_name);
// A rectangle with an outline and corners rounded by `corner` pixels (0: square).
void svg_frame(Svg *svg, double x, double y, double w, double h, double corner, const char *fill, const char *stroke,
               const char *class_name);
void svg_line(Svg *svg, double x1, double y1, double x2, double y2, const char *stroke, double stroke_width);
void svg_circle(Svg *svg, double cx, double cy, double r, const char *fill, const char *class_name);
void svg_polyline(Svg *svg, const double *x, const double *y, int n, const char *stroke, double stroke_width,
                  const char *class_name);
// A path (`d` in SVG path syntax, e.g. "M 0,0 C 0,10 5,10 5,20") without fill, ending
// in the arrowhead of svg_arrow_marker(marker) when marker is not NULL.
void svg_path(Svg *svg, const char *d, const char *stroke, double stroke_width, const char *marker,
              const char *class_name);
void svg_text(Svg *svg, double x, double y, const SvgTextStyle *style, const char *text);
// A <pattern> of diagonal stripes, to fill a rectangle with fill="url(#id)".
void svg_hatch_pattern(Svg *svg, const char *id, const char *background, const char *stripe);

// An arrowhead for the ends of paths, referred to by its id.
void svg_arrow_marker(Svg *svg, const char *id, const char *fill);

// The number of characters of UTF-8 text (to estimate how wide it is drawn).
int svg_text_length(const char *text);
// Writes text with the XML escapes described above.
void svg_escape(FILE *file, const char *text);
// Formats "#rrggbb" into buf (8 bytes) from components in [0, 1] (clamped).
const char *svg_rgb(char buf[8], double r, double g, double b);

#endif
