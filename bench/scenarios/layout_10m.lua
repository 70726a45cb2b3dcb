-- layout_10m.lua: city scale across MPI ranks (issue 16 targets): 19
-- three-sector sites (57 cells, two interference passes), 10,000,000
-- meters over the TR 45.820 coupling-loss composition, each sending 100
-- bytes once a day (random phase) with release assistance, one day. About
-- 175,000 devices per cell at 2 reports per second: the daily-meter load
-- a city cell carries (the TR 45.820 mix at this density would be 3.3x its
-- own capacity study's load). Figures only:
--   mpirun -n 2 --oversubscribe build-mpi/mtcsim run bench/scenarios/layout_10m.lua --threads 1
-- against build-mpi/mtcsim run ... --threads 2 (the same file).
local mtc = require "mtc"
return mtc.scenario {
  name = "layout_10m",
  duration = mtc.days(1),
  seed = 1,
  cell = { rat = "nbiot", layout_sites = 19, interference_passes = 2 },
  devices = {
    {
      name = "meters",
      count = 10000000,
      traffic = mtc.traffic.periodic(86400, mtc.payload.fixed(100)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
  },
}
