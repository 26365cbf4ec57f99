build-check/src/ingest/plausible.o: src/ingest/plausible.c \
 src/ingest/plausible.h src/store/store.h src/util/err.h src/util/units.h
src/ingest/plausible.h:
src/store/store.h:
src/util/err.h:
src/util/units.h:
