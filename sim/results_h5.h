/* results_h5.h: HDF5 helpers shared by results.c and results_read.c (the
 * files that include hdf5.h). */
#ifndef MTCSIM_RESULTS_H5_H
#define MTCSIM_RESULTS_H5_H

#include <hdf5.h>

#include "sim/app.h"

/* Memory type of a column's array (width: RES_STR's bytes per value), a
 * copy to H5Tclose; -1 for an invalid type. */
hid_t res_mem_type(res_type t, size_t width);

#endif
