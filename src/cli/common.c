/* What every subcommand shares: the command table, messages, help, opening the store. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/options.h"
#include "util/path.h"
#include "util/text.h"
#include "analysis/analysis.h"
#include "analysis/filter.h"
#include "util/atomic.h"
#include "util/num.h"

#define CMD(n, f, s, u) {n, f, s, u}

/* The program's usage, before the list of commands (main.c, the man page). */
const char wp_usage[] =
    "usage: wattprint [--db DB] [-q] COMMAND [ARGS]\n"
    "       wattprint --help | --version | help COMMAND\n"
    "\n"
    "Turns energy measurement logs of AI models into numbers, figures and reports.\n"
    "\n"
    "Global options:\n"
    "  --db DB     the database: a SQLite file, or a PostgreSQL server as\n"
    "              postgresql://[user@][host][/dbname] (default $WATTPRINT_DB,\n"
    "              else wattprint.db)\n"
    "  -q          print no notes or warnings, only errors\n"
    "Both may also follow the command name (wattprint ingest -q ...), before a --.\n";

const struct wp_cmd wp_commands[] = {
    CMD("ingest", wp_cmd_ingest, "load measurement logs into the database",
        "usage: wattprint ingest [options] FILE|DIR...\n"
        "\n"
        "Reads energy logs (see 'wattprint formats') into the database, one transaction\n"
        "per file.  Directories are read recursively; '-' reads standard input; .gz files\n"
        "are read directly.  A file ingested before changes nothing; a file that grew since\n"
        "adds only its new rows; a file changed otherwise at the same path is refused\n"
        "(its runs would count twice) unless --replace is given.\n"
        "\n"
        "  --manifest FILE    label runs from a manifest CSV (also runs ingested earlier)\n"
        "  --model NAME       label the runs of these files with a model ...\n"
        "  --task NAME        ... a task\n"
        "  --dataset NAME     ... a dataset\n"
        "  --inferences N     ... the number of inferences per run\n"
        "  --batch-size N     ... the batch size\n"
        "  --format NAME      do not detect the format: read every file as NAME\n"
        "  --map MAP          read CSV files through a column map (implies --format\n"
        "                     generic): a map file of 'key = column' lines ('#' starts a\n"
        "                     comment line), or inline 'key=column,key=column'.  Keys:\n"
        "                     energy_j|_wh|_kwh, cpu_|gpu_|ram_energy_j|_wh|_kwh,\n"
        "                     duration_s|_ms|_min|_h, emissions_g|_kg, cpu_|gpu_|ram_power_w,\n"
        "                     timestamp, run_id, phase, project, experiment, model, task,\n"
        "                     dataset, inferences, batch_size, cpu_model, gpu_model,\n"
        "                     cpu_count, gpu_count, ram_total_bytes|_gb|_gib, os,\n"
        "                     python_version, country_name, country_iso_code, region,\n"
        "                     cloud_provider, cloud_region, pue, water_l, tool, tool_version\n"
        "  --skip-bad-rows    keep the good rows of a damaged file; the bad lines are kept\n"
        "                     verbatim with their reason (see 'wattprint rejected')\n"
        "  --keep-going       after a file fails, go on with the next one\n"
        "  --replace          a file changed since it was ingested from the same path (a\n"
        "                     report run again, a CSV rewritten) replaces what the earlier\n"
        "                     version gave, in the same transaction\n"
        "  --shards           the FILEs (2 or more CodeCarbon logs) are the per-process or\n"
        "                     per-GPU logs of one distributed run: each holds the node's\n"
        "                     CPU and RAM energy, so GPU energy is summed over them and CPU\n"
        "                     and RAM are taken once (from the file whose run lasted\n"
        "                     longest); one transaction, the runs belong to the first file\n"
        "                     (a manifest's shards column says it per run: README)\n"
        "  --idle             these files are idle windows of their host (nothing running):\n"
        "                     runs on the same hardware get an above-idle energy (stats\n"
        "                     --above-idle); a manifest column idle = yes does the same\n"
        "\n"
        "WATTPRINT_INGEST_THREADS=1 parses each file on the thread that stores its rows\n"
        "(serial); 2 gives every file's parser a thread of its own; unset, a file of 1 MiB\n"
        "or more and standard input get one, and smaller files are read and parsed ahead\n"
        "on a second thread while the one before is stored.  Rows, messages and database\n"
        "are the same.\n"
        "WATTPRINT_LABELS_AS_ADDED=0 stores new runs unlabelled and labels them in the\n"
        "passes after each file and after the files (slower; the same labels: the\n"
        "reference the labelling differential test compares with).\n"),
    CMD("manifest", wp_cmd_manifest, "label runs from a manifest CSV",
        "usage: wattprint manifest FILE\n"
        "       wattprint manifest --skeleton [-o FILE]\n"
        "\n"
        "Stores the manifest's rules (replacing the earlier rules of the same manifest) and\n"
        "applies them to every run in the database; they also label runs ingested later.\n"
        "Says how many runs it labelled and which rows matched no run. Lines that start\n"
        "with '#' are comments.\n"
        "\n"
        "--skeleton writes the manifest to fill in: one row per group of unlabelled runs,\n"
        "keyed by what the logs name (project_name and experiment_id, else the file), the\n"
        "label columns empty and a comment line saying what goes in each; -o FILE writes it\n"
        "there (atomically) instead of to standard output.\n"),
    CMD("tokens", wp_cmd_tokens, "load token counts per sample, for energy per token",
        "usage: wattprint tokens [--names FILE] FILE...\n"
        "       wattprint tokens [--format table|csv|json]\n"
        "\n"
        "Reads token-count files (header Input,Output,model,dataset: the input and output\n"
        "tokens of each sample a model processed; .gz read directly) and stores, per model\n"
        "and dataset, the number of samples and the sums of input and output tokens, one\n"
        "transaction per file; a file read again replaces what it gave before.  Statistics\n"
        "then give kWh per 1,000 tokens and J per output token for the experiments of\n"
        "those models on those datasets.  Counts that no experiment carries are warned\n"
        "about.  Without files: the stored counts.\n"
        "\n"
        "  --names FILE   map the files' spellings to the labels experiments use: a CSV\n"
        "                 field,logged,label (field = model or dataset); names it does not\n"
        "                 list are kept as written\n"
        "  --format F     table (default), csv or json, for the listing\n"),
    CMD("runs", wp_cmd_runs, "list runs with their labels and energy",
        "usage: wattprint runs [--task T] [--model M] [--dataset D] [--phase P]\n"
        "                      [--unlabeled] [--format table|csv|json]\n"
        "\n"
        "One line per run: its labels, where it came from, and its energy and emissions\n"
        "(the whole-run measurement, or the sum of its phases; --phase P: that phase).\n"),
    CMD("summary", wp_cmd_summary, "per task: experiments, runs, energy per 1,000 inferences",
        "usage: wattprint summary [--phase P] [--format table|csv|json]\n"
        "\n"
        "Per task: experiments, runs, and the mean kWh and g CO2eq per 1,000 inferences\n"
        "over its labelled runs that have an inference count.  Before any run has labels and\n"
        "an inference count: per group the logs name (project_name and experiment_id, else\n"
        "the file), runs, energy, duration, emissions, power, component shares, hardware and\n"
        "place, and what to add (in the table; csv and json keep their columns, and\n"
        "`stats --by project` gives the groups in every format).\n"),
    CMD("compare", wp_cmd_compare, "a candidate against a baseline: ratio, interval, verdict",
        "usage: wattprint [--db DB] compare --against BASELINE_DB [options]\n"
        "       wattprint [--db DB] compare --by COLUMN --baseline VALUE [--candidate VALUE]\n"
        "\n"
        "Per task (or model x task), the candidate's mean kWh per 1,000 inferences over the\n"
        "baseline's, each unit weighted once (the model per task, the experiment per model x\n"
        "task), with a cluster bootstrap interval and a verdict against the margin m:\n"
        "costlier when the whole interval is above 1 + m, lower when it is below 1 - m, same\n"
        "when it lies within [1 - m, 1 + m], undecided otherwise (or with one unit a side).\n"
        "Exits 1 when a row is costlier (or on an error), 0 otherwise: a gate for CI.\n"
        "\n"
        "  --against DB              the baseline database; the candidate is --db\n"
        "  --by COLUMN               compare two values of a manifest column, or of a\n"
        "                            column of the runs' logs (a release), in one database\n"
        "  --baseline VALUE          ... the baseline's value\n"
        "  --candidate VALUE         ... the candidate's (default: the column's one other value)\n"
        "  --rows task|model,task    one row per task (unit model; default) or per model x task\n"
        "                            (unit experiment)\n"
        "  --margin M                equivalence margin, a share or a percentage (default 5%)\n"
        "  --measured-only           leave the components marked modelled at ingest out of\n"
        "                            both sides (a constant estimate pulls ratios towards 1)\n"
        "  --valid-only              leave out each side's runs 'wattprint validity' flags\n"
        "  --meter-interval S        with --valid-only: the meter's sampling interval\n"
        "  --above-idle              each run's energy above its host's idle power (idle\n"
        "                            windows: ingest --idle); runs without one left out,\n"
        "                            and a side with none refused\n"
        "  --task T --model M --dataset D --phase P   filters (both sides)\n"
        "  --level X                 confidence level (default 0.95)\n"
        "  --seed N --resamples N    bootstrap (default seed 42, 10000 resamples)\n"
        "  --format table|csv|json|markdown   markdown fits a CI job summary\n"),
    CMD("validity", wp_cmd_validity, "runs whose measurement says little, at their file and line",
        "usage: wattprint validity [--task T] [--model M] [--dataset D] [--phase P]\n"
        "                          [--meter-interval S] [--format table|csv|json]\n"
        "\n"
        "Flags runs that 'stats --valid-only' leaves out, each a warning at its file and line:\n"
        "  short_window       measured over fewer than 4 sampling intervals of its meter:\n"
        "                     --meter-interval S, else CodeCarbon's default measure_power_secs\n"
        "                     (15 s; its CSV does not log the value); other meters' runs are\n"
        "                     counted as not checked\n"
        "  first_run_outlier  the first run (by start time) of an experiment of 5 or more\n"
        "                     runs whose modified z-score against the others, 0.6745 (x -\n"
        "                     median) / MAD, exceeds 3.5 in absolute value (Iglewicz and\n"
        "                     Hoaglin); a MAD of 0 flags nothing\n"
        "The last line (standard error) counts the flags.\n"),
    CMD("stats", wp_cmd_stats, "statistics with uncertainty per task, model, dataset, hardware",
        "usage: wattprint stats [options]\n"
        "\n"
        "Per group: n, mean, sd, standard error, median, quartiles, min, max, geometric mean\n"
        "and sd of kWh per 1,000 inferences, Student t and bootstrap CIs of the mean, g CO2eq\n"
        "per 1,000 inferences, J and mg CO2eq per inference.  Grouped by task, also: the most\n"
        "vs least energy-intensive task (ratio with bootstrap CI, Welch's t-test on log10),\n"
        "the scaling fit of log10 energy on log10 parameters per task (slope, R^2, p,\n"
        "Spearman), and multi-purpose vs task-specific models where runs are tagged\n"
        "(manifest column purpose).\n"
        "\n"
        "  --by task|model|model,task|dataset|hardware|model,hardware   grouping (default\n"
        "                            task)\n"
        "  --by project              the runs not yet labelled (or without an inference\n"
        "                            count) by what their logs name (project_name and\n"
        "                            experiment_id, else the file): kWh per run with CIs over\n"
        "                            runs, power; the default when no run is labelled yet\n"
        "  --over runs|experiments   statistics over runs (default; the study's table) or over\n"
        "                            experiments, each the mean of its runs, weighted once\n"
        "  --unit model|experiment|run   the independent unit of intervals, tests and fits\n"
        "                            (default: the model by task, dataset or hardware, the\n"
        "                            experiment by model or model,task); intervals are t over\n"
        "                            the unit's means and a cluster bootstrap; run assumes\n"
        "                            independent runs\n"
        "  --phase P                 count only phase P of each run (e.g. \"query model\");\n"
        "                            default: the whole run\n"
        "  --task T --model M --dataset D   filters\n"
        "  --where KEY=VALUE         only runs whose manifest column (else log column) KEY\n"
        "                            is VALUE\n"
        "  --valid-only              leave out the runs 'wattprint validity' flags (a window\n"
        "                            under 4 meter intervals, a first run that is an outlier)\n"
        "  --meter-interval S        with --valid-only: the meter's sampling interval\n"
        "  --plan PCT                instead of the statistics: per group, the variance\n"
        "                            components and the runs per experiment, experiments per\n"
        "                            unit or units that would bring the interval within +/-\n"
        "                            PCT% of the mean, and whether the data reach it\n"
        "  --measured-only           leave the components marked modelled at ingest out of\n"
        "                            each run (CodeCarbon's RAM, a TDP-based CPU): totals\n"
        "                            and emissions drop by their energy\n"
        "  --pairwise                task vs task, every pair (by task): ratio of means with\n"
        "                            its cluster bootstrap CI over the unit, Welch's t on the\n"
        "                            unit means (raw and Holm-adjusted p), the ratio of\n"
        "                            geometric means and its log10 test; csv: that table\n"
        "  --pair A,B                the same for the pairs named (repeatable, Holm over them)\n"
        "  --reference FILE          set each group against published values (CSV: task,\n"
        "                            mean_kwh_per_1k, sd_kwh_per_1k): agrees = within one\n"
        "                            unit of the last printed digit\n"
        "  --level X                 confidence level (default 0.95)\n"
        "  --seed N --resamples N    bootstrap (default seed 42, 10000 resamples)\n"
        "  --quantiles Q,Q,...       extra quantiles of kWh per 1,000 inferences\n"
        "  --carbon-intensity G      what-if: emissions at G g CO2eq/kWh ...\n"
        "  --region ISO3             ... or at a country's grid intensity (shipped table)\n"
        "  --pue X                   ... and a data-centre PUE, in place of any a tool applied\n"
        "  --above-idle              figures use each run's energy above its host's idle\n"
        "                            power (idle windows: ingest --idle); runs without one\n"
        "                            left out, and a selection with none refused\n"
        "  --intensity FILE          emissions at an hourly carbon intensity (CSV: time, zone,\n"
        "                            g CO2eq/kWh, e.g. Electricity Maps' export), time-weighted\n"
        "                            over each run's window; default: as the tools logged it\n"
        "  --zone Z                  with --intensity: the file's zone to use\n"
        "  --intensity-lca           ... Electricity Maps' life-cycle column, not direct\n"
        "  --intensity-basis location|market   ... what the file's figures are (location)\n"
        "  --show groups|headline|scaling|purpose|tokens|all   sections of the table format\n"
        "  --format table|csv|json   csv: the group table (--show tokens alone: the per-token\n"
        "                            table); json: every section\n"
        "\n"
        "Per token, where token counts were loaded ('wattprint tokens'): tokens per inference\n"
        "(input + output, and output alone), kWh per 1,000 tokens and J per output token,\n"
        "pooled over the group's experiments that have counts (token_experiments): the sum\n"
        "of their mean kWh per 1,000 inferences over the sum of their tokens per inference.\n"
        "--show tokens lists those experiments one by one, with the t interval per token.\n"),
    CMD("chart", wp_cmd_chart, "publication figures and an energy label (PNG, SVG, PDF)",
        "usage: wattprint chart KIND -o FILE [options]\n"
        "       wattprint chart all -o DIR [--formats png,svg,pdf] [--jobs N] [options]\n"
        "\n"
        "Draws one figure from the database's labelled runs; the format follows FILE's\n"
        "extension (.png, .svg, .pdf).  Same database, same bytes.  Kinds:\n"
        "  tasks       energy per 1,000 inferences per task: boxes (quartiles over\n"
        "              experiments, whiskers 1.5 IQR) and every experiment, log axis\n"
        "  scaling     energy per 1,000 inferences vs parameters, log-log, a fit per task\n"
        "  models      mean energy per model and task with 95% CIs, the top N\n"
        "  components  share of energy by GPU, CPU and RAM per task\n"
        "  compare     task-specific vs multi-purpose models per task (manifest purpose)\n"
        "  label       an energy label for one model on one task: GPU Wh per 1,000\n"
        "              queries and 1-5 stars among the task's models\n"
        "  pareto      generative configurations: an energy metric (--y, default\n"
        "              j_per_output_token) against latency or throughput (--x, default\n"
        "              itl_p50_s), colour and marker by GPU, the Pareto front drawn, log\n"
        "              axes where values span more than 20x; --gpu G only that GPU\n"
        "  groups      before any label: per group the logs name (project_name and\n"
        "              experiment_id, else the file), mean kWh per run with its 95%\n"
        "              bootstrap CI over runs, log axis\n"
        "  all         every kind but the label into DIR/KIND.png, .svg and .pdf, each the\n"
        "              file its own command draws; a kind the data cannot show is noted\n"
        "              and left out\n"
        "\n"
        "  -o, --output FILE      the figure (.png, .svg or .pdf), written atomically;\n"
        "                         repeat for the same figure in several formats\n"
        "  --formats LIST         all: which formats (default png,svg,pdf)\n"
        "  --jobs N               all: kinds drawn at once (default one per CPU)\n"
        "  --task T --model M     only these runs (label: both required)\n"
        "  --dataset D --where KEY=VALUE   only these runs (KEY: a manifest column, else a\n"
        "                         column of the logs)\n"
        "  --phase P              count only phase P of each run (e.g. \"query model\")\n"
        "  --unit model|experiment|run   what intervals are over (as in stats)\n"
        "  --metric energy|emissions   tasks, models: kWh or g CO2eq (default energy)\n"
        "  --size column|page|slide    77 mm wide (fits a two-column article, ACM and\n"
        "                         IEEE column), 183 mm, or 254 x 143 mm (default column)\n"
        "  --width MM --height MM      any size (the height follows the content if not set)\n"
        "  --dpi N                PNG resolution (default 300, the label too: 1083 x 1517 px)\n"
        "  --scale X              multiplies the PNG resolution (label --dpi 72 --scale 2:\n"
        "                         520 x 728)\n"
        "  --title TEXT           replace the title; --no-title: none (for a caption)\n"
        "  --palette okabe-ito|viridis|grey   colour-blind-safe colours (default okabe-ito)\n"
        "  --theme light|dark     page colours (default light)\n"
        "  --top N                models: how many bars (default 20)\n"
        "  --stars equal|quintile label: AI Energy Score equal-width bins (default) or\n"
        "                         quintiles of the task's models\n"
        "  --against db|FILE      label: rate relative to the task's models in the database\n"
        "                         (default) or to a leaderboard snapshot (the AI Energy\n"
        "                         Score's CSV: model,total_gpu_energy,energy_score,class,\n"
        "                         test date), its newest edition, equal-width bins\n"
        "  --against-class C      the snapshot's class to compare with (when it has several)\n"
        "\n"
        "Exit status 1 when there is nothing to draw (e.g. compare without purpose tags).\n"),
    CMD("xlsx", wp_cmd_xlsx, "a spreadsheet of the statistics, runs and provenance (.xlsx)",
        "usage: wattprint xlsx -o FILE.xlsx [options]\n"
        "\n"
        "Writes an Excel workbook: Summary (per task: n, mean, sd, median, quartiles, t and\n"
        "bootstrap CIs, g CO2eq, equivalents), Models (per model and task, with AI Energy\n"
        "Score stars), Experiments, Runs (every run with its source file and line; past\n"
        "Excel's 1,048,575 rows the list goes on in 'Runs (2)', ...), Scaling (fits and the\n"
        "points), What-if (with --carbon-intensity or --region) and Provenance (every input\n"
        "file with its sha256, the version, command line, parameters and schema version).\n"
        "Native charts: mean energy per task and energy vs parameters, on log axes.  The\n"
        "numbers are those of 'wattprint stats'.  Same database, same bytes (the document\n"
        "date is the newest measurement); written atomically, in constant memory.\n"
        "\n"
        "  -o, --output FILE          the workbook (required)\n"
        "  --over runs|experiments    statistics over runs (default) or experiment means\n"
        "  --unit model|experiment|run   unit of intervals and tests (as in stats)\n"
        "  --phase P                  count only phase P of each run\n"
        "  --task T --model M --dataset D   only these runs\n"
        "  --where KEY=VALUE          only runs whose manifest column (else log column) KEY\n"
        "                             is VALUE\n"
        "  --level X                  confidence level (default 0.95)\n"
        "  --seed N --resamples N     bootstrap (default seed 42, 10000 resamples)\n"
        "  --carbon-intensity G       what-if: emissions at G g CO2eq/kWh ...\n"
        "  --region ISO3              ... or at a country's grid intensity (shipped table)\n"
        "  --pue X                    ... and a data-centre PUE, in place of any a tool applied\n"
        "  --runs-per-sheet N         rows per Runs sheet (default and at most 1048575)\n"),
    CMD("card", wp_cmd_card, "the energy section of a Hugging Face model card (Markdown)",
        "usage: wattprint card MODEL [-o FILE|DIR/] [options]\n"
        "       wattprint card MODEL --into README.md [options]\n"
        "       wattprint card --all -o DIR [options]\n"
        "\n"
        "Writes a section to paste into a model card's README.md: YAML front matter with\n"
        "our inference figures under `inference_energy:` (per task: kWh and g CO2eq per\n"
        "1,000 inferences with CIs, n, stars) and the Hub's `co2_eq_emissions` keys only\n"
        "when training emissions are known; then prose: what was measured, a table per\n"
        "task (ours and the Hub's pipeline_tag), the AI Energy Score star rating among\n"
        "the task's models (mean GPU energy), equivalents with sources, the methodology\n"
        "and the input files by one SHA-256 (of their sha256 values, sorted, one per line;\n"
        "`wattprint sources --model MODEL` lists them), never their local paths.  The date\n"
        "is the model's newest run; no interval where there is one value or one unit.\n"
        "Numbers: full precision in the YAML, 4 significant digits in the text.\n"
        "The wording comes from templates/card.md: copy it, edit it, pass --template.\n"
        "Every value is escaped (Markdown/HTML in the text, quoted in the YAML).\n"
        "\n"
        "  -o, --output PATH          the card; a directory (or a path ending in /) gets\n"
        "                             MODEL.md, the id made safe ('org/name' -> org--name.md);\n"
        "                             default: standard output\n"
        "  --into README.md           merge into an existing model card (created if missing):\n"
        "                             one YAML front matter, the card's own keys kept and\n"
        "                             ours added or replaced in place; our section between\n"
        "                             two marker comments, replaced on every run; the rest\n"
        "                             of the text untouched. A second run changes no byte.\n"
        "  --all                      one card per model, into the directory -o DIR\n"
        "  --template FILE            the wording (default: templates/card.md beside the\n"
        "                             program, in $WATTPRINT_TEMPLATES, or installed)\n"
        "  --over runs|experiments --unit U --phase P --level X --seed N --resamples N\n"
        "                             as in stats\n"
        "  --where KEY=VALUE          only runs whose manifest column (else log column) KEY\n"
        "                             is VALUE\n"
        "  --task T                   the model's figures on task T only\n"
        "  --against db|FILE          the stars' comparison set: the task's models in this\n"
        "                             database (default), or a leaderboard snapshot (CSV:\n"
        "                             model,total_gpu_energy,energy_score,class,test date;\n"
        "                             its newest edition), for one MODEL and --task T; the\n"
        "                             card names the file, class, edition and set size\n"
        "  --against-class C          the snapshot's class (when it has several)\n"
        "Training emissions, for co2_eq_emissions (else it is left out, and the card says why):\n"
        "  --training-emissions G     grams CO2eq (one MODEL), with --training-source TEXT\n"
        "  --training-region ISO3     or: the model's known training energy (manifest\n"
        "  --training-carbon-intensity G   training_kwh or the shipped table) x this grid\n"
        "  --training-type pre-training|fine-tuning   --training-location TEXT\n"
        "  --training-hardware TEXT\n"
        "\n"
        "Template syntax: {{name}}, {{#list}}...{{/list}} (repeated; or shown when set),\n"
        "{{^name}}...{{/name}} (shown when not set), {{! comment }}.  Names: model, tool,\n"
        "date, hardware, location, measured_with, n_tasks, runs, inferences, parameters,\n"
        "level, level_percent, statistic, over, phase, resamples, seed, training_kwh,\n"
        "training_energy_source, n_inputs, inputs_sha256, inputs_command, unit, units,\n"
        "unit_note, selection, against, against_class, against_edition, against_set,\n"
        "ci_cut_note, energy_basis, intensity_source, above_idle, hourly_intensity;\n"
        "co2 (emissions_g, source, training_type,\n"
        "geographical_location, hardware_used); tasks (task, datasets, dataset_list (name),\n"
        "hub_task, n, n_units, runs, experiments, inferences, kwh_per_1k, kwh_sd,\n"
        "kwh_ci_t_lo, kwh_ci_t_hi,\n"
        "kwh_ci_boot_lo, kwh_ci_boot_hi, g_per_1k, g_ci_t_lo, g_ci_t_hi, j_per_inference,\n"
        "mg_per_inference, gpu_kwh_per_1k, gpu_wh_per_1k, stars, stars_symbols,\n"
        "rated_models, stars_relative, kwh_ci_t_lo_shown, g_ci_t_lo_shown,\n"
        "ci_t_lo_below_zero, g_ci_t_lo_below_zero, small_n, parity_inferences,\n"
        "equivalents (amount, unit, key, source)); sources (path, name, format, sha256, rows, size_bytes);\n"
        "equivalent_sources (unit, key, source); in lists also index, first, last.\n"
        "An unknown name is an error at FILE:LINE:COL.\n"),
    CMD("latex", wp_cmd_latex, "a LaTeX table (booktabs, siunitx) of the statistics",
        "usage: wattprint latex [-o FILE.tex] [options]\n"
        "\n"
        "Writes a table for a paper: per group n, mean kWh per 1,000 inferences, its Student t\n"
        "CI and mean g CO2eq by default (--columns picks); booktabs rules, siunitx S columns\n"
        "with a table-format fitted to each column, names escaped and wrapped.  Its first\n"
        "lines say the preamble it needs and its layout: a table that fits a page is a table*\n"
        "(a page-wide table in one column, across both columns of a two-column paper); a\n"
        "longer one is a longtable (xltabular) that breaks across pages in one column, or with\n"
        "--twocolumn page-sized table* floats that hold every row (longtable cannot run in\n"
        "two columns).  Fits article at 10 pt in both layouts with no overfull box.\n"
        "\n"
        "  -o, --output FILE          the .tex file, written atomically (default: stdout)\n"
        "  --by task|model|model,task|dataset|hardware|model,hardware   grouping (default\n"
        "                            task)\n"
        "  --columns LIST             of n, mean, sd, median, ci (t), boot (bootstrap), g, or\n"
        "                             all (default n,mean,ci,g)\n"
        "  --twocolumn                a long table as page-sized table* floats\n"
        "  --caption TEXT             the caption, plain text (special characters escaped)\n"
        "  --label NAME               the \\label (default tab:energy-by-task, ...)\n"
        "  --over runs|experiments --unit U --phase P --level X --seed N --resamples N\n"
        "                             as in stats\n"
        "  --task T --model M --dataset D   only these runs\n"
        "  --where KEY=VALUE          only runs whose manifest column (else log column) KEY\n"
        "                             is VALUE\n"),
    CMD("leaderboard", wp_cmd_leaderboard,
        "a static leaderboard of generative configurations (HTML + JSON)",
        "usage: wattprint leaderboard -o DIR [--task T] [--model M] [--gpu G]\n"
        "                             [--where KEY=VALUE] [--title T]\n"
        "\n"
        "Writes DIR/index.html (one self-contained page: sortable table, filters by task,\n"
        "size class and hardware) and DIR/leaderboard.json (schema_version 1, see README):\n"
        "one row per model x task x GPU model and count x batch size x precision, with J\n"
        "per request, Wh per 1,000 queries, J per output token, prefill J per input token,\n"
        "tokens per J, average power, energy per phase, latency and throughput, each with\n"
        "its unit, and stars within task x size class x GPU model.  Same database, same\n"
        "bytes.\n"
        "\n"
        "  -o, --output DIR   the folder to write (made if needed)\n"
        "  --task T --model M --gpu G   only these configurations\n"
        "  --where KEY=VALUE  only configurations with this value: model, task, gpu_model,\n"
        "                     precision, size_class, batch_size, gpu_count, parameters or\n"
        "                     any metric key of leaderboard.json (numbers compared as such)\n"
        "  --title T          the page's title\n"),
    CMD("export", wp_cmd_export, "disclosures: BoAmps, SCI, SPDX 3.0 AI, EU AI Act form",
        wp_export_usage),
    CMD("report", wp_cmd_report, "the transparency report, PDF or HTML",
        "usage: wattprint report -o FILE.pdf|FILE.html [options]\n"
        "\n"
        "A PDF (or, for -o FILE.html, one self-contained HTML page) for publication: title\n"
        "page, contents with links, summary in plain words, methodology, results (per-task\n"
        "table, figures as vectors, per-model table, scaling, task-specific vs multi-purpose,\n"
        "inferences to parity), limitations, and an appendix of every input file with its\n"
        "sha256.  The date is the newest measurement, so the same database gives the same\n"
        "bytes.  The prose comes from templates/report/*.txt.\n"
        "\n"
        "  -o FILE                 the report to write: .pdf, or .html (the extension picks)\n"
        "  --paper a4|letter       page size (default a4)\n"
        "  --title T --subtitle S --organisation O --date YYYY-MM-DD\n"
        "  --templates DIR         edited copies of templates/ (DIR/report/*.txt)\n"
        "  --reference FILE        set the per-task table against published values (CSV:\n"
        "                          task, mean_kwh_per_1k, sd_kwh_per_1k), saying in words\n"
        "                          what does not agree\n"
        "  --tokens-where KEY=VALUE  the experiments of the per-token table (models with\n"
        "                          token counts, see 'wattprint tokens'; default: those of\n"
        "                          the report's filter), e.g. purpose=multi-purpose\n"
        "  --compare-where KEY=VALUE the runs of the paper's analyses: task-specific vs\n"
        "                          multi-purpose models per task (ratio, cluster bootstrap\n"
        "                          interval, Holm), inferences to parity with training energy\n"
        "                          (manifest training_kwh) per model and task with an interval,\n"
        "                          and energy against quality (--scores) with the Pareto front\n"
        "  --model-reference FILE    published per-model values (model, mean_kwh_per_1k,\n"
        "                          mean_g_co2eq_per_1k) set beside the multi-purpose models\n"
        "  --scores FILE             published quality scores: model, task, then columns\n"
        "                          \"dataset (metric)\" (the study's zero_shot_performance.csv)\n"
        "  --task T --model M --dataset D --where KEY=VALUE   which runs\n"
        "  --phase P --over runs|experiments --unit U --level X --seed N --resamples N\n"
        "  --carbon-intensity G | --region ISO3, --pue X   what-if emissions\n"),
    CMD("batch", wp_cmd_batch, "every report a batch spec (YAML) lists",
        "usage: wattprint batch SPEC.yaml\n"
        "\n"
        "Produces the reports a spec lists, in one process.  A spec:\n"
        "\n"
        "    output: out/batch            # the root; every path stays inside it\n"
        "    paper: a4                    # or letter\n"
        "    reports:\n"
        "      - name: all-tasks          # also the folder, unless dir: is given\n"
        "        title: Every task\n"
        "        filter: {task: T, model: M, dataset: D, phase: P, where: KEY=VALUE}\n"
        "        produce: [report, xlsx, cards, figures, latex, stats]   # default: all\n"
        "\n"
        "Unknown keys, bad values, paths leaving the output root and two reports whose\n"
        "folders would hold each other's files (the same folder, or one where the other\n"
        "writes its figures, cards, tables, exports or files) are errors at their line and\n"
        "column.  Every file is written under a temporary name and renamed when whole; a\n"
        "failed output names its entry, the others are still written, and the exit is 1.\n"),
    CMD("script", wp_cmd_script, "run a file of read-only commands in one process",
        "usage: wattprint script FILE...   (- for standard input)\n"
        "\n"
        "Runs the commands FILE lists, one per line, in one process on one database, so\n"
        "their outputs share every statistic (each distinct analysis is computed once, its\n"
        "numbers the same as a separate command's).  A line is a command and its arguments\n"
        "as on the command line after 'wattprint', with '...' and \"...\" quotes, \\ to\n"
        "escape or to continue on the next line, # comments, and '> PATH' at the end to\n"
        "write the command's standard output to PATH (under a temporary name, renamed when\n"
        "the command succeeds).  Only commands that read the database may run: stats,\n"
        "summary, runs, rejected, sources, chart, xlsx, card, latex, report, export.\n"
        "The whole file is checked before anything runs; a failing command is named with\n"
        "its line, the others still run, and the exit is 1.  Global options (--db, -q)\n"
        "apply to all.  Several FILEs are read in order as one script.\n"
        "A selection is named once and used by every command that reads it:\n"
        "'selection NAME OPTIONS...' defines it, and the word '@NAME' on a later line (or\n"
        "in a later FILE) stands for its OPTIONS.  A name is defined once.\n"
        "\n"
        "    selection paper --phase \"query model\" --where study_table=yes\n"
        "    stats @paper --format csv > out/tasks.csv\n"
        "    chart tasks @paper -o out/tasks.png\n"),
    CMD("rejected", wp_cmd_rejected, "list lines that --skip-bad-rows set aside",
        "usage: wattprint rejected [--format table|csv|json]\n"),
    CMD("sources", wp_cmd_sources, "list ingested files with their sha256",
        "usage: wattprint sources [--model M] [--task T] [--dataset D] [--phase P]\n"
        "                         [--format table|csv|json]\n"
        "\n"
        "Every ingested file; with a selection, only the files holding the labelled runs it\n"
        "selects, each once (what a model card counts and hashes).\n"),
    CMD("migrate", wp_cmd_migrate, "bring a database (file or server) to this schema",
        "usage: wattprint migrate\n"
        "\n"
        "Applies the schema migrations the database (--db) lacks: a SQLite file, or a\n"
        "PostgreSQL server named by a postgresql:// URI.  Every command does this when it\n"
        "opens a database; this one does only that, and says from which version to which.\n"),
    CMD("push", wp_cmd_push, "copy a SQLite file's data into a server",
        "usage: wattprint --db FILE push --to postgresql://...\n"
        "\n"
        "Copies what the SQLite file holds into a PostgreSQL server, for a host that\n"
        "measured offline: each source file in one transaction, with its sha256 and\n"
        "versions, its measurements (file and line, run identities), rejected lines and\n"
        "its runs' labels; then label rules and token counts.  A file whose content the\n"
        "server holds is skipped, so pushing again changes nothing and a push after more\n"
        "ingests adds only the new files; a file that grew locally since it was pushed\n"
        "replaces its earlier version.  A path the server holds another file from is\n"
        "refused, as ingest refuses it.\n"
        "\n"
        "  --to URI   the server (passwords in ~/.pgpass, as for --db)\n"),
    CMD("formats", wp_cmd_formats, "list the input formats and the export formats",
        "usage: wattprint formats\n"),
    CMD("help", wp_cmd_help, "show help for a command",
        "usage: wattprint help [COMMAND]\n"
        "       wattprint help --man | --completion\n"
        "\n"
        "--man prints this manual as a man page (wattprint.1), --completion a bash\n"
        "completion script; both are made from these texts and installed by make install.\n"),
    CMD("version", wp_cmd_version, "print the version", "usage: wattprint version\n"),
    {NULL, NULL, NULL, NULL},
};

const struct wp_cmd *wp_cmd_find(const char *name)
{
    for (const struct wp_cmd *c = wp_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void wp_cli_say(const char *prefix, const char *text)
{
    char *safe = wp_text_escape_controls(text);
    fprintf(stderr, "wattprint: %s%s\n", prefix, safe ? safe : "(out of memory)");
    free(safe);
}

void wp_cli_sayf(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    wp_cli_say("", buf);
}

void wp_cli_message(void *ctx, enum wp_level level, const struct wp_diag *d)
{
    struct wp_cli *c = ctx;
    if (level == WP_NOTE && c->quiet)
        return;
    char buf[1024];
    wp_diag_format(d, buf, sizeof buf);
    if (level == WP_WARN)
        c->warnings++;
    wp_cli_say(level == WP_WARN ? "warning: " : "", buf);
}

void wp_cli_error(const struct wp_diag *d)
{
    char buf[1024];
    wp_diag_format(d, buf, sizeof buf);
    wp_cli_say("", buf);
}

int wp_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wattprint %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nSee 'wattprint help %s'.\n", cmd);
    va_end(ap);
    return WP_EXIT_USAGE;
}

void wp_cli_help(const struct wp_cmd *cmd, FILE *out)
{
    fputs(cmd->usage, out);
}

bool wp_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

static struct wp_store *open_store(struct wp_cli *c, enum wp_store_mode mode)
{
    struct wp_store *s;
    struct wp_diag d = {0};
    if (wp_store_open_mode(c->db_path, mode, &s, &d) != WP_OK) {
        wp_cli_error(&d);
        return NULL;
    }
    return s;
}

struct wp_store *wp_cli_open_store(struct wp_cli *c)
{
    return open_store(c, WP_STORE_EXISTING);
}

struct wp_store *wp_cli_create_store(struct wp_cli *c)
{
    return open_store(c, WP_STORE_CREATE);
}

enum wp_err wp_cli_output_check(const struct wp_cli *c, const char *path, struct wp_diag *d)
{
    if (!wp_store_is_pg_uri(c->db_path) && wp_path_is_database(path, c->db_path))
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0,
                           "cannot write: it is the database %s or a file of it", c->db_path);
    return wp_path_output_ok(path, d);
}

