-- quickstart.lua: the default scenario of the README's run command.
--
-- One NB-IoT cell with the default three CE levels and 1,200 devices for one
-- simulated day, two replications: smart meters with the TR 45.820 periodic
-- reporting mix and coupling loss, sleeping in PSM and releasing at once
-- (RAI), and alarm sensors with rare Poisson reports, released by the
-- inactivity timer (they monitor their search space until it expires).
local mtc = require "mtc"

return mtc.scenario {
  name = "quickstart",
  duration = mtc.days(1),
  seed = 1,
  replications = 2,
  cell = { rat = "nbiot" },
  devices = {
    {
      name = "meters",
      count = 1000,
      traffic = mtc.tr45820.mar_periodic(),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
      rai = true,
    },
    {
      name = "alarms",
      count = 200,
      traffic = mtc.traffic.poisson(mtc.hours(6), mtc.payload.fixed(50)),
      coverage = mtc.tr45820.coupling_loss(),
      module = mtc.modules.tr45820,
      battery = { capacity_wh = 5 },
    },
  },
}
