-- tr37868_model2.lua: TR 37.868 RACH evaluation, traffic model 2.
--
-- N machine-type devices each start one random access at a time drawn
-- over 10 s with a Beta(3, 4) density (TR 37.868 Table 6.1.1-1, model 2: a
-- synchronised event), on an LTE cell with the TR 37.868 RACH assumptions
-- (clause 6.1.1):
-- prach-ConfigIndex 6 (an opportunity every 5 ms), 54 contention preambles,
-- at most 10 preamble transmissions, 20 ms backoff, RAR window 5 subframes
-- with 3 uplink grants per RAR subframe, Msg3/Msg4 HARQ with 5
-- transmissions at 10 % error, contention resolution timer 48 ms and
-- detection probability 1 - e^-i at the i-th transmission. Only the access
-- is simulated (cell.ra_model = "tr37868"): the figures are the TR's
-- collision probability, access success probability, mean preamble
-- transmissions, mean access delay and its CDF (/cells ra_*, /ra_delay_cdf,
-- and the printed table).
--
-- The TR evaluates N = 1,000, 5,000, 10,000 and 30,000: a sweep over the
-- device count with common random numbers (every N with seed 11):
--   mtcsim sweep scenarios/tr37868_model2.lua
-- prints the figures per N; /cells and /ra_delay_cdf hold them by point.
local mtc = require "mtc"

return mtc.scenario {
  name = "tr37868_model2",
  duration = 20, -- the 10 s window plus the slowest access (< 1 s)
  seed = 11,
  replications = 1,
  common_random_numbers = true,
  cell = mtc.tr37868.cell(),
  devices = {
    {
      name = "mtc",
      count = 5000,
      traffic = mtc.tr37868.model2(mtc.payload.fixed(100)),
      coverage = mtc.coverage.fixed(120),
    },
  },
  sweep = { ["devices[1].count"] = mtc.tr37868.sizes },
}
