build-check/src/store/sqlite_read.o: src/store/sqlite_read.c \
 src/store/sqlite_int.h src/store/backend.h src/store/store.h \
 src/util/err.h src/util/units.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
src/util/units.h:
