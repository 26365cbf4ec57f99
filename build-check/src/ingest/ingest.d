build-check/src/ingest/ingest.o: src/ingest/ingest.c src/ingest/ingest.h \
 src/ingest/reader.h src/util/err.h src/store/store.h src/ingest/basis.h \
 src/ingest/label.h src/ingest/plausible.h
src/ingest/ingest.h:
src/ingest/reader.h:
src/util/err.h:
src/store/store.h:
src/ingest/basis.h:
src/ingest/label.h:
src/ingest/plausible.h:
