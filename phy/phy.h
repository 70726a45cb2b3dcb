/* phy.h: coverage and link abstraction (coupling loss, CE levels,
 * repetitions, TBS tables, transmission durations). Arrives with the NB-IoT
 * issue; until then this header only reserves the module. */
#ifndef MTCSIM_PHY_H
#define MTCSIM_PHY_H

#include "sim/sim.h"

#endif
