// A small well-formedness checker for the SVG files the pictures write: balanced tags,
// quoted attributes, known entities, valid UTF-8, one root element. Enough to catch
// what a writer gets wrong, without an XML library.
#include "tests/xml_check.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

typedef struct XmlCheck {
    const char *start, *p;
    char stack[32][32];
    int depth, roots;
    char why[160];
} XmlCheck;

static bool xml_fail(XmlCheck *x, const char *why) {
    snprintf(x->why, sizeof x->why, "%s at byte %ld: '%.24s'", why, (long)(x->p - x->start), x->p);
    return false;
}

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_' || c == ':' || c == '.'; }

static bool check_entity(XmlCheck *x) {
    static const char *const ENTITIES[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (int i = 0; i < 5; i++)
        if (strncmp(x->p, ENTITIES[i], strlen(ENTITIES[i])) == 0) {
            x->p += strlen(ENTITIES[i]);
            return true;
        }
    return xml_fail(x, "unknown entity or bare &");
}

// Characters of text or of an attribute value, up to `stop`.
static bool check_characters(XmlCheck *x, char stop) {
    while (*x->p != '\0' && *x->p != stop) {
        unsigned char c = (unsigned char)*x->p;
        if (c == '<') return xml_fail(x, "'<' inside text or an attribute");
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') return xml_fail(x, "control character");
        if (c == '&') {
            if (!check_entity(x)) return false;
            continue;
        }
        int n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0) return xml_fail(x, "invalid UTF-8");
        for (int i = 1; i < n; i++)
            if (((unsigned char)x->p[i] & 0xC0) != 0x80) return xml_fail(x, "invalid UTF-8");
        x->p += n;
    }
    return true;
}

static bool check_attributes(XmlCheck *x) {
    for (;;) {
        while (isspace((unsigned char)*x->p)) x->p++;
        if (*x->p == '>' || strncmp(x->p, "/>", 2) == 0 || strncmp(x->p, "?>", 2) == 0) return true;
        const char *name = x->p;
        while (is_name_char(*x->p)) x->p++;
        if (x->p == name || x->p[0] != '=' || x->p[1] != '"') return xml_fail(x, "expected name=\"value\"");
        x->p += 2;
        if (!check_characters(x, '"')) return false;
        if (*x->p != '"') return xml_fail(x, "unterminated attribute");
        x->p++;
    }
}

static bool check_tag(XmlCheck *x) {
    x->p++;  // '<'
    if (*x->p == '?') {  // the declaration
        x->p++;
        while (is_name_char(*x->p)) x->p++;
        if (!check_attributes(x) || strncmp(x->p, "?>", 2) != 0) return xml_fail(x, "bad declaration");
        x->p += 2;
        return true;
    }
    bool closing = *x->p == '/';
    x->p += closing;
    const char *name = x->p;
    while (is_name_char(*x->p)) x->p++;
    int len = (int)(x->p - name);
    if (len == 0 || len >= 32) return xml_fail(x, "bad tag name");
    if (closing) {
        if (x->depth == 0 || strncmp(x->stack[x->depth - 1], name, (size_t)len) != 0 || x->stack[x->depth - 1][len])
            return xml_fail(x, "closing tag does not match");
        x->depth--;
        if (*x->p++ != '>') return xml_fail(x, "bad closing tag");
        return true;
    }
    if (!check_attributes(x)) return false;
    if (x->depth == 0) x->roots++;
    if (*x->p == '/') {  // <empty/>
        x->p += 2;
        return true;
    }
    if (x->depth == 32) return xml_fail(x, "nested too deeply");
    snprintf(x->stack[x->depth++], 32, "%.*s", len, name);
    x->p++;
    return true;
}

bool xml_well_formed(const char *text, char *why, size_t why_len) {
    XmlCheck x = {.start = text, .p = text};
    bool ok = true;
    while (ok && *x.p != '\0') {
        if (*x.p == '<')
            ok = check_tag(&x);
        else if (x.depth == 0 && !isspace((unsigned char)*x.p))
            ok = xml_fail(&x, "text outside the root element");
        else
            ok = check_characters(&x, '<');
    }
    if (ok && (x.depth != 0 || x.roots != 1)) ok = xml_fail(&x, "unclosed elements or not exactly one root");
    snprintf(why, why_len, "%s", ok ? "" : x.why);
    return ok;
}

void assert_well_formed(const char *text, const char *what) {
    char why[200];
    ck_assert_msg(xml_well_formed(text, why, sizeof why), "%s is not well-formed XML: %s", what, why);
}

