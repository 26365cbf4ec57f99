build-check/src/cli/push.o: src/cli/push.c src/cli/cli.h \
 src/store/store.h src/util/err.h src/ingest/label.h
src/cli/cli.h:
src/store/store.h:
src/util/err.h:
src/ingest/label.h:
