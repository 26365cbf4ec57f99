build-check/src/store/store.o: src/store/store.c src/store/backend.h \
 src/store/store.h src/util/err.h src/store/migrations.h src/util/num.h \
 src/util/text.h
src/store/backend.h:
src/store/store.h:
src/util/err.h:
src/store/migrations.h:
src/util/num.h:
src/util/text.h:
