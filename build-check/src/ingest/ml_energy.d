build-check/src/ingest/ml_energy.o: src/ingest/ml_energy.c \
 src/ingest/common.h src/ingest/ingest.h src/ingest/reader.h \
 src/util/err.h src/store/store.h src/util/num.h src/util/units.h \
 src/ingest/csv.h
src/ingest/common.h:
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
src/ingest/csv.h:
