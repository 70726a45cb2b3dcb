/* mpi_dist.c: sweeps over MPI ranks (built with -DMTCSIM_MPI=ON only; the
 * libraries never link MPI).
 *
 * Dynamic load balancing without a master: a counter in an MPI window on
 * rank 0; every rank takes the next point with an atomic fetch-and-add,
 * runs its replications on its own threads and writes the point's file.
 * When all ranks are done, rank 0 joins the files in point order, so the
 * result is the same file as a single-process sweep. */
#include "sim/mpi_dist.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

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

void mpi_dist_finish(mpi_dist *d)
{
    MPI_Win_free(&d->win);
    free(d);
    MPI_Finalize();
}
