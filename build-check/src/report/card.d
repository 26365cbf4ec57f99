build-check/src/report/card.o: src/report/card.c src/report/card.h \
 src/report/provenance.h src/store/store.h src/util/err.h \
 src/report/template.h src/stats/analysis.h src/stats/runs.h \
 src/stats/stats.h src/util/units.h src/report/basis.h src/stats/rating.h
src/report/card.h:
src/report/provenance.h:
src/store/store.h:
src/util/err.h:
src/report/template.h:
src/stats/analysis.h:
src/stats/runs.h:
src/stats/stats.h:
src/util/units.h:
src/report/basis.h:
src/stats/rating.h:
