build-check/src/store/sqlite_ingest.o: src/store/sqlite_ingest.c \
 src/store/sqlite_int.h src/store/backend.h src/store/store.h \
 src/util/err.h src/util/units.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
src/util/units.h:
