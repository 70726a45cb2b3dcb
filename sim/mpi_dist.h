/* mpi_dist.h: sweeps, and the cells of a layout, across MPI ranks
 * (sim/mpi_dist.c, MTCSIM_MPI builds). */
#ifndef MTCSIM_MPI_DIST_H
#define MTCSIM_MPI_DIST_H

#include "mac/mac.h"

#include <stdint.h>

typedef struct mpi_dist mpi_dist;

/* MPI_Init and the shared point counter (collective). */
mpi_dist *mpi_dist_init(int *argc, char ***argv);
int mpi_dist_rank(const mpi_dist *d);
int mpi_dist_size(const mpi_dist *d);
/* The next point index for this rank (run_options.next_point). */
int64_t mpi_dist_next(void *ctx);
void mpi_dist_barrier(mpi_dist *d);
void mpi_dist_abort(mpi_dist *d, int code);
/* Whether every rank passed the same value (collective): the ranks of a
 * distributed run each load the scenario and must resolve it alike. */
int mpi_dist_same(mpi_dist *d, uint64_t v);
/* The exchange of a layout whose cells run on every rank (mac_run_dist). */
mac_run_dist mpi_dist_cells(mpi_dist *d);
/* Frees the counter and finalizes MPI (collective). */
void mpi_dist_finish(mpi_dist *d);

#endif
