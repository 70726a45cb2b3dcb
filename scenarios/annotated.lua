-- annotated.lua: the README's example scenario, every line explained (the
-- README shows this file; tests/integration/test_readme.py checks they are
-- the same and that it runs).
local mtc = require "mtc"

return mtc.scenario {
  name = "quickstart",
  duration = mtc.days(1),         -- simulated time per replication, s
  seed = 1,                       -- base seed of every random stream
  replications = 2,
  engine = { queue = "radix" },   -- or "heap" (the baseline)
  cell = {                        -- the NB-IoT cell; every field has a default
    rat = "nbiot",
    ce_levels = {                 -- NPRACH resource and search space per CE level
      { rsrp_threshold_dbm = -112, nprach_period_ms = 160, subcarriers = 24, nprach_reps = 2 },
      { rsrp_threshold_dbm = -122, nprach_period_ms = 320, subcarriers = 12,
        subcarrier_offset = 24, nprach_reps = 16 },
      { nprach_period_ms = 1280, subcarriers = 12, subcarrier_offset = 36, nprach_reps = 128 },
    },
    plane = "cp",                 -- control-plane CIoT optimisation, or "up"
    inactivity_s = 20,            -- release without RAI
  },
  devices = {                     -- device groups
    { name = "meters", count = 1000,
      traffic = mtc.tr45820.mar_periodic(),     -- TR 45.820 periodic mix, Pareto payload
      coverage = mtc.tr45820.coupling_loss(),   -- sector geometry, path loss, shadowing, walls
      module = mtc.modules.tr45820,             -- power per state, mW
      battery = { capacity_wh = 5 },
      idle = { psm = true, t3324_s = 20 },      -- PSM after 20 s of paging (or drx/edrx)
      rai = true,                               -- release as soon as the buffer is empty
      max_pending = 16 },                       -- device buffer; more reports are dropped
  },
}
