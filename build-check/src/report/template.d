build-check/src/report/template.o: src/report/template.c \
 src/report/template.h src/util/err.h src/util/text.h
src/report/template.h:
src/util/err.h:
src/util/text.h:
