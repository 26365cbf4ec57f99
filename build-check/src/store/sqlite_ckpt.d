build-check/src/store/sqlite_ckpt.o: src/store/sqlite_ckpt.c \
 src/store/sqlite_int.h src/store/backend.h src/store/store.h \
 src/util/err.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
