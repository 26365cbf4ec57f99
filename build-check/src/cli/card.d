build-check/src/cli/card.o: src/cli/card.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/report_args.h \
 src/stats/analysis.h src/stats/runs.h src/stats/stats.h src/util/units.h \
 src/report/card.h src/report/provenance.h src/report/template.h \
 src/report/card_merge.h src/util/atomic.h src/util/num.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/report_args.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/report/card.h:
src/report/provenance.h:
src/report/template.h:
src/report/card_merge.h:
src/util/atomic.h:
src/util/num.h:
