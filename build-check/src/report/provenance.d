build-check/src/report/provenance.o: src/report/provenance.c \
 src/report/provenance.h src/store/store.h src/util/err.h \
 src/stats/runs.h src/util/sha256.h src/util/text.h src/stats/stats.h \
 src/util/units.h
src/report/provenance.h:
src/store/store.h:
src/util/err.h:
src/stats/runs.h:
src/util/sha256.h:
src/util/text.h:
src/stats/stats.h:
src/util/units.h:
