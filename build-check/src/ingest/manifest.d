build-check/src/ingest/manifest.o: src/ingest/manifest.c src/ingest/csv.h \
 src/ingest/reader.h src/util/err.h src/ingest/label.h src/store/store.h \
 src/util/num.h src/util/units.h
src/ingest/csv.h:
src/ingest/reader.h:
src/util/err.h:
src/ingest/label.h:
src/store/store.h:
src/util/num.h:
src/util/units.h:
