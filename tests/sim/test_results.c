/* test_results.c: the HDF5 results writer, read back with the HDF5 C API.
 *
 * Writes a file through results_* (root meta, a text dataset, two appends
 * of five typed columns to /devices, one to /cells, empty tables), commits,
 * and checks every value, attribute and storage property; then the failure
 * paths: abort leaves nothing, mismatched columns are rejected by name, a
 * missing directory is reported with the path. */
#include "sim/app.h"
#include "tests/check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>

#define N1   1000
#define N2   2345
#define NDEV (N1 + N2)

/* Row k of the /devices test table: values that exercise each type's range
 * (64-bit ids, u32 above INT32_MAX, negative i32, all u8 values) and are
 * exact in binary so they compare exactly. */
static int64_t dev_id(size_t k)
{
    return INT64_C(1000000000000) + (int64_t)k * 3;
}
static double dev_loss(size_t k)
{
    return -100.5 + 0.25 * (double)k;
}
static uint32_t dev_count(size_t k)
{
    return UINT32_C(4000000000) - (uint32_t)k;
}
static int32_t dev_delta(size_t k)
{
    return 3 - 7 * (int32_t)k;
}
static uint8_t dev_flag(size_t k)
{
    return (uint8_t)(k % 256);
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Number of directory entries (other than . and ..), and how many of them
 * contain ".tmp". */
static int dir_count(const char *dir, int *ntmp)
{
    DIR *d = opendir(dir);
    int n = 0;
    *ntmp = 0;
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        n++;
        if (strstr(e->d_name, ".tmp")) (*ntmp)++;
    }
    closedir(d);
    return n;
}

static void iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads a scalar variable-length string attribute (or, if attr is NULL, a
 * scalar string dataset) into buf. Also checks the stored type is a
 * variable-length UTF-8 string. Returns 0 on success. */
static int read_str(hid_t loc, const char *obj, const char *attr, char *buf, size_t n)
{
    hid_t o = -1, a = -1, ft = -1, mt = -1;
    int rc = -1;
    char *s = NULL;
    if (attr) {
        a = H5Aopen_by_name(loc, obj, attr, H5P_DEFAULT, H5P_DEFAULT);
        if (a < 0) goto out;
        ft = H5Aget_type(a);
    } else {
        o = H5Dopen2(loc, obj, H5P_DEFAULT);
        if (o < 0) goto out;
        ft = H5Dget_type(o);
        hid_t sp = H5Dget_space(o);
        CHECK(H5Sget_simple_extent_type(sp) == H5S_SCALAR);
        H5Sclose(sp);
    }
    CHECK(H5Tget_class(ft) == H5T_STRING);
    CHECK(H5Tis_variable_str(ft) > 0);
    CHECK(H5Tget_cset(ft) == H5T_CSET_UTF8);
    mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5T_CSET_UTF8);
    if ((attr ? H5Aread(a, mt, &s) : H5Dread(o, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s)) < 0)
        goto out;
    snprintf(buf, n, "%s", s ? s : "(null)");
    H5free_memory(s);
    rc = 0;
out:
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    if (o >= 0) H5Dclose(o);
    return rc;
}

static long long read_root_int(hid_t f, const char *name, hid_t mtype, void *out)
{
    hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    if (a < 0) return -1;
    herr_t e = H5Aread(a, mtype, out);
    H5Aclose(a);
    return e < 0 ? -1 : 0;
}

/* Opens a column, checks it is 1-D of length n, unlimited, chunked with
 * shuffle then deflate level 4, of the stored class/size/sign, with the
 * given unit and doc, and reads it into buf (memory type mtype). */
static void check_column(hid_t f, const char *path, size_t n, H5T_class_t cls, size_t size,
                         H5T_sign_t sign, hid_t mtype, void *buf, const char *unit, const char *doc)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    CHECK_MSG(d >= 0, "dataset %s", path);
    if (d < 0) return;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 0}, maxd[2] = {0, 0};
    CHECK_EQ_INT(H5Sget_simple_extent_ndims(sp), 1);
    H5Sget_simple_extent_dims(sp, dims, maxd);
    CHECK_MSG(dims[0] == n, "%s has %llu rows, want %zu", path, (unsigned long long)dims[0], n);
    CHECK(maxd[0] == H5S_UNLIMITED);
    H5Sclose(sp);

    hid_t t = H5Dget_type(d);
    CHECK_MSG(H5Tget_class(t) == cls, "%s class", path);
    CHECK_EQ_INT(H5Tget_size(t), size);
    if (cls == H5T_INTEGER) CHECK_MSG(H5Tget_sign(t) == sign, "%s sign", path);
    H5Tclose(t);

    hid_t p = H5Dget_create_plist(d);
    CHECK(H5Pget_layout(p) == H5D_CHUNKED);
    hsize_t chunk[2] = {0, 0};
    CHECK_EQ_INT(H5Pget_chunk(p, 2, chunk), 1);
    CHECK(chunk[0] > 0);
    int nf = H5Pget_nfilters(p);
    CHECK_EQ_INT(nf, 3);
    int shuffle_at = -1, deflate_at = -1, fletcher_at = -1;
    unsigned level = 0;
    for (int i = 0; i < nf; i++) {
        unsigned flags = 0, cd[8] = {0};
        size_t ncd = 8;
        H5Z_filter_t id = H5Pget_filter2(p, (unsigned)i, &flags, &ncd, cd, 0, NULL, NULL);
        if (id == H5Z_FILTER_SHUFFLE) shuffle_at = i;
        if (id == H5Z_FILTER_FLETCHER32) fletcher_at = i;
        if (id == H5Z_FILTER_DEFLATE) {
            deflate_at = i;
            level = ncd > 0 ? cd[0] : 0;
        }
    }
    CHECK_MSG(shuffle_at >= 0 && deflate_at > shuffle_at, "%s: shuffle %d, deflate %d", path,
              shuffle_at, deflate_at);
    /* the checksum covers the stored (compressed) bytes */
    CHECK_MSG(fletcher_at > deflate_at, "%s: fletcher32 %d", path, fletcher_at);
    CHECK_EQ_INT(level, 4);
    H5Pclose(p);

    char s[256];
    CHECK(read_str(f, path, "unit", s, sizeof s) == 0);
    CHECK_MSG(strcmp(s, unit) == 0, "%s unit \"%s\"", path, s);
    CHECK(read_str(f, path, "doc", s, sizeof s) == 0);
    CHECK_MSG(strcmp(s, doc) == 0, "%s doc \"%s\"", path, s);

    if (n > 0) CHECK(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Dclose(d);
}

static const char scenario_text[] = "-- test scenario\n"
                                    "return {\n"
                                    "  name = \"r\xc3\xa9sultats \xce\xbc\",\n" /* UTF-8 */
                                    "  cells = { { devices = 3345 } },\n"
                                    "}\n";

static void fill_devices(size_t first, size_t n, int64_t *id, double *loss, uint32_t *count,
                         int32_t *delta, uint8_t *flag)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = first + i;
        id[i] = dev_id(k);
        loss[i] = dev_loss(k);
        count[i] = dev_count(k);
        delta[i] = dev_delta(k);
        flag[i] = dev_flag(k);
    }
}

static void set_device_cols(res_column *c, const int64_t *id, const double *loss,
                            const uint32_t *count, const int32_t *delta, const uint8_t *flag)
{
    c[0] =
        (res_column){.name = "device", .type = RES_I64, .data = id, .unit = "", .doc = "device id"};
    c[1] = (res_column){.name = "coupling_loss_db",
                        .type = RES_F64,
                        .data = loss,
                        .unit = "dB",
                        .doc = "coupling loss"};
    c[2] = (res_column){
        .name = "reports", .type = RES_U32, .data = count, .unit = "1", .doc = "reports generated"};
    c[3] = (res_column){.name = "delta", .type = RES_I32, .data = delta, .unit = NULL, .doc = NULL};
    c[4] = (res_column){
        .name = "flag", .type = RES_U8, .data = flag, .unit = "", .doc = "a flag byte"};
}

static void test_full_file(const char *dir)
{
    char path[512], tmp[600];
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());

    /* An older file at the final name must survive until the commit. */
    FILE *old = fopen(path, "w");
    CHECK(old != NULL);
    if (old) {
        fputs("old contents\n", old);
        fclose(old);
    }

    const res_meta meta = {
        .software_version = "0.1.0",
        .git_sha = "0123456789ab",
        .command_line = "mtcsim run scen.lua --seed 18364758544493064720",
        .rng_algorithm = SIM_RNG_ALGORITHM,
        .scenario_name = "r\xc3\xa9sultats",
        .scenario_file = NULL, /* written as "" */
        .seed = UINT64_C(0xFEDCBA9876543210),
    };
    sim_error err;
    sim_error_clear(&err);
    char before[32], after[32];
    iso_now(before, sizeof before);
    results *r = results_create(path, &meta, &err);
    iso_now(after, sizeof after);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (!r) return;
    CHECK(file_exists(tmp));
    CHECK(H5Fis_hdf5(path) <= 0); /* still the old file */

    CHECK_EQ_INT(results_write_text(r, "/config/scenario", scenario_text, &err), SIM_OK);

    int64_t *id = malloc(NDEV * sizeof *id);
    double *loss = malloc(NDEV * sizeof *loss);
    uint32_t *count = malloc(NDEV * sizeof *count);
    int32_t *delta = malloc(NDEV * sizeof *delta);
    uint8_t *flag = malloc(NDEV * sizeof *flag);
    CHECK(id && loss && count && delta && flag);
    if (!(id && loss && count && delta && flag)) goto done;

    res_column c[5];
    fill_devices(0, N1, id, loss, count, delta, flag);
    set_device_cols(c, id, loss, count, delta, flag);
    CHECK_EQ_INT(results_append(r, "/devices", c, 5, N1, &err), SIM_OK);
    /* A zero-row append to an existing table changes nothing. */
    CHECK_EQ_INT(results_append(r, "/devices", c, 5, 0, &err), SIM_OK);
    fill_devices(N1, N2, id, loss, count, delta, flag);
    CHECK_EQ_INT(results_append(r, "devices/", c, 5, N2, &err), SIM_OK); /* same group */
    CHECK_MSG(err.code == SIM_OK, "%s", err.msg);

    /* Mismatched later appends are refused, naming group and column, and
     * leave the table as it was. */
    res_column bad[5];
    memcpy(bad, c, sizeof bad);
    bad[4].name = "flags";
    sim_error e2;
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/devices", bad, 5, N2, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "flags") && strstr(e2.msg, "/devices"), "%s", e2.msg);
    memcpy(bad, c, sizeof bad);
    bad[1].type = RES_I64;
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/devices", bad, 5, N2, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "coupling_loss_db"), "%s", e2.msg);
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/devices", c, 4, N2, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "flag"), "%s", e2.msg);
    res_column extra[6];
    memcpy(extra, c, sizeof c);
    extra[5] =
        (res_column){.name = "energy_j", .type = RES_F64, .data = loss, .unit = "J", .doc = ""};
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/devices", extra, 6, N2, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "energy_j"), "%s", e2.msg);

    /* Bad input never crashes and is reported. */
    res_column nodata = {.name = "x", .type = RES_I32, .data = NULL, .unit = "", .doc = ""};
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/bad", &nodata, 1, 5, &e2), SIM_ERR_RUNTIME);
    res_column slash = {.name = "a/b", .type = RES_I32, .data = delta, .unit = "", .doc = ""};
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/bad", &slash, 1, 1, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "a/b"), "%s", e2.msg);
    res_column dup[2] = {{.name = "x", .type = RES_I32, .data = delta, .unit = "", .doc = ""},
                         {.name = "x", .type = RES_I32, .data = delta, .unit = "", .doc = ""}};
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/bad", dup, 2, 1, &e2), SIM_ERR_RUNTIME);
    res_column badtype = {.name = "x", .type = (res_type)99, .data = delta, .unit = "", .doc = ""};
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/bad", &badtype, 1, 1, &e2), SIM_ERR_RUNTIME);
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/bad", c, 0, 1, &e2), SIM_ERR_RUNTIME);
    /* A table where a dataset already is: refused with the HDF5 reason. */
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/config/scenario", &nodata, 1, 0, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "/config/scenario"), "%s", e2.msg);
    /* A text dataset that exists already. */
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_write_text(r, "/config/scenario", "x", &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "/config/scenario"), "%s", e2.msg);

    /* /cells: 3 rows. */
    const uint64_t cell_pre[3] = {UINT64_C(18000000000000000000), 0, 42};
    const double cell_load[3] = {0.125, 0.5, 1.0};
    /* a fixed-width string column: 6 bytes a row, zero-padded (one fills it) */
    char cell_name[3 * 6] = {0};
    memcpy(cell_name, "nb", 2);
    memcpy(cell_name + 6, "ltem-m", 6);
    memcpy(cell_name + 12, "r\xc3\xa9", 3);
    const res_column cc[3] = {
        {.name = "preambles",
         .type = RES_U64,
         .data = cell_pre,
         .unit = "",
         .doc = "preambles sent"},
        {.name = "load", .type = RES_F64, .data = cell_load, .unit = "", .doc = "channel load"},
        {.name = "name",
         .type = RES_STR,
         .data = cell_name,
         .unit = "",
         .doc = "a name",
         .width = 6}};
    CHECK_EQ_INT(results_append(r, "/cells", cc, 3, 3, &err), SIM_OK);
    /* strings of another width, or of none, are refused */
    res_column cw[3];
    memcpy(cw, cc, sizeof cw);
    cw[2].width = 7;
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/cells", cw, 3, 1, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "name") && strstr(e2.msg, "wide"), "%s", e2.msg);
    cw[2].width = 0;
    sim_error_clear(&e2);
    CHECK_EQ_INT(results_append(r, "/other", cw, 3, 1, &e2), SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(e2.msg, "width"), "%s", e2.msg);

    /* Zero rows on first use creates empty datasets (data may be NULL). */
    const res_column ec[2] = {
        {.name = "time", .type = RES_I64, .data = NULL, .unit = "us", .doc = "event time"},
        {.name = "value", .type = RES_U8, .data = NULL, .unit = "", .doc = ""}};
    CHECK_EQ_INT(results_append(r, "/timeseries/empty", ec, 2, 0, &err), SIM_OK);
    CHECK_MSG(err.code == SIM_OK, "%s", err.msg);

    CHECK_EQ_INT(results_commit(r, &err), SIM_OK);
    CHECK_MSG(err.code == SIM_OK, "%s", err.msg);
    r = NULL;
    /* Everything the writer opened is closed. */
    CHECK_EQ_INT(H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL), 0);

    CHECK(file_exists(path));
    CHECK(!file_exists(tmp));
    int ntmp = 0;
    CHECK_EQ_INT(dir_count(dir, &ntmp), 1);
    CHECK_EQ_INT(ntmp, 0);
    CHECK(H5Fis_hdf5(path) > 0); /* the old file was replaced */

    /* ------------------------------------------------------ read back */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) goto done;
    char s[512];
    const struct {
        const char *name, *want;
    } attrs[] = {
        {"format", "mtcsim"},
        {"software_version", "0.1.0"},
        {"git_sha", "0123456789ab"},
        {"command_line", "mtcsim run scen.lua --seed 18364758544493064720"},
        {"rng_algorithm", "philox4x64-10"},
        {"scenario_name", "r\xc3\xa9sultats"},
        {"scenario_file", ""},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        CHECK_MSG(read_str(f, "/", attrs[i].name, s, sizeof s) == 0, "attribute %s", attrs[i].name);
        CHECK_MSG(strcmp(s, attrs[i].want) == 0, "attribute %s = \"%s\"", attrs[i].name, s);
    }
    CHECK(read_str(f, "/", "created", s, sizeof s) == 0);
    CHECK_EQ_INT(strlen(s), 20); /* YYYY-MM-DDTHH:MM:SSZ */
    /* ISO 8601 strings of one format sort as times. */
    CHECK_MSG(strcmp(before, s) <= 0 && strcmp(s, after) <= 0, "created %s not in [%s, %s]", s,
              before, after);

    int ival = -1;
    uint64_t seed = 0;
    CHECK(read_root_int(f, "format_version", H5T_NATIVE_INT, &ival) == 0);
    CHECK_EQ_INT(ival, 2);
    ival = -1;
    CHECK(read_root_int(f, "complete", H5T_NATIVE_INT, &ival) == 0);
    CHECK_EQ_INT(ival, 1);
    CHECK(read_root_int(f, "seed", H5T_NATIVE_UINT64, &seed) == 0);
    CHECK(seed == UINT64_C(0xFEDCBA9876543210));

    CHECK(read_str(f, "/config/scenario", NULL, s, sizeof s) == 0);
    CHECK_MSG(strcmp(s, scenario_text) == 0, "scenario text \"%s\"", s);

    memset(id, 0, NDEV * sizeof *id);
    memset(loss, 0, NDEV * sizeof *loss);
    memset(count, 0, NDEV * sizeof *count);
    memset(delta, 0, NDEV * sizeof *delta);
    memset(flag, 0, NDEV * sizeof *flag);
    check_column(f, "/devices/device", NDEV, H5T_INTEGER, 8, H5T_SGN_2, H5T_NATIVE_INT64, id, "",
                 "device id");
    check_column(f, "/devices/coupling_loss_db", NDEV, H5T_FLOAT, 8, H5T_SGN_ERROR,
                 H5T_NATIVE_DOUBLE, loss, "dB", "coupling loss");
    check_column(f, "/devices/reports", NDEV, H5T_INTEGER, 4, H5T_SGN_NONE, H5T_NATIVE_UINT32,
                 count, "1", "reports generated");
    check_column(f, "/devices/delta", NDEV, H5T_INTEGER, 4, H5T_SGN_2, H5T_NATIVE_INT32, delta, "",
                 "");
    check_column(f, "/devices/flag", NDEV, H5T_INTEGER, 1, H5T_SGN_NONE, H5T_NATIVE_UINT8, flag, "",
                 "a flag byte");
    size_t wrong = 0;
    for (size_t k = 0; k < NDEV; k++)
        wrong += id[k] != dev_id(k) || loss[k] != dev_loss(k) || count[k] != dev_count(k) ||
                 delta[k] != dev_delta(k) || flag[k] != dev_flag(k);
    CHECK_MSG(wrong == 0, "%zu of %d device rows differ", wrong, NDEV);

    uint64_t pre[3] = {0, 0, 0};
    double load[3] = {0, 0, 0};
    check_column(f, "/cells/preambles", 3, H5T_INTEGER, 8, H5T_SGN_NONE, H5T_NATIVE_UINT64, pre, "",
                 "preambles sent");
    check_column(f, "/cells/load", 3, H5T_FLOAT, 8, H5T_SGN_ERROR, H5T_NATIVE_DOUBLE, load, "",
                 "channel load");
    for (int i = 0; i < 3; i++) {
        CHECK(pre[i] == cell_pre[i]);
        CHECK(load[i] == cell_load[i]);
    }
    {
        char names[18];
        hid_t st = H5Tcopy(H5T_C_S1);
        H5Tset_size(st, 6);
        H5Tset_strpad(st, H5T_STR_NULLPAD);
        H5Tset_cset(st, H5T_CSET_UTF8);
        hid_t dn = H5Dopen2(f, "/cells/name", H5P_DEFAULT);
        CHECK(dn >= 0);
        hid_t ft = dn >= 0 ? H5Dget_type(dn) : -1;
        CHECK(ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tget_size(ft) == 6 &&
              H5Tget_cset(ft) == H5T_CSET_UTF8 && H5Tis_variable_str(ft) == 0);
        CHECK(dn >= 0 && H5Dread(dn, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
        CHECK(memcmp(names, cell_name, sizeof names) == 0);
        if (ft >= 0) H5Tclose(ft);
        if (dn >= 0) H5Dclose(dn);
        H5Tclose(st);
    }
    check_column(f, "/timeseries/empty/time", 0, H5T_INTEGER, 8, H5T_SGN_2, H5T_NATIVE_INT64, NULL,
                 "us", "event time");
    check_column(f, "/timeseries/empty/value", 0, H5T_INTEGER, 1, H5T_SGN_NONE, H5T_NATIVE_UINT8,
                 NULL, "", "");
    /* The refused tables left nothing behind. */
    CHECK(H5Lexists(f, "/bad", H5P_DEFAULT) == 0);
    H5Fclose(f);

done:
    free(id);
    free(loss);
    free(count);
    free(delta);
    free(flag);
    unlink(path);
}

static void test_abort(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/aborted.h5", dir);
    sim_error err;
    sim_error_clear(&err);
    results *r = results_create(path, NULL, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (!r) return;
    const int32_t v[4] = {1, 2, 3, 4};
    const res_column c = {.name = "v", .type = RES_I32, .data = v, .unit = "", .doc = ""};
    CHECK_EQ_INT(results_append(r, "/t", &c, 1, 4, &err), SIM_OK);
    CHECK_EQ_INT(results_write_text(r, "/config/resolved", "{}", &err), SIM_OK);
    int ntmp = 0;
    CHECK_EQ_INT(dir_count(dir, &ntmp), 1);
    CHECK_EQ_INT(ntmp, 1);
    results_abort(r);
    CHECK_EQ_INT(dir_count(dir, &ntmp), 0);
    CHECK(!file_exists(path));
    CHECK_EQ_INT(H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
    results_abort(NULL); /* allowed */
}

static void test_bad_paths(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/no/such/dir/out.h5", dir);
    sim_error err;
    sim_error_clear(&err);
    results *r = results_create(path, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(err.msg, path) != NULL, "message: %s", err.msg);
    int ntmp = 0;
    CHECK_EQ_INT(dir_count(dir, &ntmp), 0);

    /* The final name is a directory: refused at once, not at commit. */
    sim_error_clear(&err);
    r = results_create(dir, NULL, &err);
    CHECK(r == NULL);
    CHECK_EQ_INT(err.code, SIM_ERR_RUNTIME);
    CHECK_MSG(strstr(err.msg, dir) != NULL, "message: %s", err.msg);

    /* Commit of nothing is an error, not a crash. */
    sim_error_clear(&err);
    CHECK_EQ_INT(results_commit(NULL, &err), SIM_ERR_RUNTIME);
}

int main(void)
{
    char dir[] = "/tmp/mtcsim_test_results_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_full_file(dir);
    test_abort(dir);
    test_bad_paths(dir);
    int ntmp = 0;
    CHECK_EQ_INT(dir_count(dir, &ntmp), 0);
    CHECK(rmdir(dir) == 0);
    return check_done();
}
