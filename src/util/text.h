/* Small text helpers: UTF-8 validation, Windows-1252 conversion, trimming. */
#ifndef WP_UTIL_TEXT_H
#define WP_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates) without NUL. */
bool wp_utf8_valid(const char *s, size_t len);

/* Converts Windows-1252 text to UTF-8 into out (which needs 3 * len + 1 bytes); returns
 * the length written.  Bytes undefined in Windows-1252 become U+FFFD. */
size_t wp_cp1252_to_utf8(const char *s, size_t len, char *out);

/* A measuring tool's name as its authors write it, for the tool id the parsers store
 * ("codecarbon" -> "CodeCarbon"); an id it does not know comes back as it is. */
const char *wp_tool_display(const char *id);

/* The length of the invisible formatting character s starts with (0 for any other), and
 * its code point in *cp: the bidirectional controls (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069), which reorder the text around them so that a name can show as
 * another ("Trojan Source"), U+200B, U+2060 and U+FEFF (zero width), and the
 * noncharacters U+FFFE and U+FFFF (cairo refuses to draw them: one in a model's name failed
 * every PDF).  Outputs for people show them as \uXXXX; machine formats keep them. */
size_t wp_text_format_char(const char *s, unsigned *cp);

/* s as a terminal shows it safely: control characters (C0, DEL and the C1 range U+0080 to
 * U+009F, which terminals read as escape sequences) become \n, \r, \t, \xHH or \u00HH, the
 * formatting characters of wp_text_format_char \uXXXX, and a byte that is not part of
 * well-formed UTF-8 becomes \xHH; everything else is kept.  A heap string (NULL on
 * out-of-memory), freed by the caller. */
char *wp_text_escape_controls(const char *s);
/* wp_text_escape_controls but for a page or a figure (pango draws a control character as a
 * box): line ends and tabs are kept, they lay the text out.  Heap string or NULL. */
char *wp_text_escape_display(const char *s);
/* s with only its bytes that are not well-formed UTF-8 escaped as \xHH: how text that is not
 * UTF-8 (a file name in Latin-1) enters the database, once, so that every output (PDF,
 * xlsx XML, JSON, cards) gets valid UTF-8.  Heap string, NULL on out-of-memory. */
char *wp_text_escape_invalid_utf8(const char *s);

/* Copies at most size-1 bytes of s, never cutting a UTF-8 sequence. */
void wp_strlcpy_utf8(char *dst, const char *src, size_t size);

/* Writes s (NULL as "") as a JSON string: quotes, backslashes and control characters (and
 * DEL) escaped, UTF-8 as it is. The one JSON string writer of the CLI and the exports. */
void wp_json_put_text(FILE *out, const char *s);

/* Writes s (NULL as "") as a YAML double-quoted string that YAML 1.1 (PyYAML, libyaml) and
 * 1.2 (js-yaml) read back exactly: quotes and backslashes escaped, and every character a
 * YAML stream may not hold raw (C0 but tab as \xHH or \t \n \r, DEL, C1, U+FEFF, U+FFFE,
 * U+FFFF) and the line and paragraph separators as escapes. */
void wp_yaml_put_text(FILE *out, const char *s);

/* x with sig significant digits in fixed notation, thousands separated, into buf: 0.002586,
 * -0.00002230, 2.586, 1,128, 568,300,000 (rounded to the digits kept); "n/a" when not
 * finite.  The reports' one number format for people. */
void wp_text_sig(double x, int sig, char *buf, size_t size);

/* A task id as words for people, in place: '_' -> ' ', the field's initialisms in capitals
 * ("extractive_qa" -> "extractive QA").  The charts' and the report's one rule. */
void wp_text_task_words(char *task);

#endif
