build-check/src/cli/migrate.o: src/cli/migrate.c src/cli/cli.h \
 src/store/store.h src/util/err.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
