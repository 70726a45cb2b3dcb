/* outputs.c: what mtcsim may write where. The results file's default name,
 * the refusal to write onto an input or (without --force) onto an existing
 * file, the lock that keeps two writers apart, and the removal of
 * temporary files on SIGINT/SIGTERM/SIGHUP or, left by a killed process,
 * on the next run. */
#include "sim/app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void outputs_default_name(const char *scenario_name, char *buf, size_t n)
{
    /* The name is the scenario's to choose, the folder is not: "../x" or
     * "/tmp/x" must not put the file elsewhere, so only a plain file name
     * of portable characters is kept. */
    const char *s = scenario_name;
    while (*s == '.' || *s == '/')
        s++;
    size_t k = 0;
    for (; *s && k + 4 < n; s++) {
        const char c = *s;
        const int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        buf[k++] = keep ? c : '_';
    }
    if (k == 0) {
        snprintf(buf, n, "results.h5");
        return;
    }
    snprintf(buf + k, n - k, ".h5");
}

int outputs_check(const char *out, const char *const *inputs, size_t n_inputs, int force,
                  sim_error *err)
{
    struct stat so;
    if (stat(out, &so) != 0) return SIM_OK; /* nothing there (or unreachable: creating says why) */
    /* Same file whatever the name: symbolic and hard links included. */
    for (size_t i = 0; i < n_inputs; i++) {
        struct stat si;
        if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            return sim_error_set(err, SIM_ERR_INPUT,
                                 "-o %s: that is the input %s (the same file): choose another "
                                 "results file",
                                 out, inputs[i]);
    }
    if (!S_ISDIR(so.st_mode) && !S_ISREG(so.st_mode))
        return sim_error_set(err, SIM_ERR_INPUT,
                             "-o %s: not a regular file (a device, pipe or socket): choose a "
                             "results file",
                             out);
    if (!force && !S_ISDIR(so.st_mode))
        return sim_error_set(err, SIM_ERR_INPUT, "%s exists: pass --force to replace it", out);
    return SIM_OK;
}

char *outputs_command_line(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 3;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        const int quote = strpbrk(argv[i], " \t\"'") != NULL;
        if (quote) strcat(s, "'");
        strcat(s, argv[i]);
        if (quote) strcat(s, "'");
    }
    /* one line: it goes into a file attribute and a Lua comment */
    for (char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20) *c = '?';
    return s;
}

/* ---------------------------------------------------------------- signals */

/* A signal handler reaches only static storage, so the names it removes
 * are kept here, precomputed (the one exception to "no mutable globals":
 * async-signal-safe cleanup has no other way in). Each slot's flag is
 * cleared before its name changes, and the handler reads a name only while
 * its flag is set. */
static volatile sig_atomic_t sig_set[OUTPUTS_SLOTS];
static char sig_path[OUTPUTS_SLOTS][4200];

void outputs_remove_now(void)
{
    for (int i = 0; i < OUTPUTS_SLOTS; i++)
        if (sig_set[i]) unlink(sig_path[i]);
}

static void on_signal(int sig)
{
    outputs_remove_now();
    _exit(128 + sig);
}

void outputs_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void outputs_remove_on_signal(int slot, const char *path)
{
    sig_set[slot] = 0;
    if (!path || strlen(path) >= sizeof sig_path[slot]) return;
    memcpy(sig_path[slot], path, strlen(path) + 1);
    sig_set[slot] = 1;
}

/* ------------------------------------------------------------------- lock */

int outputs_lock(const char *out, int exclusive, sim_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.lock", out);
    /* The holder removes the lock file when done: a lock taken on a file
     * already removed protects nothing, so take it again on the new one. */
    for (int tries = 0; tries < 10; tries++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "cannot create results file %s (its lock file %s): %s", out, path,
                                 strerror(errno)),
                   -1;
        struct flock fl = {.l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET};
        if (fcntl(fd, F_SETLK, &fl) < 0) {
            const int e = errno;
            struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
            const int known = fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK;
            close(fd);
            if (e != EACCES && e != EAGAIN)
                return sim_error_set(err, SIM_ERR_RUNTIME, "cannot lock %s: %s", path, strerror(e)),
                       -1;
            char pid[48] = "";
            if (known) snprintf(pid, sizeof pid, " (process %ld)", (long)who.l_pid);
            return sim_error_set(err, SIM_ERR_RUNTIME,
                                 "%s is being written by another mtcsim%s: wait for it to "
                                 "finish or choose another -o",
                                 out, pid),
                   -1;
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            if (exclusive) outputs_remove_on_signal(OUTPUTS_LOCK, path);
            return fd;
        }
        close(fd);
    }
    return sim_error_set(err, SIM_ERR_RUNTIME, "cannot lock %s: it keeps being replaced", path), -1;
}

void outputs_unlock(const char *out, int fd, int exclusive)
{
    if (fd < 0) return;
    if (exclusive) {
        char path[4200];
        snprintf(path, sizeof path, "%s.lock", out);
        /* the slot first: a signal between the two must not remove a lock
         * file another process may have created since */
        outputs_remove_on_signal(OUTPUTS_LOCK, NULL);
        unlink(path); /* still held: nobody else is using it */
    }
    close(fd);
}

/* ------------------------------------------------- stale temporary files */

/* Whether name is prefix + ".tmp" + the pid of a process that is gone. */
static int stale_tmp(const char *name, const char *prefix)
{
    const size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) || strncmp(name + n, ".tmp", 4)) return 0;
    const char *digits = name + n + 4;
    char *end;
    errno = 0;
    const long pid = strtol(digits, &end, 10);
    if (!*digits || *end || errno || pid <= 0 || pid == (long)getpid()) return 0;
    return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static void clean_dir(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char path[8400];
    for (struct dirent *e; (e = readdir(d));) {
        int stale = prefix ? stale_tmp(e->d_name, prefix) : 0;
        if (!prefix && !strncmp(e->d_name, "point-", 6)) {
            char pre[64];
            snprintf(pre, sizeof pre, "%.12s.h5", e->d_name); /* point-NNNNNN.h5 */
            stale = stale_tmp(e->d_name, pre);
        }
        if (!stale) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        /* a complete one was kept on purpose (its rename was refused) */
        if (!results_is_complete(path)) unlink(path);
    }
    closedir(d);
}

void outputs_clean_stale(const char *out)
{
    char dir[4200], parts[4200];
    const char *slash = strrchr(out, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out + (slash == out)), out);
    else
        snprintf(dir, sizeof dir, ".");
    clean_dir(dir, slash ? slash + 1 : out);
    snprintf(parts, sizeof parts, "%s.parts", out);
    clean_dir(parts, NULL);
}

/* outputs_check with every input: the scenario and the files it required
 * (a results file written over a module would destroy it). */
static int claim_check(const char *out, const char *scenario, const scen_source *src, int force,
                       sim_error *err)
{
    size_t n = 1;
    for (char **f = src->inputs; f && *f; f++)
        n++;
    const char **in = malloc(n * sizeof *in);
    if (!in) return sim_error_set(err, SIM_ERR_RUNTIME, "out of memory");
    in[0] = scenario;
    for (size_t i = 1; i < n; i++)
        in[i] = src->inputs[i - 1];
    const int rc = outputs_check(out, in, n, force, err);
    free(in);
    return rc;
}

int outputs_claim(const char *out, const char *scenario, const scen_source *src, int force,
                  int exclusive, int *lock, sim_error *err)
{
    *lock = -1;
    int rc = claim_check(out, scenario, src, force, err);
    if (rc) return rc;
    *lock = outputs_lock(out, exclusive, err);
    if (*lock < 0) return err->code;
    if (exclusive) outputs_clean_stale(out);
    return SIM_OK;
}
