/* results.c: the HDF5 results writer (the only file that includes hdf5.h).
 *
 * Layout (DESIGN.md, "Results (HDF5)"): provenance attributes on the root
 * group, text datasets such as /config/scenario, and tables stored as one
 * 1-D column dataset per field inside a group (/devices, /cells, ...), all
 * columns of a group equally long and aligned by row.
 *
 * Threads: Debian's libhdf5 (serial) is built without the thread-safety
 * option, so a results handle, and every other HDF5 call of the process,
 * must be used from one thread only (the runner writes from its main
 * thread after the parallel part).
 *
 * The file is written as <path>.tmp<pid> and renamed to <path> by
 * results_commit only once it is complete and on disk, so an interrupted
 * run never leaves a file at <path> that looks finished.
 *
 * Errors: HDF5's automatic error-stack printing is switched off; each failed
 * HDF5 call becomes a sim_error naming the file, group and column, followed
 * by the most specific message of the HDF5 error stack.
 */
#define _GNU_SOURCE /* renameat2 */
#include "sim/app.h"
#include "sim/results_h5.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <hdf5.h>

#define RES_FORMAT         "mtcsim"
#define RES_FORMAT_VERSION 2

/* Chunk length in rows, the same for every column. 8192 rows are 64 KiB for
 * 8-byte columns, 32 KiB for 4-byte ones and 8 KiB for bytes: inside the
 * 10 KiB..1 MiB range HDF5's chunking guide recommends, large enough that a
 * million-row table has only ~120 chunks per column (small chunk index, good
 * deflate ratio), small enough to fit many times in the default 1 MiB
 * per-dataset chunk cache, so the partly filled last chunk stays cached
 * between appends instead of being re-read and recompressed. A one-row table
 * still costs a single chunk whose unwritten fill zeros deflate to a few
 * hundred bytes, so small tables stay small. */
#define RES_CHUNK_ROWS 8192
/* zlib level 4: most of level 9's ratio on numeric columns at a fraction
 * of its time. */
#define RES_DEFLATE_LEVEL 4

typedef struct res_col_state {
    char *name;
    res_type type;
    size_t width; /* RES_STR */
    hid_t dset;   /* kept open until commit/abort (keeps its chunk cache) */
} res_col_state;

typedef struct res_group {
    char *name; /* normalized: leading '/', no trailing '/' (except "/") */
    res_col_state *cols;
    size_t ncols;
    hsize_t nrows;
} res_group;

struct results {
    hid_t file;
    char *path;     /* final name */
    char *tmp_path; /* name while writing */
    res_group *groups;
    size_t ngroups, cap_groups;
    int scratch;       /* intermediate file: no compression, small chunks */
    int keep_existing; /* commit refuses to replace a file at path */
};

/* ------------------------------------------------------------- helpers */

static char *res_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static const char *res_type_name(res_type t)
{
    switch (t) {
    case RES_I32:
        return "i32";
    case RES_I64:
        return "i64";
    case RES_U32:
        return "u32";
    case RES_U64:
        return "u64";
    case RES_F64:
        return "f64";
    case RES_U8:
        return "u8";
    case RES_STR:
        return "string";
    }
    return "?";
}

static int res_type_valid(res_type t)
{
    return (int)t >= (int)RES_I32 && (int)t <= (int)RES_STR;
}

/* A fixed-length UTF-8 string type of `width` bytes, zero-padded (h5py
 * reads such a column as bytes; decode as UTF-8). */
static hid_t res_fixed_str_type(size_t width)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, width ? width : 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Memory type of the caller's arrays, a copy to H5Tclose. (Not a static
 * table: the H5T_NATIVE_* names are run-time values of the library.) */
hid_t res_mem_type(res_type t, size_t width)
{
    switch (t) {
    case RES_I32:
        return H5Tcopy(H5T_NATIVE_INT32);
    case RES_I64:
        return H5Tcopy(H5T_NATIVE_INT64);
    case RES_U32:
        return H5Tcopy(H5T_NATIVE_UINT32);
    case RES_U64:
        return H5Tcopy(H5T_NATIVE_UINT64);
    case RES_F64:
        return H5Tcopy(H5T_NATIVE_DOUBLE);
    case RES_U8:
        return H5Tcopy(H5T_NATIVE_UINT8);
    case RES_STR:
        return res_fixed_str_type(width);
    }
    return -1;
}

/* Type stored in the file (a copy to H5Tclose): the same sizes, spelled
 * out as little-endian so the file layout does not depend on the writing
 * machine (identical to the native types on x86-64 and arm64, so no
 * conversion happens there). */
static hid_t res_file_type(res_type t, size_t width)
{
    switch (t) {
    case RES_I32:
        return H5Tcopy(H5T_STD_I32LE);
    case RES_I64:
        return H5Tcopy(H5T_STD_I64LE);
    case RES_U32:
        return H5Tcopy(H5T_STD_U32LE);
    case RES_U64:
        return H5Tcopy(H5T_STD_U64LE);
    case RES_F64:
        return H5Tcopy(H5T_IEEE_F64LE);
    case RES_U8:
        return H5Tcopy(H5T_STD_U8LE);
    case RES_STR:
        return res_fixed_str_type(width);
    }
    return -1;
}

typedef struct res_h5msg {
    char text[320];
    int got;
} res_h5msg;

static herr_t res_walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    res_h5msg *m = data;
    if (!m->got && e && e->desc && e->desc[0]) {
        /* The sec2 driver's message spans lines and names buffers and
         * offsets; its "error message = '...'" (strerror) is what matters. */
        const char *em = strstr(e->desc, "error message = '");
        const char *end = em ? strchr(em + 17, '\'') : NULL;
        if (end)
            snprintf(m->text, sizeof m->text, "%.*s", (int)(end - em - 17), em + 17);
        else
            snprintf(m->text, sizeof m->text, "%s", e->desc);
        m->got = 1;
    }
    return 0;
}

/* Sets err to "<formatted context>: <most specific HDF5 message>". Must be
 * called right after the failing HDF5 call: every HDF5 API call, including
 * the H5*close calls of the cleanup, clears the error stack on entry. */
static int res_h5_fail(sim_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int res_h5_fail(sim_error *err, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    res_h5msg m = {.text = "", .got = 0};
    /* H5E_WALK_UPWARD starts at the innermost (most specific) error. */
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, res_walk_cb, &m);
    if (m.got) return sim_error_set(err, SIM_ERR_RUNTIME, "%s: %s", what, m.text);
    return sim_error_set(err, SIM_ERR_RUNTIME, "%s", what);
}

/* "<group>/<name>" for messages and links; the root group gives "/name". */
static void res_join(char *buf, size_t n, const char *group, const char *name)
{
    snprintf(buf, n, "%s%s%s", group, strcmp(group, "/") == 0 ? "" : "/", name);
}

/* Variable-length UTF-8 string type: what h5py reads back as Python str. */
static hid_t res_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Scalar variable-length string attribute; NULL value is written as "". */
static int res_attr_str(hid_t obj, const char *name, const char *value, const char *file,
                        const char *objname, sim_error *err)
{
    int rc = SIM_OK;
    hid_t s = -1, a = -1;
    hid_t t = res_str_type();
    if (t < 0) {
        rc = res_h5_fail(err, "%s: cannot make a string type for attribute %s of %s", file, name,
                         objname);
        goto out;
    }
    s = H5Screate(H5S_SCALAR);
    if (s < 0) {
        rc = res_h5_fail(err, "%s: cannot make a dataspace for attribute %s of %s", file, name,
                         objname);
        goto out;
    }
    a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) {
        rc = res_h5_fail(err, "%s: cannot create attribute %s of %s", file, name, objname);
        goto out;
    }
    const char *v = value ? value : "";
    if (H5Awrite(a, t, &v) < 0)
        rc = res_h5_fail(err, "%s: cannot write attribute %s of %s", file, name, objname);
out:
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return rc;
}

/* Scalar numeric attribute of file type ftype from *value of memory type mtype. */
static int res_attr_num(hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *value,
                        const char *file, sim_error *err)
{
    int rc = SIM_OK;
    hid_t a = -1;
    hid_t s = H5Screate(H5S_SCALAR);
    if (s < 0) {
        rc = res_h5_fail(err, "%s: cannot make a dataspace for root attribute %s", file, name);
        goto out;
    }
    a = H5Acreate2(obj, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) {
        rc = res_h5_fail(err, "%s: cannot create root attribute %s", file, name);
        goto out;
    }
    if (H5Awrite(a, mtype, value) < 0)
        rc = res_h5_fail(err, "%s: cannot write root attribute %s", file, name);
out:
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

/* Closes every dataset and the file. Returns 0, or -1 if a close failed
 * (err set); continues closing after a failure. */
static int res_close_all(results *r, sim_error *err)
{
    int ok = 1;
    for (size_t g = 0; g < r->ngroups; g++) {
        res_group *gr = &r->groups[g];
        for (size_t c = 0; c < gr->ncols; c++) {
            if (gr->cols[c].dset >= 0 && H5Dclose(gr->cols[c].dset) < 0 && ok) {
                char full[512];
                res_join(full, sizeof full, gr->name, gr->cols[c].name);
                res_h5_fail(err, "%s: cannot close dataset %s", r->path, full);
                ok = 0;
            }
            gr->cols[c].dset = -1;
        }
    }
    if (r->file >= 0 && H5Fclose(r->file) < 0 && ok) {
        res_h5_fail(err, "%s: cannot close %s", r->path, r->tmp_path);
        ok = 0;
    }
    r->file = -1;
    return ok ? 0 : -1;
}

static void res_free(results *r)
{
    for (size_t g = 0; g < r->ngroups; g++) {
        for (size_t c = 0; c < r->groups[g].ncols; c++)
            free(r->groups[g].cols[c].name);
        free(r->groups[g].cols);
        free(r->groups[g].name);
    }
    free(r->groups);
    free(r->path);
    free(r->tmp_path);
    free(r);
}

/* ---------------------------------------------------------------- create */

results *results_create(const char *path, const res_meta *meta, sim_error *err)
{
    static const res_meta empty_meta = {0};
    if (!path || !path[0]) {
        sim_error_set(err, SIM_ERR_RUNTIME, "results: empty output file name");
        return NULL;
    }
    if (!meta) meta = &empty_meta;

    /* Our messages replace HDF5's own stack dumps on stderr. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    results *r = calloc(1, sizeof *r);
    if (!r) {
        sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        return NULL;
    }
    r->file = -1;
    size_t n = strlen(path) + 32;
    r->path = res_strdup(path);
    r->tmp_path = malloc(n);
    if (!r->path || !r->tmp_path) {
        sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", path);
        res_free(r);
        return NULL;
    }
    snprintf(r->tmp_path, n, "%s.tmp%ld", path, (long)getpid());

    /* Fail now, not at the rename after a long run, if the final name is
     * a directory. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sim_error_set(err, SIM_ERR_RUNTIME, "cannot create results file %s: it is a directory",
                      path);
        res_free(r);
        return NULL;
    }
    /* Create the file ourselves first: open(2)'s errno gives a plainer
     * reason (missing directory, permission) than HDF5's stack. The name
     * is handed to the signal handler before the file exists: a signal
     * right after the open must not leave it behind (unlinking a name not
     * yet created is harmless). */
    outputs_remove_on_signal(OUTPUTS_TMP, r->tmp_path);
    int fd = open(r->tmp_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        outputs_remove_on_signal(OUTPUTS_TMP, NULL);
        sim_error_set(err, SIM_ERR_RUNTIME, "cannot create results file %s (as %s): %s", path,
                      r->tmp_path, strerror(errno));
        res_free(r);
        return NULL;
    }
    close(fd);

    int rc = SIM_OK;
    /* STRONG: closing the file also closes any object still open in it, so
     * that commit and abort always release the file. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        rc = res_h5_fail(err, "cannot create results file %s: file access properties", path);
    } else {
        r->file = H5Fcreate(r->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
        if (r->file < 0)
            rc = res_h5_fail(err, "cannot create results file %s (as %s)", path, r->tmp_path);
    }
    if (fapl >= 0) H5Pclose(fapl);

    char created[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm)) strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);

    const struct {
        const char *name, *value;
    } strs[] = {
        {"format", RES_FORMAT},
        {"software_version", meta->software_version},
        {"git_sha", meta->git_sha},
        {"created", created},
        {"command_line", meta->command_line},
        {"rng_algorithm", meta->rng_algorithm},
        {"scenario_name", meta->scenario_name},
        {"scenario_file", meta->scenario_file},
    };
    for (size_t i = 0; rc == SIM_OK && i < sizeof strs / sizeof strs[0]; i++)
        rc = res_attr_str(r->file, strs[i].name, strs[i].value, path, "/", err);

    const int version = RES_FORMAT_VERSION, complete = 0;
    const uint64_t seed = meta->seed;
    if (rc == SIM_OK)
        rc = res_attr_num(r->file, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, &version, path,
                          err);
    if (rc == SIM_OK)
        rc = res_attr_num(r->file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed, path, err);
    if (rc == SIM_OK)
        rc = res_attr_num(r->file, "complete", H5T_STD_I32LE, H5T_NATIVE_INT, &complete, path, err);

    if (rc != SIM_OK) {
        results_abort(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------------ text */

int results_write_text(results *r, const char *dataset_path, const char *text, sim_error *err)
{
    if (!r || r->file < 0)
        return sim_error_set(err, SIM_ERR_RUNTIME, "results_write_text: no open results file");
    if (!dataset_path || !dataset_path[0])
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: text dataset with an empty name", r->path);
    if (!text)
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: no text given for dataset %s", r->path,
                             dataset_path);

    int rc = SIM_OK;
    hid_t s = -1, lcpl = -1, d = -1, a = -1;
    hid_t t = res_str_type();
    if (t < 0) {
        rc = res_h5_fail(err, "%s: cannot make a string type for %s", r->path, dataset_path);
        goto out;
    }
    s = H5Screate(H5S_SCALAR);
    if (s < 0) {
        rc = res_h5_fail(err, "%s: cannot make a dataspace for %s", r->path, dataset_path);
        goto out;
    }
    lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl < 0 || H5Pset_create_intermediate_group(lcpl, 1) < 0 ||
        H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) < 0) {
        rc = res_h5_fail(err, "%s: cannot make link properties for %s", r->path, dataset_path);
        goto out;
    }
    d = H5Dcreate2(r->file, dataset_path, t, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0) {
        rc = res_h5_fail(err, "%s: cannot create dataset %s", r->path, dataset_path);
        goto out;
    }
    if (H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) {
        rc = res_h5_fail(err, "%s: cannot write dataset %s", r->path, dataset_path);
        goto out;
    }
    /* Fletcher32 needs chunked fixed-size data: a variable-length string
     * carries a CRC-32 attribute instead, verified on read */
    const uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)text, (uInt)strlen(text));
    a = H5Acreate2(d, "crc32", H5T_STD_U32LE, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, H5T_NATIVE_UINT32, &crc) < 0)
        rc = res_h5_fail(err, "%s: cannot write the CRC-32 of dataset %s", r->path, dataset_path);
out:
    if (a >= 0) H5Aclose(a);
    if (d >= 0) H5Dclose(d);
    if (lcpl >= 0) H5Pclose(lcpl);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return rc;
}

/* ---------------------------------------------------------------- append */

/* "devices", "/devices/" -> "/devices"; "/" stays "/". NULL on allocation
 * failure. */
static char *res_group_norm(const char *group)
{
    size_t n = strlen(group);
    while (n > 0 && group[n - 1] == '/')
        n--;
    size_t lead = group[0] == '/' ? 0 : 1;
    char *s = malloc(n + 2);
    if (!s) return NULL;
    s[0] = '/';
    memcpy(s + lead, group, n);
    s[n == 0 ? 1 : n + lead] = '\0';
    return s;
}

static int res_check_columns(const results *r, const char *group, const res_column *cols,
                             size_t ncols, size_t nrows, sim_error *err)
{
    if (ncols == 0 || !cols)
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: no columns given", r->path,
                             group);
    for (size_t i = 0; i < ncols; i++) {
        const char *nm = cols[i].name;
        if (!nm || !nm[0] || strchr(nm, '/') || strcmp(nm, ".") == 0)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %zu has an invalid name \"%s\"", r->path,
                                 group, i, nm ? nm : "(null)");
        if (!res_type_valid(cols[i].type))
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %s has an invalid type %d", r->path, group,
                                 nm, (int)cols[i].type);
        if (cols[i].type == RES_STR && (cols[i].width == 0 || cols[i].width > 65536))
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: string column %s has width %zu (1 to 65536)",
                                 r->path, group, nm, cols[i].width);
        if (nrows > 0 && !cols[i].data)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %s has no data for %zu rows", r->path, group,
                                 nm, nrows);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cols[j].name, nm) == 0)
                return sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: column %s given twice",
                                     r->path, group, nm);
    }
    return SIM_OK;
}

/* The columns of a later append must be those of the first. */
static int res_match_columns(const results *r, const res_group *g, const res_column *cols,
                             size_t ncols, sim_error *err)
{
    size_t n = ncols < g->ncols ? ncols : g->ncols;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(cols[i].name, g->cols[i].name) != 0)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %zu is \"%s\" but the table has \"%s\" "
                                 "there (appends must give the same columns in the same order)",
                                 r->path, g->name, i, cols[i].name, g->cols[i].name);
        if (cols[i].type != g->cols[i].type)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %s is given as %s but the table has %s",
                                 r->path, g->name, cols[i].name, res_type_name(cols[i].type),
                                 res_type_name(g->cols[i].type));
        if (cols[i].type == RES_STR && cols[i].width != g->cols[i].width)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s: group %s: column %s is given %zu bytes wide but the table "
                                 "has %zu",
                                 r->path, g->name, cols[i].name, cols[i].width, g->cols[i].width);
    }
    if (ncols > g->ncols)
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "%s: group %s: column %s is not in the table (%zu columns given, "
                             "the table has %zu)",
                             r->path, g->name, cols[g->ncols].name, ncols, g->ncols);
    if (ncols < g->ncols)
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "%s: group %s: column %s is missing (%zu columns given, the table "
                             "has %zu)",
                             r->path, g->name, g->cols[ncols].name, ncols, g->ncols);
    return SIM_OK;
}

/* Opens the group, creating it (and its parents) if needed. */
static hid_t res_open_group(results *r, const char *name, sim_error *err)
{
    hid_t gid =
        H5Lexists(r->file, name, H5P_DEFAULT) > 0 ? H5Gopen2(r->file, name, H5P_DEFAULT) : -1;
    if (gid >= 0) return gid;
    /* Not there (or not a group: then creation fails and says so). */
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl < 0 || H5Pset_create_intermediate_group(lcpl, 1) < 0 ||
        H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) < 0) {
        res_h5_fail(err, "%s: cannot make link properties for group %s", r->path, name);
    } else {
        gid = H5Gcreate2(r->file, name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        if (gid < 0) res_h5_fail(err, "%s: cannot create group %s", r->path, name);
    }
    if (lcpl >= 0) H5Pclose(lcpl);
    return gid;
}

/* Creates the empty column datasets of a new table and records the group.
 * On failure the datasets made so far are removed again. */
static res_group *res_new_group(results *r, char *name, const res_column *cols, size_t ncols,
                                sim_error *err)
{
    if (r->ngroups == r->cap_groups) {
        size_t cap = r->cap_groups ? 2 * r->cap_groups : 8;
        res_group *ng = realloc(r->groups, cap * sizeof *ng);
        if (!ng) {
            sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: out of memory", r->path, name);
            return NULL;
        }
        r->groups = ng;
        r->cap_groups = cap;
    }
    res_col_state *cs = calloc(ncols, sizeof *cs);
    if (!cs) {
        sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: out of memory", r->path, name);
        return NULL;
    }
    for (size_t i = 0; i < ncols; i++)
        cs[i].dset = -1;

    int rc = SIM_OK;
    hid_t space = -1, dcpl = -1, lcpl = -1, dapl = -1;
    size_t made = 0;
    hid_t gid = res_open_group(r, name, err);
    if (gid < 0) {
        rc = SIM_ERR_RUNTIME;
        goto out;
    }
    const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
    const hsize_t chunk = r->scratch ? RES_CHUNK_ROWS / 8 : RES_CHUNK_ROWS;
    space = H5Screate_simple(1, &zero, &unlimited);
    if (space < 0) {
        rc = res_h5_fail(err, "%s: group %s: cannot make a dataspace", r->path, name);
        goto out;
    }
    /* Shuffle before deflate: grouping the bytes of equal significance
     * makes slowly varying numbers compress much better. Fletcher32 last,
     * over the stored bytes of every chunk: HDF5 verifies it on every read,
     * so a damaged file fails to read instead of giving wrong numbers. */
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0 ||
        (!r->scratch &&
         (H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, RES_DEFLATE_LEVEL) < 0)) ||
        H5Pset_fletcher32(dcpl) < 0) {
        rc = res_h5_fail(err, "%s: group %s: cannot set chunking, compression and checksums",
                         r->path, name);
        goto out;
    }
    lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl < 0 || H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) < 0) {
        rc = res_h5_fail(err, "%s: group %s: cannot make link properties", r->path, name);
        goto out;
    }
    /* Chunk cache of two chunks per column, full chunks evicted first
     * (w0 = 1): the partly filled last chunk stays cached between appends,
     * the written ones leave. HDF5's default (1 MiB per dataset) held up
     * to 16 chunks of every column: for a million-device /devices table
     * some 150 MiB, while nothing reads them again. */
    dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (dapl < 0 || H5Pset_chunk_cache(dapl, 11, 2 * chunk * 8, 1.0) < 0) {
        rc = res_h5_fail(err, "%s: group %s: cannot set the chunk cache", r->path, name);
        goto out;
    }
    for (; made < ncols; made++) {
        const res_column *c = &cols[made];
        char full[512];
        res_join(full, sizeof full, name, c->name);
        cs[made].name = res_strdup(c->name);
        if (!cs[made].name) {
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: %s: out of memory", r->path, full);
            goto out;
        }
        cs[made].type = c->type;
        cs[made].width = c->type == RES_STR ? c->width : 0;
        hid_t ft = res_file_type(c->type, c->width);
        cs[made].dset = ft < 0 ? -1 : H5Dcreate2(gid, c->name, ft, space, lcpl, dcpl, dapl);
        if (ft >= 0) H5Tclose(ft);
        if (cs[made].dset < 0) {
            rc = res_h5_fail(err, "%s: cannot create dataset %s", r->path, full);
            goto out;
        }
        rc = res_attr_str(cs[made].dset, "unit", c->unit, r->path, full, err);
        if (rc == SIM_OK) rc = res_attr_str(cs[made].dset, "doc", c->doc, r->path, full, err);
        const int one = 1;
        if (rc == SIM_OK && c->swept)
            rc = res_attr_num(cs[made].dset, "swept", H5T_STD_I32LE, H5T_NATIVE_INT, &one, r->path,
                              err);
        if (rc != SIM_OK) {
            made++; /* this dataset exists: remove it too */
            goto out;
        }
    }
out:
    if (rc != SIM_OK) {
        for (size_t i = 0; i < made; i++) {
            if (cs[i].dset >= 0) H5Dclose(cs[i].dset);
            if (gid >= 0) H5Ldelete(gid, cs[i].name, H5P_DEFAULT);
        }
        for (size_t i = 0; i < ncols; i++)
            free(cs[i].name);
        free(cs);
    }
    if (lcpl >= 0) H5Pclose(lcpl);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (dapl >= 0) H5Pclose(dapl);
    if (space >= 0) H5Sclose(space);
    if (gid >= 0) H5Gclose(gid);
    if (rc != SIM_OK) return NULL;
    res_group *g = &r->groups[r->ngroups++];
    g->name = name;
    g->cols = cs;
    g->ncols = ncols;
    g->nrows = 0;
    return g;
}

int results_group_attr(results *r, const char *group, const char *name, double value,
                       sim_error *err)
{
    if (!r || r->file < 0)
        return sim_error_set(err, SIM_ERR_RUNTIME, "results_group_attr: no open results file");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    char *g = res_group_norm(group);
    if (!g) return sim_error_set(err, SIM_ERR_RUNTIME, "%s: out of memory", r->path);
    int rc = SIM_OK;
    hid_t gid = res_open_group(r, g, err);
    if (gid < 0) {
        free(g);
        return SIM_ERR_RUNTIME;
    }
    if (H5Aexists(gid, name) > 0) {
        double have = 0;
        hid_t a = H5Aopen(gid, name, H5P_DEFAULT);
        if (a < 0 || H5Aread(a, H5T_NATIVE_DOUBLE, &have) < 0)
            rc = res_h5_fail(err, "%s: cannot read attribute %s of %s", r->path, name, g);
        /* parts (sweep points) that disagree: NaN, the rows say each one's */
        else if (have != value && !(have != have)) {
            const double nan = NAN;
            if (H5Awrite(a, H5T_NATIVE_DOUBLE, &nan) < 0)
                rc = res_h5_fail(err, "%s: cannot write attribute %s of %s", r->path, name, g);
        }
        if (a >= 0) H5Aclose(a);
    } else {
        rc = res_attr_num(gid, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, r->path, err);
    }
    H5Gclose(gid);
    free(g);
    return rc;
}

int results_append(results *r, const char *group, const res_column *cols, size_t ncols,
                   size_t nrows, sim_error *err)
{
    if (!r || r->file < 0)
        return sim_error_set(err, SIM_ERR_RUNTIME, "results_append: no open results file");
    /* Rows may come from any thread (one at a time): HDF5's error printing
     * is set per thread in thread-safe builds. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!group || !group[0])
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: table with an empty group name", r->path);
    char *name = res_group_norm(group);
    if (!name)
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: out of memory", r->path, group);
    int rc = res_check_columns(r, name, cols, ncols, nrows, err);
    if (rc != SIM_OK) {
        free(name);
        return rc;
    }

    res_group *g = NULL;
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcmp(r->groups[i].name, name) == 0) g = &r->groups[i];
    if (g) {
        free(name);
        rc = res_match_columns(r, g, cols, ncols, err);
        if (rc != SIM_OK) return rc;
    } else {
        g = res_new_group(r, name, cols, ncols, err); /* takes name on success */
        if (!g) {
            free(name);
            return SIM_ERR_RUNTIME;
        }
    }
    if (nrows == 0) return SIM_OK;

    const hsize_t old = g->nrows, count = (hsize_t)nrows;
    if (count > (hsize_t)H5S_UNLIMITED - 1 - old)
        return sim_error_set(err, SIM_ERR_RUNTIME, "%s: group %s: too many rows", r->path, g->name);
    const hsize_t total = old + count;
    char full[512];
    hid_t ms = H5Screate_simple(1, &count, NULL);
    if (ms < 0) {
        rc = res_h5_fail(err, "%s: group %s: cannot make a dataspace for %zu rows", r->path,
                         g->name, nrows);
        goto rollback;
    }
    /* Extend all columns first, then write, so that a failure can shrink
     * them back and the table keeps equally long columns. */
    for (size_t i = 0; i < ncols; i++) {
        if (H5Dset_extent(g->cols[i].dset, &total) < 0) {
            res_join(full, sizeof full, g->name, g->cols[i].name);
            rc = res_h5_fail(err, "%s: cannot extend dataset %s to %llu rows", r->path, full,
                             (unsigned long long)total);
            goto rollback;
        }
    }
    for (size_t i = 0; i < ncols; i++) {
        res_join(full, sizeof full, g->name, g->cols[i].name);
        hid_t fs = H5Dget_space(g->cols[i].dset);
        if (fs < 0) {
            rc = res_h5_fail(err, "%s: cannot get the dataspace of %s", r->path, full);
            goto rollback;
        }
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, &old, NULL, &count, NULL) < 0) {
            rc = res_h5_fail(err, "%s: cannot select rows %llu..%llu of %s", r->path,
                             (unsigned long long)old, (unsigned long long)total - 1, full);
            H5Sclose(fs);
            goto rollback;
        }
        hid_t mt = res_mem_type(g->cols[i].type, g->cols[i].width);
        if (mt < 0 || H5Dwrite(g->cols[i].dset, mt, ms, fs, H5P_DEFAULT, cols[i].data) < 0) {
            rc = res_h5_fail(err, "%s: cannot write %zu rows to %s", r->path, nrows, full);
            if (mt >= 0) H5Tclose(mt);
            H5Sclose(fs);
            goto rollback;
        }
        H5Tclose(mt);
        H5Sclose(fs);
    }
    H5Sclose(ms);
    g->nrows = total;
    return SIM_OK;

rollback:
    if (ms >= 0) H5Sclose(ms);
    for (size_t i = 0; i < ncols; i++)
        H5Dset_extent(g->cols[i].dset, &old);
    return rc;
}

/* ------------------------------------------------------ commit and abort */

/* fsync(2) so that the renamed file's contents are on disk before its
 * name is: otherwise a power cut could leave a complete-looking name on
 * an empty file. */
static int res_sync(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    if (rc < 0 && errno == EINVAL) rc = 0; /* the file system does not support syncing */
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

void results_set_scratch(results *r)
{
    if (r) r->scratch = 1;
}

void results_keep_existing(results *r)
{
    if (r) r->keep_existing = 1;
}

/* rename(2), or with keep_existing a rename that fails with EEXIST rather
 * than replace a file at the new name: renameat2's RENAME_NOREPLACE, else
 * (a file system without it) link(2), which never replaces, and unlink. */
static int res_rename(const results *r)
{
    if (!r->keep_existing) return rename(r->tmp_path, r->path);
    if (renameat2(AT_FDCWD, r->tmp_path, AT_FDCWD, r->path, RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    if (link(r->tmp_path, r->path) == 0) return unlink(r->tmp_path), 0;
    if (errno == EEXIST) return -1;
    /* no hard links either (vfat, some FUSE or CIFS mounts): a check, then
     * a plain rename (a file appearing in between would be replaced) */
    struct stat st;
    if (lstat(r->path, &st) == 0) return errno = EEXIST, -1;
    return rename(r->tmp_path, r->path);
}

/* HDF5 1.10 (Debian 12 has 1.10.8) cannot close a file whose buffers it
 * can no longer write (disk full, file size limit): H5Fclose fails, frees
 * the file anyway and leaves its id registered, and the library's shutdown
 * at exit closes it again and crashes (fixed upstream in 1.14.1). A file
 * given up on is going to be deleted, so the descriptor HDF5 writes to is
 * first pointed at /dev/null (not a regular file, so no size limit or
 * full disk applies): every close then succeeds and no id is left behind. */
static void res_detach(results *r)
{
    void *h = NULL;
    if (r->file < 0 || H5Fget_vfd_handle(r->file, H5P_DEFAULT, &h) < 0 || !h) return;
    int sink = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (sink < 0) return;
    dup2(sink, *(int *)h);
    close(sink);
    /* A flush that failed leaves the metadata cache half way ("slist
     * already enabled?" at the next flush or close); the flush tried again
     * fails on that check but resets it, and the one after writes into the
     * sink. Only then can the file be closed. */
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0) H5Fflush(r->file, H5F_SCOPE_GLOBAL);
}

int results_commit(results *r, sim_error *err)
{
    if (!r) return sim_error_set(err, SIM_ERR_RUNTIME, "results_commit: no results handle");
    if (r->file < 0) {
        results_abort(r);
        return sim_error_set(err, SIM_ERR_RUNTIME, "results_commit: no open results file");
    }
    /* Everything is written by flushes, whose failure leaves every id open
     * (unlike a failed close): "complete" is set only once the tables are
     * on disk, and the closes that follow have nothing left to write. */
    int rc = SIM_OK;
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0)
        rc = res_h5_fail(err, "%s: cannot write %s", r->path, r->tmp_path);
    if (rc == SIM_OK) {
        const int one = 1;
        hid_t a = H5Aopen(r->file, "complete", H5P_DEFAULT);
        if (a < 0)
            rc = res_h5_fail(err, "%s: cannot open root attribute complete", r->path);
        else if (H5Awrite(a, H5T_NATIVE_INT, &one) < 0)
            rc = res_h5_fail(err, "%s: cannot write root attribute complete", r->path);
        if (a >= 0) H5Aclose(a);
    }
    if (rc == SIM_OK && H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0)
        rc = res_h5_fail(err, "%s: cannot write %s", r->path, r->tmp_path);
    if (rc != SIM_OK) {
        results_abort(r); /* incomplete: never leave it looking usable */
        return rc;
    }
    if (res_close_all(r, err) < 0) rc = SIM_ERR_RUNTIME;
    if (rc == SIM_OK && res_sync(r->tmp_path) < 0)
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot sync %s to disk: %s", r->path,
                           r->tmp_path, strerror(errno));
    if (rc != SIM_OK) {
        unlink(r->tmp_path);
    } else if (res_rename(r) < 0) {
        /* The data is complete: keep it under the temporary name. */
        if (errno == EEXIST)
            rc = sim_error_set(err, SIM_ERR_RUNTIME,
                               "%s appeared while this run was writing: not replaced (pass "
                               "--force to replace it); the complete results are left in %s",
                               r->path, r->tmp_path);
        else
            rc = sim_error_set(err, SIM_ERR_RUNTIME,
                               "cannot rename %s to %s: %s (the complete results are left in %s)",
                               r->tmp_path, r->path, strerror(errno), r->tmp_path);
    }
    outputs_remove_on_signal(OUTPUTS_TMP, NULL);
    res_free(r);
    return rc;
}

void results_abort(results *r)
{
    if (!r) return;
    res_detach(r);
    res_close_all(r, NULL);
    unlink(r->tmp_path);
    outputs_remove_on_signal(OUTPUTS_TMP, NULL);
    res_free(r);
}
