/* mpi_dist.c: sweeps, and a layout's cells, over MPI ranks (built with
 * -DMTCSIM_MPI=ON only; the libraries never link MPI).
 *
 * A layout's cells: every rank runs the replication with the cells k with
 * k % size == rank; mac_run_all calls the exchange below on the main
 * thread (MPI_THREAD_FUNNELED): an all-reduce of the devices' radiated
 * powers between passes, and each cell's packed results sent to rank 0,
 * which writes the file.
 *
 * Dynamic load balancing without a master: a counter in an MPI window on
 * rank 0; every rank takes the next point with an atomic fetch-and-add,
 * runs its replications on its own threads and writes the point's file.
 * When all ranks are done, rank 0 joins the files in point order, so the
 * result is the same file as a single-process sweep. */
#include "sim/mpi_dist.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define CELL_TAG 17

struct mpi_dist {
    int rank, size;
    MPI_Win win;
    int64_t *counter;
};

mpi_dist *mpi_dist_init(int *argc, char ***argv)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    mpi_dist *d = calloc(1, sizeof *d);
    if (!d) MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    MPI_Win_allocate(d->rank == 0 ? (MPI_Aint)sizeof(int64_t) : 0, sizeof(int64_t), MPI_INFO_NULL,
                     MPI_COMM_WORLD, &d->counter, &d->win);
    if (d->rank == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, d->win);
        *d->counter = 0;
        MPI_Win_unlock(0, d->win);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    return d;
}

int mpi_dist_rank(const mpi_dist *d)
{
    return d->rank;
}

int mpi_dist_size(const mpi_dist *d)
{
    return d->size;
}

int64_t mpi_dist_next(void *ctx)
{
    mpi_dist *d = ctx;
    const int64_t one = 1;
    int64_t got = -1;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, d->win);
    MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, d->win);
    MPI_Win_unlock(0, d->win);
    return got;
}

void mpi_dist_barrier(mpi_dist *d)
{
    (void)d;
    MPI_Barrier(MPI_COMM_WORLD);
}

void mpi_dist_abort(mpi_dist *d, int code)
{
    (void)d;
    MPI_Abort(MPI_COMM_WORLD, code);
}

static int cells_sum(void *ctx, double *v, size_t n, sim_error *err)
{
    (void)ctx;
    if (n > INT_MAX) return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: too many devices (%zu)", n);
    if (MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS)
        return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: the exchange of radiated powers failed");
    return 0;
}

/* A cell's results travel with tag CELL_TAG + cell (MPI guarantees tags up
 * to 32767; layouts have at most 57 cells). */
static int cells_send(void *ctx, uint32_t cell, const void *buf, size_t n, sim_error *err)
{
    (void)ctx;
    if (n > INT_MAX)
        return sim_error_set(err, SIM_ERR_RUNTIME,
                             "mpi: a cell's results are %zu bytes, more than one message holds "
                             "(use more sites or fewer devices per cell)",
                             n);
    if (MPI_Send(buf, (int)n, MPI_BYTE, 0, CELL_TAG + (int)cell, MPI_COMM_WORLD) != MPI_SUCCESS)
        return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: sending a cell's results failed");
    return 0;
}

static int cells_ready(void *ctx, int from, uint32_t cell)
{
    (void)ctx;
    int flag = 0;
    MPI_Iprobe(from, CELL_TAG + (int)cell, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    return flag;
}

static int cells_recv(void *ctx, int from, uint32_t cell, void **buf, size_t *n, sim_error *err)
{
    (void)ctx;
    MPI_Status st;
    int count = 0;
    if (MPI_Probe(from, CELL_TAG + (int)cell, MPI_COMM_WORLD, &st) != MPI_SUCCESS ||
        MPI_Get_count(&st, MPI_BYTE, &count) != MPI_SUCCESS || count < 0)
        return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: receiving a cell's results failed");
    *buf = malloc(count ? (size_t)count : 1);
    if (!*buf) return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: out of memory");
    if (MPI_Recv(*buf, count, MPI_BYTE, from, CELL_TAG + (int)cell, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return sim_error_set(err, SIM_ERR_RUNTIME, "mpi: receiving a cell's results failed");
    *n = (size_t)count;
    return 0;
}

int mpi_dist_same(mpi_dist *d, uint64_t v)
{
    (void)d;
    uint64_t lo = v, hi = v;
    MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    return lo == hi;
}

mac_run_dist mpi_dist_cells(mpi_dist *d)
{
    return (mac_run_dist){.rank = d->rank,
                          .size = d->size,
                          .ctx = d,
                          .sum = cells_sum,
                          .send = cells_send,
                          .recv = cells_recv,
                          .ready = cells_ready};
}

void mpi_dist_finish(mpi_dist *d)
{
    MPI_Win_free(&d->win);
    free(d);
    MPI_Finalize();
}
