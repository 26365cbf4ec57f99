build-check/src/store/sqlite_export.o: src/store/sqlite_export.c \
 src/store/sqlite_int.h src/store/backend.h src/store/store.h \
 src/util/err.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
