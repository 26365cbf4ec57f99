build-check/src/report/latex.o: src/report/latex.c src/report/latex.h \
 src/stats/analysis.h src/stats/runs.h src/store/store.h src/util/err.h \
 src/stats/stats.h src/util/units.h
src/report/latex.h:
src/stats/analysis.h:
src/stats/runs.h:
src/store/store.h:
src/util/err.h:
src/stats/stats.h:
src/util/units.h:
