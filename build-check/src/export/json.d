build-check/src/export/json.o: src/export/json.c src/export/json.h
src/export/json.h:
