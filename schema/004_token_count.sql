-- wattprint schema, version 4: token counts per model and dataset, for energy per token of
-- generative models.  A token-count file (`wattprint tokens`) lists the input and output
-- tokens of every sample a model processed; what is kept is, per (model, dataset) under the
-- labels the experiments use, the number of samples and the sums.  Keyed by names, not by
-- model/dataset ids: counts may arrive before the logs they describe, and creating model
-- rows for them would invent models nothing measured.
CREATE TABLE token_count (
    model          TEXT    NOT NULL,   -- as experiments name it (after the names map)
    dataset        TEXT    NOT NULL,
    samples        INTEGER NOT NULL CHECK (samples > 0),
    input_tokens   INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens  INTEGER NOT NULL CHECK (output_tokens >= 0),
    logged_model   TEXT    NOT NULL,   -- as the token-count file spells them
    logged_dataset TEXT    NOT NULL,
    source_path    TEXT    NOT NULL,   -- the file they came from, and its content
    source_sha256  TEXT    NOT NULL,
    PRIMARY KEY (model, dataset)
);
CREATE INDEX token_count_source ON token_count (source_path);