struct wp_store *wp_cli_open_store_for(struct wp_cli *c, const struct wp_run_filter *f)
{
    struct wp_store *s = wp_cli_open_store(c);
    struct wp_diag d = {0};
    if (s && wp_filter_check(s, f, &d)) {
        wp_cli_error(&d);
        wp_store_close(s);
        return NULL;
    }
    return s;
}

enum wp_err wp_cli_write_output(const struct wp_cli *c, const char *path, FILE *out,
                                enum wp_err (*write)(void *ctx, FILE *f, struct wp_diag *d),
                                void *ctx, struct wp_diag *d)
{
    if (!path) {
        enum wp_err e = write(ctx, out, d);
        if (!e && (fflush(out) || ferror(out)))
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write to standard output");
        return e;
    }
    struct wp_atomic at;
    enum wp_err e = wp_cli_output_check(c, path, d);
    if (!e)
        e = wp_atomic_begin(&at, path, d);
    if (e)
        return e;
    if ((e = write(ctx, at.f, d))) {
        if (!wp_diag_has_file(d))
            wp_diag_set_file(d, path);
        wp_atomic_abort(&at);
        return e;
    }
    return wp_atomic_commit(&at, d);
}

FILE *wp_cli_output_begin(const struct wp_cli *c, const char *path, struct wp_atomic *at)
{
    /* the one atomic helper's temporary file: the mode the umask gives, the folder made,
     * renamed over path only when the command succeeded */
    struct wp_diag d = {0};
    if (wp_cli_output_check(c, path, &d) || wp_atomic_begin(at, path, &d) != WP_OK) {
        wp_cli_error(&d);
        return NULL;
    }
    return at->f;
}

int wp_cli_output_end(struct wp_atomic *at, int rc)
{
    if (rc == WP_EXIT_OK && (fflush(at->f) != 0 || ferror(at->f))) {
        fprintf(stderr, "wattprint: cannot write %s: %s\n", at->path, strerror(errno));
        rc = WP_EXIT_FAIL;
    }
    if (rc != WP_EXIT_OK) {
        wp_atomic_abort(at);
        return rc;
    }
    struct wp_diag d = {0};
    if (wp_atomic_commit(at, &d) != WP_OK) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    return rc;
}

int wp_cli_run(struct wp_cli *c, const struct wp_cmd *cmd, int argc, char **argv,
               const char *out)
{
    if (!out) {
        int rc = cmd->run(c, argc, argv);
        fflush(c->out);
        return rc;
    }
    struct wp_atomic at;
    FILE *saved = c->out;
    if (!(c->out = wp_cli_output_begin(c, out, &at))) {
        c->out = saved;
        return WP_EXIT_FAIL;
    }
    int rc = cmd->run(c, argc, argv);
    c->out = saved;
    return wp_cli_output_end(&at, rc);
}

int wp_cli_options_done(const char *cmd, const struct wp_options *op, int opt,
                        int max_operands)
{
    if (opt < 0)
        return wp_cli_usage(cmd, "%s", op->err);
    if (op->n_operands > max_operands)
        return wp_cli_usage(cmd, "unexpected argument '%s'", op->argv[max_operands + 1]);
    return 0;
}

bool wp_cli_count(const char *cmd, const char *opt, const char *v, long long *out)
{
    double x;
    if (wp_parse_num(v, &x) != WP_NUM_OK || x != (double)(long long)x || x <= 0) {
        wp_cli_usage(cmd, "%s: \"%s\" is not a positive whole number", opt, v);
        return false;
    }
    *out = (long long)x;
    return true;
}

bool wp_cli_resamples(const char *cmd, const char *v, size_t *out)
{
    long long n;
    if (!wp_cli_count(cmd, "--resamples", v, &n))
        return false;
    if (n > WP_CLI_MAX_RESAMPLES) {
        wp_cli_usage(cmd, "--resamples: at most %d (the intervals' digits are settled long "
                          "before)", WP_CLI_MAX_RESAMPLES);
        return false;
    }
    *out = (size_t)n;
    return true;
}

bool wp_cli_outfmt(const char *cmd, const char *v, enum wp_outfmt *out)
{
    static const char *const names[] = {"table", "csv", "json"};
    for (int i = 0; i < 3; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = (enum wp_outfmt)i;
            return true;
        }
    wp_cli_usage(cmd, "--format: \"%s\" is not one of table, csv, json", v);
    return false;
}

int wp_cmd_help(struct wp_cli *c, int argc, char **argv)
{
    (void)c;
    /* for packagers: the man page and the completion, from these same texts (man.c) */
    if (argc == 2 && strcmp(argv[1], "--man") == 0) {
        wp_cli_man(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? WP_EXIT_OK : WP_EXIT_FAIL;
    }
    if (argc == 2 && strcmp(argv[1], "--completion") == 0) {
        wp_cli_completion(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? WP_EXIT_OK : WP_EXIT_FAIL;
    }
    if (argc < 2) {
        const char *args[] = {"wattprint", "--help", NULL};
        (void)args;
        fputs("usage: wattprint [--db PATH] [-q] COMMAND [ARGS]\n\nCommands:\n", stdout);
        for (const struct wp_cmd *k = wp_commands; k->name; k++)
            printf("  %-10s %s\n", k->name, k->summary);
        return WP_EXIT_OK;
    }
    const struct wp_cmd *cmd = wp_cmd_find(argv[1]);
    if (!cmd) {
        fprintf(stderr, "wattprint: '%s' is not a command\n", argv[1]);
        return WP_EXIT_USAGE;
    }
    wp_cli_help(cmd, stdout);
    return WP_EXIT_OK;
}

int wp_cmd_version(struct wp_cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    (void)argv;
    printf("wattprint %s\n", WP_VERSION);
    return WP_EXIT_OK;
}

bool wp_cli_number(const char *cmd, const char *opt, const char *v, double lo, bool lo_closed,
                   double hi, double *out)
{
    bool ok = wp_parse_num(v, out) == WP_NUM_OK && (lo_closed ? *out >= lo : *out > lo) &&
              *out < hi;
    if (ok)
        return true;
    char upper[64] = "";
    if (!isinf(hi))
        snprintf(upper, sizeof upper, " and below %g", hi);
    wp_cli_usage(cmd, "%s: \"%s\" must be a number %s %g%s", opt, v,
                 lo_closed ? "of at least" : "above", lo, upper);
    return false;
}

void wp_cli_left_out_counts(const struct wp_cli *c, long long no_inferences,
                            long long no_energy, long long no_above_idle)
{
    if (c->quiet)
        return;
    if (no_inferences)
        fprintf(stderr, "wattprint: warning: %lld labelled runs have no inference count and "
                        "are left out (give inferences in the manifest)\n",
                no_inferences);
    if (no_energy)
        fprintf(stderr, "wattprint: warning: %lld labelled runs have no energy and are left "
                        "out\n", no_energy);
    if (no_above_idle)
        fprintf(stderr, "wattprint: warning: --above-idle: %lld labelled runs are left out: "
                        "their energy above idle is unknown (no idle baseline on their host, "
                        "or no duration)\n",
                no_above_idle);
}

void wp_cli_left_out(const struct wp_cli *c, const struct wp_analysis *a)
{
    wp_cli_left_out_counts(c, a->skipped_no_inferences, a->skipped_no_energy,
                           a->skipped_no_above_idle);
}
