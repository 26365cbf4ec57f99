/* The sanitizers' settings for `make check-asan` and `make check-tsan` (an ordinary run never
 * calls these).  The Makefile links this object into the binary and every test explicitly,
 * since the runtimes look the functions up by name and nothing else references them.
 *
 * LeakSanitizer: fontconfig leaks a few hundred bytes parsing its XML configuration, once
 * per process, in pango's font-loading thread: not ours, and not reachable to free.  Only
 * that library is suppressed, so a figure, layout or font map we forget is still reported.
 *
 * ThreadSanitizer: fontconfig's initialisation runs on pango's "FcInit" thread while the
 * first text is measured, synchronised inside glib and fontconfig, which are not built with
 * the sanitizer: it sees races there that are not ours.  Only reports with a frame in
 * fontconfig are suppressed; a race between our own threads (the ingest's read-ahead, its
 * parser thread, the checkpoint thread, the chart and bootstrap workers) is still reported.
 * An allocation too large to make returns NULL, as malloc does (test_array asks for one). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);
const char *__tsan_default_suppressions(void);
const char *__tsan_default_options(void);

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ... and no report of the suppression on every exit. */
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

const char *__tsan_default_suppressions(void)
{
    return "race:libfontconfig.so\n";
}

const char *__tsan_default_options(void)
{
    return "print_suppressions=0 allocator_may_return_null=1";
}
