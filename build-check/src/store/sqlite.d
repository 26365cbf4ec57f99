build-check/src/store/sqlite.o: src/store/sqlite.c src/store/sqlite_int.h \
 src/store/backend.h src/store/store.h src/util/err.h \
 src/store/migrations.h
src/store/sqlite_int.h:
src/store/backend.h:
src/store/store.h:
src/util/err.h:
src/store/migrations.h:
