build-check/src/report/spec.o: src/report/spec.c src/report/spec.h \
 src/util/err.h
src/report/spec.h:
src/util/err.h:
