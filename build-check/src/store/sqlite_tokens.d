build-check/src/store/sqlite_tokens.o: src/store/sqlite_tokens.c \
 src/store/sqlite_int.h src/store/backend.h src/store/store.h \
 src/util/err.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
