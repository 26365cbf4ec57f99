build-check/src/cli/report.o: src/cli/report.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/report_args.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/report/report.h src/report/doc.h /usr/include/cairo/cairo.h \
 /usr/include/cairo/cairo-version.h /usr/include/cairo/cairo-features.h \
 /usr/include/cairo/cairo-deprecated.h src/report/template.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/report_args.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/report/report.h:
src/report/doc.h:
/usr/include/cairo/cairo.h:
/usr/include/cairo/cairo-version.h:
/usr/include/cairo/cairo-features.h:
/usr/include/cairo/cairo-deprecated.h:
src/report/template.h:
