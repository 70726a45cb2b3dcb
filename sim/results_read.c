/* results_read.c: reading back complete results files, to resume a sweep
 * and to merge the per-point files of a sweep or a job array. With
 * results.c, the only files that include hdf5.h. */
#include "sim/results_h5.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Silences HDF5's own error printing while we probe files. */
static void quiet_h5(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

int results_is_complete(const char *path)
{
    quiet_h5();
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return 0;
    int complete = 0;
    if (H5Aexists(f, "complete") > 0) {
        hid_t a = H5Aopen(f, "complete", H5P_DEFAULT);
        if (a < 0 || H5Aread(a, H5T_NATIVE_INT, &complete) < 0) complete = 0;
        if (a >= 0) H5Aclose(a);
    }
    H5Fclose(f);
    return complete == 1;
}

/* A string attribute (attr) or text dataset of obj; NULL if missing or
 * unreadable, and then *corrupt = 1 if it is a text dataset whose CRC-32
 * attribute (results.c) does not match its text. */
static char *read_str_checked(hid_t obj, int attr, const char *name, int *corrupt)
{
    *corrupt = 0;
    hid_t x = attr ? H5Aopen(obj, name, H5P_DEFAULT) : H5Dopen2(obj, name, H5P_DEFAULT);
    if (x < 0) return NULL;
    hid_t t = H5Tcopy(H5T_C_S1);
    char *v = NULL, *out = NULL;
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0 &&
        (attr ? H5Aread(x, t, &v) : H5Dread(x, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v)) >= 0 && v) {
        out = strdup(v);
        H5free_memory(v);
    }
    if (out && !attr && H5Aexists(x, "crc32") > 0) {
        uint32_t want = 0;
        hid_t a = H5Aopen(x, "crc32", H5P_DEFAULT);
        const int ok = a >= 0 && H5Aread(a, H5T_NATIVE_UINT32, &want) >= 0;
        if (a >= 0) H5Aclose(a);
        if (!ok || (uint32_t)crc32(0L, (const Bytef *)out, (uInt)strlen(out)) != want) {
            free(out);
            out = NULL;
            *corrupt = 1;
        }
    }
    if (t >= 0) H5Tclose(t);
    if (attr)
        H5Aclose(x);
    else
        H5Dclose(x);
    return out;
}

static char *read_str(hid_t obj, int attr, const char *name)
{
    int corrupt;
    return read_str_checked(obj, attr, name, &corrupt);
}

int results_read_text(const char *path, const char *dataset, char **text, sim_error *err)
{
    quiet_h5();
    *text = NULL;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return sim_error_set(err, SIM_ERR_INPUT, "%s: cannot open as HDF5", path);
    int corrupt;
    *text = read_str_checked(f, 0, dataset, &corrupt);
    H5Fclose(f);
    if (corrupt)
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "%s is corrupt: dataset %s fails its CRC-32; remove it and "
                             "run its point again (--resume)",
                             path, dataset);
    if (!*text) return sim_error_set(err, SIM_ERR_INPUT, "%s: no text dataset %s", path, dataset);
    return SIM_OK;
}

/* The res_type of a dataset's stored type, -1 if it is none of ours;
 * *width: a string's bytes per value. */
static int type_of(hid_t d, size_t *width)
{
    hid_t t = H5Dget_type(d);
    if (t < 0) return -1;
    H5T_class_t cl = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    H5T_sign_t sg = cl == H5T_INTEGER ? H5Tget_sign(t) : H5T_SGN_ERROR;
    const int var = cl == H5T_STRING && H5Tis_variable_str(t) > 0;
    H5Tclose(t);
    *width = sz;
    if (cl == H5T_STRING) return var ? -1 : RES_STR;
    if (cl == H5T_FLOAT && sz == 8) return RES_F64;
    if (cl != H5T_INTEGER) return -1;
    if (sz == 1 && sg == H5T_SGN_NONE) return RES_U8;
    if (sz == 4) return sg == H5T_SGN_NONE ? RES_U32 : RES_I32;
    if (sz == 8) return sg == H5T_SGN_NONE ? RES_U64 : RES_I64;
    return -1;
}

typedef struct table {
    size_t n, rows;
    res_column col[256];
    char *name[256], *unit[256], *doc[256];
    void *data[256];
    size_t width[256]; /* bytes per value */
    int bad;
    char corrupt[300]; /* the column whose data failed to read, and why */
} table;

static herr_t first_msg(unsigned n, const H5E_error2_t *e, void *data)
{
    char *m = data;
    if (!m[0] && e && e->desc) snprintf(m, 200, "%s", e->desc);
    return 0;
}

static herr_t add_column(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
    (void)info;
    table *tb = ctx;
    if (tb->bad || tb->n == 256) return tb->bad = 1, -1;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) return tb->bad = 1, -1;
    size_t width;
    int t = type_of(d, &width);
    hid_t s = H5Dget_space(d);
    hssize_t rows = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0) H5Sclose(s);
    static const size_t size[] = {4, 8, 4, 8, 8, 1};
    size_t k = tb->n;
    if (t >= 0) tb->width[k] = t == RES_STR ? width : size[t];
    if (t < 0 || rows < 0 || (tb->n && (size_t)rows != tb->rows)) {
        H5Dclose(d);
        return tb->bad = 1, -1;
    }
    tb->rows = (size_t)rows;
    tb->data[k] = malloc(((size_t)rows ? (size_t)rows : 1) * tb->width[k]);
    tb->name[k] = strdup(name);
    tb->unit[k] = read_str(d, 1, "unit");
    tb->doc[k] = read_str(d, 1, "doc");
    /* A read that fails in a complete file means damaged data: every
     * chunk carries a Fletcher32 checksum that HDF5 verifies here. */
    hid_t mt = res_mem_type((res_type)t, width);
    int unread = tb->data[k] && tb->name[k] && rows &&
                 (mt < 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, tb->data[k]) < 0);
    if (unread) { /* before any other HDF5 call clears the error stack */
        char why[200] = "";
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_msg, why);
        snprintf(tb->corrupt, sizeof tb->corrupt, "%s (%s)", name, why);
    }
    if (mt >= 0) H5Tclose(mt);
    if (!tb->data[k] || !tb->name[k] || unread) {
        H5Dclose(d);
        free(tb->data[k]);
        free(tb->name[k]);
        free(tb->unit[k]);
        free(tb->doc[k]);
        return tb->bad = 1, -1;
    }
    const int swept = H5Aexists(d, "swept") > 0;
    H5Dclose(d);
    tb->col[k] = (res_column){.name = tb->name[k],
                              .type = (res_type)t,
                              .data = tb->data[k],
                              .unit = tb->unit[k] ? tb->unit[k] : "",
                              .doc = tb->doc[k] ? tb->doc[k] : "",
                              .width = t == RES_STR ? width : 0,
                              .swept = swept};
    tb->n++;
    return 0;
}

static void table_free(table *tb)
{
    for (size_t k = 0; k < tb->n; k++) {
        free(tb->data[k]);
        free(tb->name[k]);
        free(tb->unit[k]);
        free(tb->doc[k]);
    }
}

typedef struct attr_copy {
    results *dst;
    const char *group, *src;
    sim_error *err;
    int rc;
} attr_copy;

static herr_t copy_attr(hid_t g, const char *name, const H5A_info_t *info, void *ctx)
{
    (void)info;
    attr_copy *ac = ctx;
    hid_t a = H5Aopen(g, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    const H5T_class_t cl = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    double v = 0;
    if (cl == H5T_FLOAT || cl == H5T_INTEGER) {
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
            ac->rc = sim_error_set(ac->err, SIM_ERR_INPUT, "%s: cannot read attribute %s of %s",
                                   ac->src, name, ac->group);
        else
            ac->rc = results_group_attr(ac->dst, ac->group, name, v, ac->err);
    }
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return ac->rc ? -1 : 0;
}

/* A table group's numeric attributes (e.g. /timeseries interval_s). */
static int copy_group_attrs(results *dst, hid_t g, const char *group, const char *src,
                            sim_error *err)
{
    attr_copy ac = {.dst = dst, .group = group, .src = src, .err = err, .rc = SIM_OK};
    hsize_t idx = 0;
    H5Aiterate2(g, H5_INDEX_NAME, H5_ITER_INC, &idx, copy_attr, &ac);
    return ac.rc;
}

int results_copy_tables(results *dst, const char *src, sim_error *err)
{
    static const char *const groups[] = {
        "/points",     "/devices", "/cells",    "/ra_delay_cdf",   "/groups",  "/energy_matrix",
        "/timeseries", "/trace",   "/campaign", "/campaign_curve", "/carriers"};
    quiet_h5();
    hid_t f = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return sim_error_set(err, SIM_ERR_INPUT, "%s: cannot open as HDF5", src);
    int rc = SIM_OK;
    for (size_t i = 0; i < sizeof groups / sizeof groups[0] && !rc; i++) {
        if (H5Lexists(f, groups[i], H5P_DEFAULT) <= 0) continue;
        hid_t g = H5Gopen2(f, groups[i], H5P_DEFAULT);
        table *tb = calloc(1, sizeof *tb);
        if (g < 0 || !tb) {
            rc = sim_error_set(err, SIM_ERR_INPUT, "%s: cannot read %s", src, groups[i]);
        } else {
            /* columns in name order: the same in every file */
            hsize_t idx = 0;
            H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, add_column, tb);
            if (tb->corrupt[0])
                rc = sim_error_set(err, SIM_ERR_RUNTIME,
                                   "%s is corrupt: cannot read dataset %s/%s: the file was "
                                   "damaged after it was written; remove it and run its point "
                                   "again (--resume)",
                                   src, groups[i], tb->corrupt);
            else if (tb->bad)
                rc = sim_error_set(err, SIM_ERR_INPUT, "%s: %s is not a table of columns", src,
                                   groups[i]);
            else if (tb->n)
                rc = results_append(dst, groups[i], tb->col, tb->n, tb->rows, err);
            if (!rc && tb->n) rc = copy_group_attrs(dst, g, groups[i], src, err);
            table_free(tb);
        }
        free(tb);
        if (g >= 0) H5Gclose(g);
    }
    H5Fclose(f);
    return rc;
}

int results_read_column(const char *path, const char *group, const char *name, double **vals,
                        size_t *n, sim_error *err)
{
    quiet_h5();
    *vals = NULL;
    *n = 0;
    char ds[512];
    snprintf(ds, sizeof ds, "%s/%s", group, name);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot open as HDF5", path);
    hid_t d = H5Lexists(f, group, H5P_DEFAULT) > 0 && H5Lexists(f, ds, H5P_DEFAULT) > 0
                  ? H5Dopen2(f, ds, H5P_DEFAULT)
                  : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    const hssize_t rows = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    int rc = SIM_OK;
    if (rows < 0) {
        rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: no dataset %s", path, ds);
    } else {
        /* HDF5 converts the stored integers or doubles to doubles */
        *vals = malloc(((size_t)rows ? (size_t)rows : 1) * sizeof **vals);
        if (!*vals)
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
        else if (rows && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *vals) < 0)
            rc = sim_error_set(err, SIM_ERR_RUNTIME, "%s: cannot read %s", path, ds);
        if (rc) {
            free(*vals);
            *vals = NULL;
        } else {
            *n = (size_t)rows;
        }
    }
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    H5Fclose(f);
    return rc;
}
