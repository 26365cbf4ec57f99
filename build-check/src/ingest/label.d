build-check/src/ingest/label.o: src/ingest/label.c src/ingest/label.h \
 src/store/store.h src/util/err.h
src/ingest/label.h:
src/store/store.h:
src/util/err.h:
