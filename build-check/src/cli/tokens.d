build-check/src/cli/tokens.o: src/cli/tokens.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/cli/table.h src/ingest/tokens.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/cli/table.h:
src/ingest/tokens.h:
