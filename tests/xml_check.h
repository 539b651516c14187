// Is this text well-formed XML? For the tests of the SVG pictures.
#ifndef GPT1_TEST_XML_CHECK_H
#define GPT1_TEST_XML_CHECK_H

#include <stdbool.h>
#include <stddef.h>

// False with the reason (and the byte where it was found) in why.
bool xml_well_formed(const char *text, char *why, size_t why_len);
// Fails the test, naming `what`, when text is not well-formed.
void assert_well_formed(const char *text, const char *what);

#endif
