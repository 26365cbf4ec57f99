-- wattprint schema, version 4, PostgreSQL dialect (BIGINT sums, TEXT COLLATE "C"; see
-- ../004_token_count.sql and schema/README.md).  Version 4: token counts per model and dataset, for energy per token of
-- generative models.  A token-count file (`wattprint tokens`) lists the input and output
-- tokens of every sample a model processed; what is kept is, per (model, dataset) under the
-- labels the experiments use, the number of samples and the sums.  Keyed by names, not by
-- model/dataset ids: counts may arrive before the logs they describe, and creating model
-- rows for them would invent models nothing measured.
CREATE TABLE token_count (
    model          TEXT COLLATE "C"    NOT NULL,   -- as experiments name it (after the names map)
    dataset        TEXT COLLATE "C"    NOT NULL,
    samples        BIGINT  NOT NULL CHECK (samples > 0),
    input_tokens   BIGINT  NOT NULL CHECK (input_tokens >= 0),
    output_tokens  BIGINT  NOT NULL CHECK (output_tokens >= 0),
    logged_model   TEXT COLLATE "C"    NOT NULL,   -- as the token-count file spells them
    logged_dataset TEXT COLLATE "C"    NOT NULL,
    source_path    TEXT COLLATE "C"    NOT NULL,   -- the file they came from, and its content
    source_sha256  TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (model, dataset)
);
CREATE INDEX token_count_source ON token_count (source_path);
