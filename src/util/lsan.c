/* LeakSanitizer's settings for `make check-asan` (an ordinary run never calls these).  The
 * Makefile links this object into the binary and every test explicitly, since the runtime
 * looks the functions up by name and nothing else references them.  fontconfig leaks a
 * few hundred bytes parsing its XML configuration, once per process, in pango's
 * font-loading thread: not ours, and not reachable to free.  Only that library is
 * suppressed, so a figure, layout or font map we forget is still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ... and no report of the suppression on every exit. */
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
